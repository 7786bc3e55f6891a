from sqlalchemy import select

from .common import OK, Rule, client_page, everyone, role_page


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


def _reset_setup(world):
    from practice.password_reset import services

    captured = {}
    original = services.notices.password_reset

    def keep(user, reset_id, token, minutes):
        captured["token"] = token
        return original(user, reset_id, token, minutes)

    services.notices.password_reset = keep
    try:
        services.request_reset(world.partner_b.email)
    finally:
        services.notices.password_reset = original
    world.extra["reset_token"] = captured["token"]


RULES.update({
    # Public by design: anyone may ask for a link; the answer never says if the address exists.
    "password_reset.forgot": Rule(url=lambda w: "/login/forgot", expect=everyone(OK)),
    # Whoever holds the unguessable single-use token may use it (a signed-in user is signed out).
    "password_reset.reset": Rule(url=lambda w: f"/login/reset/{w.extra['reset_token']}",
                                 setup=_reset_setup, expect=everyone(OK)),
})


def _stop_setup(world):
    from practice.reminders.services import stop_token

    world.extra["stop_token"] = stop_token(world.partner_a)


RULES.update({
    "reminders.settings": Rule(url=lambda w: "/me/reminders", expect=client_page()),
    "reminders.not_now": Rule(url=lambda w: "/me/reminders/not-now", method="POST",
                              expect=client_page(302)),
    # The link in a reminder works without signing in; the signed token names one client.
    "reminders.stop": Rule(url=lambda w: f"/reminders/stop/{w.extra['stop_token']}",
                           setup=_stop_setup, expect=everyone(OK)),
})
