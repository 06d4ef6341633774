"""Coordination meetings in the real window, on the demo project: prepare, hold with the keyboard, end with minutes.

One window and one project (the five demo models, the demo's example issues with
their viewpoints) serve the module; each test prepares the meeting it needs through
the New meeting dialog, with an agenda of its own trades so the tests do not step
on each other's issues.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader

from project_db.errors import DatabaseUnavailable
from project_db.records import Meeting, MeetingItem
from tests.ui.conftest import close_main_window, open_window_on_project, project_with_demo_issues, wait_until

POLL_MS = 150
CVC_AND_ARC_BY_DUE_DATE = (  # the open CVC and ARC issues of the demo, earliest due date first
    "Door D02 too narrow for an accessible ERP",  # overdue by 5 days
    "Supply duct runs through beam B1",  # overdue by 3 days
    "Cable tray too close under duct 1a",  # due in 10 days
    "External wall E of R+1 has no fire rating",  # due in 14 days
)


@pytest.fixture(scope="module")
def project_path(tmp_path_factory, demo_project):
    """The demo models registered and the demo's example issues written, as the demo project has them."""
    return project_with_demo_issues(tmp_path_factory.mktemp("meetings") / "site.synthese", demo_project)


@pytest.fixture(scope="module")
def win(qapp, project_path):
    """The main window with the project open, its models loaded and the example issues' viewpoints made."""
    window = open_window_on_project(project_path, POLL_MS)
    features = window.issue_features
    features.demo_viewpoints.start()
    wait_until(lambda: not features.demo_viewpoints.running, 60, "the demo viewpoints")
    yield window
    close_main_window(window)


def titles_by_id(project) -> dict[int, str]:
    return {row.id: row.title for row in project.issues.list_rows()}


def prepare(win, trades, order="number"):
    """Open New meeting…, tick ``trades``, choose ``order`` and wait for the agenda preview."""
    features = win.meeting_features
    features.new_meeting_action.trigger()
    dialog = features.setup_dialog
    dialog.trades.set_checked(trades)
    dialog.order.setCurrentIndex(dialog.order.findData(order))
    wait_until(lambda: dialog.preview_ready and dialog.start_button.isEnabled(), what="the agenda preview")
    return dialog


def close_leftover_prompts():
    """Earlier tests may leave their last (modal) message open; the keyboard must reach the meeting view."""
    from ui.prompts import Prompt

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, Prompt) and widget.isVisible():
            widget.reject()  # close() is ignored by a message box without a Cancel-like button


def hold(win, trades, order="number"):
    """Prepare a meeting on ``trades`` and start it; returns it once its first issue is shown."""
    features = win.meeting_features
    close_leftover_prompts()
    dialog = prepare(win, trades, order)
    opened = []
    features.meeting_opened.connect(opened.append)
    dialog.start_button.click()
    wait_until(lambda: opened and features.run.detail is not None
               and features.run.detail.issue.id == opened[0].items[features.run.index].issue_id,
               what="the meeting's first issue")
    features.meeting_opened.disconnect(opened.append)
    win.activateWindow()
    QTest.qWaitForWindowActive(win)
    features.view.focus_form()
    return opened[0]


def camera_position(win):
    return win.scene.capture_viewpoint(with_snapshot=False).camera.position


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# -- menus ---------------------------------------------------------------------------------


def test_meeting_entries_are_in_the_coordination_menu_and_wait_for_a_project(window):
    from ui.menus import coordination_menu

    features = window.meeting_features
    texts = [a.text() for a in coordination_menu(window).actions()]
    assert {"New meeting…", "Meetings…", "Export issue report…"} <= set(texts)
    assert not features.new_meeting_action.isEnabled()
    assert not features.meetings_action.isEnabled()
    assert not features.issue_report_action.isEnabled()
    assert features.new_meeting() is None


# -- preparing -----------------------------------------------------------------------------


