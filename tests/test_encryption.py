"""Client words are encrypted at rest, keys rotate, and database errors print no words."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import Text, select, text, type_coerce
from sqlalchemy.exc import DBAPIError

from practice import create_app
from practice.checkins.models import CaseNote, CheckIn, FeedbackReply
from practice.checkins.replies import add_reply
from practice.checkins.services import add_case_note
from practice.config import ProductionConfig
from practice.crypto import encrypted_columns, new_key
from practice.extensions import db
from practice.supervision.services import add_note

from .client_steps import send
from .factories import TODAY, give, noon_in_new_york

WORDS = "we argued about his mother again"


def _raw(column) -> list[str]:
    return db.session.scalars(select(type_coerce(column, Text)).where(column.is_not(None))).all()


def _write_everything(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    assert send(client, aid, TODAY, reflection=WORDS, private_note=WORDS).status_code == 302
    checkin = db.session.scalars(select(CheckIn)).one()
    checkin.feedback = "Thank you for writing this."
    add_reply(checkin, world.partner_a, WORDS)  # a reply to feedback is client words too
    add_case_note(world.couple, world.counselor, date(2026, 3, 9), WORDS)
    add_note(world.supervisor, world.counselor, WORDS, couple=world.couple)
    db.session.commit()


def test_these_columns_are_encrypted(app):
    names = {f"{c.table.name}.{c.name}" for c in encrypted_columns(db.metadata)}
    assert names == {"checkins.reflection", "checkins.private_note", "safety_screens.note",
                     "case_notes.body", "supervision_notes.body", "appointments.agenda",
                     "session_notes.body", "session_notes.dap_data", "session_notes.subjective",
                     "session_notes.objective", "session_notes.assessment", "session_notes.plan",
                     "session_note_addenda.body", "user_sessions.data", "feedback_replies.body",
                     "two_factor.secret"}


def test_a_copy_of_the_database_shows_no_client_words(world, client, database_url):
    _write_everything(world, client)
    for column in encrypted_columns(db.metadata):
        for value in _raw(column):
            assert WORDS not in value
            assert value.startswith("gAAAAA"), column
    if database_url.startswith("sqlite"):
        db.session.remove()
        with open(database_url.removeprefix("sqlite:///"), "rb") as copy:
            assert WORDS.encode() not in copy.read()
    assert db.session.scalars(select(CheckIn)).one().reflection == WORDS  # the app reads them
    assert db.session.scalars(select(FeedbackReply)).one().body == WORDS


def test_rotate_data_key_reencrypts_every_value(app, world, client, monkeypatch):
    _write_everything(world, client)
    before = {c: _raw(c) for c in encrypted_columns(db.metadata)}
    old_keys = app.config["DATA_KEYS"]
    fresh = new_key()
    monkeypatch.setitem(app.config, "DATA_KEYS", [fresh, *old_keys])
    monkeypatch.delitem(app.extensions, "data_cipher")
    result = app.test_cli_runner().invoke(args=["rotate-data-key"])
    assert result.exit_code == 0, result.output
    monkeypatch.setitem(app.config, "DATA_KEYS", [fresh])  # the old key is gone
    app.extensions.pop("data_cipher")
    db.session.expire_all()
    for column, values in before.items():
        after = _raw(column)
        assert len(after) == len(values)
        assert not set(after) & set(values), column
    assert db.session.scalars(select(CaseNote)).one().body == WORDS
    assert db.session.scalars(select(CheckIn)).one().private_note == WORDS
    app.extensions.pop("data_cipher")


def test_the_migration_encrypts_words_stored_before_it(app, world, client):
    _write_everything(world, client)
    db.session.remove()
    downgrade(revision="1103")
    plain = db.session.execute(text("SELECT body FROM case_notes")).scalar()
    assert plain == WORDS
    db.session.remove()
    upgrade()
    note = db.session.scalars(select(CaseNote)).one()
    assert note.body == WORDS
    assert _raw(CaseNote.__table__.c.body)[0].startswith("gAAAAA")


def test_a_database_error_logs_no_client_words(world, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DBAPIError) as error:
        db.session.execute(text("INSERT INTO no_such_table (words) VALUES (:words)"),
                           {"words": WORDS})
    db.session.rollback()
    logging.getLogger("practice").exception("as the error handler would", exc_info=error.value)
    assert WORDS not in str(error.value)
    assert WORDS not in caplog.text
    assert "parameters hidden" in str(error.value)


def test_production_refuses_to_start_without_a_data_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://care.example.org")
    monkeypatch.delenv("DATA_KEY", raising=False)
    with pytest.raises(RuntimeError, match="DATA_KEY"):
        create_app(ProductionConfig)
