"""Issue 13's client routes."""

from __future__ import annotations

from .common import FORM_POST, Rule, client_page, partner_a_only
from .homework import homework

RULES = {
    "checkins.reply": Rule(url=lambda w: f"/me/checkins/{w.extra['checkin_id']}/replies",
                           method="POST", setup=homework, expect=partner_a_only(FORM_POST)),
    # without a fresh invitation behind it, the welcome sends a client home
    "client_app.welcome": Rule(url=lambda w: "/me/welcome/1", expect=client_page(302)),
    "client_app.welcome_done": Rule(url=lambda w: "/me/welcome/done", method="POST",
                                    expect=client_page(302)),
}
