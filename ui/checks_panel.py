"""The Checks dock: pick a rule set, run it, read the results, file issues, export a report.

The panel knows nothing of models, threads or the database: it says what the user
asked for through its signals and shows what it is given. The checks features
(:mod:`ui.checks_features`) do the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu, QProgressBar, QPushButton, QSizePolicy,
    QToolButton, QVBoxLayout, QWidget,
)

from bim.i18n import _, ngettext
from ui.check_issue_drafts import PER_ELEMENT, PER_RULE
from ui.check_rule_sets import FILE
from ui.check_results_tree import CheckResultsTree

ISSUE_ID_ROLE = Qt.UserRole + 1


class ChecksPanel(QWidget):
    """Rule-set choice, run and cancel, progress, the results tree, issue filing and the resolved list."""

    run_requested = Signal()
    cancel_requested = Signal()
    open_file_requested = Signal()
    create_issues_requested = Signal(str)  # PER_ELEMENT or PER_RULE
    export_requested = Signal()
    resolved_issue_activated = Signal(int)  # issue id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rule_sets = QComboBox()
        self.rule_sets.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.rule_sets.setToolTip(_("The rule set to run on the loaded models"))
        self.open_file_button = QToolButton()
        self.open_file_button.setText(_("File…"))
        self.open_file_button.setToolTip(_("Run a rule-set (.json) or IDS (.ids) file"))
        self.run_button = QPushButton(_("Run"))
        self.run_button.setToolTip(_("Check the loaded models against the rule set"))
        self.cancel_button = QPushButton(_("Cancel"))
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = QLabel(_("Choose a rule set and run it on the loaded models."))
        self.status.setWordWrap(True)
        self.tree = CheckResultsTree()
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.per_element_action = QAction(_("One issue per failing element"), self)
        self.per_rule_action = QAction(_("One issue per rule, with all its elements"), self)
        self.export_action = QAction(_("Export report…"), self)
        self.issues_button = QToolButton()
        self.issues_button.setText(_("Create issues"))
        self.issues_button.setToolTip(_("File the selected results (all of them when none is selected) as issues"))
        self.issues_button.setPopupMode(QToolButton.InstantPopup)
        issues_menu = QMenu(self.issues_button)
        issues_menu.addAction(self.per_element_action)
        issues_menu.addAction(self.per_rule_action)
        self.issues_button.setMenu(issues_menu)
        self.export_button = QPushButton(_("Export report…"))
        self.export_button.setToolTip(_("Save the results as HTML, XLSX, JSON or JUnit XML"))
        self.resolved_label = QLabel(_("Probably resolved issues"))
        self.resolved = QListWidget()
        self.resolved.setMaximumHeight(90)
        self.resolved.setToolTip(_("Open rule issues whose elements now pass: double-click to review one"))
        self._layout()
        self._connect()
        self.set_running(False)
        self.set_result_available(False, False)
        self.show_resolved([])

    def _layout(self) -> None:
        choose = QHBoxLayout()
        choose.addWidget(QLabel(_("Rule set:")))
        choose.addWidget(self.rule_sets, 1)
        choose.addWidget(self.open_file_button)
        choose.addWidget(self.run_button)
        choose.addWidget(self.cancel_button)
        actions = QHBoxLayout()
        actions.addWidget(self.issues_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(choose)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        layout.addWidget(self.resolved_label)
        layout.addWidget(self.resolved)

    def _connect(self) -> None:
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.open_file_button.clicked.connect(self.open_file_requested)
        self.per_element_action.triggered.connect(lambda: self.create_issues_requested.emit(PER_ELEMENT))
        self.per_rule_action.triggered.connect(lambda: self.create_issues_requested.emit(PER_RULE))
        self.export_action.triggered.connect(self.export_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.resolved.itemActivated.connect(lambda item: self.resolved_issue_activated.emit(item.data(ISSUE_ID_ROLE)))

    def _context_menu(self, position) -> None:
        if self.tree.result is None:
            return
        menu = QMenu(self)
        menu.addAction(self.per_element_action)
        menu.addAction(self.per_rule_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        self.context_menu = menu  # kept so tests can read it
        menu.popup(self.tree.viewport().mapToGlobal(position))

    # ------------------------------------------------------------------ rule sets

    def set_choices(self, choices) -> None:
        """List ``choices`` (:class:`ui.check_rule_sets.RuleSetChoice`) and the files the user picked,
        keeping the current one if still there."""
        current = self.current_choice()
        picked_files = [c for c in self.choices() if c.kind == FILE]
        self.rule_sets.blockSignals(True)
        self.rule_sets.clear()
        for choice in [*choices, *picked_files]:
            self.rule_sets.addItem(choice.label, choice)
        self.rule_sets.blockSignals(False)
        if current is not None:
            self.select_choice(current.kind, current.ident)

    def add_choice(self, choice) -> None:
        """Add ``choice`` (a file the user picked) if it is not listed, and make it current."""
        if not self.select_choice(choice.kind, choice.ident):
            self.rule_sets.addItem(choice.label, choice)
            self.rule_sets.setCurrentIndex(self.rule_sets.count() - 1)

    def select_choice(self, kind: str, ident: str) -> bool:
        """Make the rule set ``ident`` of ``kind`` current; False if it is not listed."""
        for index in range(self.rule_sets.count()):
            choice = self.rule_sets.itemData(index)
            if choice.kind == kind and choice.ident == ident:
                self.rule_sets.setCurrentIndex(index)
                return True
        return False

    def current_choice(self):
        """The chosen rule set, or None when the list is empty."""
        return self.rule_sets.currentData()

    def choices(self) -> list:
        """Every listed rule set, in order."""
        return [self.rule_sets.itemData(i) for i in range(self.rule_sets.count())]

    # ------------------------------------------------------------------ running

    def set_running(self, running: bool) -> None:
        """Show progress and Cancel while a run or a filing goes on; nothing else may start meanwhile."""
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        for widget in (self.run_button, self.rule_sets, self.open_file_button):
            widget.setEnabled(not running)
        if running:
            self.progress.setRange(0, 0)
            self.issues_button.setEnabled(False)
            self.export_button.setEnabled(False)

    def show_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)
        if message:
            self.status.setText(message)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_result_available(self, has_result: bool, can_file: bool) -> None:
        """Enable export when there are results, and issue filing when a project is open too."""
        self.export_button.setEnabled(has_result)
        self.export_action.setEnabled(has_result)
        self.issues_button.setEnabled(has_result and can_file)
        for action in (self.per_element_action, self.per_rule_action):
            action.setEnabled(has_result and can_file)
        self.issues_button.setToolTip(
            _("File the selected results (all of them when none is selected) as issues") if can_file
            else _("Open a project to file results as issues"))

    # ------------------------------------------------------------------ resolved issues

    def show_resolved(self, issues) -> None:
        """List the open rule issues flagged probably resolved (:class:`ui.check_resolved.ResolvedIssue`)."""
        self.resolved.clear()
        for issue in issues:
            text = f"#{issue.number} {issue.title}"
            if issue.responsible_trade:
                text += f" — {issue.responsible_trade}"
            item = QListWidgetItem(text)
            item.setData(ISSUE_ID_ROLE, issue.id)
            self.resolved.addItem(item)
        self.resolved_label.setText(ngettext("{n} issue probably resolved (its elements now pass)",
                                             "{n} issues probably resolved (their elements now pass)",
                                             len(issues)).format(n=len(issues)))
        self.resolved_label.setVisible(bool(issues))
        self.resolved.setVisible(bool(issues))
