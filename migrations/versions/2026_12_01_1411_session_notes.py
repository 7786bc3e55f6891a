"""session notes on appointments, their addenda, and the practice's note template

Revision ID: 1411
Revises: 1410
Create Date: 2026-12-01 14:11:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1411'
down_revision = '1410'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_template', sa.String(length=10), server_default='free', nullable=False))

    op.create_table('session_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('couple_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('template', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('dap_data', sa.Text(), nullable=True),
    sa.Column('subjective', sa.Text(), nullable=True),
    sa.Column('objective', sa.Text(), nullable=True),
    sa.Column('assessment', sa.Text(), nullable=True),
    sa.Column('plan', sa.Text(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_session_notes_appointment_id_appointments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_session_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['couple_id'], ['couples.id'], name=op.f('fk_session_notes_couple_id_couples'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_session_notes_signed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_notes')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_session_notes_appointment_id'))
    )
    with op.batch_alter_table('session_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_notes_couple_id'), ['couple_id'], unique=False)

    op.create_table('session_note_addenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_session_note_addenda_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['session_notes.id'], name=op.f('fk_session_note_addenda_note_id_session_notes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_note_addenda'))
    )
    with op.batch_alter_table('session_note_addenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_note_addenda_note_id'), ['note_id'], unique=False)


def downgrade():
    with op.batch_alter_table('session_note_addenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_note_addenda_note_id'))
    op.drop_table('session_note_addenda')
    with op.batch_alter_table('session_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_notes_couple_id'))
    op.drop_table('session_notes')
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('note_template')
