"""Honest charts: one point per partner per day (the day's last answer), distinct markers per
partner, one date axis for all of a couple's charts, sessions as thin vertical marks, and the
numbers kept in a table."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from practice import clock
from practice.appointments.services import record_attendance, schedule_appointment
from practice.checkins.charts import Series, line_chart, one_per_day, shared_span
from practice.extensions import db

from .factories import make_assignment, make_checkin


def test_the_days_last_answer_is_the_days_point():
    points = [(date(2026, 11, 3), 7), (date(2026, 11, 3), 3), (date(2026, 11, 4), 5)]
    assert one_per_day(points) == [(date(2026, 11, 3), 3), (date(2026, 11, 4), 5)]


def test_charts_share_a_span_and_draw_marks_inside_it():
    close = [Series("A", [(date(2026, 11, 10), 5)])]
    signs = [Series("A", [(date(2026, 11, 1), 9), (date(2026, 11, 5), 7)])]
    span = shared_span([close, signs], [date(2026, 11, 12), date(2026, 10, 1)])
    assert span == (date(2026, 11, 1), date(2026, 11, 12))
    chart = line_chart("t", "d", close, 1, 10, span=span,
                       marks=[date(2026, 11, 12), date(2026, 10, 1)])
    assert [day for _x, day in chart.marks] == [date(2026, 11, 12)]
    assert chart.marks[0][0] == chart.right_edge
    assert chart.series[0].dots[0][0] < chart.right_edge


def _charts(body):
    return re.findall(r'<figure class="chart">.*?</figure>', body, re.S)


def test_the_couple_page_charts_are_honest(world, client):
    clock.set_clock(datetime(2026, 11, 20, 12, 0))
    session = schedule_appointment(world.couple, world.counselor, day=date(2026, 11, 24),
                                   start=time(10), duration_minutes=50, mode="joint",
                                   partner_id=None)
    clock.set_clock(datetime(2026, 11, 28, 14, 0))
    record_attendance(session, world.counselor, "attended")
    daily = make_assignment(world.couple, start=date(2026, 11, 1))
    other = make_assignment(world.couple, start=date(2026, 11, 1))
    make_checkin(world.partner_a, daily, date(2026, 11, 22), closeness=7,
                 submitted_at=datetime(2026, 11, 22, 18, 0))
    make_checkin(world.partner_a, other, date(2026, 11, 22), closeness=3,
                 submitted_at=datetime(2026, 11, 22, 21, 0))
    make_checkin(world.partner_b, daily, date(2026, 11, 22), closeness=3)
    make_checkin(world.partner_a, daily, date(2026, 11, 26), closeness=6)
    make_checkin(world.partner_b, daily, date(2026, 11, 26), closeness=6, signs_score=8)
    make_checkin(world.partner_b, other, date(2026, 11, 20), signs_score=10)
    db.session.commit()
    client.login(world.counselor)
    closeness, signs = _charts(client.get(f"/couples/{world.couple.id}").get_data(as_text=True))
    # partner A: 7 then 3 on the 22nd draw one point, the later answer
    assert closeness.count('class="point-a"') == 2
    assert f"{world.partner_a.display_name}: 2 answers, from 3 to 6" in closeness
    assert f"{world.partner_a.display_name}, 22 Nov: 3" in closeness
    assert f"{world.partner_a.display_name}, 22 Nov: 7" not in closeness
    # distinct markers: circles for one partner, squares for the other
    assert closeness.count('<rect class="point-b"') == 2
    assert "One point per partner per day: that day&#39;s last answer." in closeness
    # one date axis: both charts start on the 20th, the earliest day of either
    for chart in (closeness, signs):
        assert re.search(r'text-anchor="start">20 Nov</text>', chart)
        assert "<title>Session, 24 Nov</title>" in chart
        assert "<summary>Show the numbers</summary>" in chart
