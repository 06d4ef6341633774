"""The numbers behind the coordination board's charts, computed without Qt.

Each figure reads the issues panel's rows in one query (filtered in SQL by trade and
label) and, where it needs closing dates, the status changes in one more query; the
rest is counted in Python. Nothing here loops over issues with a query each.

Closing date: the last time an issue's status became a closed one (``is_closed`` in
the status vocabulary), from the history; an issue created closed closes when created.
The date range filter keeps issues *created* in ``[start, end)`` for the counts of
open issues and deadlines, and counts openings and closings whose own date is in the
range for the weekly trend and the times to resolve.

Model version filter (``model_versions``, ids of :class:`ModelVersion`): issues name
models, not versions (``location_model``, each linked element's model and the BCF
header files carry the registered name, which is the file name; reports of the command
line use the file name without extension), so an issue is *on* a version when it names
that version's model (its name or the version's file name, with or without extension)
and was created while that version was the model's newest one: from the version's
upload to the next version's (the first version also owns issues written before the
model was registered). Several ids keep the issues on any of them, so all the
versions of a model give every issue naming it. A check run is on a version when the
version's SHA-256 is one of the run's ``model_hashes``.

Besides the counts, :attr:`DashboardData.groups` keeps the issue ids behind every bar
(see the ``GROUP_*`` keys), so a click on a chart can show exactly those issues.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

from sqlalchemy import select

from project_db.deadlines import AT_RISK, OVERDUE, DeadlineState, states_for_rows
from project_db.records import IssueFilter, IssueRow
from project_db.schema import DbHistory, DbIssue, DbModel, DbModelVersion, DbVocabulary

# Keys of DashboardData.groups: (GROUP_x, …) → the issue ids behind one bar.
GROUP_TRADE_STATUS = "trade_status"  # (key, trade, status): open issues of a trade in a status
GROUP_PRIORITY = "priority"  # (key, priority): open issues of a priority
GROUP_DEADLINE = "deadline"  # (key, trade, "overdue" | "at_risk")
GROUP_OPENED = "opened"  # (key, "2026-W03"): issues created that week
GROUP_CLOSED = "closed"  # (key, "2026-W03"): issues closed that week
GROUP_RESOLVED = "resolved"  # (key, trade): closed issues whose times to resolve were measured


@dataclass(frozen=True)
class DashboardFilter:
    """What the board counts: a creation/closing date range ``[start, end)``, trades, labels and
    model versions (ids of :class:`ModelVersion`; see the module docstring); empty: any."""

    start: datetime | None = None
    end: datetime | None = None
    trades: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    model_versions: tuple[int, ...] = ()


@dataclass(frozen=True)
class WeekCount:
    """Issues opened and closed in one ISO week (``week`` like "2026-W03", ``monday`` its first day)."""

    week: str
    monday: date
    opened: int
    closed: int


@dataclass(frozen=True)
class ResolveTime:
    """Time to resolve a trade's closed issues, in days: how many, mean, 90th percentile (nearest rank)."""

    count: int
    mean_days: float
    p90_days: float


@dataclass(frozen=True)
class CheckPassRate:
    """One stored check run's pass rate: rules passed over rules passed or failed (skipped ones left out)."""

    run_id: int
    created_at: datetime
    ruleset_key: str | None
    passed: int | None
    failed: int | None
    rate: float | None


@dataclass
class DashboardData:
    """Every chart's numbers at once (see the functions of this module for each).

    ``groups`` maps each bar (a ``GROUP_*`` key tuple) to its issue ids, in issue-id order;
    ``closed_this_week`` counts the issues closed in the ISO week of ``now`` (and in range).
    """

    open_by_trade_status: dict[str | None, dict[str, int]] = field(default_factory=dict)
    open_by_priority: dict[str | None, int] = field(default_factory=dict)
    deadlines_by_trade: dict[str | None, dict[str, int]] = field(default_factory=dict)
    weekly_trend: list[WeekCount] = field(default_factory=list)
    resolve_times: dict[str | None, ResolveTime] = field(default_factory=dict)
    check_pass_rates: list[CheckPassRate] = field(default_factory=list)
    groups: dict[tuple, tuple[int, ...]] = field(default_factory=dict)
    closed_this_week: int = 0

    @property
    def open_count(self) -> int:
        """Open issues (created in range)."""
        return sum(self.open_by_priority.values())

    @property
    def overdue_count(self) -> int:
        """Open issues past their resolution due date."""
        return sum(c.get(OVERDUE, 0) for c in self.deadlines_by_trade.values())

    @property
    def at_risk_count(self) -> int:
        """Open issues with 90 % or more of their resolution delay consumed, not yet overdue."""
        return sum(c.get(AT_RISK, 0) for c in self.deadlines_by_trade.values())


