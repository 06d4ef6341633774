"""Check runs, shared rule sets, clash tests with their runs and marks, take-off templates.

The engines' results and definitions are stored as JSON documents with the few
columns the panels list and filter by. New change counters on ``project_state``
let other workstations notice each kind of change.

Revision ID: 0004
Revises: 0003
Create Date: 2025-02-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies of the column types used in this revision (never import live models here).
Timestamp = sa.DateTime(timezone=True)

_COUNTERS = ("checks_seq", "rule_sets_seq", "clashes_seq", "templates_seq")


def upgrade() -> None:
    with op.batch_alter_table("project_state") as batch:
        for column in _COUNTERS:
            batch.add_column(sa.Column(column, sa.BigInteger(), nullable=False, server_default="0"))

    op.create_table(
        "check_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("ruleset_key", sa.String(255), nullable=True),
        sa.Column("ruleset_version", sa.String(64), nullable=True),
        sa.Column("status", sa.String(32), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("model_hashes", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_check_runs"),
    )
    op.create_index("ix_check_runs_created_at", "check_runs", ["created_at"])
    op.create_index("ix_check_runs_ruleset_key_created_at", "check_runs", ["ruleset_key", "created_at"])

    op.create_table(
        "team_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_team_documents"),
        sa.UniqueConstraint("kind", "name", name="uq_team_documents_kind"),
    )

    op.create_table(
        "clash_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("test_name", sa.String(255), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("clash_count", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clash_runs"),
    )
    op.create_index("ix_clash_runs_test_name_created_at", "clash_runs", ["test_name", "created_at"])

    op.create_table(
        "clash_marks",
        sa.Column("test_name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("clash_id", sa.String(255), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("test_name", "kind", "clash_id", name="pk_clash_marks"),
    )


def downgrade() -> None:
    op.drop_table("clash_marks")
    op.drop_index("ix_clash_runs_test_name_created_at", table_name="clash_runs")
    op.drop_table("clash_runs")
    op.drop_table("team_documents")
    op.drop_index("ix_check_runs_ruleset_key_created_at", table_name="check_runs")
    op.drop_index("ix_check_runs_created_at", table_name="check_runs")
    op.drop_table("check_runs")
    with op.batch_alter_table("project_state") as batch:
        for column in reversed(_COUNTERS):
            batch.drop_column(column)
