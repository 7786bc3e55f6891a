"""appointments (focused sessions move in) and counselors' calendar feeds

Revision ID: 1410
Revises: 1303
Create Date: 2026-12-01 14:10:00

Every focused session becomes an appointment with its flag, keeping its id; a session whose
outcome was recorded ("done") counts as attended.
"""
from alembic import op
import sqlalchemy as sa


revision = '1410'
down_revision = '1303'
branch_labels = None
depends_on = None

COLUMNS = ("id, flag_id, couple_id, starts_at, duration_minutes, mode, partner_id, agenda, "
           "joint_safety_reason, status, outcome, created_by_id, version, created_at, updated_at")


def upgrade():
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('couple_id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('joint_safety_reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='scheduled', nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['couple_id'], ['couples.id'], name=op.f('fk_appointments_couple_id_couples'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_appointments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_appointments_flag_id_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['users.id'], name=op.f('fk_appointments_partner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_couple_id'), ['couple_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_flag_id'), ['flag_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_starts_at'), ['starts_at'], unique=False)

    op.execute(f"INSERT INTO appointments ({COLUMNS}) SELECT {COLUMNS} FROM focused_sessions")
    op.execute("UPDATE appointments SET status = 'attended' WHERE status = 'done'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('appointments', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM appointments), 0) + 1, false)")

    with op.batch_alter_table('focused_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focused_sessions_flag_id'))
        batch_op.drop_index(batch_op.f('ix_focused_sessions_couple_id'))
    op.drop_table('focused_sessions')

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counselor_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_fetched_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['counselor_id'], ['users.id'], name=op.f('fk_calendar_feeds_counselor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_counselor_id'), ['counselor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_counselor_id'))
    op.drop_table('calendar_feeds')

    op.create_table('focused_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('couple_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('joint_safety_reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='scheduled', nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['couple_id'], ['couples.id'], name=op.f('fk_focused_sessions_couple_id_couples'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_focused_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_focused_sessions_flag_id_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['users.id'], name=op.f('fk_focused_sessions_partner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focused_sessions'))
    )
    with op.batch_alter_table('focused_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focused_sessions_couple_id'), ['couple_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_focused_sessions_flag_id'), ['flag_id'], unique=False)
    # Regular appointments have no flag and no place in the older schema: they are dropped.
    op.execute(f"INSERT INTO focused_sessions ({COLUMNS}) SELECT {COLUMNS} FROM appointments "
               "WHERE flag_id IS NOT NULL")
    op.execute("UPDATE focused_sessions SET status = 'done' WHERE status <> 'scheduled'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('focused_sessions', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM focused_sessions), 0) + 1, false)")

    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_starts_at'))
        batch_op.drop_index(batch_op.f('ix_appointments_flag_id'))
        batch_op.drop_index(batch_op.f('ix_appointments_couple_id'))
    op.drop_table('appointments')
