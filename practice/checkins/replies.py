"""A client's replies to their counselor's feedback: a short thread on one check-in.

Only the check-in's author writes replies, and only staff who may read the check-in read them;
the other partner never sees a reply or a sign that one exists. A reply puts the check-in back
among those waiting for review; reviewing it (or answering with new feedback) reads them.
"""

from __future__ import annotations

from sqlalchemy import select

from ..access import can_reply_to_feedback
from ..audit.services import record
from ..auth.models import User
from ..clock import utcnow
from ..extensions import db
from .models import CheckIn, FeedbackReply

MAX_REPLIES = 10  # a short thread: more than this belongs in a session


class ReplyRefusedError(ValueError):
    """The reply cannot be added; the message says why and what to do instead."""


def thread(checkin: CheckIn) -> list[FeedbackReply]:
    return list(db.session.scalars(
        select(FeedbackReply).where(FeedbackReply.checkin_id == checkin.id)
        .order_by(FeedbackReply.created_at, FeedbackReply.id)
    ))


def may_reply(checkin: CheckIn, user: User) -> bool:
    """The check-in's author, once their counselor has written feedback on it."""
    return can_reply_to_feedback(user, checkin)


def add_reply(checkin: CheckIn, user: User, body: str) -> FeedbackReply:
    """Keep the client's reply; the check-in counts as not reviewed until it is read."""
    body = (body or "").strip()
    if not may_reply(checkin, user):
        raise ReplyRefusedError("You can reply once your counselor has written to you here.")
    if not body:
        raise ReplyRefusedError("Write your reply first.")
    if len(thread(checkin)) >= MAX_REPLIES:
        raise ReplyRefusedError("This conversation is long enough to bring to your next "
                                "session. Your counselor has read what you wrote here.")
    reply = FeedbackReply(checkin_id=checkin.id, author_id=user.id, body=body,
                          created_at=utcnow())
    db.session.add(reply)
    checkin.reviewed_at = None
    checkin.reviewed_by_id = None
    db.session.flush()
    record("feedback_reply_added", obj=checkin, actor=user)
    return reply


def mark_replies_read(checkin: CheckIn, user: User) -> None:
    """Staff reviewed the check-in: its replies are read."""
    now = utcnow()
    for reply in thread(checkin):
        if reply.read_at is None:
            reply.read_at = now
            reply.read_by_id = user.id
    db.session.flush()
