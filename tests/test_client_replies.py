"""Issue 13, point 7: a client replies to their counselor's feedback. The counselor (never the
partner) reads the reply; it puts the check-in back in the review queue until it is read."""

from __future__ import annotations

from sqlalchemy import select

from practice.admin.services import get_settings
from practice.checkins import services
from practice.checkins.models import CheckIn, FeedbackReply
from practice.extensions import db
from tests.client_steps import checkins, send
from tests.factories import give, noon_in_new_york

REPLY = "REPLY-7 thank you, it helped to read that"


def _checkin_with_feedback(world, a) -> CheckIn:
    noon_in_new_york()
    a.login(world.partner_a)
    send(a, give(world.couple, world.counselor), reflection="Shared bit", share_with_partner="y")
    [checkin] = checkins()
    services.give_feedback(checkin, world.counselor, "Lovely effort.", checkin.version)
    db.session.commit()
    return checkin


def _reply(client, checkin, body=REPLY):
    return client.post_form(f"/me/checkins/{checkin.id}/replies", {"body": body})


def test_the_author_replies_and_the_note_says_where_to_turn(world, client):
    checkin = _checkin_with_feedback(world, client)
    page = client.get(f"/me/checkins/{checkin.id}").get_data(as_text=True)
    settings = get_settings()
    assert "Replies are not read straight away" in page
    assert f'href="tel:{settings.emergency_number}"' in page
    assert settings.hotline_phone in page
    assert "Your counselor only" in page

    response = _reply(client, checkin)

    assert response.status_code == 302
    assert REPLY in client.get(f"/me/checkins/{checkin.id}").get_data(as_text=True)
    db.session.expire_all()
    assert checkin.reviewed_at is None  # back among the check-ins to review


def test_an_empty_reply_is_refused_and_a_long_one_keeps_its_text(world, client):
    checkin = _checkin_with_feedback(world, client)
    assert "Write your reply first." in _reply(client, checkin, "   ").get_data(as_text=True)
    long_text = "x" * 2001
    page = _reply(client, checkin, long_text).get_data(as_text=True)
    assert "under 2000 characters" in page
    assert long_text in page
    assert db.session.scalar(select(db.func.count(FeedbackReply.id))) == 0


def test_no_reply_before_there_is_feedback(world, client):
    noon_in_new_york()
    client.login(world.partner_a)
    send(client, give(world.couple, world.counselor))
    [checkin] = checkins()
    assert "Your reply" not in client.get(f"/me/checkins/{checkin.id}").get_data(as_text=True)
    response = _reply(client, checkin)
    assert response.status_code == 302
    assert "once your counselor has written to you" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(FeedbackReply.id))) == 0


def test_the_counselor_reads_it_in_the_review_queue_and_reviewing_reads_it(world, make_client):
    a, counselor = make_client(), make_client()
    checkin = _checkin_with_feedback(world, a)
    _reply(a, checkin)
    counselor.login(world.counselor)
    unreviewed = counselor.get(f"/couples/{world.couple.id}/checkins?unreviewed=1")
    assert f"/checkins/{checkin.id}" in unreviewed.get_data(as_text=True)
    detail_url = f"/couples/{world.couple.id}/checkins/{checkin.id}"
    detail = counselor.get(detail_url).get_data(as_text=True)
    assert REPLY in detail
    assert '<span class="badge badge-new">New</span>' in detail

    counselor.post_form(detail_url + "/review")

    reply = db.session.scalar(select(FeedbackReply))
    db.session.refresh(reply)
    assert reply.read_by_id == world.counselor.id
    assert '<span class="badge badge-new">New</span>' not in counselor.get(detail_url).get_data(
        as_text=True)


def test_the_partner_never_sees_a_reply_and_cannot_write_one(world, make_client):
    a, b = make_client(), make_client()
    checkin = _checkin_with_feedback(world, a)
    _reply(a, checkin)
    b.login(world.partner_b)
    for url in ("/me", "/me/checkins"):
        page = b.get(url).get_data(as_text=True)
        assert "Shared bit" in page  # the shared answer, as before
        assert REPLY not in page
    assert _reply(b, checkin, "B-WRITES").status_code == 404
    assert db.session.scalar(select(db.func.count(FeedbackReply.id))) == 1
