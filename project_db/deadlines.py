"""Contractual deadlines: due dates, how much of the delay is consumed, and overdue alerts.

Every function takes the clock as an argument (``now``, an aware UTC datetime), so the
states and their transitions can be computed for any moment and tested exactly.

An issue's resolution due date is its explicit ``due_date`` when it has one (the
override), else its creation date plus its responsible trade's resolution delay for
its priority; the response due date is the creation date plus the response delay.
The fraction consumed is the time elapsed since creation over the whole delay: at
90 % or more the issue is *at risk*, beyond 100 % it is *overdue*. An issue whose
status is a closed one (``is_closed`` in the status vocabulary) is *closed*: its
clock is stopped and it is never late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bim.i18n import _
from project_db.records import IssueFilter, Trade, TradeDelay

ON_TIME = "on_time"
AT_RISK = "at_risk"
OVERDUE = "overdue"
CLOSED = "closed"
STATES = (ON_TIME, AT_RISK, OVERDUE, CLOSED)

AT_RISK_FRACTION = 0.9

_ZERO = timedelta(0)


def state_label(state: str) -> str:
    """The state as shown to the user."""
    return {ON_TIME: _("On time"), AT_RISK: _("At risk"), OVERDUE: _("Overdue"), CLOSED: _("Closed")}[state]


@dataclass(frozen=True)
class DeadlineState:
    """Where one issue stands against its contractual delays at ``now``.

    ``consumed`` is the fraction of the resolution delay elapsed (None when closed);
    ``late`` is how far past the resolution due date the issue is (zero if not overdue).
    """

    issue_id: int | None
    number: int | None
    title: str
    trade: str | None
    priority: str | None
    status: str
    assigned_to: str | None
    created: datetime
    response_due: datetime | None
    resolution_due: datetime
    consumed: float | None
    state: str
    late: timedelta
    now: datetime


@dataclass(frozen=True)
class OverdueAlert:
    """An issue that became overdue: which one, whose trade, how late."""

    issue_id: int | None
    number: int | None
    title: str
    trade: str | None
    assigned_to: str | None
    late: timedelta

    @property
    def message(self) -> str:
        """The alert's text, e.g. « #12 Gaine en conflit (CVC) : en retard de 2 j 3 h »."""
        return _("#{number} {title} ({trade}): {late} late").format(
            number=self.number, title=self.title, trade=self.trade or _("no trade"), late=format_lateness(self.late))


def format_lateness(late: timedelta) -> str:
    """A lateness as days and hours ("2 d 3 h"), or hours and minutes under a day."""
    seconds = max(0, int(late.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest // 60)


def _is_closed(issue, closed: bool | None) -> bool:
    if closed is not None:
        return closed
    return bool(getattr(issue, "is_closed", False))


def due_dates(issue, delay: TradeDelay | None) -> tuple[datetime | None, datetime | None]:
    """The (response, resolution) due dates of ``issue`` (an Issue or IssueRow) under ``delay``.

    The issue's own ``due_date`` overrides the resolution date; either is None when
    neither the issue nor the trade sets it.
    """
    created = issue.creation_date
    response = created + timedelta(days=delay.response_days) if delay and created else None
    if issue.due_date is not None:
        return response, issue.due_date
    resolution = created + timedelta(days=delay.resolution_days) if delay and created else None
    return response, resolution


def deadline_state(issue, delay: TradeDelay | None, now: datetime, closed: bool | None = None) -> DeadlineState | None:
    """The deadline state of ``issue`` at ``now`` (None when it has no resolution due date).

    ``issue`` is an :class:`IssueRow` (which knows whether its status is closed) or an
    :class:`Issue`, in which case pass ``closed``.
    """
    response, resolution = due_dates(issue, delay)
    if resolution is None:
        return None
    created = issue.creation_date
    is_closed = _is_closed(issue, closed)
    if is_closed:
        consumed, state, late = None, CLOSED, _ZERO
    else:
        total = resolution - created
        elapsed = now - created
        if total > _ZERO:
            consumed = elapsed / total
        else:  # due on (or before) creation: all consumed at once
            consumed = 1.0 if now <= resolution else float("inf")
        if now > resolution:
            state = OVERDUE
        elif consumed >= AT_RISK_FRACTION:
            state = AT_RISK
        else:
            state = ON_TIME
        late = max(_ZERO, now - resolution)
    return DeadlineState(
        issue_id=issue.id, number=issue.number, title=issue.title, trade=issue.responsible_trade,
        priority=issue.priority, status=issue.status, assigned_to=issue.assigned_to, created=created,
        response_due=response, resolution_due=resolution, consumed=consumed, state=state, late=late, now=now)


def lateness(issue, now: datetime, delay: TradeDelay | None = None, closed: bool | None = None) -> timedelta:
    """How late ``issue`` is at ``now`` (zero when on time, closed or without a due date).

    ``issue`` may also be a :class:`DeadlineState`, whose resolution due date is used.
    """
    if isinstance(issue, DeadlineState):
        return _ZERO if issue.state == CLOSED else max(_ZERO, now - issue.resolution_due)
    state = deadline_state(issue, delay, now, closed)
    return state.late if state else _ZERO


def states_for_rows(rows: Iterable, trades: Mapping[str, Trade], now: datetime) -> list[DeadlineState]:
    """The deadline states of issue rows, with ``trades`` by code (rows without a due date are left out)."""
    states = []
    for row in rows:
        trade = trades.get(row.responsible_trade) if row.responsible_trade else None
        state = deadline_state(row, trade.delay_for(row.priority) if trade else None, now)
        if state is not None:
            states.append(state)
    return states


def deadline_report(project, now: datetime, trades: Iterable[str] | None = None,
                    priorities: Iterable[str] | None = None) -> list[DeadlineState]:
    """Every issue's deadline state at ``now``, by issue number, optionally for some trades and priorities.

    One query for the issues and one for the trades; issues with no due date (no
    override and no delay for their trade and priority) are left out.
    """
    flt = IssueFilter(trades=tuple(trades or ()), priorities=tuple(priorities or ()))
    rows = project.issues.list_rows(flt)
    by_code = {t.code: t for t in project.settings.trades(include_inactive=True)}
    return states_for_rows(rows, by_code, now)


def counts_by_state(states: Iterable[DeadlineState]) -> dict[str, int]:
    """How many states are on time, at risk, overdue and closed (every key present), for the badge."""
    counts = dict.fromkeys(STATES, 0)
    for state in states:
        counts[state.state] += 1
    return counts


def newly_overdue(previous_states: Iterable[DeadlineState],
                  current_states: Iterable[DeadlineState]) -> list[OverdueAlert]:
    """Alerts for the issues overdue now that were not overdue (or not known) before, by issue number."""
    was_overdue = {s.issue_id for s in previous_states if s.state == OVERDUE}
    alerts = [
        OverdueAlert(issue_id=s.issue_id, number=s.number, title=s.title, trade=s.trade,
                     assigned_to=s.assigned_to, late=s.late)
        for s in current_states if s.state == OVERDUE and s.issue_id not in was_overdue
    ]
    return sorted(alerts, key=lambda a: (a.number is None, a.number or 0))
