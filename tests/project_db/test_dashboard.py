"""Dashboard data: the exact numbers behind each chart, on a generated twenty-issue project."""

from __future__ import annotations

from datetime import date

import pytest

from project_db.dashboard import (
    GROUP_CLOSED,
    GROUP_DEADLINE,
    GROUP_OPENED,
    GROUP_PRIORITY,
    GROUP_RESOLVED,
    GROUP_TRADE_STATUS,
    CheckPassRate,
    DashboardFilter,
    ResolveTime,
    WeekCount,
    dashboard,
    model_versions,
    pass_rate,
)
from project_db.records import HeaderFile, Issue, LinkedElement
from tests.project_db.dashboard_samples import DAY, NOW, T0, fill_board


@pytest.fixture
def board(project):
    """The project filled with the twenty issues of SPEC."""
    fill_board(project)
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


def numbers(ids, project_ids):
    """Issue ids as SPEC numbers (1-based), to compare with the table above."""
    return [project_ids.index(i) + 1 for i in ids]


def test_every_bar_keeps_the_ids_of_the_issues_it_counts(project):
    ids = fill_board(project)
    groups = dashboard(project, NOW).groups
    assert numbers(groups[(GROUP_TRADE_STATUS, "CVC", "Open")], ids) == [2, 5]
    assert numbers(groups[(GROUP_TRADE_STATUS, None, "Open")], ids) == [17, 18]
    assert numbers(groups[(GROUP_PRIORITY, "High")], ids) == [2, 8, 13]
    assert numbers(groups[(GROUP_PRIORITY, None)], ids) == [17]
    assert numbers(groups[(GROUP_DEADLINE, "ELE", "overdue")], ids) == [8, 9]
    assert numbers(groups[(GROUP_DEADLINE, "ELE", "at_risk")], ids) == [7]
    assert numbers(groups[(GROUP_OPENED, "2026-W03")], ids) == [5, 8, 9, 13, 19]
    assert numbers(groups[(GROUP_CLOSED, "2026-W02")], ids) == [1, 4, 10, 11]
    assert numbers(groups[(GROUP_RESOLVED, "STR")], ids) == [10, 11, 12]


def test_each_bar_has_as_many_issue_ids_as_its_count(board):
    data = dashboard(board, NOW)
    for trade, by_status in data.open_by_trade_status.items():
        for status, count in by_status.items():
            assert len(data.groups[(GROUP_TRADE_STATUS, trade, status)]) == count
    for week in data.weekly_trend:
        assert len(data.groups.get((GROUP_OPENED, week.week), ())) == week.opened
        assert len(data.groups.get((GROUP_CLOSED, week.week), ())) == week.closed
    for trade, times in data.resolve_times.items():
        assert len(data.groups[(GROUP_RESOLVED, trade)]) == times.count


def test_the_summary_counts_open_overdue_at_risk_and_closed_this_week(board):
    data = dashboard(board, NOW)
    assert (data.open_count, data.overdue_count, data.at_risk_count, data.closed_this_week) == (13, 6, 2, 1)
    assert dashboard(board, NOW + 7 * DAY).closed_this_week == 0


# -- model versions -----------------------------------------------------------------------


@pytest.fixture
def versioned(project, tmp_path):
    """Two versions of the structure model, issues naming it in each way, and check runs on each version.

    The issues' creation dates straddle the second version's upload: before it they are
    on version 1, after it on version 2.
    """
    path = tmp_path / "structure.ifc"
    path.write_text("ISO-10303-21; version 1")
    v1 = project.models.store_model_file(path, "STR", "coordinator")
    path.write_text("ISO-10303-21; version 2, beams moved")
    v2 = project.models.store_model_file(path, "STR", "coordinator")
    other = tmp_path / "hvac.ifc"
    other.write_text("ISO-10303-21; ducts")
    hvac = project.models.store_model_file(other, "CVC", "coordinator")
    before, after = v2.created_at - DAY, v2.created_at + DAY
    made = {}
    for key, created, fields in (
        ("location", before, {"location_model": "structure.ifc"}),
        ("element", after, {"linked_elements": (LinkedElement("2O2Fr$t4X7Zf8NOew3FLOH", "structure.ifc"),)}),
        ("header", after, {"header_files": (HeaderFile(filename="structure.ifc"),)}),
        ("stem", after, {"location_model": "structure"}),
        ("hvac", after, {"location_model": "hvac.ifc"}),
        ("nowhere", after, {}),
    ):
        made[key] = project.issues.create(Issue(title=key, responsible_trade="STR", creation_date=created, **fields),
                                          "coordinator").id
    for hashes in ({"structure": v1.sha256}, {"structure": v2.sha256, "hvac": hvac.sha256}, {"hvac": hvac.sha256}):
        project.check_runs.save_run({"ruleset": {"key": "basics"}, "summary": {"passed": 1, "failed": 1},
                                     "model_hashes": hashes}, "bim")
    return project, made, (v1, v2, hvac)


def on_versions(project, *versions):
    data = dashboard(project, v_now(versions), DashboardFilter(model_versions=tuple(v.id for v in versions)))
    return set(data.groups.get((GROUP_TRADE_STATUS, "STR", "Open"), ())), len(data.check_pass_rates)


def v_now(versions):
    return max(v.created_at for v in versions) + 30 * DAY


def test_a_model_version_keeps_the_issues_naming_its_model_while_it_was_the_newest(versioned):
    project, made, (v1, v2, _hvac) = versioned
    assert on_versions(project, v1) == ({made["location"]}, 1)
    assert on_versions(project, v2) == ({made["element"], made["header"], made["stem"]}, 1)


def test_every_version_of_a_model_keeps_every_issue_naming_it(versioned):
    project, made, (v1, v2, hvac) = versioned
    assert on_versions(project, v1, v2) == ({made["location"], made["element"], made["header"], made["stem"]}, 2)
    assert on_versions(project, hvac) == ({made["hvac"]}, 2)


def test_the_model_versions_to_choose_from_are_listed_newest_first_per_model(versioned):
    project, _made, (v1, v2, hvac) = versioned
    assert [v.id for v in model_versions(project)] == [hvac.id, v2.id, v1.id]


def test_an_unknown_model_version_keeps_nothing(versioned):
    project, _made, _versions = versioned
    data = dashboard(project, NOW, DashboardFilter(model_versions=(9999,)))
    assert (data.open_by_trade_status, data.check_pass_rates) == ({}, [])