def test_the_agenda_is_exactly_the_filtered_issues_in_the_chosen_order(win, other):
    dialog = prepare(win, ("CVC", "ARC"), order="due")
    titles = titles_by_id(other)
    assert [titles[i] for i in dialog.agenda_ids()] == list(CVC_AND_ARC_BY_DUE_DATE)
    assert dialog.preview.count.text() == "4 issues on the agenda"

    dialog.preview.list.setCurrentRow(3)
    dialog.preview.up_button.click()  # the wall before the cable tray
    dialog.preview.list.setCurrentRow(0)
    dialog.preview.remove_button.click()  # the door is dealt with elsewhere
    expected = [CVC_AND_ARC_BY_DUE_DATE[i] for i in (1, 3, 2)]
    assert [titles[i] for i in dialog.agenda_ids()] == expected
    dialog.title.setText("Synthesis meeting 12")
    dialog.location.setText("Site office")
    QTest.keyClicks(dialog.attendees.typed, "J. Martin (HVAC design)")
    QTest.keyClick(dialog.attendees.typed, Qt.Key_Return)  # adds the name, does not start the meeting yet
    assert dialog.isVisible() and "J. Martin (HVAC design)" in dialog.attendees.attendees()
    dialog.start_button.click()

    features = win.meeting_features
    wait_until(lambda: features.run.meeting is not None and features.run.meeting.title == "Synthesis meeting 12",
               what="the meeting view")
    stored = other.meetings.get(features.run.meeting.id)
    assert [titles[item.issue_id] for item in stored.items] == expected
    assert stored.state == "running" and stored.location == "Site office"
    assert "J. Martin (HVAC design)" in stored.attendees
    assert stored.agenda_filter["order"] == "due" and set(stored.agenda_filter["trades"]) == {"CVC", "ARC"}
    assert features.dock.isVisible()
    assert features.view.position.text() == "1 / 3"
    assert features.view.agenda.count() == 3


def test_changing_the_criteria_keeps_issues_removed_by_hand_out(win, other):
    dialog = prepare(win, ("CVC",))
    titles = titles_by_id(other)
    dialog.preview.list.setCurrentRow(0)
    dialog.preview.remove_button.click()
    removed = "Supply duct runs through beam B1"
    dialog.trades.set_checked(("CVC", "ARC"))
    wait_until(lambda: dialog.preview_ready, what="the new preview")
    shown = [titles[i] for i in dialog.agenda_ids()]
    assert removed not in shown and "Door D02 too narrow for an accessible ERP" in shown
    dialog.preview.reset_button.click()
    assert removed in [titles[i] for i in dialog.agenda_ids()]
    dialog.reject()


# -- holding -------------------------------------------------------------------------------


def test_ctrl_enter_records_the_decision_status_and_assignee_and_shows_the_next_viewpoint(win, other):
    meeting = hold(win, ("PLB",))
    features = win.meeting_features
    view, form = features.view, features.view.form
    first, second = meeting.items[0].issue_id, meeting.items[1].issue_id
    wait_until(lambda: features.issues.detail.issue_id == first, what="the Issue dock following the meeting")

    QTest.keyClicks(form.decision, "Sleeve in P1, plumbing reroutes by 15 cm")
    QTest.keyClicks(form.action, "PLB updates the model")
    form.status.setCurrentIndex(form.status.findData("In Progress"))
    form.assignee.lineEdit().selectAll()
    QTest.keyClicks(form.assignee.lineEdit(), "J. Martin")
    QTest.keyClick(form.decision, Qt.Key_Return, Qt.ControlModifier)

    wait_until(lambda: other.issues.get(first).status == "In Progress", what="the recorded status")
    issue = other.issues.get(first)
    assert issue.assigned_to == "J. Martin"
    history = other.issues.history(first)
    fields = [entry.field for entry in history]
    assert "status" in fields and "assigned_to" in fields
    entry = next(e for e in history if e.field == "meeting")
    assert entry.new["decision"] == "Sleeve in P1, plumbing reroutes by 15 cm"
    assert entry.new["number"] == meeting.number
    assert any("Sleeve in P1" in c.text for c in other.issues.detail(first).comments)

    wait_until(lambda: features.run.detail is not None and features.run.detail.issue.id == second,
               what="the next issue")
    assert view.is_ticked(0) and not view.is_ticked(1)
    assert view.position.text() == "2 / 2"
    assert view.progress.text() == "1 of 2 discussed"
    expected = other.issues.detail(second).viewpoints[0].viewpoint.camera.position
    wait_until(lambda: camera_position(win) == pytest.approx(expected, abs=1e-6), what="the next viewpoint")
    assert QApplication.focusWidget() is form.decision
    wait_until(lambda: features.issues.detail.issue_id == second, what="the Issue dock on the next issue")
    assert form.decision.toPlainText() == ""  # the next issue starts blank
    assert other.meetings.get(meeting.id).items[0].discussed


