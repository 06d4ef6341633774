"""Coordination meetings: their headers, agenda items with what was recorded, and stored minutes.

A new change counter on ``project_state`` lets other workstations notice meetings.

Revision ID: 0005
Revises: 0004
Create Date: 2025-03-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen copies of the column types used in this revision (never import live models here).
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("project_state") as batch:
        batch.add_column(sa.Column("meetings_seq", sa.BigInteger(), nullable=False, server_default="0"))

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("held_at", Timestamp, nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("agenda_filter", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
        sa.Column("closed_at", Timestamp, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("guid", name="uq_meetings_guid"),
        sa.UniqueConstraint("number", name="uq_meetings_number"),
    )
    op.create_index("ix_meetings_held_at", "meetings", ["held_at"])

    op.create_table(
        "meeting_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=True),
        sa.Column("issue_title", sa.Text(), nullable=True),
        sa.Column("trade", sa.String(16), nullable=True),
        sa.Column("discussed", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(255), nullable=True),
        sa.Column("due_date", Timestamp, nullable=True),
        sa.Column("status_before", sa.String(255), nullable=True),
        sa.Column("status_after", sa.String(255), nullable=True),
        sa.Column("assignee_before", sa.String(255), nullable=True),
        sa.Column("discussed_at", Timestamp, nullable=True),
        sa.Column("discussed_by", sa.String(255), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name="fk_meeting_items_meeting_id_meetings",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name="fk_meeting_items_issue_id_issues",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_items"),
        sa.UniqueConstraint("meeting_id", "issue_id", name="uq_meeting_items_meeting_id"),
    )
    op.create_index("ix_meeting_items_issue_id", "meeting_items", ["issue_id"])

    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("generated_at", Timestamp, nullable=False),
        sa.Column("generated_by", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name="fk_meeting_minutes_meeting_id_meetings",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_minutes"),
        sa.UniqueConstraint("meeting_id", "format", name="uq_meeting_minutes_meeting_id"),
    )


def downgrade() -> None:
    op.drop_table("meeting_minutes")
    op.drop_index("ix_meeting_items_issue_id", table_name="meeting_items")
    op.drop_table("meeting_items")
    op.drop_index("ix_meetings_held_at", table_name="meetings")
    op.drop_table("meetings")
    with op.batch_alter_table("project_state") as batch:
        batch.drop_column("meetings_seq")
