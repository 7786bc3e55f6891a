"""The counselor's home: today's work by urgency, quiet partners, paused shared homework."""

from __future__ import annotations

import re
from datetime import timedelta

from practice.extensions import db

from .client_steps import checked_in
from .factories import TODAY, give, make_couple, noon_in_new_york


def _caseload_row(client, label: str) -> str:
    page = client.get("/caseload").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"recency-[^\"]*\">.*?</tr>", page, re.S)
    [row] = [r for r in rows if f">{label}</a>" in r]
    return row


def test_counselor_home_lists_what_needs_attention(world, client, make_client):
    _aid, _c = checked_in(world, make_client)
    quiet = make_couple(world.counselor, label="Quiet couple")
    give(quiet, world.counselor, start=TODAY - timedelta(days=20))
    db.session.commit()
    client.login(world.counselor)
    page = client.get("/caseload").get_data(as_text=True)
    assert "recency-2d" in page
    assert "In the last 2 days" in page
    assert "recency-old" in page
    assert "No check-ins yet" in page
    names = ", ".join(u.display_name for u in quiet.partner_users)
    assert names in page  # both partners quiet for 14+ days


def test_counselor_home_counts_only_running_work_while_shared_homework_is_paused(
        world, client):
    """While shared homework is paused, joint work is not overdue and does not make a
    partner 'quiet'; work given to one partner alone still does (it used to be dropped)."""
    noon_in_new_york()
    world.couple.label = "Paused pair"
    give(world.couple, world.counselor, start=TODAY - timedelta(days=20))
    give(world.couple, world.counselor, slug="rebuild-trust", start=TODAY - timedelta(days=20),
         partner_id=world.partner_a.id)
    client.login(world.counselor)
    row = _caseload_row(client, "Paused pair")
    # 4 open overdue days (expiry 4) x (joint for two + A's own)
    assert '<td class="num">12</td>' in row
    assert f"{world.partner_a.display_name}, {world.partner_b.display_name}" in row
    world.couple.joint_work_paused = True
    db.session.commit()
    row = _caseload_row(client, "Paused pair")
    assert "Shared homework paused" in row
    assert '<td class="num">4</td>' in row  # A's own work only
    assert f"<td>{world.partner_a.display_name}</td>" in row  # B has nothing running
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "Work given to one partner alone continues as scheduled." in page


def test_counselor_home_with_only_joint_work_paused_shows_nothing_due(world, client):
    noon_in_new_york()
    world.couple.label = "Paused pair"
    world.couple.joint_work_paused = True
    give(world.couple, world.counselor, start=TODAY - timedelta(days=20))
    client.login(world.counselor)
    row = _caseload_row(client, "Paused pair")
    assert '<td class="num">0</td><td>—</td>' in row.replace("\n", "").replace("  ", "")