def test_page_keys_move_without_recording_and_bring_back_what_was_typed(win, other):
    meeting = hold(win, ("ELE",))
    features = win.meeting_features
    view, form, run = features.view, features.view.form, features.run
    QTest.keyClicks(form.decision, "Draft: tray to bypass C3")
    QTest.keyClick(form.decision, Qt.Key_PageDown)
    wait_until(lambda: run.index == 1 and run.detail is not None
               and run.detail.issue.id == meeting.items[1].issue_id, what="the next issue")
    assert form.decision.toPlainText() == ""
    QTest.keyClick(form.action, Qt.Key_PageUp)
    wait_until(lambda: run.index == 0 and run.detail is not None
               and run.detail.issue.id == meeting.items[0].issue_id, what="the previous issue")
    assert form.decision.toPlainText() == "Draft: tray to bypass C3"
    QTest.keyClick(form.decision, Qt.Key_Right, Qt.AltModifier)
    wait_until(lambda: run.index == 1, what="Alt+Right")
    QTest.keyClick(form.decision, Qt.Key_Left, Qt.AltModifier)
    wait_until(lambda: run.index == 0, what="Alt+Left")
    QTest.keyClick(form.decision, Qt.Key_Escape)
    assert features.dock.isVisible() and run.meeting is not None  # Escape does not end a meeting
    assert not any(item.discussed for item in other.meetings.get(meeting.id).items)
    assert not view.is_ticked(0)


