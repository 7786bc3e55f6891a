"""engagement summaries; indexes for review counts, engagement windows, open flags, audit pages

Revision ID: 1001
Revises: 1203
Create Date: 2026-12-01 16:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "1001"
down_revision = "1203"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "engagement_summaries",
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.DateTime(), nullable=False),
        sa.Column("done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("due", sa.Integer(), server_default="0", nullable=False),
        sa.Column("quiet_partner_ids", sa.JSON(), nullable=False),
        sa.Column("quiet_partners", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_checkin_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["couple_id"], ["couples.id"], ondelete="CASCADE",
                                name=op.f("fk_engagement_summaries_couple_id_couples")),
        sa.PrimaryKeyConstraint("couple_id", name=op.f("pk_engagement_summaries")),
    )
    with op.batch_alter_table("engagement_summaries") as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_summaries_valid_until"),
                              ["valid_until"], unique=False)
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.create_index("ix_checkins_unreviewed", ["couple_id"], unique=False,
                              sqlite_where=sa.text("reviewed_at IS NULL"),
                              postgresql_where=sa.text("reviewed_at IS NULL"))
        batch_op.create_index("ix_checkins_couple_partner_submitted",
                              ["couple_id", "partner_id", "submitted_at"], unique=False)
        batch_op.create_index("ix_checkins_couple_due", ["couple_id", "due_date"], unique=False)
    with op.batch_alter_table("flags") as batch_op:
        batch_op.create_index("ix_flags_status_couple_id", ["status", "couple_id"], unique=False)
    # Plain index statements, never a batch (a batch may copy the table on SQLite and so lose
    # the append-only triggers of 1103); indexes do not touch rows, so the triggers allow them.
    op.drop_index("ix_audit_log_actor_id", table_name="audit_log")
    op.drop_index("ix_audit_log_couple_id", table_name="audit_log")
    op.create_index("ix_audit_log_actor_id_id", "audit_log", ["actor_id", "id"], unique=False)
    op.create_index("ix_audit_log_couple_id_id", "audit_log", ["couple_id", "id"], unique=False)


def downgrade():
    op.drop_index("ix_audit_log_couple_id_id", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_id_id", table_name="audit_log")
    op.create_index("ix_audit_log_couple_id", "audit_log", ["couple_id"], unique=False)
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_id"], unique=False)
    with op.batch_alter_table("flags") as batch_op:
        batch_op.drop_index("ix_flags_status_couple_id")
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.drop_index("ix_checkins_couple_due")
        batch_op.drop_index("ix_checkins_couple_partner_submitted")
        batch_op.drop_index("ix_checkins_unreviewed")
    with op.batch_alter_table("engagement_summaries") as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_summaries_valid_until"))
    op.drop_table("engagement_summaries")
