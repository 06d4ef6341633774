"""Coordination issues in the real window: a project with the five demo models, driven as a user would.

One window and one project serve the whole module (opening a project and loading its
models is the slow part); each test sets up the view and the issue it needs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from bim.demo import element_global_id
from project_db.errors import DatabaseUnavailable
from project_db.records import Issue, IssueFilter
from tests.ui.conftest import (
    TRADES, close_main_window, open_window_on_project, project_with_demo_models, wait_until,
)

POLL_MS = 150


@pytest.fixture(scope="module")
def project_path(tmp_path_factory, demo_project):
    """A project with the five demo models registered, as a coordinator would have set it up."""
    return project_with_demo_models(tmp_path_factory.mktemp("project") / "site.synthese", demo_project)


@pytest.fixture(scope="module")
def win(qapp, project_path):
    """The main window with the project open and its models loaded."""
    window = open_window_on_project(project_path, POLL_MS)
    yield window
    close_main_window(window)


def key(trade: str, element: str):
    return (window_model_id(trade), element_global_id(trade, element))


def window_model_id(trade: str) -> str:
    names = {"ARC": "architecture", "STR": "structure", "CVC": "hvac", "PLB": "plumbing", "ELE": "electrical"}
    return f"demo-{trade}-{names[trade]}"


def shown_rows(window):
    return window.issue_features.panel.model.rows


def create_issue(window, title: str, selection) -> Issue:
    """Select ``selection``, use "New issue from current view" and accept the proposed values."""
    features = window.issue_features
    window.select(selection)
    features.new_issue_action.trigger()
    dialog = features.new_issue_dialog
    dialog.title.setText(title)
    with_title = []
    features.created.connect(with_title.append)
    dialog.accept()
    wait_until(lambda: with_title and any(r.title == title for r in shown_rows(window))
               and features.detail.issue_id == with_title[0].id, what="the new issue")
    return with_title[0]


def test_opening_a_project_loads_its_registered_models_with_their_trades(win):
    assert sorted(m.trade for m in win.federation) == sorted(TRADES)
    assert win.issue_features.panel.table.isEnabled()
    assert "site" in win.windowTitle()


def test_a_new_issue_from_the_view_links_the_selection_and_proposes_its_trade(win, other):
    duct = key("CVC", "RDC/duct-N")
    win.select([duct])
    win.issue_features.new_issue_action.trigger()
    dialog = win.issue_features.new_issue_dialog
    assert dialog.trade.currentData() == "CVC"
    dialog.reject()

    issue = create_issue(win, "Duct through beam B1", [duct, key("STR", "RDC/beam-B1")])
    row = next(r for r in shown_rows(win) if r.id == issue.id)
    assert row.responsible_trade in ("CVC", "STR") and row.viewpoint_count == 1
    stored = other.issues.detail(issue.id)
    assert {(e.global_id, e.model) for e in stored.issue.linked_elements} == {
        (duct[1], "demo-CVC-hvac.ifc"), (element_global_id("STR", "RDC/beam-B1"), "demo-STR-structure.ifc")}
    assert set(stored.issue.involved_trades) | {stored.issue.responsible_trade} == {"CVC", "STR"}
    assert stored.issue.location_storey == "RDC"
    assert stored.viewpoints[0].viewpoint.snapshot_png.startswith(b"\x89PNG")
    assert {r.global_id for r in stored.viewpoints[0].viewpoint.selection} == {e.global_id for e in
                                                                             stored.issue.linked_elements}


def test_editing_and_saving_an_issue_shows_old_and_new_in_its_history(qtbot, win):
    create_issue(win, "Pipe crosses partition", [key("PLB", "RDC/pipe-EF")])
    detail = win.issue_features.detail
    detail.form.status.setCurrentIndex(detail.form.status.findData("In Progress"))
    assert detail.save_button.isEnabled()
    qtbot.mouseClick(detail.save_button, Qt.LeftButton)
    wait_until(lambda: not detail.is_dirty and detail.detail.issue.status == "In Progress", what="the save")
    history = [detail.history.topLevelItem(i) for i in range(detail.history.topLevelItemCount())]
    changes = {item.text(2): item.text(3) for item in history}
    assert changes["Status"] == "Open → In Progress"
    assert history[0].text(1) == win.issue_features.session.author


def test_a_comment_joins_the_thread(qtbot, win):
    create_issue(win, "Tray through column C3", [key("ELE", "RDC/tray-COL")])
    detail = win.issue_features.detail
    detail.comment_text.setPlainText("Reroute under the beam, please.")
    qtbot.mouseClick(detail.comment_button, Qt.LeftButton)
    wait_until(lambda: len(detail.detail.comments) == 1, what="the comment")
    assert "Reroute under the beam" in detail.comments.toPlainText()
    assert detail.comment_text.toPlainText() == ""
    assert detail.tabs.tabText(1) == "Comments (1)"


def test_clicking_a_viewpoint_restores_camera_visibility_colours_and_selection(qtbot, win):
    columns = [k for k, r, _m in win.federation.elements() if r.ifc_class == "IfcColumn"]
    win.colour_by("class")
    win.select(columns)
    win.isolate_selection()
    win.set_view("left")
    create_issue(win, "Columns to check", columns[:1])
    detail = win.issue_features.detail
    saved = detail.detail.viewpoints[0].viewpoint

    win.show_all()
    win.colour_by("none")
    win.select([])
    win.set_view("top")
    item = detail.viewpoint_item(0)
    rect = detail.viewpoints.visualItemRect(item)
    qtbot.mouseClick(detail.viewpoints.viewport(), Qt.LeftButton, pos=rect.center())

    restored = win.scene.capture_viewpoint(with_snapshot=False)
    assert restored.selection == saved.selection and restored.exceptions == saved.exceptions
    assert restored.default_visibility == saved.default_visibility
    assert restored.colourings == saved.colourings
    assert restored.camera.position == pytest.approx(saved.camera.position, abs=1e-6)
    assert restored.camera.direction == pytest.approx(saved.camera.direction, abs=1e-6)
    assert win.scene.visible_keys() == set(columns)
    win.show_all()
    win.colour_by("none")


def test_a_save_after_someone_else_saved_shows_the_conflict_and_reload_takes_theirs(qtbot, win, other):
    issue = create_issue(win, "Door D02 too narrow", [key("ARC", "RDC/door-D02")])
    detail = win.issue_features.detail
    qtbot.keyClicks(detail.form.title, " (mine)")
    other.issues.save(replace(other.issues.get(issue.id), title="Door D02: widen to 0.93 m"), "alice")
    qtbot.mouseClick(detail.save_button, Qt.LeftButton)
    writer = win.issue_features.writer
    wait_until(lambda: writer.prompt is not None and writer.prompt.isVisible() and "reload" in writer.prompt.choices,
               what="the conflict message")
    assert "alice" in writer.prompt.text()
    assert detail.form.title.text() == "Door D02 too narrow (mine)"  # nothing typed is lost
    writer.prompt.choose("reload")
    wait_until(lambda: detail.form.title.text() == "Door D02: widen to 0.93 m" and not detail.is_dirty,
               what="their version")


def test_merge_after_a_conflict_keeps_both_sides_changes(qtbot, win, other):
    issue = create_issue(win, "Wall E fire rating", [key("ARC", "R+1/wall-E")])
    detail = win.issue_features.detail
    detail.form.priority.setCurrentIndex(detail.form.priority.findData("Critical"))
    other.issues.save(replace(other.issues.get(issue.id), status="Resolved"), "alice")
    qtbot.mouseClick(detail.save_button, Qt.LeftButton)
    writer = win.issue_features.writer
    wait_until(lambda: writer.prompt is not None and writer.prompt.isVisible() and "merge" in writer.prompt.choices,
               what="the conflict message")
    writer.prompt.choose("merge")
    assert detail.form.status.currentData() == "Resolved" and detail.form.priority.currentData() == "Critical"
    assert detail.is_dirty
    qtbot.mouseClick(detail.save_button, Qt.LeftButton)
    wait_until(lambda: not detail.is_dirty and detail.detail.issue.priority == "Critical", what="the merged save")
    stored = other.issues.get(issue.id)
    assert (stored.status, stored.priority) == ("Resolved", "Critical")


def test_a_save_while_the_database_is_down_keeps_the_typing_and_retry_saves_it(qtbot, win, monkeypatch):
    from project_db.issues import IssueRepository

    create_issue(win, "Space B has no name", [key("ARC", "R+1/space-B")])
    detail = win.issue_features.detail
    real_save = IssueRepository.save
    calls = []

    def save_once_unavailable(self, edited, author):
        calls.append(edited.title)
        if len(calls) == 1:
            raise DatabaseUnavailable(self.project.database, "server closed the connection")
        return real_save(self, edited, author)

    monkeypatch.setattr(IssueRepository, "save", save_once_unavailable)
    qtbot.keyClicks(detail.form.title, " - R+1")
    qtbot.mouseClick(detail.save_button, Qt.LeftButton)
    writer = win.issue_features.writer
    wait_until(lambda: writer.prompt is not None and writer.prompt.isVisible() and "retry" in writer.prompt.choices,
               what="the retry offer")
    assert "nothing was written" in writer.prompt.text()
    assert detail.form.title.text() == "Space B has no name - R+1" and detail.is_dirty
    writer.prompt.choose("retry")
    wait_until(lambda: not detail.is_dirty and detail.detail.issue.title == "Space B has no name - R+1",
               what="the retried save")
    assert len(calls) == 2


def test_an_issue_created_on_another_workstation_appears_after_polling(win, other):
    other.issues.create(Issue(title="Sleeve missing in slab", responsible_trade="PLB"), "bob")
    wait_until(lambda: any(r.title == "Sleeve missing in slab" for r in shown_rows(win)), 10,
               "the other workstation's issue")


def test_filters_narrow_the_table_and_the_counts_follow(win, other):
    panel = win.issue_features.panel
    total = len(other.issues.list_rows(IssueFilter()))
    panel.set_choice("trade", "ARC")
    wait_until(lambda: shown_rows(win) and all(r.responsible_trade == "ARC" for r in shown_rows(win)),
               what="the ARC issues")
    assert len(shown_rows(win)) == len(other.issues.list_rows(IssueFilter(trades=("ARC",))))
    assert panel.counts.text().startswith(f"{len(shown_rows(win))} issues")
    panel.clear_filters()
    wait_until(lambda: len(shown_rows(win)) == total, what="every issue again")
    panel.table.sortByColumn(1, Qt.AscendingOrder)
    titles = [shown_rows(win)[panel.model.row_of(i)].title for i in panel.shown_ids()]
    assert titles == sorted(titles, key=str.casefold)


def test_a_subset_picked_elsewhere_shows_as_a_chip_that_brings_every_issue_back(win, other):
    panel = win.issue_features.panel
    total = len(other.issues.list_rows(IssueFilter()))
    wait_until(lambda: len(shown_rows(win)) == total, what="every issue")
    chosen = sorted(r.id for r in other.issues.list_rows(IssueFilter()))[:2]
    panel.restrict_to(chosen, "STR · Open")
    wait_until(lambda: sorted(r.id for r in shown_rows(win)) == chosen, what="only the two chosen issues")
    assert panel.restriction.isVisible() and "STR · Open" in panel.restriction.text()
    panel.restriction.click()
    wait_until(lambda: len(shown_rows(win)) == total, what="every issue again")
    assert not panel.restriction.isVisible()


def test_dropping_a_bcf_file_imports_its_topics_and_reports_the_broken_one(win, tmp_path):
    from tests.project_db.bcf_samples import bcf_21

    broken = "6f0e0c1a-0000-4000-8000-00000000bad1"
    path = bcf_21(tmp_path / "from-solibri.bcfzip", extra={f"{broken}/markup.bcf": "<Markup><Topic"})
    bcf = win.issue_features.bcf
    reports = []
    bcf.imported.connect(reports.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    assert QApplication.sendEvent(win, enter) and enter.isAccepted()
    QApplication.sendEvent(win, QDropEvent(QPointF(200, 200), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    wait_until(lambda: reports, 20, "the import")
    report = reports[0]
    assert report.created == 2 and report.skipped_topics == 1
    assert bcf.message_box.isVisible() and "1 topics could not be imported" in bcf.message_box.text()
    assert broken in bcf.message_box.detailedText()
    wait_until(lambda: any("poutre" in r.title for r in shown_rows(win)), what="the imported topics")
    bcf.message_box.accept()


def test_exporting_one_trade_as_bcf_21_writes_only_its_issues(win, other, tmp_path):
    bcf = win.issue_features.bcf
    reports = []
    bcf.exported.connect(reports.append)
    bcf.export(tmp_path / "arc.bcf", "2.1", "ARC")
    wait_until(lambda: reports, 20, "the export")
    assert reports[0].version == "2.1"
    assert reports[0].topics == len(other.issues.list_rows(IssueFilter(trades=("ARC",))))
    assert (tmp_path / "arc.bcf").stat().st_size > 0


def test_a_model_version_registered_on_another_workstation_replaces_the_shown_one(win, other, demo_project, tmp_path):
    newer = tmp_path / "demo-STR-structure.ifc"
    newer.write_bytes(demo_project.paths["STR"].read_bytes() + b"\n")
    other.models.store_model_file(newer, "STR", "bob")
    model = win.federation.models[window_model_id("STR")]
    wait_until(lambda: win.federation.models[window_model_id("STR")] is not model and not win.is_loading, 60,
               "the new structure model")
    assert win.federation.models[window_model_id("STR")].trade == "STR"
    assert len(win.federation) == 5
