"""The "New meeting" dialog: header (title, date, place, attendees), agenda criteria and a live agenda preview.

Like the other dialogs it does no database work: when the criteria change it asks
for a preview (``preview_wanted``) and the meeting features answer with
:meth:`MeetingSetupDialog.show_preview`. The preview can be reordered (drag and drop,
Alt+Up/Alt+Down) and trimmed (Delete); issues removed by hand stay out when the
criteria change, until "Reset" takes the criteria's list back.

Given a stored meeting, the same dialog edits it ("Edit meeting #3"): it shows the
meeting's header, its stored criteria and its agenda as stored (with the issues
already discussed ticked), not the criteria's list, until the criteria change or
"Reset" is pressed. Saving asks first when discussed issues leave the agenda.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from PySide6.QtCore import QDate, QDateTime, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout,
    QWidget,
)

from bim.i18n import _, ngettext
from project_db.meetings import AGENDA_ORDERS
from project_db.records import Meeting, MeetingItem, new_guid
from ui.issue_form import CheckList
from ui.issue_text import format_day, local
from ui.meeting_agenda import AgendaCriteria, order_name
from ui.meeting_view import tick_icon
from ui.project_session import Vocabulary
from ui.prompts import ask

PREVIEW_DELAY_MS = 250  # wait for a burst of ticks before querying
ID_ROLE = Qt.UserRole


class AttendeeList(QWidget):
    """Project users to tick, plus names typed in (visitors, people not in the project)."""

    def __init__(self, users, me: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setMinimumHeight(120)
        for user in users:
            self._add(user.name, user.email and f"{user.name} <{user.email}>", checked=me in (user.name, user.email))
        self.typed = QLineEdit()
        self.typed.setPlaceholderText(_("Other attendee (name, company)…"))
        self.typed.installEventFilter(self)  # Enter adds the name; it must not press "Start meeting"
        add = QPushButton(_("Add"))
        add.setAutoDefault(False)
        add.clicked.connect(self.add_typed)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.typed, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """Enter in the typing box adds the name instead of reaching the dialog's default button."""
        if (obj is self.typed and event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and self.typed.text().strip()):
            self.add_typed()
            return True
        return False

    def _add(self, name: str, tooltip: str | None = None, checked: bool = True) -> None:
        item = QListWidgetItem(name)
        item.setData(ID_ROLE, name)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        if tooltip:
            item.setToolTip(tooltip)
        self.list.addItem(item)

    def add_typed(self) -> None:
        """Add the typed name as a ticked attendee (ticking it if it is already listed)."""
        name = " ".join(self.typed.text().split())
        if not name:
            return
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE).casefold() == name.casefold():
                self.list.item(i).setCheckState(Qt.Checked)
                break
        else:
            self._add(name)
        self.typed.clear()

    def set_checked(self, names) -> None:
        """Tick ``names`` (adding those not listed)."""
        for name in names:
            self.typed.setText(name)
            self.add_typed()

    def attendees(self) -> tuple[str, ...]:
        """The ticked names, in list order (a name still in the typing box counts too)."""
        names = [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                 if self.list.item(i).checkState() == Qt.Checked]
        pending = " ".join(self.typed.text().split())
        if pending and pending.casefold() not in {n.casefold() for n in names}:
            names.append(pending)
        return tuple(names)


