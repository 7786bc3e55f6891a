"""Each rule that raises a flag, and that it never opens a second one for the same person."""

from __future__ import annotations

from datetime import datetime, timedelta

from practice import clock
from practice.extensions import db
from practice.flags.hooks import after_checkin_submitted
from practice.flags.models import Flag, FlagEvent
from practice.flags.rules import evaluate_checkin, evaluate_disengagement, run_time_based_rules
from practice.flags.services import change_status

from .factories import make_assignment, make_checkin

NOW = datetime(2026, 11, 25, 15, 0)


def _flags(**filters):
    db.session.expire_all()
    return db.session.query(Flag).filter_by(**filters).all()


def _ratings(world, values, partner=None, days_apart=5, field="closeness"):
    """Earlier check-ins, oldest first, ending days_apart before NOW."""
    partner = partner or world.partner_a
    n = len(values)
    for i, value in enumerate(values):
        when = NOW - timedelta(days=days_apart * (n - i))
        make_checkin(partner, couple=world.couple, submitted_at=when, **{field: value})


# --- closeness ------------------------------------------------------------------------------

def test_closeness_three_below_the_four_week_mean_raises_a_moderate_flag(world):
    clock.set_clock(NOW)
    _ratings(world, [8, 7, 8])
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=4)
    raised = evaluate_checkin(checkin)
    assert len(raised) == 1
    flag = raised[0]
    assert (flag.severity, flag.rule_key, flag.source, flag.partner_id) == (
        "moderate", "closeness_drop", "rule", world.partner_a.id)
    assert flag.category == "communication_breakdown"


def test_closeness_drop_of_less_than_three_raises_nothing(world):
    clock.set_clock(NOW)
    _ratings(world, [8, 7, 8])
    # mean 7.67, drop 1.67
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=6)
    assert evaluate_checkin(checkin) == []


def test_closeness_needs_two_earlier_ratings_within_four_weeks(world):
    clock.set_clock(NOW)
    make_checkin(world.partner_a, couple=world.couple, submitted_at=NOW - timedelta(days=40),
                 closeness=9)  # outside the window
    make_checkin(world.partner_a, couple=world.couple, submitted_at=NOW - timedelta(days=3),
                 closeness=9)
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=2)
    assert evaluate_checkin(checkin) == []


def test_closeness_compares_with_the_partners_own_history_only(world):
    clock.set_clock(NOW)
    _ratings(world, [9, 9, 9], partner=world.partner_b)
    _ratings(world, [5, 5])
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=4)
    assert evaluate_checkin(checkin) == []


def test_closeness_rule_does_not_open_a_second_flag_until_the_first_is_resolved(world):
    clock.set_clock(NOW)
    _ratings(world, [8, 8])
    first = make_checkin(world.partner_a, couple=world.couple, closeness=3)
    [flag] = evaluate_checkin(first)
    clock.advance(timedelta(days=1))
    again = make_checkin(world.partner_a, couple=world.couple, closeness=2)
    assert evaluate_checkin(again) == []
    assert len(_flags(rule_key="closeness_drop")) == 1
    change_status(flag, "resolved", world.counselor, note="Talked it through.")
    clock.advance(timedelta(days=1))
    third = make_checkin(world.partner_a, couple=world.couple, closeness=1)
    assert len(evaluate_checkin(third)) == 1
    assert len(_flags(rule_key="closeness_drop")) == 2


# --- signs ----------------------------------------------------------------------------------

def test_signs_score_four_above_the_recent_mean_raises_a_moderate_flag(world):
    clock.set_clock(NOW)
    _ratings(world, [5, 6, 4], days_apart=14, field="signs_score")
    checkin = make_checkin(world.partner_a, couple=world.couple, signs_score=9)
    [flag] = evaluate_checkin(checkin)
    assert (flag.severity, flag.rule_key) == ("moderate", "signs_rise")


def test_signs_score_rising_by_three_raises_nothing(world):
    clock.set_clock(NOW)
    _ratings(world, [5, 5], days_apart=14, field="signs_score")
    checkin = make_checkin(world.partner_a, couple=world.couple, signs_score=8)
    assert evaluate_checkin(checkin) == []


