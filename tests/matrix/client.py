"""Issue 13's client routes."""

from __future__ import annotations

from .common import FORM_POST, Rule, partner_a_only
from .homework import homework

RULES = {
    "checkins.reply": Rule(url=lambda w: f"/me/checkins/{w.extra['checkin_id']}/replies",
                           method="POST", setup=homework, expect=partner_a_only(FORM_POST)),
}