class AgendaPreview(QWidget):
    """The agenda as it will be held: count, list in order, move up/down, remove, reset."""

    changed = Signal()
    reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # Editing a meeting: the issue ids already discussed (ticked; the others get the view's empty ring).
        self.discussed: set[int] | None = None
        self.count = QLabel()
        self.count.setStyleSheet("font-weight: bold")
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.InternalMove)
        self.list.setDefaultDropAction(Qt.MoveAction)
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setIconSize(QSize(16, 16))
        self.list.model().rowsMoved.connect(lambda *_a: self._renumber())
        self.up_button = QPushButton(_("Up"))
        self.down_button = QPushButton(_("Down"))
        self.remove_button = QPushButton(_("Remove"))
        self.reset_button = QPushButton(_("Reset"))
        self.up_button.setToolTip(_("Move the selected issues up (Alt+Up)"))
        self.down_button.setToolTip(_("Move the selected issues down (Alt+Down)"))
        self.remove_button.setToolTip(_("Take the selected issues off the agenda (Delete)"))
        self.reset_button.setToolTip(_("Back to the issues the criteria select, in their order"))
        for button in (self.up_button, self.down_button, self.remove_button, self.reset_button):
            button.setAutoDefault(False)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button.clicked.connect(self.reset_requested)
        for keys, slot in (("Alt+Up", lambda: self.move_selected(-1)), ("Alt+Down", lambda: self.move_selected(1)),
                           (QKeySequence.Delete, self.remove_selected)):
            QShortcut(QKeySequence(keys), self.list, slot, context=Qt.WidgetShortcut)
        buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.set_rows([], Vocabulary(), pending=True)

    def set_rows(self, rows, vocabulary: Vocabulary, pending: bool = False) -> None:
        """Show ``rows`` (IssueRows) as the agenda."""
        self.list.clear()
        for row in rows:
            self._add(row.id, _row_text(row, vocabulary), row.title)
        self._renumber()
        if pending:
            self.count.setText(_("Looking for issues…"))

    def set_items(self, items, vocabulary: Vocabulary) -> None:
        """Show a stored agenda's ``items`` (MeetingItems) in their order."""
        self.list.clear()
        for item in items:
            self._add(item.issue_id, _item_text(item, vocabulary), item.issue_title or "")
        self._renumber()

    def _add(self, issue_id: int, text: str, tooltip: str) -> None:
        item = QListWidgetItem()
        item.setData(ID_ROLE, issue_id)
        item.setData(Qt.UserRole + 1, text)
        if self.discussed is not None:
            item.setIcon(tick_icon(issue_id in self.discussed))
            if issue_id in self.discussed:
                tooltip = "\n".join(filter(None, (tooltip, _("Already discussed in this meeting"))))
        item.setToolTip(tooltip)
        self.list.addItem(item)

    def _renumber(self) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setText(f"{i + 1}.  {item.data(Qt.UserRole + 1)}")
        n = self.list.count()
        self.count.setText(ngettext("{n} issue on the agenda", "{n} issues on the agenda", n).format(n=n)
                           if n else _("No issue matches: widen the criteria."))
        self.changed.emit()

    def issue_ids(self) -> list[int]:
        """The agenda's issue ids, in the order shown."""
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def move_selected(self, step: int) -> None:
        """Move the selected issues one place up (``step`` -1) or down (+1)."""
        rows = sorted(self.list.row(item) for item in self.list.selectedItems())
        if not rows or (step < 0 and rows[0] == 0) or (step > 0 and rows[-1] == self.list.count() - 1):
            return
        for row in (rows if step < 0 else reversed(rows)):
            item = self.list.takeItem(row)
            self.list.insertItem(row + step, item)
            item.setSelected(True)
        self.list.setCurrentRow(rows[0] + step, self.list.selectionModel().SelectionFlag.NoUpdate)
        self._renumber()

    def remove_selected(self) -> list[int]:
        """Take the selected issues off the agenda; returns their ids."""
        removed = []
        for item in self.list.selectedItems():
            removed.append(item.data(ID_ROLE))
            self.list.takeItem(self.list.row(item))
        if removed:
            self._renumber()
        return removed


def _row_text(row, vocabulary: Vocabulary) -> str:
    parts = [f"#{row.number}  {row.title}"]
    facts = [row.responsible_trade or "—", vocabulary.name("status", row.status)]
    if row.due_date is not None:
        facts.append(_("due {date}").format(date=format_day(row.due_date)))
    return f"{parts[0]}   ({' · '.join(facts)})"


def _item_text(item, vocabulary: Vocabulary) -> str:
    # A stored item: the issue as the agenda last saw it (as recorded, for a discussed one).
    status = item.status_after if item.discussed and item.status_after else item.status_before
    facts = [item.trade or "—"] + ([vocabulary.name("status", status)] if status else [])
    return f"#{item.issue_number}  {item.issue_title}   ({' · '.join(facts)})"


