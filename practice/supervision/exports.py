"""CSV exports for supervision: numbers, categories and labels only.

What an export may contain, decided once here: counselor names, couple labels and ids, flag
categories, severities, statuses, sources, ages and dates, counts and rates. Never anything a
client wrote or anything written from their words: no check-in reflections or notes, no
screen answers, no flag descriptions or resolution notes, no supervision or case notes, and no
partner names (a flag about one partner stays unattributed outside the app).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from flask import Response

from ..checkins.engagement import COMPLETION_DAYS, QUIET_DAYS
from ..content import SITUATIONS
from ..flags.models import SEVERITIES
from .services import CounselorRow

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """A value made safe against CSV (formula) injection: text never starts a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _hours(delta) -> int | str:
    return "" if delta is None else int(delta.total_seconds() // 3600)


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


CASELOAD_HEADER = [
    "counselor",
    "active couples",
    "check-ins waiting for review",
    f"homework submitted ({COMPLETION_DAYS} days)",
    f"homework due ({COMPLETION_DAYS} days)",
    f"completion % ({COMPLETION_DAYS} days)",
    *[f"open {s} flags" for s in reversed(SEVERITIES)],
    "oldest unacknowledged urgent/high flag (hours)",
    "escalated flags",
    f"quiet couples ({QUIET_DAYS} days)",
]


def caseload_rows(rows: list[CounselorRow], now: datetime) -> Iterable[list]:
    for r in rows:
        completion = r.completion
        yield [
            r.counselor.display_name,
            r.active_couples,
            r.unreviewed,
            r.submitted,
            r.due,
            "" if completion is None else round(completion * 100),
            *[r.open_flags[s] for s in reversed(SEVERITIES)],
            _hours(r.oldest_age(now)),
            r.escalated,
            r.quiet_couples,
        ]


FLAG_HEADER = [
    "flag id",
    "couple id",
    "couple",
    "counselor",
    "category",
    "severity",
    "status",
    "source",
    "escalated",
    "raised (UTC)",
    "age (hours)",
    "acknowledged (UTC)",
    "reviewed in supervision (UTC)",
]


def flag_rows(items, now: datetime) -> Iterable[list]:
    for flag, couple_label, counselor_name, escalated in items:
        yield [
            flag.id,
            flag.couple_id,
            couple_label,
            counselor_name,
            SITUATIONS.get(flag.category, flag.category),
            flag.severity,
            flag.status,
            flag.source,
            bool(escalated),
            _day(flag.created_at),
            _hours(now - flag.created_at),
            _day(flag.acknowledged_at),
            _day(flag.supervision_reviewed_at),
        ]
