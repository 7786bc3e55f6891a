"""engagement summaries; indexes for review counts, engagement windows, open flags, audit pages

Revision ID: 1001
Revises: 0001
Create Date: 2026-12-01 16:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "1001"
down_revision = "0001"
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
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index("ix_audit_log_actor_id")
        batch_op.drop_index("ix_audit_log_couple_id")
        batch_op.create_index("ix_audit_log_actor_id_id", ["actor_id", "id"], unique=False)
        batch_op.create_index("ix_audit_log_couple_id_id", ["couple_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index("ix_audit_log_couple_id_id")
        batch_op.drop_index("ix_audit_log_actor_id_id")
        batch_op.create_index("ix_audit_log_couple_id", ["couple_id"], unique=False)
        batch_op.create_index("ix_audit_log_actor_id", ["actor_id"], unique=False)
    with op.batch_alter_table("flags") as batch_op:
        batch_op.drop_index("ix_flags_status_couple_id")
    with op.batch_alter_table("checkins") as batch_op:
        batch_op.drop_index("ix_checkins_couple_due")
        batch_op.drop_index("ix_checkins_couple_partner_submitted")
        batch_op.drop_index("ix_checkins_unreviewed")
    with op.batch_alter_table("engagement_summaries") as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_summaries_valid_until"))
    op.drop_table("engagement_summaries")
