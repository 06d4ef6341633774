"""The Clashes dock: the project's clash tests, running one, and its results grouped with their statuses.

A widget only: it shows what it is given and says through signals what the user
asked for; :mod:`ui.clash_features` does the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from bim.i18n import N_, _, ngettext
from checks.clash import Clash, ClashGroup, ClashStatus, GroupBy, TrackedClash
from checks.clash.status import status_label

GROUP_BY_LABELS = (
    (GroupBy.TYPES, N_("Element types")), (GroupBy.STOREY, N_("Storey")), (GroupBy.SYSTEM, N_("System")),
    (GroupBy.TRADES, N_("Trades")), (GroupBy.PROXIMITY, N_("Proximity")), (GroupBy.MANUAL, N_("Manual groups")),
)
STATUS_COLOURS = {ClashStatus.NEW: "#c62828", ClashStatus.ACTIVE: "#ef6c00", ClashStatus.RESOLVED: "#2e7d32",
                  ClashStatus.APPROVED: "#1565c0", ClashStatus.IGNORED: "#757575"}
CLASH_ROLE = Qt.UserRole
GROUP_ROLE = Qt.UserRole + 1


def measure_text(clash: Clash) -> str:
    """How deep or how close, in millimetres."""
    if clash.depth is not None:
        return _("{mm:.0f} mm deep").format(mm=clash.depth * 1000)
    return _("{mm:.0f} mm apart").format(mm=(clash.distance or 0.0) * 1000)


def clash_text(clash: Clash) -> str:
    """The two elements of a clash, as a row reads."""
    def side(element):
        return f"{element.ifc_class.removeprefix('Ifc')} {element.name or element.global_id}"
    return f"{side(clash.a)} × {side(clash.b)}"


class ClashResultsPanel(QWidget):
    """Tests, run controls, grouped results and what can be done with them."""

    test_chosen = Signal(str)
    new_requested = Signal()
    edit_requested = Signal()
    delete_requested = Signal()
    run_requested = Signal()
    cancel_requested = Signal()
    group_by_changed = Signal(str)
    selection_changed = Signal()
    decision_requested = Signal(str)  # "approved", "ignored", or "" to undo
    group_requested = Signal()
    ungroup_requested = Signal()
    issues_requested = Signal(bool)  # True: every open clash; False: the selection

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tests = QComboBox()
        self.tests.setMinimumContentsLength(18)
        self.tests.setPlaceholderText(_("No clash test yet"))
        self.new_button = QPushButton(_("New…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        self.run_button = QPushButton(_("Run"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.group_by = QComboBox()
        for value, label in GROUP_BY_LABELS:
            self.group_by.addItem(_(label), value.value)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([_("Clash"), _("Status"), _("Depth / distance"), _("Storey"), _("Trades")])
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setColumnWidth(0, 380)
        self.approve_button = QPushButton(_("Approve"))
        self.ignore_button = QPushButton(_("Ignore"))
        self.undecide_button = QPushButton(_("Clear decision"))
        self.group_button = QPushButton(_("Group…"))
        self.ungroup_button = QPushButton(_("Ungroup"))
        self.issue_button = QPushButton(_("Issue from selection…"))
        self.all_issues_button = QPushButton(_("Issues for all open clashes…"))
        self._layout()
        self._connect()
        self.set_running(False)
        self.set_project_open(False)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Test:")))
        top.addWidget(self.tests, 1)
        for widget in (self.new_button, self.edit_button, self.delete_button, self.run_button, self.cancel_button,
                       self.progress):
            top.addWidget(widget)
        middle = QHBoxLayout()
        middle.addWidget(self.summary, 1)
        middle.addWidget(QLabel(_("Group by:")))
        middle.addWidget(self.group_by)
        bottom = QHBoxLayout()
        for widget in (self.approve_button, self.ignore_button, self.undecide_button, self.group_button,
                       self.ungroup_button):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.issue_button)
        bottom.addWidget(self.all_issues_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(middle)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.tests.currentIndexChanged.connect(lambda _i: self.test_chosen.emit(self.current_test() or ""))
        self.new_button.clicked.connect(self.new_requested)
        self.edit_button.clicked.connect(self.edit_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.group_by.currentIndexChanged.connect(lambda _i: self.group_by_changed.emit(self.group_by.currentData()))
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.approve_button.clicked.connect(lambda: self.decision_requested.emit("approved"))
        self.ignore_button.clicked.connect(lambda: self.decision_requested.emit("ignored"))
        self.undecide_button.clicked.connect(lambda: self.decision_requested.emit(""))
        self.group_button.clicked.connect(self.group_requested)
        self.ungroup_button.clicked.connect(self.ungroup_requested)
        self.issue_button.clicked.connect(lambda: self.issues_requested.emit(False))
        self.all_issues_button.clicked.connect(lambda: self.issues_requested.emit(True))

    # ------------------------------------------------------------------ state

    def set_project_open(self, is_open: bool) -> None:
        """Tests live in a project: without one, say so and offer nothing."""
        self._project_open = is_open
        if not is_open:
            self.set_tests([], None)
            self.show_results([], {})
            self.summary.setText(_("Open or create a project to define and share clash tests."))
        self._update_buttons()

    def set_running(self, running: bool) -> None:
        """Show the progress and cancel button while a test runs."""
        self._running = running
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.progress.setRange(0, 0)
        self._update_buttons()

    def show_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{message} %p%" if message else "%p%")

    def _update_buttons(self) -> None:
        is_open = getattr(self, "_project_open", False)
        running = getattr(self, "_running", False)
        has_test = self.current_test() is not None
        self.new_button.setEnabled(is_open)
        self.edit_button.setEnabled(is_open and has_test)
        self.delete_button.setEnabled(is_open and has_test and not running)
        self.run_button.setEnabled(is_open and has_test and not running)
        chosen = bool(self.chosen_clash_ids())
        for button in (self.approve_button, self.ignore_button, self.undecide_button, self.group_button,
                       self.ungroup_button, self.issue_button):
            button.setEnabled(is_open and chosen)
        self.all_issues_button.setEnabled(is_open and self.tree.topLevelItemCount() > 0)

    # ------------------------------------------------------------------ tests

    def set_tests(self, names: list[str], current: str | None) -> None:
        """List the tests and choose ``current`` (kept if None and still there); signals only a real change."""
        before = self.current_test()
        wanted = current if current is not None else before
        self.tests.blockSignals(True)
        self.tests.clear()
        for name in names:
            self.tests.addItem(name, name)
        index = self.tests.findData(wanted) if wanted is not None else -1
        self.tests.setCurrentIndex(index if index >= 0 else (0 if names else -1))
        self.tests.blockSignals(False)
        self._update_buttons()
        if self.current_test() != before:
            self.test_chosen.emit(self.current_test() or "")

    def current_test(self) -> str | None:
        return self.tests.currentData()

    def test_names(self) -> list[str]:
        return [self.tests.itemData(i) for i in range(self.tests.count())]

    # ------------------------------------------------------------------ results

    def show_results(self, groups: list[ClashGroup], tracked: dict[str, TrackedClash]) -> None:
        """Show ``groups`` of clashes (``tracked``: clash id → clash and status), keeping the selection."""
        kept_clashes = set(self.selected_clash_ids())
        kept_groups = {g.key for g in self.selected_groups()}
        self.tree.blockSignals(True)
        self.tree.clear()
        for group in groups:
            counts: dict[ClashStatus, int] = {}
            for clash_id in group.clash_ids:
                status = tracked[clash_id].status
                counts[status] = counts.get(status, 0) + 1
            header = QTreeWidgetItem([f"{group.label} ({group.count})",
                                      ", ".join(f"{status_label(s)} {n}" for s, n in counts.items())])
            header.setData(0, GROUP_ROLE, group)
            font = header.font(0)
            font.setBold(True)
            header.setFont(0, font)
            self.tree.addTopLevelItem(header)
            for clash_id in group.clash_ids:
                item = self._clash_item(tracked[clash_id])
                header.addChild(item)
                item.setSelected(clash_id in kept_clashes)
            header.setExpanded(True)
            header.setSelected(group.key in kept_groups)
        self.tree.blockSignals(False)
        self._update_buttons()
        self.selection_changed.emit()

    @staticmethod
    def _clash_item(tracked: TrackedClash) -> QTreeWidgetItem:
        clash = tracked.clash
        trades = " × ".join(dict.fromkeys([clash.a.trade, clash.b.trade]))
        item = QTreeWidgetItem([clash_text(clash), status_label(tracked.status), measure_text(clash),
                                clash.a.storey or clash.b.storey, trades])
        item.setData(0, CLASH_ROLE, clash.id)
        item.setForeground(1, QBrush(QColor(STATUS_COLOURS[tracked.status])))
        item.setToolTip(0, f"{clash.a.global_id} ({clash.a.model_id}) × {clash.b.global_id} ({clash.b.model_id})")
        return item

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    def clash_items(self) -> list[QTreeWidgetItem]:
        """Every clash row, group by group."""
        return [self.tree.topLevelItem(g).child(c) for g in range(self.tree.topLevelItemCount())
                for c in range(self.tree.topLevelItem(g).childCount())]

    def group_items(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(g) for g in range(self.tree.topLevelItemCount())]

    def selected_clash_ids(self) -> list[str]:
        """Clash rows selected (not counting selected groups)."""
        return [item.data(0, CLASH_ROLE) for item in self.tree.selectedItems() if item.data(0, CLASH_ROLE)]

    def selected_groups(self) -> list[ClashGroup]:
        return [item.data(0, GROUP_ROLE) for item in self.tree.selectedItems() if item.data(0, GROUP_ROLE)]

    def chosen_clash_ids(self) -> list[str]:
        """Selected clashes and every clash of the selected groups, without repeats."""
        ids = [cid for group in self.selected_groups() for cid in group.clash_ids] + self.selected_clash_ids()
        return list(dict.fromkeys(ids))

    def select_clash(self, clash_id: str) -> None:
        """Select one clash row (as a click would)."""
        for item in self.clash_items():
            if item.data(0, CLASH_ROLE) == clash_id:
                self.tree.setCurrentItem(item)
                return
        raise KeyError(clash_id)

    def _selection_changed(self) -> None:
        self._update_buttons()
        self.selection_changed.emit()


def summary_text(test_name: str, counts: dict[ClashStatus, int], seconds: float | None) -> str:
    """"MEP vs STR: 3 clashes (new 2, active 1), 0.04 s"."""
    found = sum(n for s, n in counts.items() if s is not ClashStatus.RESOLVED)
    text = ngettext("{test}: {n} clash", "{test}: {n} clashes", found).format(test=test_name, n=found)
    details = ", ".join(f"{status_label(s)} {n}" for s, n in counts.items() if n)
    if details:
        text += f" ({details})"
    if seconds is not None:
        text += " · " + _("{seconds:.2f} s").format(seconds=seconds)
    return text
