"""Issue 13's client routes."""

from __future__ import annotations

from .common import FORM_POST, Rule, client_page, everyone, partner_a_only
from .homework import homework

RULES = {
    "checkins.reply": Rule(url=lambda w: f"/me/checkins/{w.extra['checkin_id']}/replies",
                           method="POST", setup=homework, expect=partner_a_only(FORM_POST)),
    # without a fresh invitation behind it, the welcome sends a client home
    "client_app.welcome": Rule(url=lambda w: "/me/welcome/1", expect=client_page(302)),
    "client_app.welcome_done": Rule(url=lambda w: "/me/welcome/done", method="POST",
                                    expect=client_page(302)),
    # the same for everyone, and nothing personal in them
    "client_app.web_manifest": Rule(url=lambda w: "/manifest.webmanifest", expect=everyone(200)),
    "client_app.service_worker": Rule(url=lambda w: "/sw.js", expect=everyone(200)),
    "client_app.offline": Rule(url=lambda w: "/offline", expect=everyone(200)),
}
