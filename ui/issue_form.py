"""The editable fields of one issue.

The form shows an :class:`Issue` and gives back an edited copy (``edited()``) in which
only the fields the user actually touched differ, so a save records exactly those in
the history, and an untouched due date or description never changes by a round trip
through a widget.
"""

from __future__ import annotations

from dataclasses import replace
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QWidget,
)

from bim.i18n import _
from ui.issue_text import due_from_day, local
from ui.project_session import Vocabulary

NONE = ""  # the combo entry meaning "no value"


class CheckList(QListWidget):
    """A short list of checkable codes (involved trades, labels)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMaximumHeight(86)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_items(self, items: list[tuple[str, str]], checked: tuple[str, ...]) -> None:
        """Offer ``items`` (code, text); codes in ``checked`` that are not offered are kept and shown too."""
        self.blockSignals(True)
        self.clear()
        known = {code for code, _t in items}
        for code, text in list(items) + [(c, c) for c in checked if c not in known]:
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if code in checked else Qt.Unchecked)
            self.addItem(item)
        self.blockSignals(False)

    def checked(self) -> tuple[str, ...]:
        return tuple(self.item(i).data(Qt.UserRole) for i in range(self.count())
                     if self.item(i).checkState() == Qt.Checked)

    def set_checked(self, codes) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in codes else Qt.Unchecked)


def _fill_combo(combo: QComboBox, items: list[tuple[str, str]], current: str | None, optional: bool) -> None:
    combo.blockSignals(True)
    combo.clear()
    if optional:
        combo.addItem("—", NONE)
    for code, text in items:
        combo.addItem(text, code)
    if current and combo.findData(current) < 0:
        combo.addItem(current, current)  # a value the project no longer offers stays readable
    combo.setCurrentIndex(max(0, combo.findData(current or NONE)))
    combo.blockSignals(False)


class IssueForm(QWidget):
    """Title, description, type, status, priority, trades, assignee, due date, labels, stage; location shown."""

    edited_changed = Signal()  # any field was touched
    select_elements_requested = Signal(tuple)  # the issue's LinkedElements

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.issue = None
        self.vocabulary = Vocabulary()
        self.title = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(90)
        self.topic_type, self.status, self.priority = QComboBox(), QComboBox(), QComboBox()
        self.stage, self.trade = QComboBox(), QComboBox()
        self.assignee = QComboBox()
        self.assignee.setEditable(True)
        self.involved, self.labels = CheckList(), CheckList()
        self.has_due = QCheckBox()
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.suggest_due = QPushButton(_("Contractual date"))
        self.suggest_due.setToolTip(_("Due date from the trade's resolution delay for this priority"))
        self.suggest_due.clicked.connect(self.apply_suggested_due_date)
        self.location = QLabel()
        self.location.setWordWrap(True)
        self.elements = QLabel()
        self.select_button = QPushButton(_("Select in 3D"))
        self.select_button.clicked.connect(
            lambda: self.issue and self.select_elements_requested.emit(tuple(self.issue.linked_elements)))

        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        due_row.addWidget(self.suggest_due)
        elements_row = QHBoxLayout()
        elements_row.addWidget(self.elements, 1)
        elements_row.addWidget(self.select_button)
        form = QFormLayout(self)
        form.setContentsMargins(4, 4, 4, 4)
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Description:"), self.description)
        form.addRow(_("Type:"), self.topic_type)
        form.addRow(_("Status:"), self.status)
        form.addRow(_("Priority:"), self.priority)
        form.addRow(_("Responsible trade:"), self.trade)
        form.addRow(_("Involved trades:"), self.involved)
        form.addRow(_("Assigned to:"), self.assignee)
        form.addRow(_("Due date:"), due_row)
        form.addRow(_("Labels:"), self.labels)
        form.addRow(_("Stage:"), self.stage)
        form.addRow(_("Location:"), self.location)
        form.addRow(_("Elements:"), elements_row)

        self.title.textEdited.connect(self._touched)
        self.description.textChanged.connect(self._touched)
        for combo in (self.topic_type, self.status, self.priority, self.stage, self.trade):
            combo.currentIndexChanged.connect(self._touched)
        self.assignee.editTextChanged.connect(self._touched)
        self.involved.changed.connect(self._touched)
        self.labels.changed.connect(self._touched)
        self.has_due.toggled.connect(self._on_due_toggled)
        self.due.dateChanged.connect(self._touched)
        self._loading = False

    def _touched(self, *_args) -> None:
        if not self._loading:
            self.edited_changed.emit()

    def _on_due_toggled(self, checked: bool) -> None:
        self.due.setEnabled(checked)
        self._touched()

    # ------------------------------------------------------------------ showing

    def show_issue(self, issue, vocabulary: Vocabulary) -> None:
        """Fill the fields from ``issue`` (what is edited from now on)."""
        self._loading = True
        try:
            self.issue, self.vocabulary = issue, vocabulary
            self.title.setText(issue.title)
            self.description.setPlainText(issue.description or "")
            v = vocabulary
            _fill_combo(self.topic_type, [(t.code, t.name()) for t in v.types], issue.topic_type, False)
            _fill_combo(self.status, [(s.code, s.name()) for s in v.statuses], issue.status, False)
            _fill_combo(self.priority, [(p.code, p.name()) for p in v.priorities], issue.priority, True)
            _fill_combo(self.stage, [(s.code, f"{s.code} – {s.name()}") for s in v.stages], issue.stage, True)
            trades = [(t.code, f"{t.code} – {t.name()}") for t in v.trades]
            _fill_combo(self.trade, trades, issue.responsible_trade, True)
            self.involved.set_items(trades, issue.involved_trades)
            self.labels.set_items([(label.code, label.name()) for label in v.labels], issue.labels)
            users = [u.bcf_id for u in v.users]
            _fill_combo(self.assignee, [(u, u) for u in users], issue.assigned_to, True)
            self.assignee.setEditText(issue.assigned_to or "")
            self.has_due.setChecked(issue.due_date is not None)
            self.due.setEnabled(issue.due_date is not None)
            self.due.setDate(self._shown_due(issue))
            place = [p for p in (issue.location_model, issue.location_storey, issue.location_space) if p]
            self.location.setText(" · ".join(place) or "—")
            n = len(issue.linked_elements)
            self.elements.setText(_("{n} linked elements").format(n=n) if n else "—")
            self.select_button.setEnabled(bool(n))
        finally:
            self._loading = False

    @staticmethod
    def _shown_due(issue) -> QDate:
        if issue.due_date is None:
            return QDate.currentDate().addDays(14)
        day = local(issue.due_date).date()
        return QDate(day.year, day.month, day.day)

    def apply_suggested_due_date(self) -> None:
        """Set the due date from the responsible trade's contractual delay for the chosen priority."""
        trade = self.vocabulary.trade(self.trade.currentData() or None)
        delay = trade.delay_for(self.priority.currentData() or None) if trade else None
        if delay is None:
            return
        start = local(self.issue.creation_date).date() if self.issue and self.issue.creation_date else None
        start = QDate(start.year, start.month, start.day) if start else QDate.currentDate()
        self.has_due.setChecked(True)
        self.due.setDate(start.addDays(delay.resolution_days))

    # ------------------------------------------------------------------ reading back

    def edited(self):
        """The shown issue with the user's changes (only touched fields differ)."""
        base = self.issue
        if base is None:
            return None
        changes = {}
        title = self.title.text().strip()
        if title != base.title:
            changes["title"] = title
        description = self.description.toPlainText()
        if description != (base.description or ""):
            changes["description"] = description or None
        for name, combo in (("topic_type", self.topic_type), ("status", self.status), ("priority", self.priority),
                            ("stage", self.stage), ("responsible_trade", self.trade)):
            value = combo.currentData() or None
            if value != getattr(base, name):
                changes[name] = value
        assignee = self.assignee.currentText().strip() or None
        if assignee != base.assigned_to:
            changes["assigned_to"] = assignee
        for name, checklist in (("involved_trades", self.involved), ("labels", self.labels)):
            if set(checklist.checked()) != set(getattr(base, name)):
                changes[name] = checklist.checked()
        if not self.has_due.isChecked():
            if base.due_date is not None:
                changes["due_date"] = None
        elif base.due_date is None or self.due.date() != self._shown_due(base):
            changes["due_date"] = due_from_day(self.due.date().toPython())
        return replace(base, **changes) if changes else base

    def changed_fields(self) -> tuple[str, ...]:
        """Names of the fields the user changed."""
        edited = self.edited()
        if edited is None:
            return ()
        return tuple(name for name in ("title", "description", "topic_type", "status", "priority", "stage",
                                       "responsible_trade", "assigned_to", "involved_trades", "labels", "due_date")
                     if getattr(edited, name) != getattr(self.issue, name))

    def show_merged(self, theirs, merged, vocabulary: Vocabulary) -> None:
        """After a conflict: show ``merged`` (my edits on their version) as unsaved edits of ``theirs``."""
        self.show_issue(merged, vocabulary)
        self.issue = theirs
        self.edited_changed.emit()
