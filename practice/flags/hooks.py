"""The seam between homework check-ins and flags.

The check-in service calls `after_checkin_submitted` once a check-in is saved; the flags
feature raises what the check-in calls for (a 'something broke my trust' answer, a sharp fall
in closeness or signs) and may return a URL to send the client to next (the private safety
screen when they asked for it). Until the flags feature lands this does nothing.
"""

from __future__ import annotations


def after_checkin_submitted(checkin, wants_safety_screen: bool = False) -> str | None:
    """Raise the flags a new check-in calls for; return where the client goes next, or None."""
    return None
