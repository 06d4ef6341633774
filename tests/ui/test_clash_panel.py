"""Clash tests in the real window: a project with the five demo models, driven as a coordinator would.

One window and one project serve the whole module (opening a project and loading
its models is the slow part); the tests run in order, as a coordinator works:
define, run, look, decide, file issues, re-run, reopen.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from bim.demo import element_global_id
from bim.trades import TRADE_BY_CODE
from checks.clash import ClashStatus, Mode
from project_db.records import IssueFilter
from ui.clash_issues import group_fingerprint
from tests.ui.conftest import (
    close_main_window, open_project_and_wait, open_window_on_project, project_with_demo_models, wait_until,
)

MEP_VS_STR_ARC = "MEP vs STR/ARC"
TRAY_VS_DUCT = "ELE vs CVC clearance"


@pytest.fixture(scope="module")
def project_path(tmp_path_factory, demo_project):
    """A project with the five demo models registered."""
    return project_with_demo_models(tmp_path_factory.mktemp("clash-project") / "site.synthese", demo_project)


@pytest.fixture(scope="module")
def win(qapp, project_path):
    """The main window with the project open and its models loaded."""
    window = open_window_on_project(project_path)
    window.clash_features.dock.raise_()
    yield window
    close_main_window(window)


def gid(trade: str, element: str) -> str:
    return element_global_id(trade, element)


def panel(window):
    return window.clash_features.panel


def shown_pairs(window) -> set[frozenset[str]]:
    """The clashes listed, each as the pair of its elements' GlobalIds."""
    features = window.clash_features
    return {frozenset((features.clash(i.data(0, Qt.UserRole)).a.global_id,
                       features.clash(i.data(0, Qt.UserRole)).b.global_id)) for i in panel(window).clash_items()}


def tick(checklist, codes) -> None:
    for row in range(checklist.count()):
        item = checklist.item(row)
        if item.data(Qt.UserRole) in codes:
            item.setCheckState(Qt.Checked)


def define_test(window, name: str, side_a, side_b, mode=Mode.HARD, millimetres: float = 10.0) -> None:
    """Press New…, fill in the editor as a user would, save, and wait for the test to be listed and chosen."""
    QTest.mouseClick(panel(window).new_button, Qt.LeftButton)
    dialog = window.clash_features.dialog
    dialog.name.setText(name)
    tick(dialog.side_a.trades, side_a)
    tick(dialog.side_b.trades, side_b)
    dialog.set_mode(mode, millimetres)
    dialog.buttons.button(QDialogButtonBox.Save).click()
    wait_until(lambda: panel(window).current_test() == name, what=f"the test {name} listed")


def run_and_wait(window) -> None:
    features = window.clash_features
    runs = []
    features.run_finished.connect(runs.append)
    try:
        QTest.mouseClick(panel(window).run_button, Qt.LeftButton)
        wait_until(lambda: runs, what="the clash run")
        wait_until(lambda: features.state.current is runs[0], what="the run's results")
    finally:
        features.run_finished.disconnect(runs.append)


def file_issues(window, trade_choice: str | None = None, all_open: bool = True):
    """Press an issue button, accept the trade dialog (optionally choosing a trade), wait for the report."""
    features = window.clash_features
    reports = []
    features.issues_filed.connect(reports.append)
    try:
        button = panel(window).all_issues_button if all_open else panel(window).issue_button
        QTest.mouseClick(button, Qt.LeftButton)
        dialog = features.assign_dialog
        if trade_choice:
            dialog.choose(trade_choice)
        dialog.accept()
        wait_until(lambda: reports, what="the issues filed")
    finally:
        features.issues_filed.disconnect(reports.append)
    return reports[0]


def click_clash(window, clash_id: str) -> None:
    tree = panel(window).tree
    item = next(i for i in panel(window).clash_items() if i.data(0, Qt.UserRole) == clash_id)
    tree.scrollToItem(item)
    QTest.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(item).center())


def clash_issues(project):
    return [i for i in project.issues.get_many() if i.origin == "clash"]


def test_a_test_defined_in_the_manager_is_shared_in_the_project(win, other):
    define_test(win, MEP_VS_STR_ARC, ("CVC", "PLB", "ELE"), ("STR", "ARC"))
    stored = other.clash_tests.get_test(MEP_VS_STR_ARC)
    assert stored["a"]["trades"] == ["CVC", "PLB", "ELE"] and stored["b"]["trades"] == ["ARC", "STR"]
    assert stored["mode"] == "hard" and stored["tolerance"] == pytest.approx(0.010)
    assert panel(win).summary.text() == "Not run yet: press Run."


