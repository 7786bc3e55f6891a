"""Pages that several features contribute to (a couple's page, each role's home).

A feature registers a panel: a template and a function that builds its context. The page
renders the panels in order, so features stay in their own folders. Each panel's function
must run a fixed number of queries whatever the caseload size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PAGES = ("couple_top", "couple", "client_home", "counselor_home", "supervisor_home")


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    build: Callable[..., dict | None]


_registry: dict[str, list[Panel]] = {page: [] for page in PAGES}


def panel(page: str, template: str, order: int = 50):
    """Register `build(user, *objects) -> dict | None` as a panel of `page`. None hides it."""

    def decorator(build):
        entries = _registry[page]
        if not any(p.template == template for p in entries):
            entries.append(Panel(order, template, build))
            entries.sort(key=lambda p: p.order)
        return build

    return decorator


def render_context(page: str, *args) -> list[tuple[str, dict]]:
    out = []
    for entry in _registry[page]:
        context = entry.build(*args)
        if context is not None:
            out.append((entry.template, context))
    return out
