"""Access rules per route, one module per feature. Every URL rule must appear in one of them."""
