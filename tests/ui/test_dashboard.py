"""The coordination dashboard in the real window: open it, read its numbers, click its bars, filter, export.

One window serves the module: a project with the five demo models and the twenty
generated issues of tests/project_db/dashboard_samples.py, seen at a fixed moment
(``NOW``), so every number on the board is known.
"""

from __future__ import annotations

import io
from dataclasses import replace
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtTest import QTest

from project_db import open_project
from project_db.records import Issue, IssueFilter
from project_db.reports.dashboard_charts import CHART_KEYS, CHART_TITLES, DEADLINES, PRIORITY, TRADE_STATUS, TREND
from tests.project_db.dashboard_samples import DAY, NOW, T0, fill_board
from tests.ui.conftest import (
    close_main_window,
    open_main_window,
    open_project_and_wait,
    project_with_demo_models,
    wait_until,
)

POLL_MS = 150
STRUCTURE_FILE = "demo-STR-structure.ifc"


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_project):
    """The project file and the generated issues' ids (issue n of SPEC is ``ids[n - 1]``).

    Issues 13 and 14 (structure) are located in the structure model; two check runs
    are stored, one on the structure file and one on no model.
    """
    path = project_with_demo_models(tmp_path_factory.mktemp("board") / "board.synthese", demo_project)
    with open_project(path) as project:
        ids = fill_board(project)
        for n in (13, 14):
            project.issues.save(replace(project.issues.get(ids[n - 1]), location_model=STRUCTURE_FILE), "coordinator")
        structure = next(m.latest for m in project.models.models() if m.name == STRUCTURE_FILE)
        project.check_runs.save_run({"ruleset": {"key": "basics"}, "summary": {"passed": 3, "failed": 1},
                                     "model_hashes": {"demo-STR-structure": structure.sha256}}, "bim")
        project.check_runs.save_run({"ruleset": {"key": "basics"}, "summary": {"passed": 1, "failed": 1}}, "bim")
    return path, ids


@pytest.fixture(scope="module")
def win(qapp, site):
    """The main window with the project open, its models loaded and the dashboard shown at ``NOW``."""
    window = open_main_window()
    window.issue_features.session.set_poll_interval(POLL_MS)
    open_project_and_wait(window, site[0])
    window.board_features.clock = lambda: NOW
    yield window
    close_main_window(window)


@pytest.fixture
def board(win):
    """The dashboard, open, showing every issue (no filter), after its numbers arrived."""
    features = win.board_features
    filters = features.panel.filters
    for combo in (filters.trade, filters.label, filters.model):
        combo.setCurrentIndex(0)
    filters.set_period("all", emit=False)
    wait_shown(features, features.open_dashboard)
    return features


@pytest.fixture
def other(site):
    """A second connection to the same project: another workstation."""
    with open_project(site[0]) as project:
        yield project


def wait_shown(features, action) -> None:
    """Do ``action`` and wait until the board it causes is drawn."""
    shown = []
    features.shown.connect(shown.append)
    try:
        action()
        wait_until(lambda: shown and not features.loading, 30, "the dashboard's numbers")
    finally:
        features.shown.disconnect(shown.append)
    features.panel.canvas.draw()  # the bars have their places on screen from here


def bars(features, key):
    return {bar.label: bar.value for bar in features.panel.canvas.chart(key).bars}


def bar(features, key, label):
    return next(b for b in features.panel.canvas.chart(key).bars if b.label == label)


def numbers(issue_ids, ids):
    return sorted(ids.index(i) + 1 for i in issue_ids)


def shown_issue_ids(window):
    return {r.id for r in window.issue_features.panel.model.rows}


def click_bar(features, chart_bar) -> None:
    """Press the left button on the middle of a drawn bar (or slice), as a user would."""
    canvas = features.panel.canvas
    features.panel.scroll.ensureWidgetVisible(canvas)
    box = chart_bar.artist.get_window_extent()
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    if hasattr(chart_bar.artist, "theta1"):  # a ring slice: its middle is on the ring, not in the box's centre
        import math

        wedge = chart_bar.artist
        angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
        radius = wedge.r - wedge.width / 2
        x, y = chart_bar.artist.axes.transData.transform((wedge.center[0] + radius * math.cos(angle),
                                                          wedge.center[1] + radius * math.sin(angle)))
    ratio = canvas.devicePixelRatioF()
    point = QPoint(int(x / ratio), int((canvas.figure.bbox.height - y) / ratio))
    QTest.mouseClick(canvas, Qt.LeftButton, Qt.NoModifier, point)


# -- opening -----------------------------------------------------------------------------


