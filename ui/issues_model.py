"""The issues table's model: a QAbstractTableModel over plain IssueRow records.

Rows are read in one query by the repository (in a worker thread) and handed over
whole; the model only formats them, so 10,000 issues cost a list, not 10,000 items.
Sorting goes through :data:`SORT_ROLE`, which gives every column a value of one type.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bim.i18n import N_, _
from ui.issue_text import format_day, format_moment
from ui.project_session import Vocabulary

SORT_ROLE = Qt.UserRole + 1
ID_ROLE = Qt.UserRole + 2
FAR_FUTURE = 1e12  # issues without a due date sort after every dated one

COLUMNS = (
    ("number", N_("#")), ("title", N_("Title")), ("trade", N_("Trade")), ("status", N_("Status")),
    ("priority", N_("Priority")), ("assigned_to", N_("Assigned to")), ("due_date", N_("Due")),
    ("topic_type", N_("Type")), ("stage", N_("Stage")), ("labels", N_("Labels")), ("comments", N_("Comments")),
    ("modified", N_("Modified")),
)
COLUMN = {key: i for i, (key, _title) in enumerate(COLUMNS)}
OVERDUE_COLOUR = QColor(200, 40, 40)
CLOSED_COLOUR = QColor(140, 140, 140)


class IssueTableModel(QAbstractTableModel):
    """The rows of the issues panel."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.vocabulary = Vocabulary()
        self.now = datetime.now(timezone.utc)
        self._priority_rank: dict[str, int] = {}

    def set_rows(self, rows: list) -> None:
        """Show ``rows`` (a fresh list from the database)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.now = datetime.now(timezone.utc)
        self.endResetModel()

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        """Names and order of the project's values (priorities sort by urgency, not by name)."""
        self.beginResetModel()
        self.vocabulary = vocabulary
        self._priority_rank = {p.code: p.sort_order for p in vocabulary.priorities}
        self.endResetModel()

    def row_of(self, issue_id: int) -> int:
        """The row of an issue, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.id == issue_id), -1)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.DisplayRole:
            return self._text(row, key)
        if role == SORT_ROLE:
            return self._sort_key(row, key)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ForegroundRole:
            if key == "due_date" and row.is_overdue(self.now):
                return QBrush(OVERDUE_COLOUR)
            if row.is_closed:
                return QBrush(CLOSED_COLOUR)
        if role == Qt.FontRole and key == "due_date" and (row.is_overdue(self.now) or row.due_date is None):
            font = QFont()
            font.setBold(row.is_overdue(self.now))
            font.setItalic(row.due_date is None)  # a contractual date, not one set on the issue
            return font
        if role == Qt.DecorationRole and key == "trade":
            trade = self.vocabulary.trade(row.responsible_trade)
            return QColor(trade.colour) if trade else None
        if role == Qt.ToolTipRole and key in ("title", "trade", "due_date", "stage"):
            if key in ("trade", "stage"):
                return self.vocabulary.name(key, row.responsible_trade if key == "trade" else row.stage)
            if key == "due_date":
                contractual = row.due_date is None and row.contractual_due is not None
                if row.is_overdue(self.now):
                    return _("Overdue (contractual delay of the trade)") if contractual else _("Overdue")
                return _("Contractual delay of the trade") if contractual else None
            return row.title
        if role == Qt.TextAlignmentRole and key in ("number", "comments"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def _text(self, row, key: str) -> str:
        vocab = self.vocabulary
        if key == "number":
            return str(row.number)
        if key == "title":
            return row.title
        if key == "trade":
            return row.responsible_trade or ""
        if key in ("status", "priority"):
            return vocab.name(key, getattr(row, key))
        if key == "stage":
            return row.stage or ""  # the codes (APS, PRO, EXE …) are what teams say; the name is the tooltip
        if key == "topic_type":
            return vocab.name("type", row.topic_type)
        if key == "assigned_to":
            return row.assigned_to or ""
        if key == "due_date":
            return format_day(row.effective_due)
        if key == "labels":
            return ", ".join(vocab.name("label", label) for label in row.labels)
        if key == "comments":
            return str(row.comment_count) if row.comment_count else ""
        if key == "modified":
            return format_moment(row.modified_date or row.creation_date)
        return ""

    def _sort_key(self, row, key: str):
        if key == "number":
            return row.number
        if key == "comments":
            return row.comment_count
        if key == "priority":
            return self._priority_rank.get(row.priority, 999) if row.priority else 1000
        if key == "due_date":
            return row.effective_due.timestamp() if row.effective_due else FAR_FUTURE
        if key == "modified":
            return (row.modified_date or row.creation_date).timestamp()
        return self._text(row, key).casefold()


class IssueSortProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; filtering is done by the database, not here."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
