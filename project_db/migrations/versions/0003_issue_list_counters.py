"""Issues panel counters: comment and viewpoint counts and the labels kept on the issue row.

The panel lists every issue in one query; counting threads and gathering labels
per row cost more than the rest of the query on 10,000 issues. The counts are kept
up to date by the repositories, in the same transaction as the change they count.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LABEL_SEPARATOR = "\x1f"


def upgrade() -> None:
    with op.batch_alter_table("issues") as batch:
        batch.add_column(sa.Column("comment_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("viewpoint_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("label_text", sa.Text(), nullable=True))
    bind = op.get_bind()
    issues = sa.table("issues", sa.column("id", sa.Integer), sa.column("comment_count", sa.Integer),
                      sa.column("viewpoint_count", sa.Integer), sa.column("label_text", sa.Text))
    for child, column in (("comments", "comment_count"), ("viewpoints", "viewpoint_count")):
        table = sa.table(child, sa.column("issue_id", sa.Integer), sa.column("deleted", sa.Boolean))
        count = (sa.select(sa.func.count()).where(table.c.issue_id == issues.c.id, table.c.deleted == sa.false())
                 .scalar_subquery())
        bind.execute(issues.update().values({column: count}))
    labels = sa.table("issue_labels", sa.column("issue_id", sa.Integer), sa.column("label", sa.String),
                      sa.column("ordinal", sa.Integer))
    by_issue: dict[int, list[str]] = {}
    for issue_id, label in bind.execute(
        sa.select(labels.c.issue_id, labels.c.label).order_by(labels.c.issue_id, labels.c.ordinal)
    ):
        by_issue.setdefault(issue_id, []).append(label)
    if by_issue:
        bind.execute(
            issues.update().where(issues.c.id == sa.bindparam("issue_id")).values(label_text=sa.bindparam("text")),
            [{"issue_id": k, "text": LABEL_SEPARATOR.join(v)} for k, v in by_issue.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("issues") as batch:
        batch.drop_column("label_text")
        batch.drop_column("viewpoint_count")
        batch.drop_column("comment_count")
