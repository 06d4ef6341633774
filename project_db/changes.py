"""The change counter: every write stamps a sequence number, pollers ask what is newer.

A write transaction calls :func:`next_seq` before anything else. That updates the
single ``project_state`` row, whose lock serialises writers until commit, so numbers
become visible in order and ``changes_since(token)`` never skips a change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from project_db.records import Changes
from project_db.schema import DbIssue, DbProjectState

if TYPE_CHECKING:
    from project_db.connection import Project

_SCOPE_COLUMNS = {
    "issues": None,
    "settings": "settings_seq",
    "models": "models_seq",
    "checks": "checks_seq",
    "rule_sets": "rule_sets_seq",
    "clashes": "clashes_seq",
    "templates": "templates_seq",
    "meetings": "meetings_seq",
}


def next_seq(session: Session, scope: str = "issues") -> int:
    """Take the next change number for this transaction (and the writers' lock); ``scope`` says what changes."""
    values = {"change_seq": DbProjectState.change_seq + 1}
    column = _SCOPE_COLUMNS[scope]
    if column is not None:
        values[column] = DbProjectState.change_seq + 1
    return session.execute(
        update(DbProjectState).where(DbProjectState.id == 1).values(**values).returning(DbProjectState.change_seq)
    ).scalar_one()


def touch_issue(session: Session, issue_id: int, seq: int, comments: int = 0, viewpoints: int = 0) -> None:
    """Stamp ``seq`` on an issue and add to its panel counters, without bumping its optimistic-locking version.

    Used when a comment or viewpoint changes: pollers see the issue changed, yet
    someone editing the issue's fields at the same time gets no conflict.
    """
    table = DbIssue.__table__
    session.execute(update(table).where(table.c.id == issue_id).values(
        change_seq=seq, comment_count=table.c.comment_count + comments,
        viewpoint_count=table.c.viewpoint_count + viewpoints))


def changes_since(project: "Project", token: int) -> Changes:
    """Issues changed (created, edited, commented, deleted …) and which other kinds of data changed after ``token``.

    One indexed query when nothing changed, two otherwise.
    """
    with project.transaction() as session:
        state = session.execute(
            select(DbProjectState.change_seq, DbProjectState.settings_seq, DbProjectState.models_seq,
                   DbProjectState.checks_seq, DbProjectState.rule_sets_seq, DbProjectState.clashes_seq,
                   DbProjectState.templates_seq, DbProjectState.meetings_seq).where(DbProjectState.id == 1)
        ).one()
        seq = state.change_seq
        if seq <= token:
            return Changes(token=token)
        ids = session.execute(select(DbIssue.id).where(DbIssue.change_seq > token).order_by(DbIssue.id)).scalars()
        return Changes(
            token=seq,
            issue_ids=tuple(ids),
            settings_changed=state.settings_seq > token,
            models_changed=state.models_seq > token,
            checks_changed=state.checks_seq > token,
            rule_sets_changed=state.rule_sets_seq > token,
            clashes_changed=state.clashes_seq > token,
            templates_changed=state.templates_seq > token,
            meetings_changed=state.meetings_seq > token,
        )
