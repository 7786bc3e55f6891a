from sqlalchemy import select

from .common import Rule, role_page


def _failed_message(world):
    from practice.extensions import db
    from practice.mail import outbox
    from practice.mail.messages import render_message
    from practice.mail.models import OutboxMessage

    message = render_message("invitation", "Subject", link="http://localhost/x", hours=72)
    outbox.enqueue("invitation", world.partner_a, "matrix:1", message)
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == "matrix:1"))
    row.status = "failed"
    world.extra["message_id"] = row.id


RULES = {
    "mail.outbox": Rule(url=lambda w: "/admin/mail/outbox", expect=role_page(("admin",))),
    # Retried, then back to the outbox page.
    "mail.retry_message": Rule(
        url=lambda w: f"/admin/mail/outbox/{w.extra['message_id']}/retry",
        method="POST", setup=_failed_message, expect=role_page(("admin",), 302),
    ),
    "mail.settings": Rule(url=lambda w: "/admin/mail/settings", expect=role_page(("admin",))),
}