def test_the_dashboard_is_in_the_coordination_menu_and_the_toolbar(win):
    from PySide6.QtWidgets import QToolBar

    from ui.menus import coordination_menu

    action = win.board_features.open_action
    assert action in coordination_menu(win).actions()
    assert action in win.findChild(QToolBar, "main-toolbar").actions()


def test_opening_the_dashboard_shows_the_summary_and_the_six_charts(board):
    panel = board.panel
    assert board.dock.isVisible()
    assert panel.summary.text() == "13 open issues · 6 overdue · 2 at risk · 1 closed this week"
    assert [c.axes.get_title(loc="left") for c in panel.canvas.charts] == [CHART_TITLES[k] for k in CHART_KEYS]
    assert bars(board, TRADE_STATUS)["HVAC · Open"] == 2 and bars(board, PRIORITY)["Priority High"] == 3
    assert panel.png_button.isEnabled() and panel.pdf_button.isEnabled()


# -- clicking ------------------------------------------------------------------------------


def test_clicking_a_trade_and_status_bar_shows_exactly_those_issues_with_the_panels_filters(win, board, site):
    ids = site[1]
    click_bar(board, bar(board, TRADE_STATUS, "HVAC · Open"))
    panel = win.issue_features.panel
    wait_until(lambda: numbers(shown_issue_ids(win), ids) == [2, 5], what="the HVAC open issues")
    assert (panel.combos["trade"].currentData(), panel.combos["status"].currentData()) == ("CVC", "Open")
    assert panel.restricted_ids is None and win.issue_features.issues_dock.isVisible()


def test_clicking_a_priority_slice_shows_the_open_issues_of_that_priority(win, board, site):
    click_bar(board, bar(board, PRIORITY, "Priority Critical"))
    wait_until(lambda: numbers(shown_issue_ids(win), site[1]) == [9, 19], what="the critical open issues")
    assert win.issue_features.panel.combos["priority"].currentData() == "Critical"


def test_clicking_an_at_risk_bar_narrows_the_panel_to_those_issues_with_a_chip(win, board, site):
    click_bar(board, bar(board, DEADLINES, "Electrical · at risk"))
    panel = win.issue_features.panel
    wait_until(lambda: numbers(shown_issue_ids(win), site[1]) == [7], what="the at-risk electrical issue")
    assert panel.restriction.isVisible() and "Electrical · at risk" in panel.restriction.text()
    assert panel.combos["trade"].currentData() == "ELE"


def test_picking_a_week_shows_the_issues_opened_that_week_and_clears_the_earlier_choice(win, board, site):
    panel = win.issue_features.panel
    panel.set_choice("priority", "Low")
    week = bar(board, TREND, "Opened in 2026-W03")
    board.panel.canvas.on_pick(SimpleNamespace(artist=week.artist, mouseevent=None))
    wait_until(lambda: numbers(shown_issue_ids(win), site[1]) == [5, 8, 9, 13, 19], what="week 3's issues")
    assert panel.combos["priority"].currentData() == ""


def test_picking_a_check_run_bar_brings_the_checks_dock_forward(win, board):
    chart = board.panel.canvas.chart("pass_rate")
    board.panel.canvas.on_pick(SimpleNamespace(artist=chart.bars[0].artist, mouseevent=None))
    assert win.check_features.dock.isVisible()
    assert "Check run #" in win.statusBar().currentMessage()


# -- filters -------------------------------------------------------------------------------


def test_choosing_a_trade_narrows_every_chart(board):
    filters = board.panel.filters
    wait_shown(board, lambda: (filters.trade.setCurrentIndex(filters.trade.findData("STR")),
                               filters.trade.activated.emit(filters.trade.currentIndex())))
    assert bars(board, TRADE_STATUS) == {"Structure · Open": 1, "Structure · In progress": 1}
    assert board.panel.summary.text().startswith("2 open issues")
    assert "Trades: Structure" in board.panel.note.text()


def test_a_date_range_keeps_issues_created_in_it_and_bars_then_name_their_issues(win, board, site):
    first, last = (T0 + 7 * DAY).astimezone(), (T0 + 13 * DAY).astimezone()
    wait_shown(board, lambda: board.panel.filters.set_dates(QDate(first.year, first.month, first.day),
                                                            QDate(last.year, last.month, last.day)))
    assert bars(board, PRIORITY) == {"Priority Critical": 2, "Priority High": 2, "Priority Low": 1}
    click_bar(board, bar(board, PRIORITY, "Priority High"))
    wait_until(lambda: numbers(shown_issue_ids(win), site[1]) == [8, 13], what="the high issues of the range")
    assert win.issue_features.panel.restricted_ids is not None


