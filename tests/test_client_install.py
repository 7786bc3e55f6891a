"""Issue 13, point 9: installable. The manifest carries the practice's neutral name and icon;
the service worker keeps static files and an offline page only; the offline page is the same
for everyone."""

from __future__ import annotations

import re

from practice.admin.services import get_settings
from practice.extensions import db


def test_the_manifest_uses_the_practices_neutral_name_and_icon(client):
    body = client.get("/manifest.webmanifest")
    assert body.mimetype == "application/manifest+json"
    manifest = body.get_json()
    assert manifest["name"] == "Notes"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert "counsel" not in body.get_data(as_text=True).lower()
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_the_practice_chooses_the_name_and_icon(client):
    settings = get_settings()
    settings.app_name, settings.app_icon = "Garden", "wave"
    db.session.commit()
    manifest = client.get("/manifest.webmanifest").get_json()
    assert manifest["name"] == "Garden"
    assert all("/icons/wave" in icon["src"] for icon in manifest["icons"])


def test_every_page_links_the_manifest(client, world):
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/login").get_data(
        as_text=True)


def test_the_service_worker_keeps_static_files_and_the_offline_page_only(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    script = response.get_data(as_text=True)
    precache = re.search(r"PRECACHE = \[(.*?)\]", script).group(1)
    assert "OFFLINE_URL" in precache
    for path in re.findall(r"'(/[^']*)'", precache):
        assert path.startswith("/static/"), path
    assert "'/offline'" in script
    assert "/me" not in script
    # pages are never put in the cache: only static responses are
    assert script.count("cache.put(") == 2
    assert "cache.put(request" in script.split("isStatic(url)) {", 1)[1].split("return;")[0]


def test_the_offline_page_is_the_same_signed_in_or_not(client, world):
    anonymous = client.get("/offline").get_data(as_text=True)
    client.login(world.partner_a)
    signed_in = client.get("/offline").get_data(as_text=True)
    assert signed_in == anonymous
    assert world.partner_a.display_name not in signed_in
    assert "<h1>No connection</h1>" in signed_in
