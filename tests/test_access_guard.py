"""Who may see what is decided in practice/access.py only.

These tests read the source of every module and template under practice/ and fail when a
visibility decision is written anywhere else:
- a comparison on someone's role (`user.role == ...`, `User.role.in_(...)`, in Python, SQL or
  Jinja), outside access.py and auth/models.py (where the roles are defined);
- an ownership comparison between a record's owner column (counselor, owner, supervisor,
  partner, author) and the signed-in or acting user (`user.id`, `current_user.id`);
- a record loaded by id (`db.session.get`) in a route module: routes load through access.py.
Each rule is checked to catch a planted example, so a guard that stops seeing is a failure too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "practice"
ALLOWED = {PACKAGE / "access.py", PACKAGE / "auth" / "models.py"}
OWNER_COLUMNS = {"counselor_id", "owner_id", "supervisor_id", "partner_id", "author_id"}
ACTING_USERS = {"user", "current_user"}
SQL_MEMBERSHIP = {"in_", "not_in", "notin_", "is_", "is_not", "isnot"}

_OWNERS = "|".join(sorted(OWNER_COLUMNS))
_ACTING = "|".join(sorted(ACTING_USERS))
TEMPLATE_RULES = [
    re.compile(r"\.role\s*(==|!=|\bnot\s+in\b|\bin\b)"),
    re.compile(r"(==|!=)\s*[\w.]*\.role\b"),
    re.compile(rf"\b({_OWNERS})\s*(==|!=)\s*({_ACTING})\.id\b"),
    re.compile(rf"\b({_ACTING})\.id\s*(==|!=)\s*[\w.]*\b({_OWNERS})\b"),
]


def _is_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role"


def _is_acting_user_id(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "id"
            and isinstance(node.value, ast.Name) and node.value.id in ACTING_USERS)


def _is_owner_column(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in OWNER_COLUMNS


def python_offences(source: str, *, route_module: bool = False) -> list[tuple[int, str]]:
    """(line, what) for each visibility decision written in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_role(o) for o in operands):
                found.append((node.lineno, "role comparison"))
            if any(_is_owner_column(o) for o in operands) and any(
                    _is_acting_user_id(o) for o in operands):
                found.append((node.lineno, "ownership comparison"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SQL_MEMBERSHIP and _is_role(node.func.value):
                found.append((node.lineno, "role filter"))
            if (route_module and node.func.attr == "get"
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "session"):
                found.append((node.lineno, "record loaded by a bare id"))
    return found


def template_offences(source: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        for rule in TEMPLATE_RULES:
            if rule.search(line):
                found.append((number, "role or ownership decided in a template"))
    return found


def _where(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_python_modules_leave_visibility_to_access_py():
    modules = [p for p in sorted(PACKAGE.rglob("*.py")) if p not in ALLOWED]
    assert len(modules) > 20  # the walk really reads the package
    offences = [
        f"{_where(path)}:{line}: {what}"
        for path in modules
        for line, what in python_offences(path.read_text(), route_module=path.name == "routes.py")
    ]
    assert offences == []


def test_templates_get_permissions_as_values():
    templates = sorted((PACKAGE / "templates").rglob("*.html"))
    assert len(templates) > 20
    offences = [f"{_where(path)}:{line}: {what}"
                for path in templates for line, what in template_offences(path.read_text())]
    assert offences == []


@pytest.mark.parametrize("source", [
    "if current_user.role == 'counselor': pass",
    "ok = user.role in ('supervisor', 'admin')",
    "ok = 'admin' != someone.role",
    "query = select(User).where(User.role == 'counselor')",
    "query = select(User).where(User.role.in_(ROLES))",
    "mine = couple.counselor_id == current_user.id",
    "mine = current_user.id != exercise.owner_id",
    "query = select(CheckIn).where(CheckIn.partner_id == user.id)",
])
def test_the_python_guard_sees_each_kind_of_decision(source):
    assert python_offences(source)


def test_the_python_guard_sees_a_bare_id_load_in_a_route():
    source = "checkin = db.session.get(CheckIn, checkin_id)"
    assert python_offences(source, route_module=True)
    assert not python_offences(source)  # services and loaders may follow an id they hold


@pytest.mark.parametrize("source", [
    "{% if current_user.role == 'counselor' %}",
    "{% if u.role in ('supervisor', 'admin') %}",
    "{% if 'admin' == current_user.role %}",
    "{% elif e.owner_id == current_user.id %}",
    "{% if current_user.id == couple.counselor_id %}",
])
def test_the_template_guard_sees_each_kind_of_decision(source):
    assert template_offences(source)


@pytest.mark.parametrize("source", [
    "<body class=\"role-{{ current_user.role }}\">",
    "{% if can_manage %}",
    "{% if current_user.is_client %}",
])
def test_the_template_guard_lets_values_through(source):
    assert not template_offences(source)
