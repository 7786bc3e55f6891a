"""The client's pages on a phone, as the style sheet draws them: room for quick exit, calm
colours."""

from __future__ import annotations

import re

from .factories import TODAY, give, noon_in_new_york


def _css_rule(css: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, selector
    return match.group(1)


def test_on_a_phone_the_practice_name_wraps_beside_quick_exit_not_under_it(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    spacer = _css_rule(css, ".site-header::after")
    assert "flex: 0 0 7rem" in spacer  # the room kept for the fixed button never shrinks
    brand = _css_rule(css, ".brand")
    assert "flex: 1 1 0" in brand
    assert "min-width: 0" in brand  # so the name can wrap in the room left


def test_a_clients_form_errors_are_not_shown_in_alarm_red(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    response = client.post_form(f"/me/checkins/{aid}/{TODAY.isoformat()}",
                                {"reflection": "Kept"})
    page = response.get_data(as_text=True)
    assert 'class="role-client"' in page
    assert "errors-summary" in page
    css = client.get("/static/css/app.css").get_data(as_text=True)
    calm = _css_rule(css, ".role-client")
    staff_red = _css_rule(css, ":root")
    error_colour = re.search(r"--error:\s*(#[0-9a-f]+)", calm).group(1)
    assert error_colour not in staff_red  # the client palette overrides the red one
