"""The recording form of the meeting view: decision, action, comment, new status, assignee and due date.

It shows and gives back a :class:`DecisionValues`; what differs from the issue is
what the meeting records (the meeting features turn it into ``meetings.record``).
Every field is reachable with Tab, so a coordinator records without the mouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QToolButton, QWidget,
)

from bim.i18n import _
from ui.issue_text import local
from ui.project_session import Vocabulary

NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum, shown as "none"


@dataclass(frozen=True)
class DecisionValues:
    """What the form holds for one agenda item."""

    decision: str = ""
    action: str = ""
    comment: str = ""
    status: str | None = None
    assignee: str = ""  # BCF user id or a typed name; "" = nobody
    due: date | None = None

    @property
    def has_notes(self) -> bool:
        """True when a decision, an action or a comment was written."""
        return bool(self.decision.strip() or self.action.strip() or self.comment.strip())


def values_for(issue, item) -> DecisionValues:
    """The form's starting point: what the meeting recorded for the item, the issue's current values."""
    due = local(issue.due_date).date() if issue.due_date is not None else None
    return DecisionValues(decision=(item.decision if item else None) or "", action=(item.action if item else None) or "",
                          comment=(item.comment if item else None) or "", status=issue.status,
                          assignee=issue.assigned_to or "", due=due)


class DecisionForm(QWidget):
    """Decision (multi-line), action, comment, status, assignee and due date."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.decision = QPlainTextEdit()
        self.decision.setPlaceholderText(_("What the meeting decided…"))
        self.decision.setTabChangesFocus(True)
        self.decision.setMinimumHeight(64)
        self.action = QLineEdit()
        self.action.setPlaceholderText(_("Who does what (e.g. CVC lowers the duct by 20 cm)"))
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(_("Remark for the issue's thread (optional)"))
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(56)
        self.status = QComboBox()
        self.assignee = QComboBox()
        self.assignee.setEditable(True)
        self.assignee.setInsertPolicy(QComboBox.NoInsert)
        self.assignee.lineEdit().setPlaceholderText(_("nobody"))
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMinimumDate(NO_DATE)
        self.due.setSpecialValueText(_("none"))
        self.clear_due = QToolButton()
        self.clear_due.setText("✕")
        self.clear_due.setToolTip(_("No due date"))
        self.clear_due.clicked.connect(lambda: self.due.setDate(NO_DATE))
        self.week_due = QToolButton()
        self.week_due.setText(_("+1 week"))
        self.week_due.setToolTip(_("Due one week after today"))
        self.week_due.clicked.connect(lambda: self.due.setDate(QDate.currentDate().addDays(7)))
        for button in (self.clear_due, self.week_due):
            button.setFocusPolicy(Qt.NoFocus)  # Tab goes from field to field

        fields = QHBoxLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addWidget(self.status, 2)
        fields.addWidget(self.assignee, 3)
        due_row = QHBoxLayout()
        due_row.setContentsMargins(0, 0, 0, 0)
        self.due.setMinimumWidth(130)
        due_row.addWidget(self.due)
        due_row.addWidget(self.clear_due)
        due_row.addWidget(self.week_due)
        due_row.addStretch(1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Decision:"), self.decision)
        form.addRow(_("Action:"), self.action)
        form.addRow(_("Comment:"), self.comment)
        form.addRow(_("Status, assignee:"), fields)
        form.addRow(_("Due date:"), due_row)
        self.setTabOrder(self.decision, self.action)
        self.setTabOrder(self.action, self.comment)
        self.setTabOrder(self.comment, self.status)
        self.setTabOrder(self.status, self.assignee)
        self.setTabOrder(self.assignee, self.due)

        self.decision.textChanged.connect(self.edited)
        self.action.textEdited.connect(self.edited)
        self.comment.textChanged.connect(self.edited)
        self.status.currentIndexChanged.connect(self.edited)
        self.assignee.editTextChanged.connect(self.edited)
        self.due.dateChanged.connect(self.edited)

    def set_values(self, values: DecisionValues, vocabulary: Vocabulary) -> None:
        """Fill the form (the project's statuses and users offered)."""
        self.blockSignals(True)
        try:
            self.decision.setPlainText(values.decision)
            self.action.setText(values.action)
            self.comment.setPlainText(values.comment)
            self.status.clear()
            for status in vocabulary.statuses:
                self.status.addItem(status.name(), status.code)
            if values.status and self.status.findData(values.status) < 0:
                self.status.addItem(values.status, values.status)  # a value the project no longer offers
            self.status.setCurrentIndex(max(0, self.status.findData(values.status)))
            self.assignee.clear()
            self.assignee.addItem("", "")
            for user in vocabulary.users:
                self.assignee.addItem(user.name, user.bcf_id)
            index = self.assignee.findData(values.assignee) if values.assignee else 0
            if index < 0:
                self.assignee.addItem(values.assignee, values.assignee)
                index = self.assignee.count() - 1
            self.assignee.setCurrentIndex(index)
            due = values.due
            self.due.setDate(QDate(due.year, due.month, due.day) if due else NO_DATE)
        finally:
            self.blockSignals(False)

    def values(self) -> DecisionValues:
        """What the form holds now."""
        text = self.assignee.currentText().strip()
        index = self.assignee.currentIndex()
        if index >= 0 and self.assignee.itemText(index) == text:
            assignee = self.assignee.itemData(index) or ""
        else:
            match = self.assignee.findText(text)
            assignee = (self.assignee.itemData(match) or "") if match >= 0 else text
        due = self.due.date()
        return DecisionValues(
            decision=self.decision.toPlainText().strip(), action=self.action.text().strip(),
            comment=self.comment.toPlainText().strip(), status=self.status.currentData(), assignee=assignee,
            due=None if due == NO_DATE else due.toPython())

    def set_assignee_text(self, text: str) -> None:
        """Choose the assignee by the name shown (as typing it would)."""
        self.assignee.setEditText(text)

    def focus_first(self) -> None:
        """Put the keyboard focus in the decision field, cursor at its end."""
        self.decision.setFocus()
        self.decision.moveCursor(self.decision.textCursor().MoveOperation.End)
