"""Dashboard charts: what each chart draws, what a click on a bar shows, and the PNG/PDF exports read back."""

from __future__ import annotations

import io

import pytest
from matplotlib.figure import Figure
from PIL import Image

from bim.i18n import set_language
from project_db import open_project
from project_db.dashboard import DashboardFilter
from project_db.reports.common import UnknownReportFormat
from project_db.reports.dashboard_charts import (
    CHART_KEYS,
    CHART_TITLES,
    DEADLINES,
    PASS_RATE,
    PRIORITY,
    RESOLVE,
    TRADE_STATUS,
    TREND,
    DashboardExportError,
    draw_board,
    export_dashboard,
    load_board,
    summary_text,
)
from tests.project_db.dashboard_samples import DAY, NOW, T0, fill_board
from tests.project_db.reports.report_samples import pdf_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The twenty-issue project of the dashboard tests, with three stored check runs; (project, issue ids)."""
    path = tmp_path_factory.mktemp("board") / "board.synthese"
    with open_project(path, create=True, name="Groupe scolaire") as project:
        ids = fill_board(project)
        for summary in ({"passed": 3, "failed": 1}, {"status": "error"}, {"passed": 9, "failed": 1}):
            project.check_runs.save_run({"ruleset": {"key": "basics"}, "summary": summary}, "bim")
        yield project, ids


def charts(project, flt=DashboardFilter(), now=NOW):
    """The board's charts by key, drawn on a fresh figure."""
    drawn = draw_board(Figure(figsize=(14, 12)), load_board(project, now, flt, "en"))
    return {chart.key: chart for chart in drawn}


def bars(chart):
    return {bar.label: bar.value for bar in chart.bars}


def numbers(issue_ids, ids):
    """Issue ids as their SPEC numbers (1-based)."""
    return sorted(ids.index(i) + 1 for i in issue_ids)


def test_the_board_draws_its_six_charts_in_order_with_their_titles(site):
    drawn = draw_board(Figure(), load_board(site[0], NOW))
    assert [c.key for c in drawn] == list(CHART_KEYS)
    assert [c.axes.get_title(loc="left") for c in drawn] == [CHART_TITLES[k] for k in CHART_KEYS]


def test_the_trade_and_status_chart_draws_a_segment_per_open_issue_group(site):
    chart = charts(site[0])[TRADE_STATUS]
    assert bars(chart) == {"HVAC · Open": 2, "HVAC · In progress": 1, "Electrical · Open": 2,
                           "Electrical · Resolved": 1, "Structure · Open": 1, "Structure · In progress": 1,
                           "Plumbing · Open": 1, "Architecture · Open": 2, "No trade · Open": 2}
    assert [t.get_text() for t in chart.axes.get_xticklabels()] == ["ARC", "STR", "CVC", "PLB", "ELE", "none"]


def test_a_trade_and_status_segment_filters_the_panel_by_its_trade_and_status(site):
    project, ids = site
    targets = {bar.label: bar.target for bar in charts(project)[TRADE_STATUS].bars}
    assert targets["HVAC · Open"].choices == (("trade", "CVC"), ("status", "Open"))
    assert not targets["HVAC · Open"].restrict  # the panel's own filters say it exactly
    assert numbers(targets["HVAC · Open"].issue_ids, ids) == [2, 5]
    assert targets["No trade · Open"].restrict  # "no trade" is no panel choice: the panel shows these ids
    assert numbers(targets["No trade · Open"].issue_ids, ids) == [17, 18]


def test_the_priority_ring_has_a_slice_per_priority_of_the_open_issues(site):
    chart = charts(site[0])[PRIORITY]
    assert bars(chart) == {"Priority Critical": 2, "Priority High": 3, "Priority Normal": 4, "Priority Low": 3,
                           "No priority": 1}
    high = next(b.target for b in chart.bars if b.label == "Priority High")
    assert high.choices == (("status", "__open__"), ("priority", "High")) and not high.restrict


def test_deadline_bars_show_exactly_the_overdue_or_at_risk_issues_of_their_trade(site):
    project, ids = site
    chart = charts(project)[DEADLINES]
    assert bars(chart) == {"Architecture · overdue": 1, "Structure · overdue": 1, "HVAC · overdue": 2,
                           "Plumbing · at risk": 1, "Electrical · overdue": 2, "Electrical · at risk": 1}
    at_risk = next(b.target for b in chart.bars if b.label == "Electrical · at risk")
    assert at_risk.choices == (("trade", "ELE"),) and numbers(at_risk.issue_ids, ids) == [7] and at_risk.restrict


def test_the_weekly_trend_has_an_opened_and_a_closed_bar_per_week_with_their_issues(site):
    project, ids = site
    chart = charts(project)[TREND]
    assert bars(chart) == {"Opened in 2026-W02": 10, "Closed in 2026-W02": 4, "Opened in 2026-W03": 5,
                           "Closed in 2026-W03": 2, "Opened in 2026-W04": 5, "Closed in 2026-W04": 1}
    closed = next(b.target for b in chart.bars if b.label == "Closed in 2026-W02")
    assert numbers(closed.issue_ids, ids) == [1, 4, 10, 11]
    assert [t.get_text() for t in chart.axes.get_xticklabels()] == ["W02", "W03", "W04"]