# -- reading -----------------------------------------------------------------------------


def _rows(project, flt: DashboardFilter) -> list[IssueRow]:
    """The rows matching the trade and label filters (one query)."""
    return project.issues.list_rows(IssueFilter(trades=tuple(flt.trades), labels=tuple(flt.labels)))


def _in_range(moment: datetime, flt: DashboardFilter) -> bool:
    return (flt.start is None or moment >= flt.start) and (flt.end is None or moment < flt.end)


def _created_in_range(rows: list[IssueRow], flt: DashboardFilter) -> list[IssueRow]:
    return [r for r in rows if _in_range(r.creation_date, flt)]


def closing_dates(project, rows: list[IssueRow]) -> dict[int, datetime]:
    """When each closed issue of ``rows`` was closed (issue id → date), from one history query."""
    closed_rows = {r.id: r for r in rows if r.is_closed}
    if not closed_rows:
        return {}
    with project.transaction() as session:
        closed_codes = set(session.execute(
            select(DbVocabulary.code).where(DbVocabulary.kind == "status", DbVocabulary.is_closed.is_(True))
        ).scalars())
        changes = session.execute(
            select(DbHistory.issue_id, DbHistory.at, DbHistory.new_value)
            .where(DbHistory.entity == "issue", DbHistory.field == "status")
            .order_by(DbHistory.at, DbHistory.id)
        ).all()
    dates = {issue_id: row.creation_date for issue_id, row in closed_rows.items()}
    for issue_id, at, new_value in changes:
        if issue_id in closed_rows and new_value is not None and json.loads(new_value) in closed_codes:
            dates[issue_id] = at  # ordered by date: the last closing wins
    return dates


# -- figures -----------------------------------------------------------------------------


def open_by_trade_status(rows: list[IssueRow]) -> dict[str | None, dict[str, int]]:
    """Open issues counted by responsible trade (None: no trade), then by status."""
    counts: dict[str | None, dict[str, int]] = {}
    for row in rows:
        if not row.is_closed:
            by_status = counts.setdefault(row.responsible_trade, {})
            by_status[row.status] = by_status.get(row.status, 0) + 1
    return counts


def open_by_priority(rows: list[IssueRow]) -> dict[str | None, int]:
    """Open issues counted by priority (None: no priority)."""
    counts: dict[str | None, int] = {}
    for row in rows:
        if not row.is_closed:
            counts[row.priority] = counts.get(row.priority, 0) + 1
    return counts


def deadline_states(project, rows: list[IssueRow], now: datetime) -> list[DeadlineState]:
    """The deadline states of ``rows`` at ``now`` (one query for the trades' delays)."""
    trades = {t.code: t for t in project.settings.trades(include_inactive=True)}
    return states_for_rows(rows, trades, now)


def deadlines_by_trade(project, rows: list[IssueRow], now: datetime,
                       states: list[DeadlineState] | None = None) -> dict[str | None, dict[str, int]]:
    """Overdue and at-risk issues at ``now`` by trade: ``{trade: {"overdue": n, "at_risk": m}}`` (trades with some).

    ``states`` (from :func:`deadline_states`) saves reading the trades again.
    """
    counts: dict[str | None, dict[str, int]] = {}
    for state in states if states is not None else deadline_states(project, rows, now):
        if state.state in (OVERDUE, AT_RISK):
            by_state = counts.setdefault(state.trade, {OVERDUE: 0, AT_RISK: 0})
            by_state[state.state] += 1
    return counts


def iso_week(moment: datetime) -> str:
    """The ISO week of ``moment`` as "YYYY-Www"."""
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_trend(rows: list[IssueRow], closed_at: dict[int, datetime], flt: DashboardFilter) -> list[WeekCount]:
    """Issues opened and closed per ISO week, every week from the first to the last with either (UTC dates)."""
    opened: dict[date, int] = {}
    closed: dict[date, int] = {}
    for row in rows:
        if _in_range(row.creation_date, flt):
            monday = _monday(row.creation_date)
            opened[monday] = opened.get(monday, 0) + 1
    for moment in closed_at.values():
        if _in_range(moment, flt):
            monday = _monday(moment)
            closed[monday] = closed.get(monday, 0) + 1
    weeks = opened.keys() | closed.keys()
    if not weeks:
        return []
    trend, monday, last = [], min(weeks), max(weeks)
    while monday <= last:
        year, week, _day = monday.isocalendar()
        trend.append(WeekCount(f"{year}-W{week:02d}", monday, opened.get(monday, 0), closed.get(monday, 0)))
        monday += timedelta(days=7)
    return trend


