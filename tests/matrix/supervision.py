"""Supervision pages: supervisors for their own team (another team's records: 404), admins all."""

from .common import FORM_POST, OK, Rule, role_page


def team_record(ok=OK) -> dict:
    """A record of the world's counselor's team: their supervisor and admins; others 404/403."""
    expect = role_page(("supervisor", "admin"), ok)
    expect["other_supervisor"] = 404
    return expect


def _flag_setup(world):
    from tests.factories import make_flag

    flag = make_flag(world.couple, "high", description="Raised in the matrix",
                     raised_by_id=world.counselor.id)
    world.extra["flag_id"] = flag.id


RULES = {
    "supervision.team": Rule(url=lambda w: "/supervision/",
                             expect=role_page(("supervisor", "admin"))),
    "supervision.counselor": Rule(url=lambda w: f"/supervision/counselors/{w.counselor.id}",
                                  expect=team_record()),
    "supervision.add_counselor_note": Rule(
        url=lambda w: f"/supervision/counselors/{w.counselor.id}/notes",
        method="POST",
        data={"body": "A note written in the access matrix."},
        expect=team_record(302),
    ),
    "supervision.add_couple_note": Rule(
        url=lambda w: f"/supervision/couples/{w.couple.id}/notes", expect=team_record()
    ),
    "supervision.my_notes": Rule(url=lambda w: "/supervision/notes",
                                 expect=role_page(("counselor",))),
    "supervision.flag_queue_view": Rule(url=lambda w: "/supervision/flags",
                                        expect=role_page(("supervisor", "admin"))),
    "supervision.flag_review": Rule(
        url=lambda w: f"/supervision/flags/{w.extra['flag_id']}", setup=_flag_setup,
        expect=team_record(),
    ),
    "supervision.reassign": Rule(url=lambda w: f"/supervision/couples/{w.couple.id}/reassign",
                                 expect=team_record()),
    "supervision.audit_log": Rule(url=lambda w: "/supervision/audit",
                                  expect=role_page(("supervisor", "admin"))),
    "supervision.export_caseload": Rule(url=lambda w: "/supervision/export/caseload.csv",
                                        expect=role_page(("supervisor", "admin"))),
    "supervision.export_flags": Rule(url=lambda w: "/supervision/export/flags.csv",
                                     expect=role_page(("supervisor", "admin"))),
}

__all__ = ["FORM_POST", "RULES"]
