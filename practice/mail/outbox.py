"""The outbox: messages are queued in the event's transaction and sent only by the worker.

Queueing (`enqueue`) inserts a row whose unique key names the event (an invitation's id, a
reminder's person and local date, ...); a second insert with the same key is ignored, so a
retried request or two workers running the same periodic job queue one message.

Sending (`deliver_due`) claims each due row with a conditional UPDATE (only one worker's
UPDATE matches), commits the claim, sends, and marks the row sent under the same claim.
A failed send is retried with growing delays; after MAX_ATTEMPTS the row is "failed" and
shown to admins. If a worker dies after sending but before marking, its claim expires after
CLAIM_LEASE and another worker sends the message again: at most one duplicate per crash.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..clock import utcnow
from ..extensions import db, mail
from .messages import Rendered
from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
                timedelta(hours=1), timedelta(hours=4))
CLAIM_LEASE = timedelta(minutes=5)
BATCH = 50


def enqueue(kind: str, recipient, key: str, message: Rendered) -> bool:
    """Queue `message` for `recipient` (a User) under `key`; False if that key is queued already.

    Runs in the caller's transaction (flush only): the message exists exactly when the event
    that caused it is committed.
    """
    values = {
        "key": key[:200],
        "kind": kind,
        "recipient_id": recipient.id,
        "recipient_role": recipient.role,
        "to_address": recipient.email,
        "subject": message.subject[:200],
        "text_body": message.text,
        "html_body": message.html,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": utcnow(),
        "created_at": utcnow(),
    }
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(OutboxMessage).values(**values).on_conflict_do_nothing(
        index_elements=["key"]
    ).returning(OutboxMessage.id)
    inserted = db.session.execute(statement).scalar() is not None
    if inserted:
        db.session.info["outbox_nudge"] = True
    return inserted


def _due_clause(now):
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
    )


def claim(message_id: int) -> str | None:
    """Take one due message for this worker (committed); None if another worker has it."""
    now = utcnow()
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due_clause(now))
        .values(status="sending", claim=token, claimed_until=now + CLAIM_LEASE,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if result.rowcount == 1 else None


def _send(row: OutboxMessage) -> None:
    from flask_mailman import EmailMultiAlternatives

    email = EmailMultiAlternatives(
        subject=row.subject, body=row.text_body or "", to=[row.to_address],
        connection=mail.get_connection(),
    )
    if row.html_body:
        email.attach_alternative(row.html_body, "text/html")
    email.send()


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def deliver(message_id: int) -> bool:
    """Claim, send and mark one message. True when this call sent it."""
    token = claim(message_id)
    if token is None:
        return False
    row = db.session.get(OutboxMessage, message_id)
    try:
        _send(row)
    except Exception as error:  # any failure of the mail server is retried
        attempts = row.attempts
        failed = attempts >= MAX_ATTEMPTS
        db.session.rollback()
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.claim == token)
            .values(status="failed" if failed else "pending", claim=None, claimed_until=None,
                    last_error=_error_text(error),
                    next_attempt_at=utcnow() + retry_delay(attempts))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        log.warning("outbox message %s (%s) not sent, attempt %s", message_id, row.kind, attempts)
        return False
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim == token)
        .values(status="sent", sent_at=utcnow(), claim=None, claimed_until=None,
                last_error=None, text_body=None, html_body=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return True


def deliver_due(limit: int = BATCH) -> int:
    """Send what is due now (worker only). Returns how many messages this call sent."""
    ids = list(db.session.scalars(
        select(OutboxMessage.id).where(_due_clause(utcnow()))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    ))
    db.session.commit()
    return sum(1 for message_id in ids if deliver(message_id))


def retry(message: OutboxMessage) -> None:
    """An admin sends a failed message again: it gets a fresh set of attempts."""
    message.status = "pending"
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claim = None
    message.claimed_until = None
    db.session.info["outbox_nudge"] = True
    db.session.flush()


def waiting_count() -> int:
    """Messages not sent yet and not given up on (the worker is behind if this grows)."""
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(("pending", "sending")))
    )


def failed_messages():
    return select(OutboxMessage).where(OutboxMessage.status == "failed").order_by(
        OutboxMessage.created_at.desc()
    )
