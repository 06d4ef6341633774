"""Contractual deadlines: due dates, fraction consumed, states and overdue alerts, with a controlled clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from project_db.deadlines import (
    AT_RISK,
    CLOSED,
    ON_TIME,
    OVERDUE,
    counts_by_state,
    deadline_report,
    deadline_state,
    due_dates,
    lateness,
    newly_overdue,
)
from project_db.records import Issue, TradeDelay

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)  # a Monday morning
DAY = timedelta(days=1)
HIGH = TradeDelay("High", response_days=2, resolution_days=7)


def issue(**changes) -> Issue:
    """A High-priority HVAC issue created at T0."""
    return replace(Issue(title="Gaine en conflit", priority="High", responsible_trade="CVC", creation_date=T0,
                         id=1, number=1), **changes)


def test_due_dates_come_from_the_trade_delays_for_the_priority():
    assert due_dates(issue(), HIGH) == (T0 + 2 * DAY, T0 + 7 * DAY)


def test_an_explicit_due_date_overrides_the_resolution_date_only():
    assert due_dates(issue(due_date=T0 + 3 * DAY), HIGH) == (T0 + 2 * DAY, T0 + 3 * DAY)


def test_an_issue_without_delay_or_due_date_has_no_deadline():
    assert deadline_state(issue(), None, T0 + DAY, closed=False) is None


def test_an_issue_is_on_time_until_ninety_percent_of_the_delay_is_consumed():
    state = deadline_state(issue(), HIGH, T0 + 6 * DAY, closed=False)
    assert state.state == ON_TIME and state.consumed == 6 / 7 and state.late == timedelta(0)


def test_an_issue_is_at_risk_from_ninety_percent_up_to_its_due_date():
    assert deadline_state(issue(), HIGH, T0 + 6.3 * DAY, closed=False).state == AT_RISK
    at_due = deadline_state(issue(), HIGH, T0 + 7 * DAY, closed=False)
    assert at_due.state == AT_RISK and at_due.consumed == 1.0


def test_an_issue_is_overdue_past_its_due_date_and_says_how_late():
    state = deadline_state(issue(), HIGH, T0 + 9 * DAY + timedelta(hours=3), closed=False)
    assert state.state == OVERDUE and state.late == timedelta(days=2, hours=3)
    assert lateness(issue(), T0 + 9 * DAY, HIGH, closed=False) == 2 * DAY
    assert lateness(state, T0 + 10 * DAY) == 3 * DAY


def test_a_closed_status_stops_the_clock():
    state = deadline_state(issue(status="Closed"), HIGH, T0 + 30 * DAY, closed=True)
    assert state.state == CLOSED and state.consumed is None and state.late == timedelta(0)
    assert lateness(issue(status="Closed"), T0 + 30 * DAY, HIGH, closed=True) == timedelta(0)


def _project_with_deadlines(project):
    """Four issues created at T0: High CVC, Normal ELE, Critical CVC (closed), and one without trade."""
    repo = project.issues
    high = repo.create(Issue(title="Gaine CVC", priority="High", responsible_trade="CVC", creation_date=T0), "a")
    normal = repo.create(Issue(title="Chemin de câbles", priority="Normal", responsible_trade="ELE",
                               creation_date=T0), "a")
    critical = repo.create(Issue(title="Trémie", priority="Critical", responsible_trade="CVC", creation_date=T0), "a")
    repo.save(replace(critical, status="Closed"), "a")
    repo.create(Issue(title="Sans lot", priority="High", creation_date=T0), "a")
    return high, normal, critical


def test_the_report_lists_every_issue_with_a_deadline_and_its_state(project):
    high, normal, critical = _project_with_deadlines(project)
    report = deadline_report(project, T0 + 8 * DAY)
    assert [(s.number, s.state) for s in report] == [(high.number, OVERDUE), (normal.number, ON_TIME),
                                                     (critical.number, CLOSED)]
    assert report[0].resolution_due == T0 + 7 * DAY and report[0].late == DAY
    assert counts_by_state(report) == {ON_TIME: 1, AT_RISK: 0, OVERDUE: 1, CLOSED: 1}


def test_the_report_can_be_limited_to_trades_and_priorities(project):
    high, _normal, _critical = _project_with_deadlines(project)
    assert [s.number for s in deadline_report(project, T0, trades=["CVC"], priorities=["High"])] == [high.number]
    assert [s.trade for s in deadline_report(project, T0, trades=["ELE"])] == ["ELE"]


def test_an_alert_fires_once_when_an_issue_becomes_overdue(project):
    high, normal, _critical = _project_with_deadlines(project)
    before = deadline_report(project, T0 + 6 * DAY)
    after = deadline_report(project, T0 + 7 * DAY + timedelta(hours=5))
    alerts = newly_overdue(before, after)
    assert [(a.number, a.title, a.trade, a.late) for a in alerts] == [
        (high.number, "Gaine CVC", "CVC", timedelta(hours=5))]
    assert f"#{high.number}" in alerts[0].message and "CVC" in alerts[0].message
    assert newly_overdue(after, deadline_report(project, T0 + 8 * DAY)) == []
    assert [a.number for a in newly_overdue(after, deadline_report(project, T0 + 16 * DAY))] == [normal.number]
