"""Holding a meeting: moving through the agenda, showing each issue in 3D, recording what was decided.

:class:`MeetingRun` drives the :class:`ui.meeting_view.MeetingView`. Every database
call runs through the project session (off the UI thread). Each move shows the
issue in the Issue dock (``issue_features.open_issue``) and restores its first
viewpoint in 3D (``issue_features.restore_viewpoint``, what ``open_issue(restore=True)``
does) from the detail the meeting view reads itself, so the viewpoint follows the
agenda even when the Issue dock holds unsaved edits and keeps its issue. The
keyboard stays in the meeting form.

What is typed is never lost: moving without recording keeps the form as a draft
for that issue (shown again on coming back), and a record that fails (database
gone, someone closed the meeting) leaves the form as it was and offers a retry.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from bim.i18n import _
from project_db.errors import DatabaseUnavailable
from ui.issue_text import due_from_day, local
from ui.meeting_form import DecisionValues, values_for
from ui.prompts import ask


def record_arguments(values: DecisionValues, issue) -> dict:
    """The keyword arguments of ``meetings.record`` for what the form holds.

    Fields left as the issue has them are passed as None (unchanged), so recording
    a decision alone leaves no status or assignee entry in the history.
    """
    kwargs = {"decision": values.decision, "action": values.action, "comment": values.comment,
              "status": values.status if values.status and values.status != issue.status else None,
              "assigned_to": values.assignee if values.assignee != (issue.assigned_to or "") else None,
              "due_date": None}
    shown = local(issue.due_date).date() if issue.due_date is not None else None
    kwargs["clear_due_date"] = values.due is None and shown is not None
    if values.due is not None and values.due != shown:
        kwargs["due_date"] = due_from_day(values.due)
    return kwargs


class MeetingRun(QObject):
    """The meeting shown in the meeting view; ``features``: the window's :class:`MeetingFeatures`."""

    issue_shown = Signal(int)  # the issue whose detail the view now shows
    recorded = Signal(object)  # the MeetingItem just recorded

    def __init__(self, features):
        super().__init__(features)
        self.features = features
        self.view = features.view
        self.meeting = None
        self.index = -1
        self.detail = None  # the IssueDetail shown
        self.baseline: DecisionValues | None = None  # what the form showed before any typing
        self.drafts: dict[int, DecisionValues] = {}  # issue id -> typed but not recorded
        self.prompt = None
        self._request = 0
        self._dock_target: int | None = None  # the issue the Issue dock must end up showing after a move
        features.issues.detail_shown.connect(self._check_dock)
        self.view.record_requested.connect(self.record)
        self.view.move_requested.connect(self.move)
        self.view.item_chosen.connect(self.go_to)

    @property
    def session(self):
        return self.features.session

    @property
    def vocabulary(self):
        return self.session.vocabulary

    @property
    def item(self):
        """The current agenda item, or None."""
        if self.meeting is None or not 0 <= self.index < len(self.meeting.items):
            return None
        return self.meeting.items[self.index]

    # ------------------------------------------------------------------ opening and moving

    def open(self, meeting) -> None:
        """Hold ``meeting``: show it and go to its first issue not yet discussed."""
        self.meeting = meeting
        self.drafts.clear()
        self.index = -1
        self.detail = None
        self.view.show_meeting(meeting, self.vocabulary)
        self.view.set_note("")
        if meeting.items:
            first = next((n for n, item in enumerate(meeting.items) if not item.discussed), 0)
            self.go_to(first)

    def close(self) -> None:
        """Stop showing the meeting (ended, or the project closed)."""
        self._request += 1
        self.meeting, self.detail, self.index = None, None, -1
        self.drafts.clear()
        self.view.show_meeting(None)

    def move(self, step: int) -> None:
        """Go ``step`` issues forward (+1) or back (-1) without recording."""
        if self.meeting is not None and not self.view.busy:
            target = self.index + step
            if 0 <= target < len(self.meeting.items):
                self.go_to(target)

    def go_to(self, index: int) -> None:
        """Show agenda item ``index``: its detail here, its issue in the Issue dock and its viewpoint in 3D."""
        if self.meeting is None or not 0 <= index < len(self.meeting.items):
            return
        self._keep_draft()
        self.index = index
        self.detail = None
        self.baseline = None
        self.view.set_current(index)
        self.view.set_note("")
        issue_id = self.meeting.items[index].issue_id
        self._load(issue_id, restore=True)
        self._dock_target = issue_id
        self.features.issues.open_issue(issue_id)
        self.features.keep_meeting_in_front()
        self.view.focus_form()

    def _keep_draft(self) -> None:
        if self.detail is None or self.baseline is None:
            return
        values = self.view.form.values()
        issue_id = self.detail.issue.id
        if values != self.baseline:
            self.drafts[issue_id] = values
        else:
            self.drafts.pop(issue_id, None)

    def _check_dock(self) -> None:
        # If the dock ends up on another issue after a move (a refresh of the previous one, an
        # answer that came late), put the meeting's issue back (once; later, the user may look at any).
        target, dock = self._dock_target, self.features.issues.detail
        if target is None or dock.issue_id == target:
            self._dock_target = None
        elif not dock.is_dirty and self.item is not None and self.item.issue_id == target:
            self._dock_target = None
            self.features.issues.load_detail(target)

    def _load(self, issue_id: int, keep_form: bool = False, restore: bool = False) -> None:
        self._request += 1
        request = self._request

        def done(detail):
            if request != self._request or self.item is None or self.item.issue_id != issue_id:
                return
            if restore and detail.viewpoints:
                self.features.issues.restore_viewpoint(detail.viewpoints[0])
            self._show(detail, keep_form)

        def failed(exc):
            if request == self._request:
                self.view.set_note(_("Issue not shown: {error}").format(error=exc), "error")

        self.session.run(lambda project: project.issues.detail(issue_id), done, failed)

    def _show(self, detail, keep_form: bool) -> None:
        typed = self.view.form.values() if keep_form and self.baseline is not None else None
        untouched = typed is None or typed == self.baseline
        self.detail = detail
        self.view.show_issue(detail, self.vocabulary)
        self.baseline = values_for(detail.issue, self.item)
        if untouched:
            self.view.form.set_values(self.drafts.get(detail.issue.id, self.baseline), self.vocabulary)
        self.view.focus_form()
        self.issue_shown.emit(detail.issue.id)

    # ------------------------------------------------------------------ recording

    def record(self, move: bool = False) -> None:
        """Record the form for the current issue (``move``: then show the next one)."""
        item = self.item
        if item is None or self.view.busy:
            return
        if self.detail is None or self.detail.issue.id != item.issue_id:
            self.view.set_note(_("The issue is still loading; record again in a moment."), "error")
            return
        values = self.view.form.values()
        kwargs = record_arguments(values, self.detail.issue)
        meeting_id, issue_id, author = self.meeting.id, item.issue_id, self.session.author

        def write(project):
            return project.meetings.record(meeting_id, issue_id, author, **kwargs)

        self.view.set_busy(True, _("Recording…"))
        self.session.run(write, lambda result: self._recorded(result, move),
                         lambda exc: self._record_failed(exc, move))

    def _recorded(self, result, move: bool) -> None:
        item, issue = result
        self.view.set_busy(False)
        if self.meeting is None:
            return
        self.meeting = replace(self.meeting, items=tuple(item if old.issue_id == item.issue_id else old
                                                         for old in self.meeting.items))
        self.drafts.pop(item.issue_id, None)
        self.baseline = None  # what the form holds is recorded now: no draft to keep when moving on
        self.view.set_items(self.meeting)
        self.recorded.emit(item)
        self.features.issues.refresh_rows()
        dock = self.features.issues.detail
        if dock.issue_id == issue.id and not dock.is_dirty:
            self.features.issues.load_detail(issue.id, discard_edits=False)
        at = datetime.now().strftime("%H:%M")
        text = _("#{number} recorded at {time}.").format(number=issue.number, time=at)
        last = self.index >= len(self.meeting.items) - 1
        if move and not last:
            self.go_to(self.index + 1)
            self.view.set_note(text, "ok")
            return
        if last:
            undiscussed = sum(1 for i in self.meeting.items if not i.discussed)
            text += " " + (_("End of the agenda: End meeting writes the minutes.") if not undiscussed else
                           _("End of the agenda; {n} issues not discussed yet.").format(n=undiscussed))
        self.view.set_note(text, "ok")
        self._load(issue.id)  # the form shows the stored values again

    def _record_failed(self, exc, move: bool) -> None:
        from project_db.meetings import MeetingClosed

        self.view.set_busy(False)
        self.view.set_note(_("Not recorded: {error}").format(error=exc), "error")
        window = self.features.window
        if isinstance(exc, DatabaseUnavailable):
            self.prompt = ask(window, QMessageBox.Warning, _("Not recorded"),
                              str(exc) + "\n\n" + _("What you typed is kept in the meeting form."),
                              [("retry", _("Retry"), QMessageBox.AcceptRole),
                               ("cancel", _("Keep editing"), QMessageBox.RejectRole)],
                              lambda choice: self._after_prompt(choice == "retry", move))
        elif isinstance(exc, MeetingClosed):
            self.prompt = ask(window, QMessageBox.Warning, _("Not recorded"),
                              str(exc) + "\n\n" + _("Reopen it and record? What you typed is kept."),
                              [("reopen", _("Reopen and record"), QMessageBox.AcceptRole),
                               ("cancel", _("Keep editing"), QMessageBox.RejectRole)],
                              lambda choice: choice == "reopen" and self._reopen_and_record(move))
        else:
            self.prompt = ask(window, QMessageBox.Warning, _("Not recorded"), str(exc),
                              [("ok", _("OK"), QMessageBox.AcceptRole)], lambda _c: self._after_prompt(False, move),
                              getattr(exc, "traceback_text", ""))

    def _after_prompt(self, retry: bool, move: bool) -> None:
        if retry:
            self.record(move)
        else:
            self.view.focus_form()

    def _reopen_and_record(self, move: bool) -> None:
        meeting_id, author = self.meeting.id, self.session.author

        def reopened(meeting):
            self.meeting = replace(meeting, items=self.meeting.items)
            self.record(move)

        self.session.run(lambda project: project.meetings.start(meeting_id, author), reopened,
                         lambda exc: self._record_failed(exc, move))

    # ------------------------------------------------------------------ other workstations

    def reload_meeting(self) -> None:
        """Read the meeting again (another workstation recorded, or changed the agenda)."""
        if self.meeting is None:
            return
        meeting_id = self.meeting.id

        def done(meeting):
            self.show_updated(meeting)
            if self.meeting is meeting and meeting.state == "closed":
                self.view.set_note(_("Another workstation closed this meeting: recording will offer to reopen it."),
                                   "error")

        self.session.run(lambda project: project.meetings.get(meeting_id), done, lambda _exc: None)

    def show_updated(self, meeting) -> None:
        """Show a newer copy of the meeting held (edited here or elsewhere), staying on the current issue.

        Recorded items keep their ticks (they come with ``meeting``) and what is typed in
        the form stays. If the current issue left the agenda, the issue now at its place is shown.
        """
        if self.meeting is None or self.meeting.id != meeting.id:
            return
        ids = [i.issue_id for i in meeting.items]
        if ids == [i.issue_id for i in self.meeting.items] and _same_header(meeting, self.meeting):
            self.meeting = meeting  # only ticks and texts moved on (recorded here or elsewhere)
            self.view.set_items(meeting)
            return
        current = self.item.issue_id if self.item else None
        self._keep_draft()
        self.meeting = meeting
        self.view.show_meeting(meeting, self.vocabulary)  # the same meeting: its clock goes on
        if self.view.busy:
            self.view.set_busy(True)  # a record still running keeps its buttons waiting
        if current in ids:
            self.index = ids.index(current)
            self.view.set_current(self.index)
        elif ids:
            place = min(max(self.index, 0), len(ids) - 1)
            self.detail, self.baseline = None, None  # the draft is kept above; the form now belongs to another issue
            self.go_to(place)
        else:
            self._request += 1  # a detail still loading is for an issue no longer on the agenda
            self.index, self.detail, self.baseline = -1, None, None
            self.view.set_current(-1)

    def issues_changed(self, issue_ids) -> None:
        """Some issues changed: refresh the shown one, keeping what is typed in the form."""
        if self.detail is not None and self.detail.issue.id in issue_ids and not self.view.busy:
            self._load(self.detail.issue.id, keep_form=True)


def _same_header(a, b) -> bool:
    """True when the meeting view's header would read the same for both copies of a meeting."""
    return (a.title, a.held_at, a.location, tuple(a.attendees), a.state) == \
        (b.title, b.held_at, b.location, tuple(b.attendees), b.state)
