"""The database itself refuses to change or remove audit entries; entries keep their actor."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from practice.admin.services import get_settings, set_active
from practice.audit.models import AuditEntry
from practice.audit.services import record
from practice.audit.triggers import REFUSAL
from practice.extensions import db

CORE = {
    "core update": lambda: update(AuditEntry.__table__).values(action="tampered"),
    "core delete": lambda: delete(AuditEntry.__table__),
    "raw update": lambda: text("UPDATE audit_log SET detail = 'tampered'"),
    "raw delete": lambda: text("DELETE FROM audit_log WHERE id > 0"),
}


@pytest.fixture
def entry(world):
    made = record("couple_viewed", obj=world.couple, actor=world.counselor)
    db.session.flush()
    made_id = made.id
    db.session.commit()  # and no transaction left open to hold a lock on the table
    return made_id


@pytest.mark.parametrize("statement", sorted(CORE))
def test_the_database_refuses_core_and_raw_sql_changes(entry, statement):
    with db.engine.connect() as conn:
        with pytest.raises(DBAPIError, match=REFUSAL):
            conn.execute(CORE[statement]())
        conn.rollback()
    assert db.session.get(AuditEntry, entry).action == "couple_viewed"


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_a_plain_driver_connection(entry, sql):
    raw = db.engine.raw_connection()
    try:
        with pytest.raises(Exception, match=REFUSAL):
            raw.cursor().execute(sql)
        raw.rollback()
    finally:
        raw.close()
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry) is not None


def test_postgresql_refuses_truncate_too(entry):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with db.engine.connect() as conn:
        conn.execute(text("SET lock_timeout = '10s'"))
        with pytest.raises(DBAPIError, match=REFUSAL):
            conn.execute(text("TRUNCATE audit_log"))


def test_an_entry_keeps_the_actors_id_and_email_after_deactivation(world, entry):
    set_active(world.admin, world.counselor, False)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(AuditEntry, entry)
    assert (kept.actor_id, kept.actor_email) == (world.counselor.id, world.counselor.email)


def test_the_audit_page_shows_names_and_local_times(world, client):
    get_settings().default_timezone = "America/New_York"
    record("staff_deactivated", obj=world.other_counselor, actor=world.admin)
    db.session.commit()
    client.login(world.admin)
    page = client.get("/supervision/audit").get_data(as_text=True)
    row = next(line for line in page.split("<tr>") if "staff deactivated" in line)
    assert world.other_counselor.display_name in row
    assert world.admin.display_name in row
    assert f"user {world.other_counselor.id}" not in row
    assert "EST" in row or "EDT" in row
    assert db.session.scalar(select(AuditEntry.actor_email).where(
        AuditEntry.action == "staff_deactivated")) == world.admin.email