def _monday(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def resolve_times(rows: list[IssueRow], closed_at: dict[int, datetime],
                  flt: DashboardFilter) -> dict[str | None, ResolveTime]:
    """Mean and 90th-percentile (nearest-rank) days from creation to closing, per trade, for issues closed in range."""
    durations: dict[str | None, list[float]] = {}
    for row in rows:
        moment = closed_at.get(row.id)
        if moment is not None and _in_range(moment, flt):
            days = (moment - row.creation_date) / timedelta(days=1)
            durations.setdefault(row.responsible_trade, []).append(days)
    result = {}
    for trade, values in durations.items():
        values.sort()
        rank = max(1, math.ceil(0.9 * len(values)))
        result[trade] = ResolveTime(len(values), sum(values) / len(values), values[rank - 1])
    return result


def _count(summary: dict, *keys: str) -> int | None:
    for key in keys:
        value = summary.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            return int(value)
        if isinstance(value, (list, tuple)):
            return len(value)
    return None


def pass_rate(summary) -> tuple[int | None, int | None, float | None]:
    """(passed, failed, rate) read leniently from a run summary; None where it does not say.

    Understands ``passed``/``failed`` (or ``pass``/``fail``) counts, also under ``counts``
    or ``rules_by_status``, ``failed`` deduced from ``rules`` minus passed and skipped,
    and an explicit ``pass_rate`` (a fraction, or a percentage above 1).
    """
    if not isinstance(summary, dict):
        return None, None, None
    sources = [summary] + [summary[k] for k in ("counts", "rules_by_status") if isinstance(summary.get(k), dict)]
    passed = failed = None
    for source in sources:
        passed = passed if passed is not None else _count(source, "passed", "pass", "PASS")
        failed = failed if failed is not None else _count(source, "failed", "fail", "FAIL")
    if passed is not None and failed is None:
        rules = _count(summary, "rules", "total")
        if rules is not None:
            failed = max(0, rules - passed - (_count(summary, "skipped", "skip") or 0))
    if passed is not None and failed is not None:
        return passed, failed, (passed / (passed + failed) if passed + failed else None)
    explicit = summary.get("pass_rate")
    if isinstance(explicit, (int, float)) and not isinstance(explicit, bool):
        return passed, failed, explicit / 100 if explicit > 1 else float(explicit)
    return passed, failed, None


def check_pass_rates(project, flt: DashboardFilter = DashboardFilter(),
                     version_hashes: set[str] | None = None) -> list[CheckPassRate]:
    """Each stored check run's pass rate, oldest first, for runs stored in the date range.

    ``version_hashes`` (the SHA-256 of the filter's model versions) keeps the runs that
    checked one of those files.
    """
    rates = []
    for run in reversed(project.check_runs.list_runs()):
        if not _in_range(run.created_at, flt):
            continue
        if version_hashes is not None and not version_hashes & set((run.model_hashes or {}).values()):
            continue
        passed, failed, rate = pass_rate(run.summary)
        rates.append(CheckPassRate(run.id, run.created_at, run.ruleset_key, passed, failed, rate))
    return rates


# -- model versions ----------------------------------------------------------------------


def _names(value) -> set[str]:
    return {value} if isinstance(value, str) and value else set()


def issue_model_names(location_model, linked_elements, header_files) -> set[str]:
    """The model names an issue refers to, from its stored location, linked elements and header files."""
    names = _names(location_model)
    for element in linked_elements or ():
        if isinstance(element, (list, tuple)) and len(element) > 1:
            names |= _names(element[1])
    for header in header_files or ():
        if isinstance(header, dict):
            names |= _names(header.get("filename"))
    return names


@dataclass(frozen=True)
class _VersionWindow:
    names: frozenset[str]
    start: datetime | None  # None: since always (a model's first version)
    end: datetime | None  # None: still the newest
    sha256: str


def _version_windows(session, version_ids: tuple[int, ...]) -> list[_VersionWindow]:
    """For each wanted version: the names its issues use and when it was the newest one (one query)."""
    models = select(DbModelVersion.model_id).where(DbModelVersion.id.in_(version_ids))
    rows = session.execute(
        select(DbModelVersion.id, DbModelVersion.model_id, DbModelVersion.created_at, DbModelVersion.filename,
               DbModelVersion.sha256, DbModel.name)
        .join(DbModel, DbModel.id == DbModelVersion.model_id)
        .where(DbModelVersion.model_id.in_(models))
        .order_by(DbModelVersion.model_id, DbModelVersion.number)
    ).all()
    wanted = set(version_ids)
    windows = []
    for i, (version_id, model_id, created_at, filename, sha256, model_name) in enumerate(rows):
        if version_id not in wanted:
            continue
        first = i == 0 or rows[i - 1].model_id != model_id
        last = i == len(rows) - 1 or rows[i + 1].model_id != model_id
        names = frozenset({model_name, filename, PurePath(model_name).stem, PurePath(filename).stem})
        windows.append(_VersionWindow(names, None if first else created_at,
                                      None if last else rows[i + 1].created_at, sha256))
    return windows


def model_version_scope(project, version_ids: tuple[int, ...]) -> tuple[set[int], set[str]]:
    """(ids of the issues on any of ``version_ids``, those versions' SHA-256): two queries.

    See the module docstring for what "on a version" means.
    """
    with project.transaction() as session:
        windows = _version_windows(session, tuple(version_ids))
        if not windows:
            return set(), set()
        refs = session.execute(
            select(DbIssue.id, DbIssue.creation_date, DbIssue.location_model, DbIssue.linked_elements,
                   DbIssue.header_files).where(DbIssue.deleted.is_(False))
        ).all()
    issue_ids = set()
    for issue_id, created, location, linked, headers in refs:
        names = issue_model_names(location, linked, headers)
        if names and any(names & w.names and (w.start is None or created >= w.start)
                         and (w.end is None or created < w.end) for w in windows):
            issue_ids.add(issue_id)
    return issue_ids, {w.sha256 for w in windows}


# -- the whole board ---------------------------------------------------------------------


def issue_groups(rows: list[IssueRow], created: list[IssueRow], closed_at: dict[int, datetime],
                 states: list[DeadlineState], flt: DashboardFilter) -> dict[tuple, tuple[int, ...]]:
    """The issue ids behind every bar of the board, keyed as the ``GROUP_*`` constants say."""
    groups: dict[tuple, list[int]] = {}
    for row in created:
        if not row.is_closed:
            groups.setdefault((GROUP_TRADE_STATUS, row.responsible_trade, row.status), []).append(row.id)
            groups.setdefault((GROUP_PRIORITY, row.priority), []).append(row.id)
    for state in states:
        if state.state in (OVERDUE, AT_RISK):
            groups.setdefault((GROUP_DEADLINE, state.trade, state.state), []).append(state.issue_id)
    for row in rows:
        if _in_range(row.creation_date, flt):
            groups.setdefault((GROUP_OPENED, iso_week(row.creation_date)), []).append(row.id)
        moment = closed_at.get(row.id)
        if moment is not None and _in_range(moment, flt):
            groups.setdefault((GROUP_CLOSED, iso_week(moment)), []).append(row.id)
            groups.setdefault((GROUP_RESOLVED, row.responsible_trade), []).append(row.id)
    return {key: tuple(sorted(ids)) for key, ids in groups.items()}


def dashboard(project, now: datetime, flt: DashboardFilter = DashboardFilter()) -> DashboardData:
    """Every chart's numbers at ``now`` under ``flt``.

    Four queries in all, whatever the number of issues; two more with a model version filter.
    """
    rows = _rows(project, flt)
    version_hashes = None
    if flt.model_versions:
        on_versions, version_hashes = model_version_scope(project, flt.model_versions)
        rows = [r for r in rows if r.id in on_versions]
    created = _created_in_range(rows, flt)
    closed_at = closing_dates(project, rows)
    states = deadline_states(project, created, now)
    this_week = _monday(now)
    return DashboardData(
        open_by_trade_status=open_by_trade_status(created),
        open_by_priority=open_by_priority(created),
        deadlines_by_trade=deadlines_by_trade(project, created, now, states),
        weekly_trend=weekly_trend(rows, closed_at, flt),
        resolve_times=resolve_times(rows, closed_at, flt),
        check_pass_rates=check_pass_rates(project, flt, version_hashes),
        groups=issue_groups(rows, created, closed_at, states, flt),
        closed_this_week=sum(1 for m in closed_at.values() if _monday(m) == this_week and m <= now
                             and _in_range(m, flt)),
    )


def model_versions(project) -> list:
    """Every version of every registered model (:class:`ModelVersion`), by model name, newest version first."""
    versions = []
    for model in project.models.models():
        versions.extend(reversed(project.models.versions(model.name)))
    return versions