def test_signs_rule_needs_two_earlier_scores_and_does_not_duplicate(world):
    clock.set_clock(NOW)
    _ratings(world, [2], days_apart=14, field="signs_score")
    lone = make_checkin(world.partner_a, couple=world.couple, signs_score=15)
    assert evaluate_checkin(lone) == []
    clock.advance(timedelta(days=14))
    second = make_checkin(world.partner_a, couple=world.couple, signs_score=16)
    assert len(evaluate_checkin(second)) == 1  # earlier: 2 and 15, mean 8.5
    clock.advance(timedelta(days=14))
    third = make_checkin(world.partner_a, couple=world.couple, signs_score=20)
    assert evaluate_checkin(third) == []
    assert len(_flags(rule_key="signs_rise")) == 1


# --- the check-in hook ------------------------------------------------------------------------

def test_broke_trust_raises_a_high_broken_trust_flag_from_the_client(world, app):
    checkin = make_checkin(world.partner_b, couple=world.couple, broke_trust=True)
    with app.test_request_context():
        assert after_checkin_submitted(checkin, False) is None
    [flag] = _flags(category="broken_trust")
    assert (flag.severity, flag.source, flag.partner_id, flag.checkin_id) == (
        "high", "client", world.partner_b.id, checkin.id)


def test_broke_trust_again_adds_to_the_open_flag_instead_of_a_second(world, app):
    with app.test_request_context():
        for _ in range(2):
            after_checkin_submitted(
                make_checkin(world.partner_b, couple=world.couple, broke_trust=True))
    [flag] = _flags(category="broken_trust")
    actions = [e.action for e in db.session.query(FlagEvent).filter_by(flag_id=flag.id)]
    assert actions == ["raised", "reported_again"]


def test_hook_runs_the_rules_and_returns_the_screen_url_when_asked(world, app):
    clock.set_clock(NOW)
    _ratings(world, [9, 9])
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=3)
    with app.test_request_context():
        url = after_checkin_submitted(checkin, True)
    assert url == f"/me/safety-check?context=checkin&checkin_id={checkin.id}"
    assert len(_flags(rule_key="closeness_drop")) == 1


# --- disengagement --------------------------------------------------------------------------

def test_partner_with_homework_due_and_no_checkin_for_14_days_is_flagged_low(world):
    clock.set_clock(NOW)
    make_assignment(world.couple, start=NOW.date() - timedelta(days=20))
    make_checkin(world.partner_a, couple=world.couple, submitted_at=NOW - timedelta(days=2))
    make_checkin(world.partner_b, couple=world.couple, submitted_at=NOW - timedelta(days=15))
    raised = evaluate_disengagement()
    assert [(f.partner_id, f.severity, f.rule_key) for f in raised] == [
        (world.partner_b.id, "low", "disengaged")]
    assert "One partner disengaged" in raised[0].description


def test_disengagement_does_not_duplicate(world):
    clock.set_clock(NOW)
    make_assignment(world.couple, start=NOW.date() - timedelta(days=30))
    assert len(evaluate_disengagement()) == 2  # neither partner ever checked in
    clock.advance(timedelta(days=3))
    assert evaluate_disengagement() == []
    assert len(_flags(rule_key="disengaged")) == 2


def test_disengagement_needs_an_assignment_that_started_14_days_ago(world):
    clock.set_clock(NOW)
    make_assignment(world.couple, start=NOW.date() - timedelta(days=10))
    make_assignment(world.couple, start=NOW.date() - timedelta(days=40), status="paused")
    assert evaluate_disengagement() == []


def test_joint_homework_paused_by_the_counselor_is_not_due(world):
    clock.set_clock(NOW)
    make_assignment(world.couple, start=NOW.date() - timedelta(days=30))
    world.couple.joint_work_paused = True
    db.session.flush()
    assert evaluate_disengagement() == []
    make_assignment(world.couple, partner=world.partner_a, start=NOW.date() - timedelta(days=30))
    assert [f.partner_id for f in evaluate_disengagement()] == [world.partner_a.id]


def test_one_partner_assignment_covers_only_that_partner(world):
    clock.set_clock(NOW)
    make_assignment(world.couple, partner=world.partner_b, start=NOW.date() - timedelta(days=30))
    assert [f.partner_id for f in evaluate_disengagement()] == [world.partner_b.id]


def test_disengagement_runs_from_the_cli(world, app):
    clock.set_clock(NOW)
    make_assignment(world.other_couple, start=NOW.date() - timedelta(days=30))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["run-flag-rules"])
    assert result.exit_code == 0, result.output
    assert "2 new flag(s) raised." in result.output
    flagged = {(f.couple_id, f.partner_id) for f in _flags(rule_key="disengaged")}
    assert flagged == {(world.other_couple.id, p.user_id) for p in world.other_couple.partners}


