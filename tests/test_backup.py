"""`backup PATH` then `restore PATH` into a new database gives back every row of every table."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, create_engine, select

from practice import create_app
from practice.audit.services import record
from practice.checkins.models import CheckIn
from practice.extensions import db

from .client_steps import send
from .factories import TODAY, give, noon_in_new_york


def _everything(url: str) -> dict[str, list]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = MetaData()
            tables.reflect(conn)
            return {name: sorted(conn.execute(select(table)).all(), key=repr)
                    for name, table in tables.tables.items()}
    finally:
        engine.dispose()


@pytest.fixture
def empty_database(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        from .conftest import new_postgres_database

        with new_postgres_database() as url:
            yield url
    else:
        yield "sqlite:///" + str(tmp_path / "restored.sqlite3")


def test_a_backup_restores_row_for_row(app, world, client, database_url, empty_database,
                                       tmp_path):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    assert send(client, aid, TODAY, reflection="A long walk").status_code == 302
    record("couple_viewed", obj=world.couple, actor=world.counselor)
    db.session.commit()
    path = str(tmp_path / "practice.backup")

    done = app.test_cli_runner().invoke(args=["backup", path])
    assert done.exit_code == 0, done.output
    restored_app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database})
    with restored_app.app_context():  # else the CLI would run in the test's own app
        done = restored_app.test_cli_runner().invoke(args=["restore", path])
        again = restored_app.test_cli_runner().invoke(args=["restore", path])
        db.engine.dispose()
    assert done.exit_code == 0, done.output
    assert again.exit_code != 0
    assert "not empty" in again.output

    original, restored = _everything(database_url), _everything(empty_database)
    assert set(restored) == set(original)
    assert "alembic_version" in restored
    for table, rows in original.items():
        assert restored[table] == rows, table
    with restored_app.app_context():  # the restored words read back with the same data key
        assert db.session.scalars(select(CheckIn)).one().reflection == "A long walk"
        db.session.remove()
        db.engine.dispose()