def test_a_record_while_the_database_is_down_keeps_the_form_and_retry_records_it(win, other, monkeypatch):
    from project_db.meetings import MeetingRepository

    meeting = hold(win, ("STR",))
    features = win.meeting_features
    form, run = features.view.form, features.run
    real_record = MeetingRepository.record
    calls = []

    def record_once_unavailable(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise DatabaseUnavailable(self.project.database, "server closed the connection")
        return real_record(self, *args, **kwargs)

    monkeypatch.setattr(MeetingRepository, "record", record_once_unavailable)
    QTest.keyClicks(form.decision, "Reservation 450x350 confirmed by structure")
    QTest.keyClick(form.decision, Qt.Key_S, Qt.ControlModifier)
    wait_until(lambda: run.prompt is not None and run.prompt.isVisible() and "retry" in run.prompt.choices,
               what="the retry offer")
    assert form.decision.toPlainText() == "Reservation 450x350 confirmed by structure"
    assert not features.view.is_ticked(0)
    run.prompt.choose("retry")
    wait_until(lambda: features.view.is_ticked(0), what="the retried record")
    assert len(calls) == 2 and run.index == 0  # Ctrl+S records and stays
    stored = other.meetings.get(meeting.id).items[0]
    assert stored.decision == "Reservation 450x350 confirmed by structure"


# -- ending and the minutes ----------------------------------------------------------------


def test_ending_the_meeting_closes_it_and_stores_minutes_with_the_decision(win, other, tmp_path):
    features = win.meeting_features
    meeting = features.run.meeting  # the STR meeting, with its decision recorded
    assert meeting is not None and meeting.items[0].discussed
    features.view.end_button.click()
    dialog = features.minutes.dialog
    assert dialog.formats() == ("pdf",)
    dialog.checks["xlsx"].setChecked(True)
    dialog.accept()
    wait_until(lambda: {m.format for m in other.meetings.minutes(meeting.id)} == {"pdf", "xlsx"},
               what="the stored minutes")
    assert other.meetings.get(meeting.id).state == "closed"
    assert "Reservation 450x350 confirmed by structure" in pdf_text(other.meetings.minutes_data(meeting.id, "pdf"))
    wait_until(lambda: features.minutes.prompt is not None and features.minutes.prompt.isVisible(),
               what="the offer to save the minutes")
    assert not features.dock.isVisible() and features.run.meeting is None

    features.minutes.prompt.choose("save-pdf")
    target = tmp_path / "minutes.pdf"
    chooser = features.minutes.dialog
    chooser.selectFile(str(target))
    chooser.accept()
    wait_until(lambda: target.exists(), what="the saved copy")
    assert "Reservation 450x350 confirmed by structure" in pdf_text(target.read_bytes())


def test_the_meetings_list_shows_the_closed_meeting_and_regenerates_its_minutes(win, other):
    features = win.meeting_features
    closed = next(m for m in other.meetings.list() if m.state == "closed")
    before = {m.format: m.generated_at for m in other.meetings.minutes(closed.id)}
    listed = []
    features.listed.connect(lambda: listed.append(True))
    features.meetings_action.trigger()
    dialog = features.list_dialog
    wait_until(lambda: listed and dialog.state_shown(closed.id) is not None, what="the meetings list")
    assert dialog.state_shown(closed.id) == "Closed"
    assert dialog.select_meeting(closed.id)
    assert dialog.continue_button.text() == "Reopen…"
    assert dialog.save_button.isEnabled()
    dialog.regenerate_button.click()
    regenerate = features.minutes.dialog
    assert set(regenerate.formats()) == set(before)
    regenerate.accept()
    wait_until(lambda: all(m.generated_at > before[m.format] for m in other.meetings.minutes(closed.id)),
               what="the regenerated minutes")
    dialog.close()


def test_a_meeting_saved_for_later_on_another_workstation_appears_and_starts(win, other):
    features = win.meeting_features
    features.meetings_action.trigger()
    dialog = features.list_dialog
    issue_id = next(r.id for r in other.issues.list_rows() if r.title == "Water pipe of room A has no material")
    planned = other.meetings.create(Meeting(title="Plumbing follow-up", held_at=datetime.now(timezone.utc),
                                            items=(MeetingItem(issue_id=issue_id, position=1),)), "alice")
    wait_until(lambda: dialog.state_shown(planned.id) == "Planned", 10, "the other workstation's meeting")
    dialog.select_meeting(planned.id)
    assert dialog.continue_button.text() == "Start"
    dialog.continue_button.click()
    wait_until(lambda: features.run.meeting is not None and features.run.meeting.id == planned.id
               and features.run.detail is not None, what="the started meeting")
    assert other.meetings.get(planned.id).state == "running"
    dialog.close()


# -- editing a stored meeting ------------------------------------------------------------------

CVC_AND_ARC = {"trades": ["ARC", "CVC"], "statuses": [], "open_only": True, "due_before": None, "labels": [],
               "order": "number"}


def ids_by_title(project) -> dict[str, int]:
    return {row.title: row.id for row in project.issues.list_rows()}


def edit_from_the_list(win, meeting_id):
    """Open Meetings…, select the meeting and press Edit…; returns the list and the edit dialog once shown."""
    features = win.meeting_features
    features.meetings_action.trigger()
    listing = features.list_dialog
    wait_until(lambda: listing.state_shown(meeting_id) is not None, 10, "the meeting in the list")
    assert listing.select_meeting(meeting_id)
    assert listing.edit_button.isEnabled()
    listing.edit_button.click()
    wait_until(lambda: features.setup_dialog is not None and features.setup_dialog.isVisible(),
               what="the edit dialog")
    return listing, features.setup_dialog


def title_listed(listing, meeting_id) -> str | None:
    for i in range(listing.tree.topLevelItemCount()):
        if listing.tree.topLevelItem(i).data(0, Qt.UserRole) == meeting_id:
            return listing.tree.topLevelItem(i).text(1)
    return None


def test_editing_a_planned_meeting_from_the_list_saves_its_new_title_and_agenda_order(win, other):
    by_number = [r.id for r in sorted(other.issues.list_rows(), key=lambda r: r.number)
                 if r.responsible_trade in ("ARC", "CVC") and r.status != "Closed"]
    stored_order = list(reversed(by_number))  # the coordinator had put them last number first
    planned = other.meetings.create(Meeting(
        title="Synthesis meeting 13", held_at=datetime(2031, 5, 6, 7, 30, tzinfo=timezone.utc),
        attendees=("alice", "J. Martin (HVAC design)"), location="Site office", agenda_filter=CVC_AND_ARC,
        items=tuple(MeetingItem(issue_id=i, position=n) for n, i in enumerate(stored_order, 1))), "alice")
    closed = other.meetings.create(Meeting(title="Last month's meeting", held_at=datetime.now(timezone.utc),
                                           state="closed"), "alice")

    listing, dialog = edit_from_the_list(win, planned.id)
    assert dialog.windowTitle() == f"Edit meeting #{planned.number}"
    assert dialog.title.text() == "Synthesis meeting 13" and dialog.location.text() == "Site office"
    assert set(dialog.attendees.attendees()) == {"alice", "J. Martin (HVAC design)"}
    assert set(dialog.trades.checked()) == {"ARC", "CVC"} and dialog.order.currentData() == "number"
    assert dialog.save_button.isVisible() and not dialog.start_button.isVisible()
    wait_until(lambda: dialog.criteria_issue_ids, what="the criteria's issues")
    assert dialog.criteria_issue_ids == by_number
    assert dialog.agenda_ids() == stored_order  # the stored agenda, not the criteria's order

    dialog.title.setText("Synthesis meeting 13 (moved)")
    dialog.preview.list.setCurrentRow(3)
    for _step in range(3):
        dialog.preview.up_button.click()
    expected = [stored_order[3], *stored_order[:3]]
    assert dialog.agenda_ids() == expected
    dialog.save_button.click()

    wait_until(lambda: other.meetings.get(planned.id).title == "Synthesis meeting 13 (moved)", what="the save")
    wait_until(lambda: [i.issue_id for i in other.meetings.get(planned.id).items] == expected, what="the agenda")
    stored = other.meetings.get(planned.id)
    assert stored.version == 2 and stored.state == "planned"
    assert stored.agenda_filter == CVC_AND_ARC and stored.location == "Site office"
    assert stored.held_at == datetime(2031, 5, 6, 7, 30, tzinfo=timezone.utc)
    changes = [entry.field for entry in other.meetings.history(planned.id)]
    assert "title" in changes and "agenda" in changes
    assert not {"held_at", "attendees", "agenda_filter", "location"} & set(changes)  # untouched fields stay
    wait_until(lambda: title_listed(listing, planned.id) == "Synthesis meeting 13 (moved)", what="the list")
    assert listing.select_meeting(closed.id) and not listing.edit_button.isEnabled()
    listing.close()


def test_editing_the_running_meeting_from_its_header_keeps_the_recorded_ticks_and_the_current_issue(win, other):
    meeting = hold(win, ("CVC", "ARC"), order="number")
    features = win.meeting_features
    view, form, run = features.view, features.view.form, features.run
    ids = [item.issue_id for item in meeting.items]
    QTest.keyClicks(form.decision, "Door leaf 0.93 m confirmed")
    QTest.keyClick(form.decision, Qt.Key_S, Qt.ControlModifier)
    wait_until(lambda: view.is_ticked(0), what="the recorded first issue")
    QTest.keyClick(form.decision, Qt.Key_PageDown)
    wait_until(lambda: run.index == 1 and run.detail is not None and run.detail.issue.id == ids[1],
               what="the second issue")
    QTest.keyClicks(form.decision, "Draft: tray lowered by 20 mm")

    view.edit_button.click()
    wait_until(lambda: features.setup_dialog is not None and features.setup_dialog.isVisible(),
               what="the edit dialog")
    dialog = features.setup_dialog
    assert dialog.agenda_ids() == ids and dialog.preview.discussed == {ids[0]}
    dialog.title.setText("Synthesis meeting 14")
    dialog.preview.list.setCurrentRow(0)
    dialog.preview.down_button.click()  # the discussed issue after the one being discussed
    dialog.preview.list.setCurrentRow(3)
    dialog.preview.remove_button.click()  # not discussed yet: no question
    dialog.save_button.click()
    assert dialog.prompt is None

    wait_until(lambda: run.meeting.title == "Synthesis meeting 14"
               and [item.issue_id for item in run.meeting.items] == [ids[1], ids[0], ids[2]],
               what="the view showing the edit")
    assert view.heading.text().endswith("Synthesis meeting 14")
    assert view.agenda.count() == 3 and view.is_ticked(1) and not view.is_ticked(0) and not view.is_ticked(2)
    assert view.progress.text() == "1 of 3 discussed"
    assert run.index == 0 and run.item.issue_id == ids[1] and view.position.text() == "1 / 3"
    assert form.decision.toPlainText() == "Draft: tray lowered by 20 mm"  # what was being typed stays
    stored = other.meetings.get(meeting.id)
    assert [item.issue_id for item in stored.items] == [ids[1], ids[0], ids[2]]
    assert stored.items[1].discussed and stored.items[1].decision == "Door leaf 0.93 m confirmed"


def test_removing_a_discussed_issue_asks_first_and_its_decision_stays_in_the_issue_history(win, other):
    titles = ids_by_title(other)
    pipe, tray = titles["Water pipe of room A has no material"], titles["Cable tray of room B is in no storey"]
    planned = other.meetings.create(Meeting(
        title="Follow-up", held_at=datetime.now(timezone.utc),
        items=(MeetingItem(issue_id=pipe, position=1), MeetingItem(issue_id=tray, position=2))), "alice")
    other.meetings.record(planned.id, pipe, "alice", decision="PLB adds the material")
    listing, dialog = edit_from_the_list(win, planned.id)
    assert dialog.preview.discussed == {pipe}
    dialog.preview.list.setCurrentRow(0)
    dialog.preview.remove_button.click()
    dialog.save_button.click()
    wait_until(lambda: dialog.prompt is not None and dialog.prompt.isVisible(), what="the question")
    number = other.issues.get(pipe).number
    assert f"#{number}" in dialog.prompt.text() and "history" in dialog.prompt.text()
    assert "minutes" in dialog.prompt.text()
    dialog.prompt.choose("cancel")
    assert dialog.isVisible() and dialog.agenda_ids() == [tray]  # back to the dialog, nothing saved
    assert [item.issue_id for item in other.meetings.get(planned.id).items] == [pipe, tray]

    dialog.save_button.click()
    wait_until(lambda: dialog.prompt.isVisible(), what="the question again")
    dialog.prompt.choose("remove")
    wait_until(lambda: [item.issue_id for item in other.meetings.get(planned.id).items] == [tray],
               what="the agenda without the discussed issue")
    entry = next(e for e in other.issues.history(pipe) if e.field == "meeting")
    assert entry.new["meeting_id"] == planned.id and entry.new["decision"] == "PLB adds the material"
    listing.close()


def test_a_header_saved_meanwhile_on_another_workstation_offers_to_reload(win, other):
    from dataclasses import replace

    features = win.meeting_features
    issue_id = ids_by_title(other)["Reroute the grid C cable tray around column C3"]
    planned = other.meetings.create(Meeting(title="Electrical review", held_at=datetime.now(timezone.utc),
                                            items=(MeetingItem(issue_id=issue_id, position=1),)), "alice")
    listing, dialog = edit_from_the_list(win, planned.id)
    other.meetings.save_header(replace(planned, title="Electrical review (moved to Friday)"), "alice")
    dialog.title.setText("Electrical review with the design office")
    dialog.save_button.click()

    wait_until(lambda: features.prompt is not None and features.prompt.isVisible()
               and "reload" in features.prompt.choices, what="the conflict message")
    text = features.prompt.text()
    assert "alice" in text and "Electrical review (moved to Friday)" in text and "not saved" in text
    assert other.meetings.get(planned.id).title == "Electrical review (moved to Friday)"
    features.prompt.choose("reload")
    wait_until(lambda: features.setup_dialog is not None and features.setup_dialog.isVisible(),
               what="the edit dialog on the meeting as it is now")
    again = features.setup_dialog
    assert again.title.text() == "Electrical review (moved to Friday)"
    again.title.setText("Electrical review with the design office")
    again.save_button.click()
    wait_until(lambda: other.meetings.get(planned.id).title == "Electrical review with the design office",
               what="the second save")
    assert other.meetings.get(planned.id).version == 3
    listing.close()


def test_the_issue_report_exports_what_the_issues_panel_shows(win, tmp_path):
    features = win.meeting_features
    panel = win.issue_features.panel
    panel.set_choice("trade", "ARC")
    written = []
    features.report.written.connect(written.append)
    features.report.export(tmp_path / "arc-issues")
    wait_until(lambda: written, what="the issue report")
    assert written[0] == tmp_path / "arc-issues.pdf"
    text = pdf_text(written[0].read_bytes())
    assert "Door D02 too narrow" in text and "Supply duct runs through beam B1" not in text
    panel.clear_filters()


def test_the_meeting_view_in_the_window_looks_ready_for_a_long_meeting(win, tmp_path):
    from ui.window_capture import grab_window

    features = win.meeting_features
    hold(win, ("CVC", "ARC"), order="trade")
    assert features.view.summary.title.text().startswith("#")
    picture = grab_window(win)
    assert picture.save(str(tmp_path / "meeting-view.png"))
    assert features.view.width() > 0.8 * win.width()  # the view spans the bottom of the window
