"""The Hit parade dock and the heat-map in the real window, on a project with the demo models and the demo's issues.

One window and one project serve the module (opening it and loading the models is the
slow part); each test puts the dock in the state it needs.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from bim.demo import element_global_id
from project_db import open_project
from tests.ui.conftest import close_main_window, open_window_on_project, project_with_demo_issues, wait_until
from ui.hit_parade_panel import TRADES_ROLE
from viewer import colours
from viewer.heatmap import RAMP

POLL_MS = 150
# The demo's example issues by storey (their linked elements' storeys; the tray in no
# storey counts on R+1, the storey the demo filed it on).
RDC_TITLES = {"Supply duct runs through beam B1", "Cable tray too close under duct 1a",
              "Confirm reservation in beam B1 for the supply duct", "Cable tray passes through column C3",
              "Water pipe crosses partition P1 without an opening", "Reroute the grid C cable tray around column C3",
              "Door D02 too narrow for an accessible ERP"}
R1_OPEN_TITLES = {"Water pipe of room A has no material", "Cable tray of room B is in no storey",
                  "External wall E of R+1 has no fire rating"}
R1_CLOSED_TITLE = "Space of R+1 without number or name"
MODEL_IDS = {"ARC": "demo-ARC-architecture", "STR": "demo-STR-structure", "CVC": "demo-CVC-hvac",
             "PLB": "demo-PLB-plumbing", "ELE": "demo-ELE-electrical"}


@pytest.fixture(scope="module")
def project_path(tmp_path_factory, demo_project):
    """The five demo models and the demo's eleven example issues (written as the demo project writes them)."""
    return project_with_demo_issues(tmp_path_factory.mktemp("project") / "site.synthese", demo_project,
                                    "demo@synthese.example")


@pytest.fixture(scope="module")
def win(qapp, project_path):
    window = open_window_on_project(project_path, POLL_MS)
    features = window.hit_parade_features
    wait_until(lambda: features.parade is not None and features.is_idle, what="the first ranking")
    features.show_dock()
    yield window
    close_main_window(window)


@pytest.fixture
def hits(win):
    """The hit parade, storeys by open issues, heat-map off and the issues panel showing everything."""
    features = win.hit_parade_features
    features.panel.set_heat(False)
    features.panel.set_level("storey")
    features.panel.set_measure("open")
    win.issue_features.panel.clear_filters()
    win.select([])
    return features


def key(trade: str, element: str):
    return (MODEL_IDS[trade], element_global_id(trade, element))


def table_rows(panel):
    """The table as the user reads it: (place, open, all, recurring) per shown row."""
    proxy = panel.proxy
    return [tuple(proxy.index(r, c).data() for c in (1, 2, 3, 4)) for r in range(proxy.rowCount())]


def click_row(qtbot, panel, place: str):
    rect = panel.row_rect(place)
    assert rect is not None, f"{place} is not in the table"
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())


def shown_titles(win):
    return {row.title for row in win.issue_features.panel.model.rows}


def drawn_colour(win, element_key):
    """The colour the 3D view draws an element in (its first cell, opaque or ghosted)."""
    scene = win.scene
    handle = scene.handle_for_key(element_key)
    for bucket in scene.geometry(element_key[0]).buckets:
        cells = np.flatnonzero(bucket.handles == handle)
        if len(cells):
            return tuple(int(c) for c in bucket.rgba[cells[0]][:3])
    raise AssertionError(f"{element_key} is not drawn")


def legend_texts(win):
    return [win.legend.item(i).text() for i in range(win.legend.count())]


def test_the_dock_ranks_the_demo_storeys_with_their_open_all_and_recurring_issues(hits):
    assert table_rows(hits.panel) == [("RDC", "7", "7", "0"), ("R+1", "3", "4", "0")]
    assert hits.panel.summary.text().startswith("11 issues · 10 open · 0 recurring")
    assert hits.dock.isVisible()


def test_the_trade_breakdown_of_a_storey_counts_its_issues_per_responsible_trade(hits):
    rdc = hits.parade.row("storey", "RDC")
    assert rdc.by_trade == {"CVC": 2, "STR": 2, "PLB": 1, "ELE": 1, "ARC": 1}
    bar = hits.panel.proxy.index(0, 5).data(TRADES_ROLE)
    assert [(code, count) for code, count, _colour in bar] == [("ARC", 1), ("CVC", 2), ("ELE", 1), ("PLB", 1),
                                                                ("STR", 2)]


