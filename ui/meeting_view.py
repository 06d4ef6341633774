"""The meeting view: the agenda on the left, the current issue in the middle, the recording form on the right.

It does no database work: it shows a :class:`Meeting` and the current issue's
detail, and asks for recording, moving and ending through signals, which
:class:`ui.meeting_run.MeetingRun` carries out in the background.

Keyboard (anywhere in the view): Ctrl+Enter records and goes to the next issue,
Ctrl+S records and stays, PageDown/PageUp or Alt+Right/Alt+Left move without
recording. Escape does nothing: a stray key must not end a two-hour meeting.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QKeySequence, QPainter, QPen, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar,
    QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from bim.i18n import _, ngettext
from ui.issue_text import format_moment
from ui.meeting_form import DecisionForm
from ui.meeting_issue import IssueSummary
from ui.project_session import Vocabulary

DISCUSSED_ROLE = Qt.UserRole + 1
DISCUSSED_COLOUR = QColor("#2e7d32")
CLOCK_MS = 15_000
NOTE_COLOURS = {"info": "#555", "ok": "#2e7d32", "error": "#c62828"}
# (keys, what they do): the record and move shortcuts of the view.
RECORD_AND_NEXT_KEYS = ("Ctrl+Return", "Ctrl+Enter")
RECORD_KEYS = ("Ctrl+S",)
NEXT_KEYS = ("PgDown", "Alt+Right")
PREVIOUS_KEYS = ("PgUp", "Alt+Left")


_ICONS: dict[bool, QIcon] = {}


def tick_icon(discussed: bool) -> QIcon:
    """A green disc with a tick for a discussed item, a grey ring for one still to discuss."""
    if discussed not in _ICONS:
        pixmap = QPixmap(32, 32)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        if discussed:
            painter.setPen(Qt.NoPen)
            painter.setBrush(DISCUSSED_COLOUR)
            painter.drawEllipse(3, 3, 26, 26)
            painter.setPen(QPen(QColor("white"), 4, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
            painter.drawPolyline([QPointF(9, 16.5), QPointF(14, 21.5), QPointF(23, 11)])
        else:
            painter.setPen(QPen(QColor("#9e9e9e"), 2.5))
            painter.setBrush(Qt.NoBrush)
            painter.drawEllipse(5, 5, 22, 22)
        painter.end()
        _ICONS[discussed] = QIcon(pixmap)
    return _ICONS[discussed]


class MeetingView(QWidget):
    """One meeting being held; see the module docstring."""

    record_requested = Signal(bool)  # True: go to the next issue afterwards
    move_requested = Signal(int)  # -1 previous, +1 next (nothing recorded)
    item_chosen = Signal(int)  # an agenda row was clicked
    end_requested = Signal()
    edit_requested = Signal()  # the header's Edit… button: change the meeting's header or agenda

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.meeting = None
        self.current = -1
        self.busy = False
        self._choosing = False
        self._elapsed = QElapsedTimer()
        self._clock = QTimer(self, interval=CLOCK_MS)
        self._clock.timeout.connect(self._show_clock)

        # header: what meeting, how far, how long, end
        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.subheading = QLabel()
        self.subheading.setStyleSheet("color: #555")
        self.subheading.setWordWrap(True)
        self.position = QLabel()
        position_font = QFont(heading_font)
        position_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        self.position.setFont(position_font)
        self.position.setToolTip(_("Issue shown / issues on the agenda"))
        self.progress = QProgressBar()
        self.progress.setFixedWidth(200)
        self.progress.setTextVisible(True)
        self.clock = QLabel()
        self.clock.setStyleSheet("color: #555")
        self.clock.setToolTip(_("Time since the meeting view was opened"))
        self.end_button = QPushButton(_("End meeting…"))
        self.end_button.setToolTip(_("Close the meeting and write its minutes"))
        self.end_button.setFocusPolicy(Qt.NoFocus)
        self.end_button.clicked.connect(self.end_requested)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Change the meeting's title, date, attendees or agenda"))
        self.edit_button.setFocusPolicy(Qt.NoFocus)
        self.edit_button.setFlat(True)
        self.edit_button.clicked.connect(self.edit_requested)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading)
        heading_row.addWidget(self.edit_button)
        heading_row.addStretch(1)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addLayout(heading_row)
        titles.addWidget(self.subheading)
        header = QHBoxLayout()
        header.addLayout(titles, 1)
        header.addWidget(self.position)
        header.addSpacing(12)
        header.addWidget(self.progress)
        header.addSpacing(12)
        header.addWidget(self.clock)
        header.addSpacing(12)
        header.addWidget(self.end_button)

        # left: the agenda
        self.agenda = QListWidget()
        self.agenda.setSelectionMode(QAbstractItemView.SingleSelection)
        self.agenda.setFocusPolicy(Qt.NoFocus)  # the keyboard belongs to the form
        self.agenda.setWordWrap(True)
        self.agenda.setIconSize(QSize(18, 18))
        self.agenda.setSpacing(2)
        self.agenda.setTextElideMode(Qt.ElideRight)
        self.agenda.currentRowChanged.connect(self._on_row_chosen)
        self.previous_button = QPushButton(_("◀ Previous"))
        self.next_button = QPushButton(_("Next ▶"))
        self.previous_button.setToolTip(_("Previous issue without recording (PageUp, Alt+Left)"))
        self.next_button.setToolTip(_("Next issue without recording (PageDown, Alt+Right)"))
        for button, step in ((self.previous_button, -1), (self.next_button, 1)):
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _c=False, s=step: self.move_requested.emit(s))
        agenda_box = QGroupBox(_("Agenda"))
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.addWidget(self.agenda, 1)
        moves = QHBoxLayout()
        moves.addWidget(self.previous_button)
        moves.addWidget(self.next_button)
        agenda_layout.addLayout(moves)

        # middle: the issue
        self.summary = IssueSummary()
        issue_box = QGroupBox(_("Issue"))
        QVBoxLayout(issue_box).addWidget(self.summary)

        # right: recording
        self.form = DecisionForm()
        self.record_button = QPushButton(_("Record"))
        self.record_button.setToolTip(_("Record for this issue and stay (Ctrl+S)"))
        self.next_record_button = QPushButton(_("Record and next"))
        self.next_record_button.setToolTip(_("Record for this issue and go to the next one (Ctrl+Enter)"))
        self.next_record_button.setDefault(True)
        for button, move in ((self.record_button, False), (self.next_record_button, True)):
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _c=False, m=move: self.request_record(m))
        self.note = QLabel()
        self.note.setWordWrap(True)
        keys = QLabel(_("Ctrl+Enter: record and next · Ctrl+S: record · PageDown/PageUp: next/previous "
                        "without recording"))
        keys.setWordWrap(True)
        keys.setStyleSheet("color: gray; font-size: small")
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.next_record_button)
        record_box = QGroupBox(_("Record"))
        record_layout = QVBoxLayout(record_box)
        record_layout.addWidget(self.form, 1)
        record_layout.addLayout(buttons)
        record_layout.addWidget(keys)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for widget in (agenda_box, issue_box, record_box):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 22)
        self.splitter.setStretchFactor(1, 40)
        self.splitter.setStretchFactor(2, 38)
        self.splitter.setSizes([330, 600, 570])
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self.splitter, 1)

        for keys_, slot in ((RECORD_AND_NEXT_KEYS, lambda: self.request_record(True)),
                            (RECORD_KEYS, lambda: self.request_record(False)),
                            (NEXT_KEYS, lambda: self.move_requested.emit(1)),
                            (PREVIOUS_KEYS, lambda: self.move_requested.emit(-1))):
            for sequence in keys_:
                QShortcut(QKeySequence(sequence), self, slot, context=Qt.WidgetWithChildrenShortcut)
        self.show_meeting(None)

    # ------------------------------------------------------------------ the meeting

    def show_meeting(self, meeting, vocabulary: Vocabulary | None = None) -> None:
        """Show ``meeting``'s header and agenda (None: nothing); the same meeting again keeps its clock."""
        same = meeting is not None and self.meeting is not None and self.meeting.id == meeting.id
        self.meeting = meeting
        if meeting is None:
            self.heading.setText(_("No meeting"))
            self.subheading.setText(_("Coordination › New meeting… prepares one."))
            self.agenda.clear()
            self.summary.show_nothing(_("No meeting is being held."))
            self._clock.stop()
            self.clock.clear()
            self._update_progress()
            self._enable(False)
            return
        self.heading.setText(_("Meeting #{number} — {title}").format(number=meeting.number, title=meeting.title))
        facts = [format_moment(meeting.held_at)]
        if meeting.location:
            facts.append(meeting.location)
        if meeting.attendees:
            facts.append(ngettext("{n} attendee", "{n} attendees", len(meeting.attendees)).format(
                n=len(meeting.attendees)) + ": " + ", ".join(meeting.attendees))
        self.subheading.setText(" · ".join(facts))
        if not same:
            self._elapsed.start()
        self._clock.start()
        self._show_clock()
        self._choosing = True
        try:
            self.agenda.clear()
            for item in meeting.items:
                entry = QListWidgetItem()
                self.agenda.addItem(entry)
        finally:
            self._choosing = False
        self.set_items(meeting)
        self._enable(bool(meeting.items))
        if not meeting.items:
            self.summary.show_nothing(_("The agenda is empty."))

    def set_items(self, meeting) -> None:
        """Refresh the agenda's ticks and texts from ``meeting`` (same items, some now discussed)."""
        self.meeting = meeting
        self._update_edit()
        for row, item in enumerate(meeting.items):
            entry = self.agenda.item(row)
            if entry is None:
                continue
            trade = f"  [{item.trade}]" if item.trade else ""
            entry.setText(f"{row + 1}. #{item.issue_number}  {item.issue_title}{trade}")
            entry.setIcon(tick_icon(item.discussed))
            tip = item.issue_title or ""
            if item.decision:
                tip += "\n" + _("Decision: {decision}").format(decision=item.decision)
            entry.setToolTip(tip)
            entry.setData(DISCUSSED_ROLE, item.discussed)
            entry.setForeground(QBrush(DISCUSSED_COLOUR) if item.discussed else QBrush())
            font = entry.font()
            font.setBold(row == self.current)
            entry.setFont(font)
        self._update_progress()

    def set_current(self, index: int) -> None:
        """Make agenda row ``index`` the current one."""
        self.current = index
        self._choosing = True
        try:
            self.agenda.setCurrentRow(index)
        finally:
            self._choosing = False
        if self.meeting is not None:
            self.set_items(self.meeting)
        if 0 <= index < self.agenda.count():
            self.agenda.scrollToItem(self.agenda.item(index), QAbstractItemView.PositionAtCenter)

    def is_ticked(self, index: int) -> bool:
        """True when agenda row ``index`` shows as discussed."""
        entry = self.agenda.item(index)
        return bool(entry is not None and entry.data(DISCUSSED_ROLE))

    def _update_progress(self) -> None:
        items = self.meeting.items if self.meeting is not None else ()
        total = len(items)
        discussed = sum(1 for item in items if item.discussed)
        self.position.setText(f"{self.current + 1} / {total}" if total and self.current >= 0 else f"– / {total}")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(discussed)
        self.progress.setFormat(_("{done} of {total} discussed").format(done=discussed, total=total))
        self.previous_button.setEnabled(self.current > 0 and not self.busy)
        self.next_button.setEnabled(0 <= self.current < total - 1 and not self.busy)

    def _show_clock(self) -> None:
        minutes = self._elapsed.elapsed() // 60_000 if self._elapsed.isValid() else 0
        self.clock.setText(_("Elapsed {hours}:{minutes:02d}").format(hours=minutes // 60, minutes=minutes % 60))

    def _on_row_chosen(self, row: int) -> None:
        if not self._choosing and row >= 0 and row != self.current:
            self.item_chosen.emit(row)

    # ------------------------------------------------------------------ the current issue and recording

    def show_issue(self, detail, vocabulary: Vocabulary) -> None:
        """Show the current issue's detail (read-only part)."""
        self.summary.show_detail(detail, vocabulary)

    def request_record(self, move: bool) -> None:
        """Ask for the form to be recorded for the current issue (``move``: then go to the next)."""
        if not self.busy and self.meeting is not None and 0 <= self.current < len(self.meeting.items):
            self.record_requested.emit(move)

    def set_busy(self, busy: bool, message: str = "") -> None:
        """While a record runs: the buttons wait, the form keeps what was typed."""
        self.busy = busy
        for button in (self.record_button, self.next_record_button, self.end_button):
            button.setEnabled(not busy and self.meeting is not None)
        self._update_edit()
        if message:
            self.set_note(message)
        self._update_progress()

    def set_note(self, text: str, kind: str = "info") -> None:
        """A line under the form: "Recorded at 10:42", an error …"""
        self.note.setStyleSheet(f"color: {NOTE_COLOURS.get(kind, NOTE_COLOURS['info'])}")
        self.note.setText(text)

    def focus_form(self) -> None:
        """Give the keyboard back to the decision field."""
        self.form.focus_first()

    def _enable(self, enabled: bool) -> None:
        for widget in (self.form, self.record_button, self.next_record_button):
            widget.setEnabled(enabled)
        self.end_button.setEnabled(self.meeting is not None)
        self._update_edit()

    def _update_edit(self) -> None:
        # A closed meeting (another workstation ended it) is reopened before it changes.
        self.edit_button.setEnabled(not self.busy and self.meeting is not None and self.meeting.state != "closed")