def test_a_misspelt_class_is_reported_in_the_editor_and_nothing_is_saved(win, other):
    QTest.mouseClick(panel(win).new_button, Qt.LeftButton)
    dialog = win.clash_features.dialog
    dialog.name.setText("Ducts vs walls")
    dialog.side_a.classes.setText("IfcDuctSegmnt")
    dialog.buttons.button(QDialogButtonBox.Save).click()
    assert dialog.isVisible() and "IfcDuctSegmnt" in dialog.error.text()
    dialog.name.setText(MEP_VS_STR_ARC)
    dialog.side_a.classes.setText("IfcDuctSegment")
    dialog.buttons.button(QDialogButtonBox.Save).click()
    assert dialog.isVisible() and "already exists" in dialog.error.text()
    dialog.reject()
    assert [t.name for t in other.clash_tests.list_tests()] == [MEP_VS_STR_ARC]


def test_running_it_lists_exactly_the_demo_hard_clashes_as_new(win, other, demo_project):
    run_and_wait(win)
    expected = {frozenset((c.global_id_a, c.global_id_b)) for c in demo_project.expected_clashes if c.kind == "hard"}
    assert len(expected) == 3
    assert shown_pairs(win) == expected
    assert {item.text(1) for item in panel(win).clash_items()} == {"new"}
    assert panel(win).summary.text().startswith("MEP vs STR/ARC: 3 clashes (new 3)")
    assert [r.clash_count for r in other.clash_tests.runs(MEP_VS_STR_ARC)] == [3]


def test_cancelling_a_run_keeps_the_results_and_stores_nothing(win, other, monkeypatch):
    import ui.clash_features

    real_run = ui.clash_features.run_clash_test

    def run_until_cancelled(test, models, progress=None, cancel=None):
        # A run long enough for the user to press Cancel while it is going.
        deadline = time.monotonic() + 10
        while not cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real_run(test, models, progress=progress, cancel=cancel)

    monkeypatch.setattr(ui.clash_features, "run_clash_test", run_until_cancelled)
    features = win.clash_features
    QTest.mouseClick(panel(win).run_button, Qt.LeftButton)
    assert panel(win).cancel_button.isVisible() and not panel(win).run_button.isEnabled()
    QTest.mouseClick(panel(win).cancel_button, Qt.LeftButton)
    wait_until(lambda: features.task is None, what="the cancelled run")
    assert "cancelled" in win.statusBar().currentMessage()
    assert len(panel(win).clash_items()) == 3
    assert len(other.clash_tests.runs(MEP_VS_STR_ARC)) == 1


def test_grouping_by_trades_counts_each_trade_pair(win):
    panel(win).group_by.setCurrentIndex(panel(win).group_by.findData("trades"))
    groups = {item.text(0) for item in panel(win).group_items()}
    assert groups == {"ELE × STR (1)", "ARC × PLB (1)", "CVC × STR (1)"}
    panel(win).group_by.setCurrentIndex(panel(win).group_by.findData("storey"))
    assert [item.text(0) for item in panel(win).group_items()] == ["RDC (3)"]
    panel(win).group_by.setCurrentIndex(panel(win).group_by.findData("types"))


def test_selecting_a_clash_shows_the_pair_in_trade_colours_over_an_xrayed_model_and_marks_it(win):
    duct, beam = gid("CVC", "RDC/duct-N"), gid("STR", "RDC/beam-B1")
    clash = next(c for c in win.clash_features.state.current.clashes if {c.a.global_id, c.b.global_id} == {duct, beam})
    scene, camera = win.scene, win.scene.renderer.GetActiveCamera()
    win.fit_all()
    whole_building = camera.GetDistance()

    click_clash(win, clash.id)
    pair = {("demo-CVC-hvac", duct), ("demo-STR-structure", beam)}
    assert scene.xray and not scene.xrayed_keys() & pair
    assert len(scene.xrayed_keys()) > 20
    assert scene.colour_mapping == {("demo-CVC-hvac", duct): TRADE_BY_CODE["CVC"].colour,
                                    ("demo-STR-structure", beam): TRADE_BY_CODE["STR"].colour}
    assert scene.markers == (clash.point,)
    # Framed: the camera looks at the clash point, from much closer than the whole building.
    assert np.array(camera.GetFocalPoint()) + scene.origin == pytest.approx(clash.point, abs=1e-3)
    assert camera.GetDistance() < whole_building / 2

    panel(win).tree.clearSelection()
    assert scene.markers == () and not scene.xray and not scene.colouring_active


def test_issues_from_all_clashes_go_to_the_trade_of_side_b_with_a_viewpoint(win, other):
    report = file_issues(win)
    assert len(report.created) == 3 and report.existing == 0
    issues = clash_issues(other)
    by_fingerprint = {i.fingerprint: i for i in issues}
    assert set(by_fingerprint) == {c.id for c in win.clash_features.state.current.clashes}
    for clash in win.clash_features.state.current.clashes:
        issue = by_fingerprint[clash.id]
        assert issue.responsible_trade == clash.b.trade and issue.involved_trades == (clash.a.trade,)
        assert issue.topic_type == "Clash" and issue.origin_detail == MEP_VS_STR_ARC
        assert {e.global_id for e in issue.linked_elements} == {clash.a.global_id, clash.b.global_id}
        detail = other.issues.detail(issue.id)
        viewpoint = detail.viewpoints[0].viewpoint
        assert viewpoint.snapshot_png.startswith(b"\x89PNG")
        assert {r.global_id for r in viewpoint.selection} == {clash.a.global_id, clash.b.global_id}
    wait_until(lambda: sum(r.origin == "clash" for r in win.issue_features.panel.model.rows) == 3,
               what="the issues in the issues panel")


