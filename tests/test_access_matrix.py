"""Every route, every role: the expected status. A route missing here fails the suite."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from . import matrix
from .matrix.common import LOGIN, ROLES


def _all_rules() -> dict:
    rules: dict = {}
    for module_info in pkgutil.iter_modules(matrix.__path__):
        if module_info.name == "common":
            continue
        module = importlib.import_module(f"{matrix.__name__}.{module_info.name}")
        overlap = set(rules) & set(module.RULES)
        assert not overlap, f"routes listed twice in the matrix: {overlap}"
        rules.update(module.RULES)
    return rules


RULES = _all_rules()


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = endpoints - set(RULES)
    stale = set(RULES) - endpoints
    assert not missing, f"routes without access rules: {sorted(missing)}"
    assert not stale, f"access rules for routes that no longer exist: {sorted(stale)}"


def test_every_rule_names_every_role():
    for endpoint, rule in RULES.items():
        assert set(rule.expect) == set(ROLES), endpoint


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_access(endpoint, app, world, make_client):
    rule = RULES[endpoint]
    if rule.setup:
        rule.setup(world)
        from practice.extensions import db

        db.session.commit()
    url = rule.url(world)
    failures = []
    for role in ROLES:
        client = make_client()
        user = world.user(role)
        if user is not None:
            client.login(user)
        if rule.method == "GET":
            response = client.get(url)
        else:
            response = client.post_form(url, rule.data or {})
        expected = rule.expect[role]
        got = response.status_code
        if expected == LOGIN:
            ok = got == 302 and "/login" in response.headers.get("Location", "")
        elif isinstance(expected, tuple):
            ok = got in expected
        else:
            ok = got == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {got}")
    assert not failures, f"{rule.method} {url}\n" + "\n".join(failures)
