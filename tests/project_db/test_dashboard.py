"""Dashboard data: the exact numbers behind each chart, on a generated twenty-issue project."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from project_db.dashboard import (
    CheckPassRate,
    DashboardFilter,
    ResolveTime,
    WeekCount,
    dashboard,
    pass_rate,
)
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


@pytest.fixture
def board(project):
    """The project filled with the twenty issues of SPEC."""
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
    return project


def test_open_issues_are_counted_by_trade_and_status(board):
    assert dashboard(board, NOW).open_by_trade_status == {
        "CVC": {"Open": 2, "In Progress": 1}, "ELE": {"Open": 2, "Resolved": 1}, "STR": {"Open": 1, "In Progress": 1},
        "PLB": {"Open": 1}, None: {"Open": 2}, "ARC": {"Open": 2}}


def test_open_issues_are_counted_by_priority(board):
    assert dashboard(board, NOW).open_by_priority == {"High": 3, "Normal": 4, "Low": 3, "Critical": 2, None: 1}


def test_overdue_and_at_risk_issues_are_counted_per_trade(board):
    assert dashboard(board, NOW).deadlines_by_trade == {
        "CVC": {"overdue": 2, "at_risk": 0}, "ELE": {"overdue": 2, "at_risk": 1}, "STR": {"overdue": 1, "at_risk": 0},
        "PLB": {"overdue": 0, "at_risk": 1}, "ARC": {"overdue": 1, "at_risk": 0}}


def test_opened_and_closed_issues_are_counted_per_iso_week_from_the_history(board):
    assert dashboard(board, NOW).weekly_trend == [
        WeekCount("2026-W02", date(2026, 1, 5), 10, 4), WeekCount("2026-W03", date(2026, 1, 12), 5, 2),
        WeekCount("2026-W04", date(2026, 1, 19), 5, 1)]


def test_time_to_resolve_per_trade_has_its_mean_and_90th_percentile(board):
    times = dashboard(board, NOW).resolve_times
    assert times["CVC"] == ResolveTime(2, 2.5, 3.0)  # the reopened issue counts from its last closing
    assert times["ELE"] == ResolveTime(1, 10.0, 10.0)
    assert times["STR"].count == 3 and times["STR"].mean_days == pytest.approx(8 / 3) and times["STR"].p90_days == 6.0
    assert times["PLB"] == ResolveTime(1, 1.0, 1.0)
    assert set(times) == {"CVC", "ELE", "STR", "PLB"}


def test_a_trade_filter_narrows_every_figure(board):
    data = dashboard(board, NOW, DashboardFilter(trades=("STR",)))
    assert data.open_by_trade_status == {"STR": {"Open": 1, "In Progress": 1}}
    assert data.weekly_trend == [WeekCount("2026-W02", date(2026, 1, 5), 3, 2),
                                 WeekCount("2026-W03", date(2026, 1, 12), 1, 1),
                                 WeekCount("2026-W04", date(2026, 1, 19), 1, 0)]
    assert data.deadlines_by_trade == {"STR": {"overdue": 1, "at_risk": 0}}


def test_a_label_filter_keeps_the_issues_with_that_label(board):
    data = dashboard(board, NOW, DashboardFilter(labels=("Openings",)))
    assert data.open_by_trade_status == {"CVC": {"In Progress": 1}, "STR": {"Open": 1}}
    assert set(data.resolve_times) == {"CVC"}


def test_a_date_range_keeps_issues_created_and_closed_in_it(board):
    data = dashboard(board, NOW, DashboardFilter(start=T0 + 7 * DAY, end=T0 + 14 * DAY))
    assert data.open_by_priority == {"Low": 1, "High": 2, "Critical": 2}
    assert data.weekly_trend == [WeekCount("2026-W03", date(2026, 1, 12), 5, 2)]
    assert data.resolve_times == {"ELE": ResolveTime(1, 10.0, 10.0), "STR": ResolveTime(1, 6.0, 6.0)}


def test_the_pass_rate_of_each_stored_check_run_is_read_leniently(project):
    for summary in ({"status": "fail", "rules": 4, "passed": 3, "failed": 1, "skipped": 0},
                    {"rules": 6, "passed": 5, "skipped": 1}, {"status": "error"}, {"pass_rate": 80}):
        project.check_runs.save_run({"ruleset": {"key": "basics", "version": "1"}, "summary": summary}, "bim")
    rates = dashboard(project, NOW).check_pass_rates
    assert [(r.passed, r.failed, r.rate) for r in rates] == [(3, 1, 0.75), (5, 0, 1.0), (None, None, None),
                                                             (None, None, 0.8)]
    assert all(isinstance(r, CheckPassRate) and r.ruleset_key == "basics" for r in rates)


def test_a_summary_that_is_not_a_dict_has_no_pass_rate():
    assert pass_rate(None) == (None, None, None) and pass_rate({"counts": {"pass": 1, "fail": 3}})[2] == 0.25


def test_an_empty_project_has_empty_figures(project):
    data = dashboard(project, NOW)
    assert (data.open_by_trade_status, data.weekly_trend, data.resolve_times, data.check_pass_rates) == ({}, [], {}, [])
