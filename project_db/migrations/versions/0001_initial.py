"""First schema: project state, settings, models, issues, comments, viewpoints, history.

Revision ID: 0001
Revises:
Create Date: 2025-01-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the column types used in this revision (never import live models here).
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "project_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("settings_seq", sa.BigInteger(), nullable=False),
        sa.Column("models_seq", sa.BigInteger(), nullable=False),
        sa.Column("next_issue_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_project_state"),
    )
    op.create_table(
        "trades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name_fr", sa.String(255), nullable=False),
        sa.Column("name_en", sa.String(255), nullable=False),
        sa.Column("colour", sa.String(9), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trades"),
        sa.UniqueConstraint("code", name="uq_trades_code"),
    )
    op.create_table(
        "trade_delays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trade_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(255), nullable=False),
        sa.Column("response_days", sa.Integer(), nullable=False),
        sa.Column("resolution_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["trade_id"], ["trades.id"], name="fk_trade_delays_trade_id_trades", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_trade_delays"),
        sa.UniqueConstraint("trade_id", "priority", name="uq_trade_delays_trade_id"),
    )
    op.create_index("ix_trade_delays_trade_id", "trade_delays", ["trade_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "vocabulary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("code", sa.String(255), nullable=False),
        sa.Column("name_fr", sa.String(255), nullable=False),
        sa.Column("name_en", sa.String(255), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vocabulary"),
        sa.UniqueConstraint("kind", "code", name="uq_vocabulary_kind"),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("trade_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["trade_id"], ["trades.id"], name="fk_models_trade_id_trades"),
        sa.PrimaryKeyConstraint("id", name="pk_models"),
        sa.UniqueConstraint("name", name="uq_models_name"),
    )
    op.create_index("ix_models_trade_id", "models", ["trade_id"])
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["models.id"], name="fk_model_versions_model_id_models"),
        sa.PrimaryKeyConstraint("id", name="pk_model_versions"),
        sa.UniqueConstraint("model_id", "number", name="uq_model_versions_model_id"),
    )
    op.create_index("ix_model_versions_model_id", "model_versions", ["model_id"])
    op.create_index("ix_model_versions_sha256", "model_versions", ["sha256"])
    op.create_table(
        "model_chunks",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["model_versions.id"], name="fk_model_chunks_version_id_model_versions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("version_id", "ordinal", name="pk_model_chunks"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("guid", name="uq_documents_guid"),
    )
    op.create_table(
        "issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("topic_type", sa.String(255), nullable=False),
        sa.Column("status", sa.String(255), nullable=False),
        sa.Column("priority", sa.String(255), nullable=True),
        sa.Column("stage", sa.String(255), nullable=True),
        sa.Column("assigned_to", sa.String(255), nullable=True),
        sa.Column("due_date", Timestamp, nullable=True),
        sa.Column("bcf_index", sa.Integer(), nullable=True),
        sa.Column("server_assigned_id", sa.String(255), nullable=True),
        sa.Column("reference_links", sa.JSON(), nullable=False),
        sa.Column("related_topics", sa.JSON(), nullable=False),
        sa.Column("bim_snippet", sa.JSON(), nullable=True),
        sa.Column("snippet_data", sa.LargeBinary(), nullable=True),
        sa.Column("header_files", sa.JSON(), nullable=False),
        sa.Column("creation_date", Timestamp, nullable=False),
        sa.Column("creation_author", sa.String(255), nullable=False),
        sa.Column("modified_date", Timestamp, nullable=True),
        sa.Column("modified_author", sa.String(255), nullable=True),
        sa.Column("responsible_trade_id", sa.Integer(), nullable=True),
        sa.Column("location_model", sa.String(255), nullable=True),
        sa.Column("location_storey", sa.String(255), nullable=True),
        sa.Column("location_space", sa.String(255), nullable=True),
        sa.Column("linked_elements", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("origin_detail", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(255), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", Timestamp, nullable=True),
        sa.Column("deleted_by", sa.String(255), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["responsible_trade_id"], ["trades.id"], name="fk_issues_responsible_trade_id_trades"),
        sa.PrimaryKeyConstraint("id", name="pk_issues"),
        sa.UniqueConstraint("guid", name="uq_issues_guid"),
        sa.UniqueConstraint("number", name="uq_issues_number"),
        sa.UniqueConstraint("fingerprint", name="uq_issues_fingerprint"),
    )
    op.create_index("ix_issues_change_seq", "issues", ["change_seq"])
    op.create_index("ix_issues_responsible_trade_id", "issues", ["responsible_trade_id"])
    op.create_index("ix_issues_deleted_status", "issues", ["deleted", "status"])
    op.create_table(
        "issue_labels",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name="fk_issue_labels_issue_id_issues", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("issue_id", "label", name="pk_issue_labels"),
    )
    op.create_index("ix_issue_labels_label", "issue_labels", ["label"])
    op.create_table(
        "issue_trades",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("trade_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name="fk_issue_trades_issue_id_issues", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["trade_id"], ["trades.id"], name="fk_issue_trades_trade_id_trades"),
        sa.PrimaryKeyConstraint("issue_id", "trade_id", name="pk_issue_trades"),
    )
    op.create_index("ix_issue_trades_trade_id", "issue_trades", ["trade_id"])
    op.create_table(
        "document_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("document_guid", sa.String(36), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name="fk_document_references_issue_id_issues", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_document_references"),
    )
    op.create_index("ix_document_references_issue_id", "document_references", ["issue_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("date", Timestamp, nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("viewpoint_guid", sa.String(36), nullable=True),
        sa.Column("modified_date", Timestamp, nullable=True),
        sa.Column("modified_author", sa.String(255), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name="fk_comments_issue_id_issues", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
        sa.UniqueConstraint("guid", name="uq_comments_guid"),
    )
    op.create_index("ix_comments_issue_id", "comments", ["issue_id"])
    op.create_table(
        "viewpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(36), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("bcf_index", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=True),
        sa.Column("snapshot_format", sa.String(8), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name="fk_viewpoints_issue_id_issues", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_viewpoints"),
        sa.UniqueConstraint("guid", name="uq_viewpoints_guid"),
    )
    op.create_index("ix_viewpoints_issue_id", "viewpoints", ["issue_id"])
    op.create_table(
        "viewpoint_bitmaps",
        sa.Column("viewpoint_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("placement", sa.JSON(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["viewpoint_id"], ["viewpoints.id"], name="fk_viewpoint_bitmaps_viewpoint_id_viewpoints", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("viewpoint_id", "ordinal", name="pk_viewpoint_bitmaps"),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name="fk_history_issue_id_issues", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_history"),
    )
    op.create_index("ix_history_issue_id", "history", ["issue_id"])


def downgrade() -> None:
    for table in (
        "history", "viewpoint_bitmaps", "viewpoints", "comments", "document_references", "issue_trades",
        "issue_labels", "issues", "documents", "model_chunks", "model_versions", "models", "vocabulary",
        "users", "trade_delays", "trades", "project_state",
    ):
        op.drop_table(table)
