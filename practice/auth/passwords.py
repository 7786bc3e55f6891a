"""The password policy: one check, used by every form (and command) that sets a password.

`common-passwords.txt.gz` lists 19,640 passwords seen most often in public breaches (the list
Django ships, BSD licence); guessing tools try these first.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from wtforms.validators import ValidationError

PASSWORD_MIN = 12
PASSWORD_MAX = 64
COMMON_FILE = Path(__file__).with_name("common-passwords.txt.gz")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")

TOO_COMMON = ("This password is on the list of passwords that attackers try first. "
              "A few unrelated words make a stronger one.")
HAS_EMAIL = "Choose a password that does not contain your email address."
HAS_PRACTICE = "Choose a password that does not contain the practice's name."
TOO_REGULAR = ("This password only repeats or counts through a few characters. "
               "A few unrelated words make a stronger one.")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def _is_run(text: str) -> bool:
    """'aaaa…', '1234…', 'abcd…', '9876…': each character one step from the last."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {-1, 0, 1} or (
        text.isdigit() and {(int(b) - int(a)) % 10
                            for a, b in zip(text, text[1:], strict=False)} in ({1}, {9}))


def password_problem(password: str, email: str | None = None,
                     practice_name: str | None = None) -> str | None:
    """Why `password` may not be used, or None when it may. Length is checked by the form."""
    lowered = password.lower()
    core = _EDGES.sub("", lowered)  # 'password1234!' is 'password' with digits stuck on
    if lowered in common_passwords() or (core and core in common_passwords()):
        return TOO_COMMON
    if len(set(lowered)) < 4 or _is_run(lowered):
        return TOO_REGULAR
    if email:
        email = email.strip().lower()
        local = email.split("@")[0]
        if email in lowered or (len(local) >= 4 and local in lowered):
            return HAS_EMAIL
    if practice_name:
        name = practice_name.strip().lower()
        if name and (name in lowered or name.replace(" ", "") in lowered.replace(" ", "")):
            return HAS_PRACTICE
    return None


class PasswordPolicy:
    """WTForms validator. The account's email is the form's `account_email` attribute (set by
    the view for an existing account) or its `email` field (a new account)."""

    def __call__(self, form, field) -> None:
        from ..admin.services import get_settings

        email = getattr(form, "account_email", None)
        if email is None and "email" in form:
            email = form.email.data
        problem = password_problem(field.data or "", email, get_settings().name)
        if problem:
            raise ValidationError(problem)
