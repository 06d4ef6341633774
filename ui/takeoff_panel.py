"""The Quantities (métré) dock: template, grouping, filters, run, the tree table, export and templates.

The panel only holds widgets: it says what the user asks for through signals and
shows what it is given. Running the takeoff, filtering by the 3D selection,
exporting and the project's templates live in :mod:`ui.takeoff_features`.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMenu,
    QProgressBar, QPushButton, QToolButton, QTreeView, QVBoxLayout, QWidget,
)

from bim.i18n import N_, _, ngettext
from checks.takeoff.grouping import field_label
from checks.takeoff.kinds import DISPLAY_UNITS, KINDS
from checks.takeoff.template import GROUP_FIELDS, PROPERTY_PREFIX, TakeoffTemplate
from checks.takeoff.values import DECLARED
from ui.takeoff_model import (
    COMPUTED_COLOUR, FIRST_QUANTITY_COLUMN, FLAG_BACKGROUND, IDENTITY_COLUMNS, KEYS_ROLE, LABEL_COLUMN,
    MISSING_COLOUR, TakeoffTreeModel,
)

GROUP_LEVELS = 3  # nested grouping fields offered; deeper nesting is rarely readable in a tree
NO_FIELD = ""
ASK_PROPERTY = "?property"
SCOPES = (("all", N_("All elements")), ("selection", N_("Current selection")), ("visible", N_("Visible elements")),
          ("check", N_("Failing elements of the last check")))
DIMENSIONS = (("length", N_("Length")), ("area", N_("Area")), ("volume", N_("Volume")), ("mass", N_("Mass")))
MAX_DECIMALS = 4
EXPORT_FORMATS = ("xlsx", "csv", "json")
SHOWN_DETAILS = ("class",)  # identity columns shown at first; the others are a click away
FULLY_OPEN_ELEMENTS = 50
OPEN_GROUPS = 12
SEARCH_DELAY_MS = 250  # wait for the user to stop typing before filtering


def _save_tip() -> str:
    """The Save button's tooltip in the current language."""
    return _("Save the current quantities, grouping, filters, units and rounding in the project, for the whole team")


