"""The "Meetings" dialog: the project's meetings, to continue or edit one, regenerate or save its minutes.

DB-free like the other dialogs: the meeting features fill it with
:func:`meeting_summaries` (run in a worker) and carry out what its buttons ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from bim.i18n import N_, _, ngettext, pgettext
from project_db.records import Meeting
from ui.issue_text import format_moment
from ui.meeting_minutes import FORMAT_NAMES

STATE_COLOURS = {"planned": "#1565c0", "running": "#ef6c00", "closed": "#2e7d32"}
COLUMNS = (N_("No."), N_("Title"), N_("Date"), N_("State"), N_("Discussed"), N_("Minutes"))


def state_name(state: str) -> str:
    """A meeting state as shown ("In progress" …)."""
    names = {"planned": pgettext("meeting", "Planned"), "running": pgettext("meeting", "In progress"),
             "closed": pgettext("meeting", "Closed")}
    return names.get(state, state)


@dataclass(frozen=True)
class MeetingSummary:
    """One line of the list: the meeting (with its items), and the formats of its stored minutes."""

    meeting: Meeting
    minutes: tuple[str, ...]

    @property
    def discussed(self) -> int:
        return sum(1 for item in self.meeting.items if item.discussed)


def meeting_summaries(project) -> list[MeetingSummary]:
    """Every meeting of ``project`` with its agenda and stored minutes, most recent first (a worker)."""
    summaries = []
    for header in project.meetings.list():
        meeting = project.meetings.get(header.id)
        summaries.append(MeetingSummary(meeting, tuple(m.format for m in project.meetings.minutes(header.id))))
    return summaries


class MeetingListDialog(QDialog):
    """The project's meetings; see the module docstring."""

    continue_requested = Signal(object)  # Meeting
    edit_requested = Signal(object)  # Meeting (not closed)
    regenerate_requested = Signal(object)  # MeetingSummary
    save_requested = Signal(object, str)  # Meeting, format
    new_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Meetings"))
        self.summaries: list[MeetingSummary] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_(c) for c in COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        for column, width in enumerate((46, 320, 130, 100, 90)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_a: self._continue())
        self.status = QLabel(_("Reading the meetings…"))
        self.status.setStyleSheet("color: gray")
        self.continue_button = QPushButton(_("Continue"))
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self._continue)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Change the selected meeting's title, date, attendees or agenda"))
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self._edit)
        self.regenerate_button = QPushButton(_("Regenerate minutes…"))
        self.regenerate_button.clicked.connect(self._regenerate)
        self.save_button = QToolButton()
        self.save_button.setText(_("Save minutes"))
        self.save_button.setPopupMode(QToolButton.InstantPopup)
        self.save_menu = QMenu(self.save_button)
        self.save_button.setMenu(self.save_menu)
        new_button = QPushButton(_("New meeting…"))
        new_button.setAutoDefault(False)
        new_button.clicked.connect(self.new_requested)
        close_button = QPushButton(_("Close"))
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.regenerate_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(new_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(900, 420)
        self._update_buttons()

    def show_meetings(self, summaries) -> None:
        """Show ``summaries``, keeping the selected meeting selected."""
        selected = self.selected()
        self.summaries = list(summaries)
        self.tree.clear()
        for summary in self.summaries:
            meeting = summary.meeting
            row = QTreeWidgetItem([
                str(meeting.number), meeting.title, format_moment(meeting.held_at), state_name(meeting.state),
                f"{summary.discussed} / {len(meeting.items)}",
                ", ".join(FORMAT_NAMES[f].split(" ")[0] for f in summary.minutes) or "—",
            ])
            row.setData(0, Qt.UserRole, meeting.id)
            row.setForeground(3, QBrush(QColor(STATE_COLOURS.get(meeting.state, "#000"))))
            row.setToolTip(1, ", ".join(meeting.attendees))
            self.tree.addTopLevelItem(row)
            if selected is not None and meeting.id == selected.meeting.id:
                self.tree.setCurrentItem(row)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.status.setText(ngettext("{n} meeting", "{n} meetings", len(self.summaries)).format(
            n=len(self.summaries)) if self.summaries
                            else _("No meeting yet: New meeting… prepares one."))
        self._update_buttons()

    def show_problem(self, text: str) -> None:
        """Say why the list could not be read."""
        self.status.setText(text)

    def selected(self) -> MeetingSummary | None:
        """The selected meeting's summary."""
        item = self.tree.currentItem()
        if item is None:
            return None
        meeting_id = item.data(0, Qt.UserRole)
        return next((s for s in self.summaries if s.meeting.id == meeting_id), None)

    def select_meeting(self, meeting_id: int) -> bool:
        """Select the meeting ``meeting_id`` (False if it is not listed)."""
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, Qt.UserRole) == meeting_id:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))
                return True
        return False

    def state_shown(self, meeting_id: int) -> str | None:
        """The state column's text for ``meeting_id``."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.UserRole) == meeting_id:
                return item.text(3)
        return None

    def _update_buttons(self) -> None:
        summary = self.selected()
        self.continue_button.setEnabled(summary is not None)
        self.regenerate_button.setEnabled(summary is not None)
        self.edit_button.setEnabled(summary is not None and summary.meeting.state != "closed")
        if summary is not None:
            self.continue_button.setText({"planned": _("Start"), "closed": _("Reopen…")}.get(
                summary.meeting.state, _("Continue")))
        self.save_menu.clear()
        for fmt in (summary.minutes if summary else ()):
            action = QAction(FORMAT_NAMES[fmt] + "…", self.save_menu)
            action.triggered.connect(lambda _c=False, f=fmt, m=summary.meeting: self.save_requested.emit(m, f))
            self.save_menu.addAction(action)
        self.save_button.setEnabled(bool(summary and summary.minutes))

    def _continue(self) -> None:
        summary = self.selected()
        if summary is not None:
            self.continue_requested.emit(summary.meeting)

    def _edit(self) -> None:
        summary = self.selected()
        if summary is not None and summary.meeting.state != "closed":
            self.edit_requested.emit(summary.meeting)

    def _regenerate(self) -> None:
        summary = self.selected()
        if summary is not None:
            self.regenerate_requested.emit(summary)
