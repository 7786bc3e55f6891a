"""CSV exports: attachments, the supervisor's own team only, safe against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from practice import clock
from practice.extensions import db
from practice.supervision.exports import safe_cell

from .factories import make_flag


def _rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_exports_are_attachments_of_the_supervisors_team_only(world, client):
    make_flag(world.couple, "high", created_at=clock.utcnow() - timedelta(hours=3))
    make_flag(world.other_couple, "urgent", created_at=clock.utcnow() - timedelta(hours=3))
    db.session.commit()
    client.login(world.supervisor)
    caseload = client.get("/supervision/export/caseload.csv")
    assert caseload.mimetype == "text/csv"
    assert caseload.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = _rows(caseload)
    assert rows[0][0] == "counselor"
    assert [r[0] for r in rows[1:]] == [world.counselor.display_name]
    flags = client.get("/supervision/export/flags.csv")
    assert flags.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = _rows(flags)
    assert len(rows) == 2
    assert rows[1][2] == world.couple.label
    assert rows[1][5] == "high"
    assert "description" not in ",".join(rows[0]).lower()


def test_cells_that_would_run_as_formulas_are_neutralised(world, client):
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    for text in ("+1", "-1", "@SUM(A1)", "\tx"):
        assert safe_cell(text).startswith("'")
    assert safe_cell("Rivera & Chen") == "Rivera & Chen"
    assert safe_cell(3) == 3
    world.couple.label = "=cmd|' /C calc'!A0"
    make_flag(world.couple, "low", created_at=clock.utcnow())
    db.session.commit()
    client.login(world.supervisor)
    rows = _rows(client.get("/supervision/export/flags.csv"))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
