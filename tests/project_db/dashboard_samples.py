"""A generated twenty-issue project for the dashboard's tests: known trades, priorities, labels and history.

Every date is fixed relative to ``T0`` (a Monday), so the board at ``NOW`` has exact,
hand-checked numbers (see tests/project_db/test_dashboard.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from project_db.records import Issue
from project_db.schema import DbHistory

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)  # Monday of ISO week 2026-W02
DAY = timedelta(days=1)
NOW = T0 + 17 * DAY  # Thursday of 2026-W04

# trade, priority, day created, final status, day closed, labels
SPEC = [
    ("CVC", "High", 0, "Closed", 3, ("Openings",)),  # closed on day 1, reopened on day 2, closed again on day 3
    ("CVC", "High", 0, "Open", None, ()),
    ("CVC", "Normal", 1, "In Progress", None, ("Openings",)),
    ("CVC", "Critical", 2, "Closed", 4, ()),
    ("CVC", "Low", 8, "Open", None, ()),
    ("ELE", "Normal", 0, "Closed", 10, ("Fire safety",)),
    ("ELE", "Normal", 3, "Open", None, ("Fire safety",)),
    ("ELE", "High", 7, "Resolved", None, ()),
    ("ELE", "Critical", 9, "Open", None, ()),
    ("STR", "Normal", 0, "Closed", 1, ()),
    ("STR", "Normal", 1, "Closed", 2, ()),
    ("STR", "Normal", 2, "Closed", 8, ()),
    ("STR", "High", 7, "Open", None, ("Openings",)),
    ("STR", "Low", 14, "In Progress", None, ()),
    ("PLB", "Normal", 14, "Open", None, ()),  # explicit due date: day 17 + 4 h
    ("PLB", "High", 15, "Closed", 16, ()),
    (None, None, 1, "Open", None, ()),
    (None, "Low", 15, "Open", None, ()),
    ("ARC", "Critical", 10, "Open", None, ()),
    ("ARC", "Normal", 16, "Open", None, ()),
]


def set_status(project, issue_id: int, status: str, at: datetime) -> None:
    """Change an issue's status and date that change in the history as if it happened ``at``."""
    project.issues.save(replace(project.issues.get(issue_id), status=status), "coordinator")
    with project.transaction() as session:
        last = session.execute(select(func.max(DbHistory.id)).where(
            DbHistory.issue_id == issue_id, DbHistory.field == "status")).scalar_one()
        session.execute(update(DbHistory).where(DbHistory.id == last).values(at=at))


def fill_board(project) -> list[int]:
    """Write the twenty issues of SPEC into ``project``; their ids, in SPEC order (issue n is ``ids[n - 1]``)."""
    ids = []
    for n, (trade, priority, created, status, closed, labels) in enumerate(SPEC, start=1):
        due = T0 + 17 * DAY + timedelta(hours=4) if n == 15 else None
        issue = project.issues.create(Issue(title=f"Issue {n}", priority=priority, responsible_trade=trade,
                                            labels=labels, due_date=due, creation_date=T0 + created * DAY),
                                      "coordinator")
        if n == 1:
            set_status(project, issue.id, "Closed", T0 + DAY)
            set_status(project, issue.id, "Open", T0 + 2 * DAY)
        if status != "Open":
            set_status(project, issue.id, status, T0 + (closed if closed is not None else created) * DAY)
        ids.append(issue.id)
    return ids