class TakeoffPanel(QWidget):
    """Widgets of the Quantities dock; see the module docstring."""

    template_chosen = Signal(str)  # template id ("builtin:default", "project:Gros œuvre")
    view_changed = Signal()  # grouping, quantities, units or rounding changed: regroup, no new run
    filter_changed = Signal()  # scope or search changed
    run_requested = Signal()
    cancel_requested = Signal()
    export_requested = Signal(str)  # "xlsx", "csv" or "json"
    save_requested = Signal(str)  # template name
    delete_requested = Signal(str)  # template id
    elements_chosen = Signal(object)  # list[ElementKey] of the selected lines
    elements_activated = Signal(object)  # double-click: frame these

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._quiet = False
        self._sized_for: tuple | None = None
        self.name_dialog: QInputDialog | None = None
        self.property_dialog: QInputDialog | None = None
        self.model = TakeoffTreeModel(self)
        self._build_tree()
        self._build_controls()
        self._build_layout()
        self.set_running(False)
        self.set_project_open(False)
        self.set_result_available(False)

    # ------------------------------------------------------------------ building

    def _build_tree(self) -> None:
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # keeps scrolling fast with thousands of lines
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(False)
        header.setSortIndicator(-1, Qt.AscendingOrder)  # the grouping's own order (storeys bottom up) first
        self.tree.setSortingEnabled(True)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection)
        self.tree.doubleClicked.connect(
            lambda index: self.elements_activated.emit(list(index.siblingAtColumn(0).data(KEYS_ROLE) or [])))
        self.model.modelReset.connect(self._after_reset)

    def _build_controls(self) -> None:
        self.template_combo = QComboBox()
        self.template_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.template_combo.setToolTip(_("Takeoff template: quantities, grouping, filters, units and rounding"))
        self.template_combo.activated.connect(self._on_template_activated)
        self.save_button = QPushButton(_("Save template…"))
        self.save_button.clicked.connect(self.ask_template_name)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setToolTip(_("Delete this template from the project"))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.template_id()))
        self.group_combos = [self._group_combo(level) for level in range(GROUP_LEVELS)]
        self.columns_button = QToolButton()
        self.columns_button.setText(_("Columns"))
        self.columns_button.setPopupMode(QToolButton.InstantPopup)
        self.columns_button.setMenu(self._columns_menu())
        self.display_button = QToolButton()
        self.display_button.setText(_("Units"))
        self.display_button.setToolTip(_("Units, rounding and which value is shown when both exist"))
        self.display_button.setPopupMode(QToolButton.InstantPopup)
        self.display_button.setMenu(self._display_menu())
        self.scope_combo = QComboBox()
        for code, label in SCOPES:
            self.scope_combo.addItem(_(label), code)
        self.scope_combo.activated.connect(lambda _i: self.filter_changed.emit())
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, type, class, material…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.filter_changed)
        self.search.textChanged.connect(lambda _t: self._quiet or self._search_timer.start())
        self.run_button = QPushButton(_("Run"))
        self.run_button.setToolTip(_("Take the quantities off the loaded models"))
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.export_buttons = {}
        for fmt in EXPORT_FORMATS:
            button = QPushButton(fmt.upper())
            button.setToolTip(_("Export the quantity sheet as {format}…").format(format=fmt.upper()))
            button.clicked.connect(lambda _c=False, f=fmt: self.export_requested.emit(f))
            self.export_buttons[fmt] = button
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.legend = QLabel(self._legend_html())
        self.legend.setToolTip(_("Hover a value to see its source, its definition and the other source's value"))

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Template:")))
        top.addWidget(self.template_combo)
        top.addWidget(self.save_button)
        top.addWidget(self.delete_button)
        top.addSpacing(12)
        top.addWidget(QLabel(_("Group by:")))
        for combo in self.group_combos:
            top.addWidget(combo)
        top.addWidget(self.columns_button)
        top.addWidget(self.display_button)
        top.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(QLabel(_("Show:")))
        second.addWidget(self.scope_combo)
        second.addWidget(self.search, 1)
        second.addWidget(self.run_button)
        second.addWidget(self.cancel_button)
        second.addWidget(self.progress)
        second.addSpacing(12)
        second.addWidget(QLabel(_("Export:")))
        for button in self.export_buttons.values():
            second.addWidget(button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)

    @staticmethod
    def _legend_html() -> str:
        computed, flagged, missing = COMPUTED_COLOUR.name(), FLAG_BACKGROUND.name(), MISSING_COLOUR.name()
        # Translated outside the f-strings: gettext extraction cannot see into them.
        declared, computed_text = _("declared"), _("computed")
        disagree, not_computable = _("sources disagree"), _("not computable")
        return " · ".join((
            declared,
            f"<span style='color:{computed}'>{computed_text}</span>",
            f"<span style='background:{flagged}'>{disagree}</span>",
            f"<span style='color:{missing}'><i>⚠ {not_computable}</i></span>",
        ))

    def _group_combo(self, level: int) -> QComboBox:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        combo.addItem("—" if level else _("(no grouping)"), NO_FIELD)
        for name in GROUP_FIELDS:
            combo.addItem(field_label(name), name)
        combo.addItem(_("Property…"), ASK_PROPERTY)
        combo.setProperty("previous", NO_FIELD)
        combo.activated.connect(lambda _i, c=combo: self._on_group_choice(c))
        return combo

    def _columns_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addSection(_("Quantities"))
        self.quantity_actions: dict[str, QAction] = {}
        for kind in KINDS:
            action = menu.addAction(kind.title)
            action.setCheckable(True)
            action.toggled.connect(lambda _c: self._quiet or self.view_changed.emit())
            self.quantity_actions[kind.key] = action
        menu.addSection(_("Details"))
        self.detail_actions: dict[str, QAction] = {}
        for key, label in IDENTITY_COLUMNS:
            action = menu.addAction(_(label))
            action.setCheckable(True)
            action.setChecked(key in SHOWN_DETAILS)
            action.toggled.connect(lambda _c: self._apply_details())
            self.detail_actions[key] = action
        return menu

    def _display_menu(self) -> QMenu:
        menu = QMenu(self)
        self.unit_actions: dict[str, dict[str, QAction]] = {}
        self.decimal_actions: dict[str, dict[int, QAction]] = {}
        for dimension, label in DIMENSIONS:
            sub = menu.addMenu(_(label))
            units = QActionGroup(sub)
            self.unit_actions[dimension] = {}
            for unit in DISPLAY_UNITS[dimension]:
                action = units.addAction(unit)
                action.setCheckable(True)
                sub.addAction(action)
                self.unit_actions[dimension][unit] = action
            sub.addSeparator()
            places = QActionGroup(sub)
            self.decimal_actions[dimension] = {}
            for n in range(MAX_DECIMALS + 1):
                action = places.addAction(ngettext("{n} decimal", "{n} decimals", n).format(n=n))
                action.setCheckable(True)
                sub.addAction(action)
                self.decimal_actions[dimension][n] = action
            units.triggered.connect(lambda _a: self.view_changed.emit())
            places.triggered.connect(lambda _a: self.view_changed.emit())
        menu.addSeparator()
        self.prefer_computed_action = menu.addAction(_("Show computed values first"))
        self.prefer_computed_action.setToolTip(
            _("When an element declares a quantity and we also compute it, show the computed one"))
        self.prefer_computed_action.setCheckable(True)
        self.prefer_computed_action.toggled.connect(lambda _c: self._quiet or self.view_changed.emit())
        return menu

    # ------------------------------------------------------------------ templates

    def set_templates(self, items: list[tuple[str, str, str]], current: str | None = None) -> None:
        """Offer ``items`` (id, label, tooltip); keep the current choice when it is still there."""
        current = current or self.template_id()
        combo = self.template_combo
        combo.blockSignals(True)
        combo.clear()
        for template_id, label, tooltip in items:
            combo.addItem(label, template_id)
            combo.setItemData(combo.count() - 1, tooltip, Qt.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        self._update_template_buttons()

    def template_id(self) -> str:
        return self.template_combo.currentData() or ""

    def choose_template(self, template_id: str) -> None:
        """Pick a template by id, as a user choosing it in the list."""
        self.template_combo.setCurrentIndex(max(0, self.template_combo.findData(template_id)))
        self._update_template_buttons()
        self.template_chosen.emit(self.template_id())

    def _on_template_activated(self, _index: int) -> None:
        self._update_template_buttons()
        self.template_chosen.emit(self.template_id())

    def template_ids(self) -> list[str]:
        return [self.template_combo.itemData(i) for i in range(self.template_combo.count())]

    def set_project_open(self, is_open: bool) -> None:
        self._project_open = is_open
        self._update_template_buttons()

    def _update_template_buttons(self) -> None:
        is_open = getattr(self, "_project_open", False)
        self.save_button.setEnabled(is_open)
        self.save_button.setToolTip(_save_tip() if is_open else _("Open a project to share templates with the team"))
        self.delete_button.setEnabled(is_open and self.template_id().startswith("project:"))

    def ask_template_name(self) -> QInputDialog:
        """Ask for the name to save the current template under (non-blocking: results keep arriving)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Save takeoff template"))
        dialog.setLabelText(_("Name of the template, as the team will see it:"))
        current = self.template_id()
        dialog.setTextValue(current.partition(":")[2] if current.startswith("project:") else "")
        dialog.textValueSelected.connect(lambda name: name.strip() and self.save_requested.emit(name.strip()))
        dialog.finished.connect(dialog.deleteLater)
        self.name_dialog = dialog
        dialog.open()
        return dialog

    def show_template(self, template: TakeoffTemplate) -> None:
        """Set every control from ``template`` without asking for anything."""
        self._quiet = True
        try:
            fields = template.groupings[0] if template.groupings else ()
            for level, combo in enumerate(self.group_combos):
                name = fields[level] if level < len(fields) else NO_FIELD
                self._select_field(combo, name)
            for key, action in self.quantity_actions.items():
                action.setChecked(key in template.quantities)
            for dimension, _label in DIMENSIONS:
                self.unit_actions[dimension][template.unit(dimension)].setChecked(True)
                places = min(template.decimals_for(dimension), MAX_DECIMALS)
                self.decimal_actions[dimension][places].setChecked(True)
            self.prefer_computed_action.setChecked(template.prefer != DECLARED)
            self.search.setText(template.search)
        finally:
            self._quiet = False

    def template_from_view(self, base: TakeoffTemplate, name: str | None = None) -> TakeoffTemplate:
        """``base`` with the panel's quantities (in the catalogue's order), grouping, search, units,
        rounding and preferred source.

        The shown grouping comes first (the first sheet of the XLSX); the template's
        other groupings follow, so a saved template keeps its other sheets.
        """
        fields = self.grouping()
        others = tuple(g for g in base.groupings if tuple(g) != fields)
        quantities = tuple(k.key for k in KINDS if self.quantity_actions[k.key].isChecked()) or base.quantities
        units = tuple((d, next(u for u, a in self.unit_actions[d].items() if a.isChecked())) for d, _l in DIMENSIONS)
        decimals = tuple((d, next(n for n, a in self.decimal_actions[d].items() if a.isChecked()))
                         for d, _l in DIMENSIONS)
        return replace(base, name=name or base.name, quantities=quantities,
                       groupings=((fields,) if fields else ()) + others, search=self.search.text().strip(),
                       units=(("count", "u"),) + units, decimals=(("count", 0),) + decimals,
                       prefer="computed" if self.prefer_computed_action.isChecked() else DECLARED)

    # ------------------------------------------------------------------ grouping

    def grouping(self) -> tuple[str, ...]:
        """The nested fields chosen, top first (an empty level ends the nesting)."""
        fields = []
        for combo in self.group_combos:
            name = combo.currentData()
            if not name or name == ASK_PROPERTY:
                break
            fields.append(name)
        return tuple(dict.fromkeys(fields))

    def set_grouping(self, fields) -> None:
        """Choose the nested fields, as a user picking them one by one."""
        fields = list(fields)
        self._quiet = True
        try:
            for level, combo in enumerate(self.group_combos):
                self._select_field(combo, fields[level] if level < len(fields) else NO_FIELD)
        finally:
            self._quiet = False
        self.view_changed.emit()

    def _select_field(self, combo: QComboBox, name: str) -> None:
        index = combo.findData(name)
        if index < 0:  # a property field: offered in every level from now on
            for other in self.group_combos:
                other.insertItem(other.count() - 1, field_label(name), name)
            index = combo.findData(name)
        combo.setCurrentIndex(index)
        combo.setProperty("previous", name)

    def _on_group_choice(self, combo: QComboBox) -> None:
        if combo.currentData() == ASK_PROPERTY:
            self._ask_property(combo)
            return
        combo.setProperty("previous", combo.currentData())
        self.view_changed.emit()

    def _ask_property(self, combo: QComboBox) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Group by a property"))
        dialog.setLabelText(_("Property set and property, e.g. Pset_WallCommon.FireRating:"))

        def chosen(text: str) -> None:
            text = text.strip()
            if "." in text:
                self._select_field(combo, PROPERTY_PREFIX + text)
                self.view_changed.emit()
            else:
                restore()

        def restore() -> None:
            self._select_field(combo, combo.property("previous") or NO_FIELD)

        dialog.textValueSelected.connect(chosen)
        dialog.rejected.connect(restore)
        dialog.finished.connect(dialog.deleteLater)
        self.property_dialog = dialog
        dialog.open()

    # ------------------------------------------------------------------ filters and columns

    def scope(self) -> str:
        """``all``, ``selection`` or ``visible``."""
        return self.scope_combo.currentData()

    def set_scope(self, scope: str) -> None:
        """Choose which elements are listed, as a user picking it."""
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(scope)))
        self.filter_changed.emit()

    def search_text(self) -> str:
        return self.search.text().strip()

    def set_quantity_shown(self, kind: str, shown: bool) -> None:
        """Show or hide the column of quantity ``kind``, as the Columns menu does."""
        self.quantity_actions[kind].setChecked(shown)

    def _apply_details(self) -> None:
        for column, (key, _label) in enumerate(IDENTITY_COLUMNS, start=2):
            self.tree.setColumnHidden(column, not self.detail_actions[key].isChecked())

    def _after_reset(self) -> None:
        self._apply_details()
        # Widths are set when the columns change, not on every refresh: a user's widening stays.
        columns = self.model.quantities
        if columns != self._sized_for:
            self._sized_for = columns
            self.tree.setColumnWidth(LABEL_COLUMN, 260)
            for column in range(FIRST_QUANTITY_COLUMN, self.model.columnCount()):
                self.tree.setColumnWidth(column, 118)
        # A few elements (a selection) read best fully open; a short list of groups, opened one level.
        if self.model.element_count <= FULLY_OPEN_ELEMENTS:
            self.tree.expandAll()
        elif self.model.rowCount() <= OPEN_GROUPS:
            self.tree.expandToDepth(0)

    # ------------------------------------------------------------------ running and results

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int, _message: str = "") -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def set_result_available(self, available: bool) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(available)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    # ------------------------------------------------------------------ selection

    def chosen_keys(self) -> list:
        """Elements of the selected lines (a group stands for all its elements)."""
        keys = []
        for index in self.tree.selectionModel().selectedRows(0):
            keys.extend(index.data(KEYS_ROLE) or [])
        return list(dict.fromkeys(keys))

    def _on_selection(self, *_args) -> None:
        keys = self.chosen_keys()
        if keys:
            self.elements_chosen.emit(keys)
