"""What a meeting's agenda is chosen by (trades, statuses, due date, labels, order) and the query behind it.

Qt-free: :func:`agenda_rows` runs in a database thread. The criteria are kept with
the meeting (``Meeting.agenda_filter``) as plain JSON, so the minutes can say how
the agenda was chosen and a later meeting can start from the same choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bim.i18n import N_, _
from project_db.meetings import AGENDA_ORDERS, agenda_issue_ids
from project_db.records import IssueFilter, IssueRow
from ui.issue_text import due_from_day

# How each agenda order reads in the setup dialog (AGENDA_ORDERS are the stored codes).
ORDER_NAMES = {
    "trade": N_("By trade, then priority"),
    "priority": N_("By priority"),
    "due": N_("By due date, earliest first"),
    "number": N_("By issue number"),
}


def order_name(order: str) -> str:
    """The translated name of an agenda order code."""
    return _(ORDER_NAMES[order]) if order in ORDER_NAMES else order


@dataclass(frozen=True)
class AgendaCriteria:
    """The issues an agenda takes: empty tuples mean "any"; ``due_before`` is inclusive (a local day)."""

    trades: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    open_only: bool = True
    due_before: date | None = None
    labels: tuple[str, ...] = ()
    order: str = "trade"

    def issue_filter(self) -> IssueFilter:
        """The issue filter for everything but the due date (which IssueFilter cannot express)."""
        return IssueFilter(trades=self.trades, statuses=self.statuses, open_only=self.open_only, labels=self.labels)

    def as_dict(self) -> dict:
        """The criteria as stored with the meeting (JSON-ready)."""
        return {"trades": list(self.trades), "statuses": list(self.statuses), "open_only": self.open_only,
                "due_before": self.due_before.isoformat() if self.due_before else None,
                "labels": list(self.labels), "order": self.order}

    @classmethod
    def from_dict(cls, data: dict | None) -> "AgendaCriteria":
        """Criteria read back from a stored meeting (unknown or missing keys fall back to the defaults)."""
        data = data or {}
        due = data.get("due_before")
        order = data.get("order")
        return cls(trades=tuple(data.get("trades") or ()), statuses=tuple(data.get("statuses") or ()),
                   open_only=bool(data.get("open_only", True)),
                   due_before=date.fromisoformat(due) if isinstance(due, str) and due else None,
                   labels=tuple(data.get("labels") or ()), order=order if order in AGENDA_ORDERS else "trade")


def agenda_rows(project, criteria: AgendaCriteria) -> list[IssueRow]:
    """The issues ``criteria`` select, in agenda order (runs in a worker thread)."""
    ordered = agenda_issue_ids(project, criteria.issue_filter(), criteria.order)
    rows = {row.id: row for row in project.issues.list_rows(criteria.issue_filter())}
    picked = [rows[i] for i in ordered if i in rows]
    if criteria.due_before is not None:
        limit = due_from_day(criteria.due_before)
        picked = [row for row in picked if row.effective_due is not None and row.effective_due <= limit]
    return picked
