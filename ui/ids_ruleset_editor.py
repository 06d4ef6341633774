"""The rule-set editor: which IDS specifications and built-in rules run, how severe, with which parameters.

It edits a :class:`checks.ruleset_payload.RuleSetDraft`, never the project
directly: "Save" hands the edited payload to whoever opened it
(``save_requested``; the rule-set manager checks it and saves it to the
project in the background, then calls :meth:`RuleSetEditor.saved` or
:meth:`RuleSetEditor.save_failed`). Specifications are created and changed in
the :class:`~ui.ids_editor.SpecificationEditor`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSplitter, QStackedWidget, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from bim.i18n import _
from checks.ruleset_payload import RuleSetDraft
from checks.rules.registry import BUILTIN_RULES
from checks.rules.severity import Severity
from ui.ids_editor import SpecificationEditor
from ui.ids_rule_params import RuleParameters
from ui.tasks import run_in_background

IDS_FILTER = "IDS (*.ids *.xml)"
_ROLE = Qt.UserRole


def severity_combo(current: str | None, default_label: str | None = None) -> QComboBox:
    """A severity chooser; with ``default_label``, a first choice (None) falls back to a default."""
    combo = QComboBox()
    if default_label is not None:
        combo.addItem(default_label, None)
    for severity in Severity:
        combo.addItem(severity.label, severity.value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _checked(item: QTreeWidgetItem) -> bool:
    return item.checkState(0) == Qt.Checked


def _check_state(on: bool):
    return Qt.Checked if on else Qt.Unchecked


class RuleSetEditor(QDialog):
    """Edit one rule set's IDS specifications and built-in rules (``read_only`` for shipped sets)."""

    save_requested = Signal(object)  # the edited payload

    def __init__(self, payload: dict, parent: QWidget | None = None, read_only: bool = False):
        super().__init__(parent)
        self.draft = RuleSetDraft(payload)
        self.read_only = read_only
        self.saving = False
        self.spec_editor: SpecificationEditor | None = None
        self.setWindowTitle(_("Rule set: {title}").format(title=self.draft.data.get("title", "")))
        self.resize(980, 720)
        self.title_edit = QLineEdit(self.draft.data.get("title", ""))
        self.version_edit = QLineEdit(self.draft.data.get("version", ""))
        self.description_edit = QLineEdit(self.draft.data.get("description", ""))
        self.ids_tree = QTreeWidget()
        self.ids_tree.setHeaderLabels([_("IDS specification"), _("Severity")])
        self.ids_tree.setColumnWidth(0, 560)
        self.ids_tree.itemChanged.connect(self._ids_item_changed)
        self.ids_tree.itemDoubleClicked.connect(lambda *_args: self.edit_selected_specification())
        self.rules_tree = QTreeWidget()
        self.rules_tree.setHeaderLabels([_("Built-in rule"), _("Id"), _("Severity")])
        self.rules_tree.setColumnWidth(0, 420)
        self.parameter_stack = QStackedWidget()
        self.parameters: dict[str, RuleParameters] = {}
        self.rule_items: dict[str, QTreeWidgetItem] = {}
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self._build()
        self.populate_ids()
        self._populate_rules()
        if read_only:
            for widget in (self.title_edit, self.version_edit, self.description_edit, self.parameter_stack):
                widget.setEnabled(False)
            for button in self._edit_buttons:
                button.setEnabled(False)

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        header = QFormLayout()
        header.addRow(_("Title"), self.title_edit)
        header.addRow(_("Version"), self.version_edit)
        header.addRow(_("Description"), self.description_edit)
        self.new_spec_button = QPushButton(_("New specification…"))
        self.new_spec_button.clicked.connect(self.new_specification)
        self.edit_spec_button = QPushButton(_("Edit…") if not self.read_only else _("View…"))
        self.edit_spec_button.clicked.connect(self.edit_selected_specification)
        self.remove_spec_button = QPushButton(_("Remove"))
        self.remove_spec_button.clicked.connect(self.remove_selected)
        self.add_ids_button = QPushButton(_("Add IDS file…"))
        self.add_ids_button.clicked.connect(self.choose_ids_file)
        self._edit_buttons = (self.new_spec_button, self.remove_spec_button, self.add_ids_button)
        ids_buttons = QHBoxLayout()
        for button in (self.new_spec_button, self.edit_spec_button, self.remove_spec_button, self.add_ids_button):
            ids_buttons.addWidget(button)
        ids_buttons.addStretch(1)
        ids_page = QWidget()
        ids_layout = QVBoxLayout(ids_page)
        ids_layout.addWidget(self.ids_tree)
        ids_layout.addLayout(ids_buttons)
        rules_page = QSplitter(Qt.Vertical)
        rules_page.addWidget(self.rules_tree)
        rules_page.addWidget(self.parameter_stack)
        self.tabs = QTabWidget()
        self.tabs.addTab(ids_page, _("IDS specifications"))
        self.tabs.addTab(rules_page, _("Built-in rules"))
        buttons = QDialogButtonBox.Close if self.read_only else QDialogButtonBox.Save | QDialogButtonBox.Cancel
        self.buttons = QDialogButtonBox(buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

    # -- IDS specifications -------------------------------------------------------------------

    def populate_ids(self) -> None:
        """(Re)build the tree of IDS files and their specifications from the draft."""
        self.ids_tree.blockSignals(True)
        self.ids_tree.clear()
        for index, entry in enumerate(self.draft.ids_entries):
            file_item = QTreeWidgetItem([self.draft.entry_name(index)])
            file_item.setData(0, _ROLE, (index, None))
            self._checkable(file_item)
            file_item.setCheckState(0, _check_state(entry.get("enabled", True)))
            self.ids_tree.addTopLevelItem(file_item)
            combo = severity_combo(entry.get("severity", "error"))
            combo.currentIndexChanged.connect(
                lambda _i, index=index, combo=combo: self.draft.set_entry(index, severity=combo.currentData()))
            self._put_combo(self.ids_tree, file_item, 1, combo)
            try:
                document = self.draft.entry_document(index)
            except Exception as exc:  # noqa: BLE001 - a broken stored file is shown, not fatal
                file_item.addChild(QTreeWidgetItem([_("cannot be read: {why}").format(why=exc)]))
                continue
            file_item.setText(0, f"{document.title} ({self.draft.entry_name(index)})")
            for spec in document.specifications:
                setting = self.draft.specification_setting(index, spec.key)
                label = f"{spec.identifier} — {spec.name}" if spec.identifier else spec.name
                item = QTreeWidgetItem([label])
                item.setData(0, _ROLE, (index, spec.key))
                item.setToolTip(0, spec.description)
                self._checkable(item)
                item.setCheckState(0, _check_state(setting.get("enabled", True)))
                file_item.addChild(item)
                combo = severity_combo(setting.get("severity"), _("as the file"))
                combo.currentIndexChanged.connect(
                    lambda _i, index=index, key=spec.key, combo=combo:
                    self.draft.set_specification(index, key, severity=combo.currentData()))
                self._put_combo(self.ids_tree, item, 1, combo)
            file_item.setExpanded(True)
        self.ids_tree.blockSignals(False)

    def _checkable(self, item: QTreeWidgetItem) -> None:
        # A shipped set shows its ticks but cannot change them.
        if not self.read_only:
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)

    def _put_combo(self, tree: QTreeWidget, item: QTreeWidgetItem, column: int, combo: QComboBox) -> None:
        combo.setEnabled(not self.read_only)
        tree.setItemWidget(item, column, combo)

    def _ids_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0 or self.read_only:
            return
        index, key = item.data(0, _ROLE)
        if key is None:
            self.draft.set_entry(index, enabled=_checked(item))
        else:
            self.draft.set_specification(index, key, enabled=_checked(item))

    def specification_item(self, key: str) -> QTreeWidgetItem | None:
        """The tree item of the specification with this identifier (or name)."""
        for n in range(self.ids_tree.topLevelItemCount()):
            top = self.ids_tree.topLevelItem(n)
            for c in range(top.childCount()):
                data = top.child(c).data(0, _ROLE)
                if data and data[1] == key:
                    return top.child(c)
        return None

    def set_specification_enabled(self, key: str, enabled: bool) -> None:
        """Tick or untick a specification, as a user does in the tree."""
        self.specification_item(key).setCheckState(0, _check_state(enabled))

    def _selected(self) -> tuple[int, str | None] | None:
        item = self.ids_tree.currentItem()
        return item.data(0, _ROLE) if item is not None else None

    def new_specification(self) -> SpecificationEditor:
        """Open an empty specification form; what it keeps goes into the selected IDS file (or a new one)."""
        selected = self._selected()
        index = selected[0] if selected else None
        return self._open_spec_editor(None, lambda spec: self._keep(spec, index, None))

    def edit_specification(self, index: int, key: str) -> SpecificationEditor:
        """Open the form of one specification; what it keeps replaces it."""
        spec = self.draft.entry_document(index).specification(key)
        return self._open_spec_editor(spec, lambda new: self._keep(new, index, key))

    def edit_selected_specification(self) -> SpecificationEditor | None:
        """Open the selected specification's form."""
        selected = self._selected()
        if not selected or selected[1] is None:
            return None
        return self.edit_specification(*selected)

    def _open_spec_editor(self, spec, on_kept) -> SpecificationEditor:
        editor = SpecificationEditor(spec, self, read_only=self.read_only)
        editor.kept.connect(on_kept)
        editor.setAttribute(Qt.WA_DeleteOnClose)
        self.spec_editor = editor
        editor.open()
        return editor

    def _keep(self, spec, index: int | None, old_key: str | None) -> None:
        try:
            self.draft.save_specification(spec, index, old_key)
        except Exception as exc:  # noqa: BLE001 - e.g. the entry's stored IDS cannot be read back
            self.status_label.setText(str(exc))
            return
        self.populate_ids()
        self.status_label.setText(_("Specification “{name}” kept; save the rule set to share it.").format(
            name=spec.name))

    def remove_selected(self) -> None:
        """Remove the selected specification, or the selected IDS file with all its specifications."""
        selected = self._selected()
        if self.read_only or not selected:
            return
        index, key = selected
        if key is None:
            self.draft.remove_entry(index)
        else:
            self.draft.remove_specification(index, key)
        self.populate_ids()

    def choose_ids_file(self) -> None:
        """Ask for an IDS file to add to the rule set."""
        dialog = QFileDialog(self, _("Add an IDS file"), "", IDS_FILTER)
        dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.fileSelected.connect(self.add_ids_file)
        dialog.open()

    def add_ids_file(self, path: str | Path) -> None:
        """Add an IDS file, checked in the background first (XSD and audit)."""
        path = Path(path)

        def read():
            from checks.ids import load_ids

            load_ids(path)
            return path.read_text(encoding="utf-8")

        def done(text: str) -> None:
            self.draft.add_ids(path.name, text, check=False)
            self.populate_ids()
            self.status_label.setText(_("{file} added.").format(file=path.name))

        self.status_label.setText(_("Checking {file}…").format(file=path.name))
        run_in_background(read, done, lambda exc: self.status_label.setText(str(exc)), owner=self)

    # -- built-in rules -------------------------------------------------------------------------

    def _populate_rules(self) -> None:
        for rule_id, rule in BUILTIN_RULES.items():
            entry = self.draft.rule_entry(rule_id) or {}
            item = QTreeWidgetItem([_(rule.title), rule_id])
            item.setToolTip(0, rule.summary())
            self._checkable(item)
            item.setCheckState(0, _check_state(bool(entry) and entry.get("enabled", True)))
            item.setData(0, _ROLE, rule_id)
            self.rules_tree.addTopLevelItem(item)
            default = _("default ({severity})").format(severity=rule.default_severity.label)
            self._put_combo(self.rules_tree, item, 2, severity_combo(entry.get("severity"), default))
            self.rule_items[rule_id] = item
            try:
                values = rule.resolve(entry.get("parameters") or {})
            except ValueError:  # a stored value this version refuses: the form starts from the defaults
                values = rule.defaults()
            panel = RuleParameters(rule, values)
            self.parameters[rule_id] = panel
            self.parameter_stack.addWidget(panel)
        self.rules_tree.currentItemChanged.connect(self._rule_selected)
        self.rules_tree.setCurrentItem(self.rules_tree.topLevelItem(0))

    def _rule_selected(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.parameter_stack.setCurrentWidget(self.parameters[item.data(0, _ROLE)])

    def set_rule_enabled(self, rule_id: str, enabled: bool) -> None:
        """Tick or untick a built-in rule, as a user does in the list."""
        self.rule_items[rule_id].setCheckState(0, _check_state(enabled))

    def set_rule_severity(self, rule_id: str, severity: str | None) -> None:
        """Choose a rule's severity (None: the rule's default)."""
        combo = self.rules_tree.itemWidget(self.rule_items[rule_id], 2)
        combo.setCurrentIndex(combo.findData(severity))

    def select_rule(self, rule_id: str) -> RuleParameters:
        """Show a rule's parameters and return their form."""
        self.rules_tree.setCurrentItem(self.rule_items[rule_id])
        return self.parameters[rule_id]

    # -- saving ---------------------------------------------------------------------------------

    def edited_payload(self) -> dict:
        """The payload with everything the forms show (:class:`ValueError` for a refused parameter)."""
        self.draft.set_info(title=self.title_edit.text().strip() or self.draft.data.get("title", ""),
                            version=self.version_edit.text().strip(), description=self.description_edit.text().strip())
        for rule_id, item in self.rule_items.items():
            combo = self.rules_tree.itemWidget(item, 2)
            self.draft.set_rule(rule_id, enabled=_checked(item), severity=combo.currentData(),
                                parameters=self.parameters[rule_id].values())
        return self.draft.payload()

    def save(self) -> None:
        """Hand the edited rule set to the manager, which saves it to the project."""
        if self.read_only:
            self.accept()
            return
        if self.saving:
            return
        try:
            payload = self.edited_payload()
        except ValueError as exc:
            self.status_label.setText(str(exc))
            return
        self.saving = True
        self.buttons.setEnabled(False)
        self.status_label.setText(_("Saving…"))
        self.save_requested.emit(payload)

    def saved(self) -> None:
        """The manager saved the rule set: close."""
        self.saving = False
        self.buttons.setEnabled(True)
        self.accept()

    def save_failed(self, message: str) -> None:
        """The manager could not save: say why and stay open."""
        self.saving = False
        self.buttons.setEnabled(True)
        self.status_label.setText(message)
