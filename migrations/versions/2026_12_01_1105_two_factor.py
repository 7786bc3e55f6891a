"""two-factor sign-in: authenticators, recovery codes, and the counselors' practice setting

Revision ID: 1105
Revises: 1411
Create Date: 2026-12-01 11:05:00

"""
from alembic import op
import sqlalchemy as sa



revision = '1105'
down_revision = '1411'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counselors_two_factor', sa.Boolean(), server_default='1', nullable=False))

    op.create_table('two_factor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('last_step', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_factor_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_two_factor'))
    )
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
    op.drop_table('two_factor')
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('counselors_two_factor')
