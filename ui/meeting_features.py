"""Coordination meetings in the main window: prepare, hold, end with minutes; list past meetings.

:func:`install` adds to the Coordination menu "New meeting…", "Meetings…" and
"Export issue report…" (all greyed out while no project is open), and a Meeting
dock (Panels menu) that takes the bottom of the window, in front of the Issues
docks, while a meeting is held. Everything is kept as ``window.meeting_features``.

A meeting not closed can be edited (header and agenda) from the Meetings dialog and
from the meeting view's header; the edit goes through the same setup dialog.

The pieces: :mod:`ui.meeting_setup` (the New meeting and Edit meeting dialog), :mod:`ui.meeting_view`
and :mod:`ui.meeting_run` (holding the meeting), :mod:`ui.meeting_minutes` (ending
it, minutes), :mod:`ui.meeting_list` (the Meetings dialog) and
:mod:`ui.meeting_issue_report`. Every database call runs off the UI thread through
the project session; another workstation's meeting changes refresh the list and
the meeting shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMessageBox
from shiboken6 import isValid

from bim.i18n import _
from project_db.errors import ConflictError, DatabaseUnavailable
from project_db.meetings import HEADER_FIELDS
from ui.meeting_agenda import AgendaCriteria, agenda_rows
from ui.meeting_list import MeetingListDialog, meeting_summaries
from ui.meeting_minutes import MinutesWriter
from ui.meeting_issue_report import IssueReportExport
from ui.meeting_run import MeetingRun
from ui.meeting_setup import MeetingSetupDialog
from ui.meeting_view import MeetingView
from ui.menus import coordination_menu, panels_menu
from ui.prompts import ask

MEETING_HEIGHT = 0.5  # of the window: the meeting view needs room for the form and the agenda


def install(window) -> "MeetingFeatures | None":
    """Give ``window`` coordination meetings (kept as ``window.meeting_features``); needs the issue features."""
    if getattr(window, "issue_features", None) is None:
        return None
    window.meeting_features = MeetingFeatures(window)
    return window.meeting_features


class MeetingFeatures(QObject):
    """The window's meetings; see the module docstring."""

    meeting_opened = Signal(object)  # the Meeting now held in the view
    meeting_created = Signal(object)  # a Meeting just stored
    meeting_edited = Signal(object)  # a Meeting whose edited header and agenda were just saved
    listed = Signal()  # the Meetings dialog shows a fresh list

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.issues = window.issue_features
        self.session = self.issues.session
        self.setup_dialog: MeetingSetupDialog | None = None
        self.list_dialog: MeetingListDialog | None = None
        self.prompt = None
        self._last_criteria: AgendaCriteria | None = None
        self.view = MeetingView()
        self.dock = QDockWidget(_("Meeting"), window)
        self.dock.setObjectName("meeting")
        self.dock.setWidget(self.view)
        self.run = MeetingRun(self)
        self.minutes = MinutesWriter(self)
        self.report = IssueReportExport(self)
        self._place_dock()
        self._build_actions()
        self._connect()
        self._update_actions()

    # ------------------------------------------------------------------ layout and wiring

    def _place_dock(self) -> None:
        window = self.window
        window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self._layout_before = None  # the window's layout before the meeting view took the bottom
        panels = panels_menu(window)
        if panels is not None:
            panels.addAction(self.dock.toggleViewAction())

    def _build_actions(self) -> None:
        window = self.window
        self.new_meeting_action = QAction(_("New meeting…"), window)
        self.new_meeting_action.setToolTip(_("Prepare a meeting: attendees and an agenda of filtered issues"))
        self.new_meeting_action.triggered.connect(self.new_meeting)
        self.meetings_action = QAction(_("Meetings…"), window)
        self.meetings_action.setToolTip(_("The project's meetings: continue one, regenerate or save its minutes"))
        self.meetings_action.triggered.connect(self.show_meetings)
        self.issue_report_action = QAction(_("Export issue report…"), window)
        self.issue_report_action.setToolTip(_("The issues the Issues panel shows, as a PDF or Excel report"))
        self.issue_report_action.triggered.connect(self.report.choose_file)
        menu = coordination_menu(window)
        menu.addSeparator()
        for action in (self.new_meeting_action, self.meetings_action, self.issue_report_action):
            menu.addAction(action)

    def _connect(self) -> None:
        self.session.opened.connect(lambda _project: self._on_opened())
        self.session.closed.connect(self._on_closed)
        self.session.changed.connect(self._on_changes)
        self.view.end_requested.connect(self.end_meeting)
        self.view.edit_requested.connect(lambda: self.run.meeting is not None and self.edit_meeting(self.run.meeting))
        self.minutes.closed.connect(self._on_meeting_closed)
        self.minutes.generated.connect(lambda *_a: self.refresh_list())

    def _update_actions(self) -> None:
        has_project = self.session.is_open
        for action in (self.new_meeting_action, self.meetings_action, self.issue_report_action):
            action.setEnabled(has_project)

    def _on_opened(self) -> None:
        self.run.close()
        self._give_bottom_back()
        self._close_dialogs()
        self._update_actions()

    def _on_closed(self) -> None:
        self.run.close()
        self._give_bottom_back()
        self._close_dialogs()
        self._update_actions()

    def _close_dialogs(self) -> None:
        for dialog in (self.setup_dialog, self.list_dialog):
            if dialog is not None:
                dialog.close()
        self.setup_dialog = None
        self.list_dialog = None

    def _on_changes(self, changes) -> None:
        if changes.meetings_changed:
            self.refresh_list()
            self.run.reload_meeting()
        if changes.issue_ids:
            self.run.issues_changed(set(changes.issue_ids))

    def _take_bottom(self) -> None:
        # The bottom docks (Issues, Issue and their tabs) go behind the meeting view, in one tab
        # group across the window: the view needs the width for agenda, issue and form side by side.
        window = self.window
        if self._layout_before is None and not self.dock.isVisible():
            self._layout_before = window.saveState()
        anchor = self.issues.issues_dock
        for neighbour in (self.issues.detail_dock, self.dock):
            if window.dockWidgetArea(anchor) == Qt.BottomDockWidgetArea and not anchor.isFloating():
                if window.dockWidgetArea(neighbour) == Qt.BottomDockWidgetArea and not neighbour.isFloating():
                    window.tabifyDockWidget(anchor, neighbour)
        self.dock.show()
        self.dock.raise_()
        window.resizeDocks([self.dock], [int(window.height() * MEETING_HEIGHT)], Qt.Vertical)

    def _give_bottom_back(self) -> None:
        """Hide the meeting view and put the docks back as they were before the meeting."""
        layout, self._layout_before = self._layout_before, None
        self.dock.hide()
        if layout is not None:
            self.window.restoreState(layout)
            self.dock.hide()

    def keep_meeting_in_front(self) -> None:
        """Opening an issue shows the Issue dock; the meeting view stays the one in front."""
        if self.run.meeting is not None:
            self.dock.show()
            self.dock.raise_()

    # ------------------------------------------------------------------ preparing

    def new_meeting(self) -> MeetingSetupDialog | None:
        """Open the New meeting dialog (the last criteria used in this session preset)."""
        if not self.session.is_open:
            return None
        dialog = MeetingSetupDialog(self.session.vocabulary, self.window, self._last_criteria,
                                    self.session.author)
        dialog.preview_wanted.connect(lambda criteria: self._preview(dialog, criteria))
        dialog.accepted.connect(lambda: self._create(dialog.meeting(), dialog.start_now, dialog.criteria()))
        dialog.finished.connect(dialog.deleteLater)
        self.setup_dialog = dialog
        dialog.open()
        dialog.request_preview()
        return dialog

    def _preview(self, dialog: MeetingSetupDialog, criteria: AgendaCriteria) -> None:
        # The answer may come after the dialog was accepted or cancelled (and deleted): drop it then.
        self.session.run(lambda project: agenda_rows(project, criteria),
                         lambda rows: isValid(dialog) and dialog.show_preview(criteria, rows),
                         lambda exc: isValid(dialog) and dialog.show_problem(
                             _("Agenda not read: {error}").format(error=exc)))

    def _create(self, meeting, start_now: bool, criteria: AgendaCriteria) -> None:
        self._last_criteria = criteria
        author = self.session.author

        def write(project):
            stored = project.meetings.create(meeting, author)  # the same guid on a retry: no second meeting
            return project.meetings.start(stored.id, author) if start_now else stored

        def done(stored):
            self.meeting_created.emit(stored)
            self.refresh_list()
            if start_now:
                self.hold(stored)
            else:
                self.window.statusBar().showMessage(_("Meeting #{number} saved for later (Coordination › "
                                                      "Meetings…).").format(number=stored.number), 8000)

        def failed(exc):
            self._offer_retry(_("Meeting not created"), exc, lambda: self._create(meeting, start_now, criteria))

        self.session.run(write, done, failed)

    # ------------------------------------------------------------------ editing

    def edit_meeting(self, meeting) -> None:
        """Open the setup dialog on ``meeting`` as stored now (read first: its agenda and version may have moved on).

        The dialog becomes :attr:`setup_dialog` once the meeting is read.
        """
        if not self.session.is_open or meeting.state == "closed":
            return
        self.setup_dialog = None
        meeting_id = meeting.id

        def opened(stored):
            if stored.state == "closed":
                self.prompt = ask(self.window, QMessageBox.Information, _("Edit meeting"),
                                  _("Meeting #{number} was closed meanwhile; reopen it to change it.").format(
                                      number=stored.number), [("ok", _("OK"), QMessageBox.AcceptRole)],
                                  lambda _choice: None)
                return
            self._open_editor(stored)

        def failed(exc):
            self.prompt = ask(self.window, QMessageBox.Warning, _("Edit meeting"),
                              _("Meeting not read: {error}").format(error=exc),
                              [("ok", _("OK"), QMessageBox.AcceptRole)], lambda _choice: None,
                              getattr(exc, "traceback_text", ""))

        self.session.run(lambda project: project.meetings.get(meeting_id), opened, failed)

    def _open_editor(self, stored) -> MeetingSetupDialog:
        dialog = MeetingSetupDialog(self.session.vocabulary, self.window, meeting=stored)
        dialog.preview_wanted.connect(lambda criteria: self._preview(dialog, criteria))
        dialog.accepted.connect(lambda: self._save_edit(stored, dialog.meeting(), dialog.agenda_ids()))
        dialog.finished.connect(dialog.deleteLater)
        self.setup_dialog = dialog
        dialog.open()
        dialog.request_preview()  # the criteria's list, for Reset; the stored agenda stays shown
        return dialog

    def _save_edit(self, stored, edited, issue_ids: list[int]) -> None:
        author = self.session.author
        agenda_changed = issue_ids != [item.issue_id for item in stored.items]
        # An agenda-only edit does not touch the header, so it cannot conflict with a header saved elsewhere.
        header_changed = any(getattr(edited, name) != getattr(stored, name) for name in HEADER_FIELDS)

        def write(project):
            # The header first: a conflict leaves the agenda untouched too. A retry after an
            # outage is safe: save_header returns a header it already saved as it is.
            saved = project.meetings.save_header(edited, author) if header_changed else None
            if agenda_changed:
                saved = project.meetings.set_agenda(edited.id, issue_ids, author)
            return saved or project.meetings.get(edited.id)

        def done(saved):
            self.meeting_edited.emit(saved)
            self.refresh_list()
            self.run.show_updated(saved)
            self.window.statusBar().showMessage(_("Meeting #{number} saved.").format(number=saved.number), 8000)

        def failed(exc):
            if isinstance(exc, ConflictError):
                theirs = exc.theirs
                self.prompt = ask(
                    self.window, QMessageBox.Warning, _("Meeting changed meanwhile"),
                    _("{who} saved meeting #{number} while you were editing it (now titled “{title}”). Your "
                      "changes are not saved.\n\nReload the meeting as it is now and make your changes "
                      "again?").format(who=theirs.updated_by or _("Another user"), number=theirs.number,
                                       title=theirs.title),
                    [("reload", _("Reload and edit"), QMessageBox.AcceptRole),
                     ("cancel", _("Cancel"), QMessageBox.RejectRole)],
                    lambda choice: self._after_conflict(choice, theirs))
                return
            self._offer_retry(_("Meeting not saved"), exc, lambda: self._save_edit(stored, edited, issue_ids))

        self.session.run(write, done, failed)

    def _offer_retry(self, title: str, exc: Exception, retry) -> None:
        """Say why a write failed; offer to try again when the database went away (the write is safe to repeat)."""
        choices = [("cancel", _("Cancel"), QMessageBox.RejectRole)]
        if isinstance(exc, DatabaseUnavailable):
            choices.insert(0, ("retry", _("Retry"), QMessageBox.AcceptRole))
        self.prompt = ask(self.window, QMessageBox.Warning, title, str(exc), choices,
                          lambda choice: choice == "retry" and retry(), getattr(exc, "traceback_text", ""))

    def _after_conflict(self, choice: str, theirs) -> None:
        # Either way the list and the meeting view show the meeting as it is now.
        self.refresh_list()
        self.run.show_updated(theirs)
        if choice == "reload":
            self.edit_meeting(theirs)

    # ------------------------------------------------------------------ holding

    def hold(self, meeting) -> None:
        """Show ``meeting`` (running) in the meeting view, in front, at a comfortable height."""
        self._take_bottom()
        self.run.open(meeting)
        self.meeting_opened.emit(meeting)

    def continue_meeting(self, meeting) -> None:
        """Hold a stored meeting: a planned one is started, a closed one reopened (after asking)."""
        if meeting.state == "closed":
            self.prompt = ask(self.window, QMessageBox.Question, _("Reopen meeting"),
                              _("Meeting #{number} is closed. Reopen it to record more decisions? Its minutes "
                                "stay as they are until you regenerate them.").format(number=meeting.number),
                              [("reopen", _("Reopen"), QMessageBox.AcceptRole),
                               ("cancel", _("Cancel"), QMessageBox.RejectRole)],
                              lambda choice: choice == "reopen" and self._start(meeting))
            return
        self._start(meeting)

    def _start(self, meeting) -> None:
        author = self.session.author

        def done(started):
            self.refresh_list()
            self.hold(started)

        def failed(exc):
            choices = [("cancel", _("Cancel"), QMessageBox.RejectRole)]
            if isinstance(exc, DatabaseUnavailable):
                choices.insert(0, ("retry", _("Retry"), QMessageBox.AcceptRole))
            self.prompt = ask(self.window, QMessageBox.Warning, _("Meeting not opened"), str(exc), choices,
                              lambda choice: choice == "retry" and self._start(meeting))

        self.session.run(lambda project: project.meetings.start(meeting.id, author), done, failed)

    def end_meeting(self):
        """Ask to end the meeting held in the view, then close it and write its minutes."""
        meeting = self.run.meeting
        if meeting is None:
            return None
        return self.minutes.confirm_end(meeting)

    def _on_meeting_closed(self, meeting) -> None:
        if self.run.meeting is not None and self.run.meeting.id == meeting.id:
            self.run.close()
            self._give_bottom_back()
        self.refresh_list()

    # ------------------------------------------------------------------ the list

    def show_meetings(self) -> MeetingListDialog | None:
        """Open the Meetings dialog (non-modal) and read the list."""
        if not self.session.is_open:
            return None
        if self.list_dialog is None:
            dialog = MeetingListDialog(self.window)
            dialog.continue_requested.connect(self.continue_meeting)
            dialog.edit_requested.connect(self.edit_meeting)
            dialog.regenerate_requested.connect(
                lambda summary: self.minutes.confirm_regenerate(summary.meeting, summary.minutes))
            dialog.save_requested.connect(self.minutes.choose_file)
            dialog.new_requested.connect(self.new_meeting)
            self.list_dialog = dialog
        self.list_dialog.show()
        self.list_dialog.raise_()
        self.refresh_list()
        return self.list_dialog

    def refresh_list(self) -> None:
        """Read the meetings again for the Meetings dialog, if it is open."""
        dialog = self.list_dialog
        if dialog is None or not dialog.isVisible():
            return

        def done(summaries):
            if self.list_dialog is dialog:
                dialog.show_meetings(summaries)
                self.listed.emit()

        self.session.run(meeting_summaries, done,
                         lambda exc: dialog.show_problem(_("Meetings not read: {error}").format(error=exc)))
