"""The issues dock: filters (trade, status, priority, assignee, label, due, text), counts and a sortable table.

The panel knows nothing of the database: it says which :class:`IssueFilter` the user
wants (``filter_changed``) and shows the rows it is given (``set_rows``); the window's
issue features run the query in the background.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from bim.i18n import _
from project_db.records import IssueFilter
from ui.issues_model import COLUMN, ID_ROLE, IssueSortProxy, IssueTableModel
from ui.project_session import Vocabulary

# Wide enough for the usual content; the title gets the most room (users widen it further).
COLUMN_WIDTHS = {"number": 40, "title": 280, "trade": 62, "status": 92, "priority": 72, "assigned_to": 110,
                 "due_date": 86, "topic_type": 76, "stage": 52, "labels": 130, "comments": 70, "modified": 120}
TEXT_DELAY_MS = 300  # wait for the user to stop typing before querying
ANY = ""


class IssuesPanel(QWidget):
    """Filters, counts and the issues table."""

    filter_changed = Signal()
    issue_selected = Signal(int)  # the current row changed
    issue_activated = Signal(int)  # double-click or Enter: open it in 3D
    new_issue_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._quiet = False
        self.model = IssueTableModel(self)
        self.proxy = IssueSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["number"], Qt.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for key, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(COLUMN[key], width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.activated.connect(self._on_activated)

        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Search title, description…"))
        self.text.setClearButtonEnabled(True)
        self._text_timer = QTimer(self, singleShot=True, interval=TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.filter_changed)
        self.text.textChanged.connect(lambda _t: self._text_timer.start())
        self.combos: dict[str, QComboBox] = {}
        for key in ("trade", "status", "priority", "assignee", "label", "due"):
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            combo.activated.connect(lambda _i: self.filter_changed.emit())
            self.combos[key] = combo
        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.new_button = QPushButton(_("New issue…"))
        self.new_button.setToolTip(_("New issue from the current view (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_issue_requested)
        self.counts = QLabel()
        self.counts.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # A subset picked elsewhere (a chart bar, a hot spot, a meeting agenda), shown as a removable chip.
        self._restricted_ids: tuple[int, ...] | None = None
        self.restriction = QPushButton()
        self.restriction.setFlat(True)
        self.restriction.setToolTip(_("Show all issues again"))
        self.restriction.clicked.connect(self.clear_restriction)
        self.restriction.hide()

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.text, 0, 0, 1, 3)
        for i, key in enumerate(("trade", "status", "priority", "assignee", "label", "due")):
            filters.addWidget(self.combos[key], 1 + i // 3, i % 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.counts, 1)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(filters)
        layout.addWidget(self.restriction, 0, Qt.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.set_vocabulary(Vocabulary())
        self.set_enabled_for_project(False)

    # ------------------------------------------------------------------ vocabulary and filters

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        """Offer the project's trades, statuses, priorities, users and labels in the filters."""
        self.model.set_vocabulary(vocabulary)
        self._fill("trade", _("All trades"), [(t.code, f"{t.code} – {t.name()}") for t in vocabulary.trades])
        self._fill("status", _("All statuses"), [("__open__", _("Open (not closed)"))]
                   + [(s.code, s.name()) for s in vocabulary.statuses])
        self._fill("priority", _("All priorities"), [(p.code, p.name()) for p in vocabulary.priorities])
        self._fill("assignee", _("Anyone"), [(u.bcf_id, u.name) for u in vocabulary.users])
        self._fill("label", _("All labels"), [(label.code, label.name()) for label in vocabulary.labels])
        self._fill("due", _("Any due date"), [("overdue", _("Overdue")), ("dated", _("With a due date"))])

    def _fill(self, key: str, any_text: str, items: list[tuple[str, str]]) -> None:
        combo = self.combos[key]
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_text, ANY)
        for code, text in items:
            combo.addItem(text, code)
        index = combo.findData(current)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def set_choice(self, key: str, code: str) -> None:
        """Choose a filter value by code (as a user picking it in the list would)."""
        combo = self.combos[key]
        combo.setCurrentIndex(max(0, combo.findData(code)))
        self.filter_changed.emit()

    def restrict_to(self, issue_ids, caption: str) -> None:
        """Show only ``issue_ids`` (the other filters still apply), with ``caption`` on a chip that undoes it."""
        self._restricted_ids = tuple(issue_ids)
        self.restriction.setText(_("✕  Only: {caption} ({n})").format(caption=caption, n=len(self._restricted_ids)))
        self.restriction.show()
        self.filter_changed.emit()

    def clear_restriction(self) -> None:
        """Drop the subset set by :meth:`restrict_to`."""
        if self._restricted_ids is None:
            return
        self._restricted_ids = None
        self.restriction.hide()
        self.filter_changed.emit()

    @property
    def restricted_ids(self) -> tuple[int, ...] | None:
        """The subset set by :meth:`restrict_to`, or None."""
        return self._restricted_ids

    def clear_filters(self) -> None:
        """Show every issue again."""
        self._restricted_ids = None
        self.restriction.hide()
        for combo in self.combos.values():
            combo.setCurrentIndex(0)
        self.text.blockSignals(True)
        self.text.clear()
        self.text.blockSignals(False)
        self.filter_changed.emit()

    def current_filter(self) -> IssueFilter:
        """The :class:`IssueFilter` the filters describe."""
        value = {key: combo.currentData() or ANY for key, combo in self.combos.items()}
        status = value["status"]
        due = value["due"]
        return IssueFilter(
            trades=(value["trade"],) if value["trade"] else (),
            statuses=(status,) if status and status != "__open__" else (),
            open_only=status == "__open__",
            priorities=(value["priority"],) if value["priority"] else (),
            assignees=(value["assignee"],) if value["assignee"] else (),
            labels=(value["label"],) if value["label"] else (),
            overdue_at=datetime.now(timezone.utc) if due == "overdue" else None,
            text=self.text.text().strip() or None,
            ids=self._restricted_ids,
        )

    @property
    def wants_dated_only(self) -> bool:
        """The "with a due date" choice, which IssueFilter has no field for (applied to the rows)."""
        return self.combos["due"].currentData() == "dated"

    # ------------------------------------------------------------------ rows

    def set_enabled_for_project(self, enabled: bool) -> None:
        """Grey the panel out while no project is open."""
        for widget in (self.table, self.text, self.clear_button, self.new_button, *self.combos.values()):
            widget.setEnabled(enabled)
        if not enabled:
            self.set_rows([])
            self.counts.setText(_("No project open"))

    def set_rows(self, rows: list) -> None:
        """Show ``rows``, keeping the current issue selected if it is still there."""
        if self.wants_dated_only:
            rows = [r for r in rows if r.due_date is not None]
        current = self.current_issue_id()
        self.model.set_rows(rows)
        self._show_counts(rows)
        if current is not None:
            self.select_issue(current, emit=False)

    def _show_counts(self, rows: list) -> None:
        now = self.model.now
        open_rows = [r for r in rows if not r.is_closed]
        overdue = sum(1 for r in open_rows if r.is_overdue(now))
        text = _("{n} issues · {open} open · {overdue} overdue").format(
            n=len(rows), open=len(open_rows), overdue=overdue)
        by_trade = Counter(r.responsible_trade or "—" for r in open_rows)
        if by_trade:
            text += "  |  " + " · ".join(f"{code} {n}" for code, n in sorted(by_trade.items()))
        self.counts.setText(text)

    def current_issue_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_issue(self, issue_id: int, emit: bool = True) -> bool:
        """Make ``issue_id`` the current row (False if it is not shown)."""
        row = self.model.row_of(issue_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COLUMN["title"]))
        self._quiet = not emit
        try:
            self.table.setCurrentIndex(index)
        finally:
            self._quiet = False
        self.table.scrollTo(index)
        return True

    def shown_ids(self) -> list[int]:
        """Issue ids in the order the table shows them."""
        return [self.proxy.index(r, 0).data(ID_ROLE) for r in range(self.proxy.rowCount())]

    def _on_current_changed(self, current, _previous) -> None:
        if current.isValid() and not self._quiet:
            self.issue_selected.emit(current.data(ID_ROLE))

    def _on_activated(self, index) -> None:
        if index.isValid():
            self.issue_activated.emit(index.data(ID_ROLE))
