""""New issue from current view": the draft the 3D view suggests, and the dialog that completes it.

The viewpoint (camera, selection, visibility, colours, clipping planes, snapshot) is
captured when the action is triggered; the selected elements become linked elements
(GlobalId + model) and propose the responsible trade (the trade of their model), the
involved trades and the storey.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QWidget,
)

from bim.i18n import _
from project_db.records import Issue, LinkedElement
from ui.issue_text import due_from_day
from ui.project_session import Vocabulary

PREVIEW_WIDTH = 360


def model_name(window, model_id: str) -> str:
    """The name a model is registered under in the project (its file name when it is not registered)."""
    features = getattr(window, "issue_features", None)
    model = window.federation.models.get(model_id)
    if model is None:
        return model_id
    if features is not None:
        registered = features.models.registered_name(model.path)
        if registered:
            return registered
    return model.path.name


def draft_from_view(window, vocabulary: Vocabulary) -> Issue:
    """An issue draft from the current selection: linked elements, proposed trades, storey, title."""
    keys = sorted(window.scene.selection)
    records = [(key, window.federation.element(key), window.federation.models.get(key[0])) for key in keys]
    records = [(key, record, model) for key, record, model in records if record is not None and model is not None]
    known = {t.code for t in vocabulary.trades}
    trades = Counter(model.trade for _k, _r, model in records if model.trade in known)
    responsible = trades.most_common(1)[0][0] if trades else None
    involved = tuple(sorted(code for code in trades if code != responsible))
    storeys = Counter(record.storey for _k, record, _m in records if record.storey)
    models = Counter(key[0] for key, _r, _m in records)
    if len(records) == 1:
        record = records[0][1]
        title = f"{record.ifc_class.removeprefix('Ifc')} {record.name or record.global_id}".strip()
    elif records:
        title = _("{n} elements").format(n=len(records))
    else:
        title = ""
    priority = "Normal" if any(p.code == "Normal" for p in vocabulary.priorities) else None
    return Issue(
        title=title,
        priority=priority,
        responsible_trade=responsible,
        involved_trades=involved,
        location_model=model_name(window, models.most_common(1)[0][0]) if models else None,
        location_storey=storeys.most_common(1)[0][0] if storeys else None,
        linked_elements=tuple(LinkedElement(gid, model_name(window, mid)) for mid, gid in keys),
        due_date=suggested_due(vocabulary, responsible, priority),
    )


def suggested_due(vocabulary: Vocabulary, trade_code: str | None, priority: str | None) -> datetime | None:
    """Today plus the trade's contractual resolution delay for ``priority`` (None without one)."""
    trade = vocabulary.trade(trade_code)
    delay = trade.delay_for(priority) if trade else None
    if delay is None:
        return None
    return due_from_day((datetime.now(timezone.utc) + timedelta(days=delay.resolution_days)).astimezone().date())


class NewIssueDialog(QDialog):
    """Completes a draft: title, description, type, priority, trade, assignee, due date."""

    def __init__(self, draft: Issue, snapshot_png: bytes | None, vocabulary: Vocabulary,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("New issue from the current view"))
        self.draft = draft
        self.vocabulary = vocabulary
        preview = QLabel()
        pixmap = QPixmap()
        if snapshot_png and pixmap.loadFromData(snapshot_png):
            preview.setPixmap(pixmap.scaledToWidth(PREVIEW_WIDTH, Qt.SmoothTransformation))
        self.title = QLineEdit(draft.title)
        self.title.selectAll()
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(80)
        self.topic_type = self._combo([(t.code, t.name()) for t in vocabulary.types], draft.topic_type)
        self.priority = self._combo([(p.code, p.name()) for p in vocabulary.priorities], draft.priority, True)
        self.trade = self._combo([(t.code, f"{t.code} – {t.name()}") for t in vocabulary.trades],
                                 draft.responsible_trade, True)
        self.assignee = self._combo([(u.bcf_id, u.bcf_id) for u in vocabulary.users], None, True)
        self.assignee.setEditable(True)
        self.assignee.setEditText("")
        self.has_due = QCheckBox()
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self._show_due(draft.due_date)
        self.has_due.toggled.connect(self.due.setEnabled)
        self.trade.currentIndexChanged.connect(self._resuggest_due)
        self.priority.currentIndexChanged.connect(self._resuggest_due)
        n = len(draft.linked_elements)
        where = " · ".join(p for p in (draft.location_storey, draft.location_model) if p)
        summary = _("{n} linked elements").format(n=n) if n else _("No element selected")
        context = QLabel(f"{summary}{' — ' + where if where else ''}")
        context.setWordWrap(True)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(_("Create issue"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(
            lambda text: self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(text.strip())))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(draft.title.strip()))
        form = QFormLayout(self)
        if not pixmap.isNull():
            form.addRow(preview)
        form.addRow(context)
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Description:"), self.description)
        form.addRow(_("Type:"), self.topic_type)
        form.addRow(_("Priority:"), self.priority)
        form.addRow(_("Responsible trade:"), self.trade)
        form.addRow(_("Assigned to:"), self.assignee)
        form.addRow(_("Due date:"), due_row)
        form.addRow(self.buttons)

    @staticmethod
    def _combo(items, current, optional: bool = False) -> QComboBox:
        combo = QComboBox()
        if optional:
            combo.addItem("—", "")
        for code, text in items:
            combo.addItem(text, code)
        combo.setCurrentIndex(max(0, combo.findData(current or "")))
        return combo

    def _show_due(self, due: datetime | None) -> None:
        self.has_due.setChecked(due is not None)
        self.due.setEnabled(due is not None)
        day = due.astimezone().date() if due else (datetime.now() + timedelta(days=14)).date()
        self.due.setDate(QDate(day.year, day.month, day.day))

    def _resuggest_due(self) -> None:
        due = suggested_due(self.vocabulary, self.trade.currentData() or None, self.priority.currentData() or None)
        if due is not None:
            self._show_due(due)

    def issue(self) -> Issue:
        """The draft completed with what the user chose."""
        trade = self.trade.currentData() or None
        return replace(
            self.draft,
            title=self.title.text().strip(),
            description=self.description.toPlainText().strip() or None,
            topic_type=self.topic_type.currentData() or self.draft.topic_type,
            priority=self.priority.currentData() or None,
            responsible_trade=trade,
            involved_trades=tuple(t for t in self.draft.involved_trades if t != trade),
            assigned_to=self.assignee.currentText().strip() or None,
            due_date=due_from_day(self.due.date().toPython()) if self.has_due.isChecked() else None,
        )
