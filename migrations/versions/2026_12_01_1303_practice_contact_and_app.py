"""practice_settings: the practice's phone, a crisis line, and the installed app's name and icon

Revision ID: 1303
Revises: 1302
Create Date: 2026-12-01 16:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1303'
down_revision = '1302'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_phone', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('crisis_line_text', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('crisis_line_phone', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('app_name', sa.String(length=30), server_default='Notes', nullable=False))
        batch_op.add_column(sa.Column('app_icon', sa.String(length=20), server_default='leaf', nullable=False))


def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('app_icon')
        batch_op.drop_column('app_name')
        batch_op.drop_column('crisis_line_phone')
        batch_op.drop_column('crisis_line_text')
        batch_op.drop_column('practice_phone')