class MeetingSetupDialog(QDialog):
    """Prepare a meeting; accepted with :attr:`start_now` telling "Start now" from "Save for later".

    With ``meeting`` (a stored meeting, with its items) it edits that meeting instead:
    :attr:`editing` holds it, the buttons are Save and Cancel, and :meth:`meeting`
    returns the edited copy (same id and version) to save.
    """

    preview_wanted = Signal(object)  # AgendaCriteria

    def __init__(self, vocabulary: Vocabulary, parent: QWidget | None = None,
                 criteria: AgendaCriteria | None = None, author: str = "", meeting: Meeting | None = None):
        super().__init__(parent)
        self.editing = meeting
        self.setWindowTitle(_("New meeting") if meeting is None else
                            _("Edit meeting #{number}").format(number=meeting.number))
        self.vocabulary = vocabulary
        self.start_now = meeting is None
        self.guid = new_guid()  # chosen once: a retried create after an outage does not make a second meeting
        self.prompt = None  # the question asked before discussed issues leave the agenda
        self._removed: set[int] = set()
        self._rows: list = []
        self._shown_for: AgendaCriteria | None = None
        # Editing: the stored agenda stays as it is until the criteria change or Reset is pressed.
        self._keep_stored = meeting is not None
        self._stored_ids = [item.issue_id for item in meeting.items] if meeting is not None else []
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.request_preview)
        if meeting is not None:
            criteria = AgendaCriteria.from_dict(meeting.agenda_filter)
        criteria = criteria or AgendaCriteria()

        now = datetime.now()
        self.title = QLineEdit(_("Coordination meeting {date}").format(date=now.strftime("%Y-%m-%d")))
        self.held_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.held_at.setCalendarPopup(True)
        self.held_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.location = QLineEdit()
        self.location.setPlaceholderText(_("Site office, video call…"))
        self.attendees = AttendeeList(vocabulary.users, author if meeting is None else "")
        if meeting is not None:
            self.title.setText(meeting.title)
            self.held_at.setDateTime(QDateTime.fromMSecsSinceEpoch(int(local(meeting.held_at).timestamp() * 1000)))
            self.location.setText(meeting.location or "")
            self.attendees.set_checked(meeting.attendees)
        header = QGroupBox(_("Meeting"))
        header_form = QFormLayout(header)
        header_form.addRow(_("Title:"), self.title)
        header_form.addRow(_("Date and time:"), self.held_at)
        header_form.addRow(_("Location:"), self.location)
        header_form.addRow(_("Attendees:"), self.attendees)

        self.trades = CheckList()
        self.trades.set_items([(t.code, f"{t.code} – {t.name()}") for t in vocabulary.trades], criteria.trades)
        self.statuses = CheckList()
        self.statuses.set_items([(s.code, s.name()) for s in vocabulary.statuses], criteria.statuses)
        self.open_only = QCheckBox(_("Open issues only (not closed)"))
        self.open_only.setChecked(criteria.open_only)
        self.labels = CheckList()
        self.labels.set_items([(label.code, label.name()) for label in vocabulary.labels], criteria.labels)
        self.has_due = QCheckBox(_("Due on or before"))
        self.due_before = QDateEdit(QDate.currentDate().addDays(14))
        self.due_before.setCalendarPopup(True)
        self.due_before.setDisplayFormat("yyyy-MM-dd")
        if criteria.due_before is not None:
            self.has_due.setChecked(True)
            self.due_before.setDate(QDate(criteria.due_before.year, criteria.due_before.month,
                                          criteria.due_before.day))
        self.due_before.setEnabled(self.has_due.isChecked())
        self.order = QComboBox()
        for code in AGENDA_ORDERS:
            self.order.addItem(order_name(code), code)
        self.order.setCurrentIndex(max(0, self.order.findData(criteria.order)))
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due_before, 1)
        agenda = QGroupBox(_("Agenda: which issues"))
        agenda_form = QFormLayout(agenda)
        agenda_form.addRow(_("Trades:"), self.trades)
        agenda_form.addRow(_("Statuses:"), self.statuses)
        agenda_form.addRow("", self.open_only)
        agenda_form.addRow(_("Labels:"), self.labels)
        agenda_form.addRow(_("Due date:"), due_row)
        agenda_form.addRow(_("Order:"), self.order)
        hint = QLabel(_("No tick in a list means any value."))
        hint.setStyleSheet("color: gray")
        agenda_form.addRow("", hint)

        self.preview = AgendaPreview()
        self.preview.reset_requested.connect(self.reset_agenda)
        self.preview.changed.connect(self._sync_removed)
        self.preview.changed.connect(self._update_buttons)
        preview_box = QGroupBox(_("Agenda preview (drag to reorder)") if meeting is None
                                else _("Agenda (drag to reorder)"))
        QVBoxLayout(preview_box).addWidget(self.preview)

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(_("Start meeting"), QDialogButtonBox.AcceptRole)
        self.later_button = self.buttons.addButton(_("Save for later"), QDialogButtonBox.AcceptRole)
        self.save_button = self.buttons.addButton(_("Save"), QDialogButtonBox.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.Cancel)
        for button in (self.start_button, self.later_button) if meeting is not None else (self.save_button,):
            button.hide()
        (self.start_button if meeting is None else self.save_button).setDefault(True)
        self.start_button.clicked.connect(lambda: self._finish(True))
        self.later_button.clicked.connect(lambda: self._finish(False))
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")

        columns = QHBoxLayout()
        columns.addWidget(header, 3)
        columns.addWidget(agenda, 3)
        columns.addWidget(preview_box, 4)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(bottom)
        self.resize(1180, 600)

        for checklist, rows in ((self.trades, 9), (self.statuses, 5), (self.labels, 5)):
            # Short lists stay short; the trades (often a dozen) get the room.
            shown = min(max(checklist.count(), 2), rows)
            checklist.setMaximumHeight(shown * max(checklist.sizeHintForRow(0), 18) + 6)
            checklist.changed.connect(self.criteria_changed)
        self.open_only.toggled.connect(self.criteria_changed)
        self.has_due.toggled.connect(self.due_before.setEnabled)
        self.has_due.toggled.connect(self.criteria_changed)
        self.due_before.dateChanged.connect(self.criteria_changed)
        self.order.currentIndexChanged.connect(self.criteria_changed)
        self.title.textChanged.connect(self._update_buttons)
        # What the editors show at the start, to tell an edit from a round trip through the widgets
        # (seconds the date editor drops, criteria lists in another order): those keep the stored value.
        self._opened_held_at = self.held_at.dateTime()
        self._opened_criteria = self.criteria()
        if meeting is not None:
            self.preview.discussed = {item.issue_id for item in meeting.items if item.discussed}
            self.preview.set_items(meeting.items, vocabulary)
        self._update_buttons()

    # ------------------------------------------------------------------ criteria and preview

    def criteria(self) -> AgendaCriteria:
        """The agenda criteria the dialog shows."""
        return AgendaCriteria(
            trades=self.trades.checked(), statuses=self.statuses.checked(), open_only=self.open_only.isChecked(),
            due_before=self.due_before.date().toPython() if self.has_due.isChecked() else None,
            labels=self.labels.checked(), order=self.order.currentData())

    def criteria_changed(self, *_args) -> None:
        """Ask for a new preview once the user pauses."""
        self._keep_stored = False
        self.preview.count.setText(_("Looking for issues…"))
        self._timer.start()
        self._update_buttons()

    def request_preview(self) -> None:
        """Ask for the issues the current criteria select (answered by :meth:`show_preview`)."""
        self._timer.stop()
        self.preview_wanted.emit(self.criteria())

    def show_preview(self, criteria: AgendaCriteria, rows) -> None:
        """Show the issues ``criteria`` select (ignored if the criteria changed meanwhile)."""
        if criteria != self.criteria():
            return
        self._rows = list(rows)
        self._shown_for = criteria
        if not self._keep_stored:  # editing: the stored agenda stays until the criteria change or Reset
            self.preview.set_rows([r for r in rows if r.id not in self._removed], self.vocabulary)
        self._update_buttons()

    def show_problem(self, text: str) -> None:
        """A message under the dialog (the preview query failed …)."""
        self.problem.setText(text)

    def reset_agenda(self) -> None:
        """Forget the hand edits: the criteria's issues in the criteria's order."""
        self._keep_stored = False
        self._removed.clear()
        if self._shown_for == self.criteria():
            self.preview.set_rows(self._rows, self.vocabulary)
        else:  # editing, and the criteria's list is not read yet
            self.preview.set_rows([], self.vocabulary, pending=True)
            self.request_preview()

    @property
    def preview_ready(self) -> bool:
        """True when the preview shows the current criteria's issues (or, editing, the stored agenda)."""
        if self._keep_stored:
            return True
        return self._shown_for is not None and self._shown_for == self.criteria() and not self._timer.isActive()

    @property
    def criteria_issue_ids(self) -> list[int]:
        """The issues the criteria select, as last read (editing: what Reset brings back)."""
        return [row.id for row in self._rows]

    def agenda_ids(self) -> list[int]:
        """The agenda as it will be held."""
        return self.preview.issue_ids()

    # ------------------------------------------------------------------ result

    def _update_buttons(self) -> None:
        has_title = bool(self.title.text().strip())
        ready = self.preview_ready
        self.start_button.setEnabled(has_title and ready and self.preview.list.count() > 0)
        self.later_button.setEnabled(has_title and ready)
        self.save_button.setEnabled(has_title and ready)
        if not has_title:
            self.problem.setText(_("Give the meeting a title."))
        elif self.problem.text() == _("Give the meeting a title."):
            self.problem.clear()

    def _sync_removed(self) -> None:
        # Issues removed by hand stay out when the criteria change afterwards.
        shown = set(self.agenda_ids())
        listed = self._stored_ids if self._keep_stored else [r.id for r in self._rows]
        self._removed |= {issue_id for issue_id in listed if issue_id not in shown}

    def _finish(self, start_now: bool) -> None:
        self.start_now = start_now
        self.accept()

    def discussed_removed(self) -> list:
        """Editing: the items already discussed that the agenda shown no longer holds."""
        if self.editing is None:
            return []
        shown = set(self.agenda_ids())
        return [item for item in self.editing.items if item.discussed and item.issue_id not in shown]

    def save(self) -> None:
        """Editing: accept, after asking when discussed issues leave the agenda."""
        lost = self.discussed_removed()
        if not lost:
            self._finish(False)
            return
        numbers = ", ".join(f"#{item.issue_number}" for item in lost)
        text = ngettext(
            "Issue {issues} was already discussed in this meeting. What was recorded for it stays in the "
            "issue's history, but it leaves the agenda and the minutes.",
            "Issues {issues} were already discussed in this meeting. What was recorded for them stays in the "
            "issues' history, but they leave the agenda and the minutes.", len(lost)).format(issues=numbers)
        self.prompt = ask(self, QMessageBox.Warning, _("Remove discussed issues?"), text,
                          [("remove", _("Remove and save"), QMessageBox.AcceptRole),
                           ("cancel", _("Keep editing"), QMessageBox.RejectRole)],
                          lambda choice: choice == "remove" and self._finish(False))

    def meeting(self) -> Meeting:
        """The meeting to create (editing: the edited copy): header, attendees, criteria and the agenda in order."""
        held = self.held_at.dateTime().toPython()
        held_at = held.astimezone(timezone.utc) if held.tzinfo else held.astimezone().astimezone(timezone.utc)
        items = tuple(MeetingItem(issue_id=issue_id, position=n) for n, issue_id in enumerate(self.agenda_ids(), 1))
        criteria = self.criteria()
        if self.editing is None:
            return Meeting(
                title=self.title.text().strip(), held_at=held_at, attendees=self.attendees.attendees(),
                location=self.location.text().strip() or None, agenda_filter=criteria.as_dict(),
                items=items, guid=self.guid)
        stored = self.editing
        attendees = self.attendees.attendees()
        if set(attendees) == set(stored.attendees):
            attendees = stored.attendees  # the same people: keep their stored order
        return replace(
            stored, title=self.title.text().strip(), attendees=attendees,
            held_at=stored.held_at if self.held_at.dateTime() == self._opened_held_at else held_at,
            location=self.location.text().strip() or None, items=items,
            agenda_filter=stored.agenda_filter if criteria == self._opened_criteria else criteria.as_dict())
