"""feedback_replies: a client's replies to their counselor's feedback

Revision ID: 1302
Revises: 1301
Create Date: 2026-12-01 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1302'
down_revision = '1301'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_feedback_replies_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], name=op.f('fk_feedback_replies_checkin_id_checkins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['read_by_id'], ['users.id'], name=op.f('fk_feedback_replies_read_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_replies'))
    )
    with op.batch_alter_table('feedback_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_replies_checkin_id'), ['checkin_id'], unique=False)


def downgrade():
    with op.batch_alter_table('feedback_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_replies_checkin_id'))
    op.drop_table('feedback_replies')