def test_disengagement_never_runs_on_a_page_load(world, client):
    """The rule runs in the background (CLI or worker); the counselor's home only reads."""
    clock.set_clock(NOW)
    make_assignment(world.couple, partner=world.partner_a, start=NOW.date() - timedelta(days=30))
    db.session.commit()
    client.login(world.counselor)
    assert "One partner disengaged" not in client.get("/caseload").get_data(as_text=True)
    assert _flags(rule_key="disengaged") == []
    assert [f.partner_id for f in run_time_based_rules()] == [world.partner_a.id]
    db.session.commit()
    assert "One partner disengaged" in client.get("/caseload").get_data(as_text=True)


def test_hook_accepts_a_checkin_not_yet_flushed(world, app):
    from practice.checkins.models import CheckIn

    assignment = make_assignment(world.couple)
    checkin = CheckIn(assignment_id=assignment.id, couple_id=world.couple.id,
                      partner_id=world.partner_a.id, due_date=NOW.date(), submit_token="fresh",
                      outcome="done", closeness=5, broke_trust=True)
    db.session.add(checkin)
    with app.test_request_context():
        after_checkin_submitted(checkin)
    assert _flags(category="broken_trust")[0].checkin_id == checkin.id


def test_a_resolved_disengaged_flag_is_not_raised_again_until_14_more_quiet_days(world, client):
    clock.set_clock(NOW)
    make_assignment(world.couple, partner=world.partner_a, start=NOW.date() - timedelta(days=30))
    db.session.commit()
    client.login(world.counselor)
    run_time_based_rules()
    db.session.commit()
    flag = _flags(rule_key="disengaged")[0]
    response = client.post_form(f"/couples/{world.couple.id}/flags/{flag.id}/status",
                                {"to_status": "resolved", "version": flag.version,
                                 "note": "Called them: away for a week, back on track after."})
    assert response.status_code == 302
    clock.advance(timedelta(minutes=1))
    assert "One partner disengaged" not in client.get("/caseload").get_data(as_text=True)
    clock.advance(timedelta(days=13))
    assert evaluate_disengagement() == []
    clock.advance(timedelta(days=1))
    assert [f.partner_id for f in evaluate_disengagement()] == [world.partner_a.id]
    assert len(_flags(rule_key="disengaged")) == 2


def test_ticking_broke_my_trust_when_editing_a_check_in_raises_the_flag(world, client):
    from .client_steps import checkins, send
    from .factories import give, noon_in_new_york

    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    send(client, aid, reflection="fine")
    [checkin] = checkins()
    assert _flags(category="broken_trust") == []
    url = f"/me/checkins/{checkin.id}/edit"
    response = client.post_form(url, {"version": str(checkin.version), "outcome": "done",
                                      "closeness": "7", "broke_trust": "y"})
    assert response.headers["Location"] == f"/me/checkins/{checkin.id}"
    [flag] = _flags(category="broken_trust")
    assert (flag.severity, flag.partner_id, flag.checkin_id, flag.source) == (
        "high", world.partner_a.id, checkin.id, "client")
    # Saving it again still ticked is not a new report.
    response = client.post_form(url, {"version": str(checkins()[0].version), "outcome": "done",
                                      "closeness": "7", "broke_trust": "y",
                                      "wants_safety_screen": "y"})
    assert response.headers["Location"] == (
        f"/me/safety-check?context=checkin&checkin_id={checkin.id}")
    assert len(_flags(category="broken_trust")) == 1
    assert db.session.query(FlagEvent).filter_by(action="reported_again").count() == 0


def test_homework_that_ended_or_was_a_one_off_long_ago_is_not_due(world, client):
    clock.set_clock(NOW)
    ended = make_assignment(world.couple, partner=world.partner_a,
                            start=NOW.date() - timedelta(days=40))
    ended.end_date = NOW.date() - timedelta(days=20)  # as pausing or ending an assignment does
    once = make_assignment(world.couple, partner=world.partner_b,
                           start=NOW.date() - timedelta(days=30))
    once.cadence = "once"
    db.session.commit()
    client.login(world.counselor)
    assert run_time_based_rules() == []
    assert _flags(rule_key="disengaged") == []
    # An assignment still running in the quiet window is due.
    make_assignment(world.couple, partner=world.partner_b, start=NOW.date() - timedelta(days=30))
    db.session.commit()
    run_time_based_rules()
    db.session.commit()
    assert "One partner disengaged" in client.get("/caseload").get_data(as_text=True)
    assert [f.partner_id for f in _flags(rule_key="disengaged")] == [world.partner_b.id]