def test_the_resolve_time_bars_are_the_mean_days_and_show_the_issues_measured(site):
    project, ids = site
    chart = charts(project)[RESOLVE]
    assert {label: round(value, 2) for label, value in bars(chart).items()} == {
        "Structure · 3 resolved issues": 2.67, "HVAC · 2 resolved issues": 2.5, "Plumbing · 1 resolved issue": 1.0,
        "Electrical · 1 resolved issue": 10.0}
    structure = next(b.target for b in chart.bars if b.label.startswith("Structure"))
    assert numbers(structure.issue_ids, ids) == [10, 11, 12]


def test_the_pass_rate_chart_has_a_bar_per_run_that_names_the_run(site):
    project, _ids = site
    chart = charts(project)[PASS_RATE]
    runs = [r.id for r in reversed(project.check_runs.list_runs())]
    assert [(b.value, b.target.check_run_id) for b in chart.bars] == [(75.0, runs[0]), (0.0, runs[1]),
                                                                      (90.0, runs[2])]
    assert all(not b.target.issue_ids and not b.target.choices for b in chart.bars)


def test_every_bar_is_pickable_and_maps_its_artist_back_to_its_target(site):
    for chart in charts(site[0]).values():
        for bar in chart.bars:
            assert bar.artist.get_picker() and chart.target_of(bar.artist) is bar.target
        assert chart.target_of(chart.axes) is None


def test_with_a_date_range_every_issue_bar_restricts_the_panel_to_its_own_issues(site):
    project, ids = site
    drawn = charts(project, DashboardFilter(start=T0 + 7 * DAY, end=T0 + 14 * DAY))
    assert bars(drawn[PRIORITY]) == {"Priority Critical": 2, "Priority High": 2, "Priority Low": 1}
    high = next(b.target for b in drawn[PRIORITY].bars if b.label == "Priority High")
    assert numbers(high.issue_ids, ids) == [8, 13] and high.restrict
    assert all(b.target.restrict for b in drawn[TRADE_STATUS].bars)


def test_a_trade_and_a_label_filter_narrow_the_charts_and_follow_into_the_panel(site):
    drawn = charts(site[0], DashboardFilter(trades=("STR",), labels=("Openings",)))
    assert bars(drawn[TRADE_STATUS]) == {"Structure · Open": 1}
    target = drawn[PRIORITY].bars[0].target
    assert target.choices == (("trade", "STR"), ("label", "Openings"), ("status", "__open__"), ("priority", "High"))
    assert drawn[RESOLVE].empty and drawn[TREND].bars


def test_an_empty_project_says_no_issues_on_every_issue_chart(tmp_path):
    with open_project(tmp_path / "empty.synthese", create=True) as project:
        drawn = charts(project)
    for key in (TRADE_STATUS, PRIORITY, DEADLINES, TREND, RESOLVE):
        assert drawn[key].empty and [t.get_text() for t in drawn[key].axes.texts] == ["No issues"]
    assert [t.get_text() for t in drawn[PASS_RATE].axes.texts] == ["No stored check runs"]


def test_the_summary_line_counts_open_overdue_at_risk_and_closed_this_week(site):
    assert summary_text(load_board(site[0], NOW).data) == (
        "13 open issues · 6 overdue · 2 at risk · 1 closed this week")


# -- files ---------------------------------------------------------------------------------


def test_the_png_export_is_one_image_of_the_whole_board(site, tmp_path):
    path = export_dashboard(site[0], tmp_path / "board.png", NOW)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = Image.open(io.BytesIO(data)).size
    assert width > 1200 and height > 1200


def test_the_pdf_export_has_a_title_page_then_a_page_per_chart(site, tmp_path):
    path = export_dashboard(site[0], tmp_path / "board.pdf", NOW, DashboardFilter(trades=("CVC",)), "en")
    from pypdf import PdfReader

    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 + len(CHART_KEYS)
    first = reader.pages[0].extract_text()
    assert "Coordination dashboard" in first and "Groupe scolaire" in first and "Trades: HVAC" in first
    assert "2026-01-22" in first
    for page, key in zip(reader.pages[1:], CHART_KEYS):
        assert CHART_TITLES[key] in page.extract_text()
    assert "HVAC · Open" not in pdf_text(data)  # captions are for clicks, not print


def test_the_filters_change_the_numbers_in_the_export(site, tmp_path):
    everything = pdf_text(export_dashboard(site[0], tmp_path / "all.pdf", NOW).read_bytes())
    hvac = pdf_text(export_dashboard(site[0], tmp_path / "cvc.pdf", NOW, DashboardFilter(trades=("CVC",))).read_bytes())
    assert "13\nOpen" in everything and "3\nOpen" in hvac


def test_an_unknown_extension_is_refused_before_anything_is_read(site, tmp_path):
    with pytest.raises(UnknownReportFormat, match="board.svg"):
        export_dashboard(site[0], tmp_path / "board.svg", NOW)
    assert not (tmp_path / "board.svg").exists()


def test_a_folder_that_cannot_be_written_gets_a_message_naming_the_file(site, tmp_path):
    target = tmp_path / "missing-folder" / "board.png"
    with pytest.raises(DashboardExportError, match="missing-folder"):
        export_dashboard(site[0], target, NOW)