def test_a_rerun_shows_the_clashes_active_and_files_no_new_issue(win, other):
    run_and_wait(win)
    assert {item.text(1) for item in panel(win).clash_items()} == {"active"}
    report = file_issues(win)
    assert report.created == () and report.existing == 3
    assert len(clash_issues(other)) == 3
    assert "3 already filed" in win.statusBar().currentMessage()


def test_an_ignored_clash_stays_ignored_after_a_rerun_and_gets_no_issue(win, other):
    features = win.clash_features
    tray = gid("ELE", "RDC/tray-COL")
    clash_id = next(c.id for c in features.state.current.clashes if tray in (c.a.global_id, c.b.global_id))
    click_clash(win, clash_id)
    QTest.mouseClick(panel(win).ignore_button, Qt.LeftButton)
    wait_until(lambda: features.report and features.status_of(clash_id) is ClashStatus.IGNORED, what="ignored")
    assert other.clash_tests.decisions(MEP_VS_STR_ARC) == {clash_id: "ignored"}
    run_and_wait(win)
    assert features.status_of(clash_id) is ClashStatus.IGNORED
    assert clash_id not in features._open_clash_ids()


def test_a_manual_group_survives_a_rerun_and_files_one_issue_for_the_group(win, other):
    features = win.clash_features
    ids = [c.id for c in features.state.current.clashes if features.status_of(c.id) is ClashStatus.ACTIVE]
    assert len(ids) == 2
    tree = panel(win).tree
    tree.clearSelection()
    for item in panel(win).clash_items():
        item.setSelected(item.data(0, Qt.UserRole) in ids)
    dialog = features.ask_group_name()
    dialog.setTextValue("Plant room")
    dialog.accept()
    panel(win).group_by.setCurrentIndex(panel(win).group_by.findData("manual"))
    wait_until(lambda: "Plant room (2)" in [g.text(0) for g in panel(win).group_items()], what="the manual group")
    run_and_wait(win)
    assert "Plant room (2)" in [g.text(0) for g in panel(win).group_items()]

    tree.clearSelection()
    group_item = next(g for g in panel(win).group_items() if g.text(0) == "Plant room (2)")
    group_item.setSelected(True)
    report = file_issues(win, trade_choice="CVC", all_open=False)
    assert len(report.created) == 1
    issue = other.issues.get(report.created[0].id)
    assert issue.fingerprint == group_fingerprint("Plant room", ids)
    assert issue.responsible_trade == "CVC" and len(issue.linked_elements) == 4
    assert len(other.issues.list_rows(IssueFilter(origins=("clash",)))) == 4


def test_a_clearance_test_at_50_mm_finds_the_tray_30_mm_under_the_duct(win):
    define_test(win, TRAY_VS_DUCT, ("ELE",), ("CVC",), Mode.CLEARANCE, 50.0)
    run_and_wait(win)
    assert shown_pairs(win) == {frozenset((gid("ELE", "RDC/tray-CLR"), gid("CVC", "RDC/duct-1a")))}
    assert [item.text(2) for item in panel(win).clash_items()] == ["30 mm apart"]


def test_saved_tests_and_their_last_run_are_there_after_reopening_the_project(win, project_path):
    features = win.clash_features
    features.session.close()
    assert panel(win).test_names() == [] and not panel(win).new_button.isEnabled()
    open_project_and_wait(win, project_path)
    wait_until(lambda: panel(win).test_names() == [TRAY_VS_DUCT, MEP_VS_STR_ARC], what="the stored tests")
    panel(win).tests.setCurrentIndex(panel(win).tests.findData(MEP_VS_STR_ARC))
    wait_until(lambda: len(panel(win).clash_items()) == 3, what="the last run")
    statuses = sorted(features.status_of(c.id).value for c in features.state.current.clashes)
    assert statuses == ["active", "active", "ignored"]


def test_deleting_a_test_takes_it_off_the_list_for_everyone(win, other):
    panel(win).tests.setCurrentIndex(panel(win).tests.findData(TRAY_VS_DUCT))
    QTest.mouseClick(panel(win).delete_button, Qt.LeftButton)
    win.clash_features.prompt.choose("delete")
    wait_until(lambda: panel(win).test_names() == [MEP_VS_STR_ARC], what="the test gone")
    assert [t.name for t in other.clash_tests.list_tests()] == [MEP_VS_STR_ARC]
