"""encrypt client words already stored (reflections, notes, agendas) with DATA_KEY

Revision ID: 1104
Revises: 1103
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa

from practice.crypto import cipher


revision = '1104'
down_revision = '1103'
branch_labels = None
depends_on = None

COLUMNS = [
    ('checkins', 'reflection'),
    ('checkins', 'private_note'),
    ('safety_screens', 'note'),
    ('case_notes', 'body'),
    ('supervision_notes', 'body'),
    ('focused_sessions', 'agenda'),
]


def _convert(change):
    bind = op.get_bind()
    for table, column in COLUMNS:
        rows = bind.execute(sa.text(
            f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} != ''"
        )).all()
        for row_id, value in rows:
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                         {"value": change(value), "id": row_id})


def upgrade():
    _convert(lambda value: cipher().encrypt(value.encode()).decode())
    # Session data is encrypted from now on too; sessions stored before simply end.
    op.execute(sa.text("DELETE FROM user_sessions"))


def downgrade():
    _convert(lambda value: cipher().decrypt(value.encode()).decode())