def test_the_quick_periods_set_both_dates(board):
    filters = board.panel.filters
    filters.set_period("4w", today=QDate(2026, 3, 31), emit=False)
    assert (filters.start.date(), filters.end.date()) == (QDate(2026, 3, 4), QDate(2026, 3, 31))
    filters.set_period("3m", today=QDate(2026, 3, 31), emit=False)
    assert filters.start.date() == QDate(2026, 1, 1) and filters.start.isEnabled()
    filters.set_period("all", emit=False)
    assert filters.current_filter().start is None and not filters.start.isEnabled()


def test_a_model_version_keeps_the_issues_and_check_runs_on_it(board):
    combo = board.panel.filters.model
    wait_until(lambda: combo.count() > 1, what="the model versions")
    index = next(i for i in range(combo.count()) if combo.itemText(i).strip().startswith(STRUCTURE_FILE + " v1"))
    wait_shown(board, lambda: (combo.setCurrentIndex(index), combo.activated.emit(index)))
    assert bars(board, TRADE_STATUS) == {"Structure · Open": 1, "Structure · In progress": 1}
    assert len(board.panel.canvas.chart("pass_rate").bars) == 1
    assert "Models: " + STRUCTURE_FILE in board.panel.note.text()


# -- exports -------------------------------------------------------------------------------


def export(qtbot, board, monkeypatch, path, button):
    """Click an export button, answer the file dialog with ``path`` and wait for the file."""
    monkeypatch.setattr("ui.board_features.QFileDialog.getSaveFileName", lambda *_a, **_k: (str(path), ""))
    # waitSignal runs a real event loop, which lets the rendering thread run (qWait would starve it)
    with qtbot.waitSignal(board.exported, timeout=60_000) as written:
        button.click()
    return written.args[0]


def test_export_png_writes_one_image_of_the_board(qtbot, board, monkeypatch, tmp_path):
    written = export(qtbot, board, monkeypatch, tmp_path / "board", board.panel.png_button)
    assert written.endswith("board.png")
    assert (tmp_path / "board.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_export_pdf_has_a_title_page_with_the_filters_then_one_page_per_chart(qtbot, board, monkeypatch, tmp_path):
    filters = board.panel.filters
    wait_shown(board, lambda: (filters.label.setCurrentIndex(filters.label.findData("Openings")),
                               filters.label.activated.emit(filters.label.currentIndex())))
    export(qtbot, board, monkeypatch, tmp_path / "board.pdf", board.panel.pdf_button)
    reader = PdfReader(io.BytesIO((tmp_path / "board.pdf").read_bytes()))
    assert len(reader.pages) == 7
    title = reader.pages[0].extract_text()
    assert "board" in title and "Labels: Openings" in title and "2026-01-22" in title
    assert [CHART_TITLES[k] in page.extract_text() for page, k in zip(reader.pages[1:], CHART_KEYS)] == [True] * 6


def test_an_export_that_cannot_be_written_says_which_file(qtbot, board, monkeypatch, tmp_path):
    monkeypatch.setattr("ui.board_features.QFileDialog.getSaveFileName",
                        lambda *_a, **_k: (str(tmp_path / "gone" / "board.png"), ""))
    with qtbot.waitSignal(board.export_failed, timeout=60_000) as failed:
        board.panel.png_button.click()
    assert "gone" in failed.args[0] and board.prompt.isVisible()
    board.prompt.choose("ok")


# -- changes -------------------------------------------------------------------------------


def test_an_issue_added_on_another_workstation_appears_on_the_board(board, other):
    before = board.panel.summary.text()
    wait_shown(board, lambda: other.issues.create(Issue(title="Sleeve missing", responsible_trade="VRD",
                                                        creation_date=NOW - DAY), "bob"))
    assert before.startswith("13 open") and board.panel.summary.text().startswith("14 open")
    assert bars(board, TRADE_STATUS)["Site works and utilities · Open"] == 1
    assert len(other.issues.list_rows(IssueFilter(trades=("VRD",)))) == 1


def test_an_empty_project_says_no_issues_and_closing_it_greys_the_board_out(qtbot, window, tmp_path):
    features = window.board_features
    features.clock = lambda: NOW
    wait_shown(features, lambda: (window.issue_features.open_project(tmp_path / "empty.synthese", create=True),
                                  features.open_dashboard()))
    chart = features.panel.canvas.chart(TRADE_STATUS)
    assert chart.empty and [t.get_text() for t in chart.axes.texts] == ["No issues"]
    assert features.panel.summary.text().startswith("0 open issues")
    window.issue_features.close_project()
    assert features.panel.summary.text() == "No project open" and not features.panel.png_button.isEnabled()
