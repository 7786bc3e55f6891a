"""The one source of "now". Times are naive UTC in the database; tests can move the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_offset = timedelta(0)
_frozen: datetime | None = None


def utcnow() -> datetime:
    """Current UTC time as a naive datetime (the database convention)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None) + _offset


def set_clock(moment: datetime | None) -> None:
    """Freeze the clock at a naive UTC moment (None: follow the real clock again)."""
    global _frozen
    _frozen = moment


def advance(delta: timedelta) -> None:
    global _frozen, _offset
    if _frozen is not None:
        _frozen = _frozen + delta
    else:
        _offset += delta


def reset() -> None:
    global _frozen, _offset
    _frozen = None
    _offset = timedelta(0)


def to_local(moment: datetime, tz: str) -> datetime:
    """A naive UTC datetime as an aware datetime in the zone `tz`."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(tz))


def local_today(tz: str) -> date:
    return to_local(utcnow(), tz).date()


def local_to_utc(moment: datetime, tz: str) -> datetime:
    """A naive wall-clock datetime in `tz` as naive UTC."""
    return moment.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)
