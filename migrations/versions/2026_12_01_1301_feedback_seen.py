"""checkins.feedback_seen_at: when the client first opened their counselor's feedback

Revision ID: 1301
Revises: 1001
Create Date: 2026-12-01 15:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1301'
down_revision = '1001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_seen_at', sa.DateTime(), nullable=True))
    # Feedback given before this change counts as read: only new feedback is marked new.
    op.execute("UPDATE checkins SET feedback_seen_at = feedback_at WHERE feedback_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('feedback_seen_at')
