"""audit log: append-only in the database, actor's email kept, no SET NULL

Revision ID: 1103
Revises: 1102
Create Date: 2026-12-01 16:10:00

"""
from alembic import op
import sqlalchemy as sa

from practice.audit.triggers import statements


revision = '1103'
down_revision = '1102'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_email', sa.String(length=254), nullable=True))
        batch_op.drop_constraint('fk_audit_log_actor_id_users', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_audit_log_actor_id_users'), 'users', ['actor_id'], ['id'])
    op.execute(sa.text(
        "UPDATE audit_log SET actor_email = "
        "(SELECT email FROM users WHERE users.id = audit_log.actor_id) "
        "WHERE actor_id IS NOT NULL"
    ))
    for statement in statements(op.get_bind().dialect.name, create=True):
        op.execute(sa.text(statement))


def downgrade():
    for statement in statements(op.get_bind().dialect.name, create=False):
        op.execute(sa.text(statement))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint('fk_audit_log_actor_id_users', type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_audit_log_actor_id_users'), 'users', ['actor_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_column('actor_email')