def test_clicking_a_storey_lists_exactly_its_issues_and_selects_its_elements(qtbot, win, hits):
    features = win.issue_features
    click_row(qtbot, hits.panel, "R+1")
    wait_until(lambda: shown_titles(win) == R1_OPEN_TITLES, what="the R+1 issues")
    assert "R+1" in features.panel.restriction.text()
    selection = win.scene.selection
    assert key("ARC", "R+1/wall-E") in selection and key("PLB", "R+1/pipe-A1") in selection
    assert key("STR", "RDC/beam-B1") not in selection

    hits.panel.set_measure("total")
    click_row(qtbot, hits.panel, "R+1")
    wait_until(lambda: shown_titles(win) == R1_OPEN_TITLES | {R1_CLOSED_TITLE}, what="all R+1 issues")
    features.panel.clear_restriction()
    wait_until(lambda: len(shown_titles(win)) == 11, what="every issue again")


def test_the_heat_map_colours_the_hottest_element_hottest_and_fills_the_legend(win, hits):
    hits.panel.set_level("element")
    hits.panel.heat_button.click()
    tray_in_column = key("ELE", "RDC/tray-COL")  # two open issues: the most of any element
    assert drawn_colour(win, tray_in_column) == RAMP[-1]
    assert drawn_colour(win, key("PLB", "R+1/pipe-A1")) == RAMP[0]
    assert drawn_colour(win, key("STR", "RDC/beam-B2")) == colours.GHOST_RGBA[:3]  # no issue: seen through
    assert legend_texts(win) == ["Open issues per element", "2 issues", "1 issue", "no issues"]
    assert win.legend_dock.isVisible()

    hits.panel.see_through.setChecked(False)
    assert drawn_colour(win, key("STR", "RDC/beam-B2")) == colours.NEUTRAL

    hits.panel.heat_button.click()
    assert not win.scene.colouring_active and not win.scene.xray
    assert drawn_colour(win, key("STR", "RDC/beam-B2")) not in (colours.NEUTRAL, colours.GHOST_RGBA[:3])
    assert legend_texts(win) == []
    hits.panel.see_through.setChecked(True)


def test_with_the_heat_map_on_picking_an_element_lists_the_issues_of_its_storey(win, hits):
    hits.panel.heat_button.click()
    assert drawn_colour(win, key("ARC", "RDC/wall-P1")) == RAMP[-1]  # RDC: seven open issues
    win.viewport.element_clicked.emit(key("ARC", "R+1/wall-E"), False)
    wait_until(lambda: shown_titles(win) == R1_OPEN_TITLES, what="the issues of the picked element's storey")
    assert hits.panel.current_key() == "R+1"
    hits.panel.heat_button.click()


def test_choosing_another_colouring_switches_the_heat_map_off(win, hits):
    hits.panel.heat_button.click()
    win.colour_combo.setCurrentIndex(win.colour_combo.findData("class"))
    win.colour_combo.activated.emit(win.colour_combo.currentIndex())
    assert not hits.panel.heat_on and not hits.heat.active
    assert "no issues" not in legend_texts(win)
    win.colour_by("none")


def test_an_issue_closed_then_reopened_by_someone_else_counts_as_recurring(win, hits, project_path):
    with open_project(project_path) as other:
        closed = next(i for i in other.issues.get_many() if i.title == R1_CLOSED_TITLE)
        other.issues.save(replace(closed, status="Open"), "someone else")
    wait_until(lambda: hits.is_idle and ("R+1", "4", "4", "1") in table_rows(hits.panel), what="the recount")
    hits.panel.set_measure("recurring")
    assert table_rows(hits.panel) == [("R+1", "4", "4", "1")]


def test_the_dock_is_in_the_panels_menu_and_the_coordination_menu(win, hits):
    from ui.menus import coordination_menu, panels_menu

    assert hits.dock.toggleViewAction() in panels_menu(win).actions()
    assert hits.show_action in coordination_menu(win).actions()
    hits.dock.hide()
    hits.show_action.trigger()
    assert hits.dock.isVisible()
