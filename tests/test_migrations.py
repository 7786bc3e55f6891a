"""The migrations are the schema: they build it, and they agree with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from practice.extensions import db


def test_models_and_migrations_agree(app, ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_every_model_table_exists(app, ctx):
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables


def test_downgrade_and_upgrade_round_trip(app, ctx):
    downgrade(revision="base")
    assert "users" not in inspect(db.engine).get_table_names()
    upgrade()
    assert "users" in inspect(db.engine).get_table_names()
