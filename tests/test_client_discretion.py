"""Issue 13, point 1: a client's visit leaves nothing in the browser that names where they were.

Every client page has the same neutral tab title; a signed-out request for a client page
asks for a password without a `next` naming the page; a client signing in lands on their home.
"""

from __future__ import annotations

import re

import pytest

from practice.admin.services import get_settings
from tests.factories import PASSWORD, give, noon_in_new_york

CLIENT_PAGES = ["/me", "/me/checkins", "/me/safety", "/me/safety-check"]


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)


@pytest.mark.parametrize("url", CLIENT_PAGES)
def test_every_client_page_has_the_same_neutral_title(client, world, url):
    client.login(world.partner_a)
    response = client.get(url)
    assert response.status_code == 200
    assert _title(response) == f"{get_settings().name} · Account"


def test_a_check_in_form_title_names_no_exercise(client, world):
    noon_in_new_york()
    assignment_id = give(world.couple, world.counselor, slug="daily-empathy")
    client.login(world.partner_a)
    response = client.get(f"/me/checkins/{assignment_id}/2026-03-10")
    assert response.status_code == 200
    assert "empathy" in response.get_data(as_text=True).lower()  # the page itself does
    assert _title(response) == f"{get_settings().name} · Account"


def test_staff_pages_keep_their_own_titles(client, world):
    client.login(world.counselor)
    assert _title(client.get("/caseload")).startswith("Caseload · ")


@pytest.mark.parametrize("url", CLIENT_PAGES)
def test_signed_out_client_page_asks_for_a_password_without_next(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


def test_signed_out_staff_page_still_remembers_where_to_go(client):
    response = client.get("/caseload")
    assert response.headers["Location"] == "/login?next=/caseload"


def test_a_client_signing_in_lands_on_their_home_whatever_next_says(client, world):
    response = client.post_form("/login?next=/me/safety",
                                {"email": world.partner_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/me"
