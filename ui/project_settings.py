"""Project settings dialog: trades and their contractual delays, users, the issue vocabularies and the
deadline alert rules (:mod:`ui.alert_rules_tab`).

The settings live in the project database, so the whole team shares them. The
dialog reads them in the background, lets the user edit tables (one tab per kind
of setting), and saves only the records that changed, through
:func:`ui.project_settings_store.save_edits` (optimistic: a record another user
changed meanwhile is reported, not overwritten). Nothing is ever deleted: a trade,
user or value is deactivated, so old issues still read correctly.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QColorDialog, QComboBox, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from bim.i18n import _, ngettext
from project_db.records import ROLES, Trade, TradeDelay, User, VocabularyItem
from ui.alert_rules_tab import AlertRulesTab, read_alert_rules, save_alert_rules_edit
from ui.project_settings_store import SaveReport, SettingsSnapshot, is_valid_email, load_snapshot, save_edits
from ui.tasks import run_in_background

RECORD = Qt.UserRole  # the loaded record of a row (None for a new row)
INVALID_BRUSH = QBrush(QColor("#F4B6B6"))


def _item(text: str, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text or "")
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    return item


def _active_item(active: bool) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags((item.flags() | Qt.ItemIsUserCheckable) & ~Qt.ItemIsEditable)
    item.setCheckState(Qt.Checked if active else Qt.Unchecked)
    return item


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item else ""


def _checked(table: QTableWidget, row: int, column: int) -> bool:
    return table.item(row, column).checkState() == Qt.Checked


class _RecordTab(QWidget):
    """A table of records with Add and Deactivate buttons; subclasses map rows to records."""

    headers: tuple[str, ...] = ()
    active_column = -1

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.headers))
        self.table.setHorizontalHeaderLabels(list(self.headers))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.add_button = QPushButton(_("Add"))
        self.deactivate_button = QPushButton(_("Deactivate"))
        self.add_button.clicked.connect(lambda: self.add_row())
        self.deactivate_button.clicked.connect(self.deactivate_selected)
        self.table.itemChanged.connect(self._grey_inactive)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.deactivate_button)
        buttons.addStretch(1)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(buttons)

    def load(self, records) -> None:
        """Show ``records`` (inactive ones greyed), replacing what the table held."""
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for record in records:
            self._append(record)
        self.table.blockSignals(False)
        for row in range(self.table.rowCount()):
            self._grey_row(row)
        self.table.resizeColumnsToContents()

    def add_row(self) -> int:
        """Append an empty active row and start editing its first cell; returns its index."""
        row = self._append(None)
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))
        return row

    def row_of(self, column: int, text: str) -> int:
        """The first row whose ``column`` shows ``text`` (-1 if none)."""
        return next((r for r in range(self.table.rowCount()) if _text(self.table, r, column) == text), -1)

    def deactivate_selected(self) -> None:
        """Deactivate the selected row (it stays listed, greyed, and can be checked again)."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.item(row, self.active_column).setCheckState(Qt.Unchecked)

    def edits(self) -> list:
        """The records whose row differs from what was loaded (new rows included)."""
        changed = []
        for row in range(self.table.rowCount()):
            loaded = self.table.item(row, 0).data(RECORD)
            record = self.record_at(row)
            if record is not None and record != loaded:
                changed.append(record)
        return changed

    def problems(self) -> list[str]:
        """What prevents saving this tab (empty when it can be saved)."""
        return []

    def _grey_inactive(self, item: QTableWidgetItem) -> None:
        if item.column() == self.active_column:
            self._grey_row(item.row())

    def _grey_row(self, row: int) -> None:
        colour = self.palette().color(self.palette().ColorGroup.Disabled, self.palette().ColorRole.Text)
        brush = QBrush() if _checked(self.table, row, self.active_column) else QBrush(colour)
        self.table.blockSignals(True)
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            if item is not None:
                item.setForeground(brush)
        self.table.blockSignals(False)

    # -- for subclasses ---------------------------------------------------------------

    def _append(self, record) -> int:
        raise NotImplementedError

    def record_at(self, row: int):
        """The record row ``row`` describes now (None for a row left blank)."""
        raise NotImplementedError


class TradesTab(_RecordTab):
    """Trades: code, French and English names, colour, and delays per priority for the selected trade."""

    CODE, NAME_FR, NAME_EN, COLOUR, ACTIVE = range(5)
    active_column = ACTIVE

    def __init__(self, parent: QWidget | None = None):
        self.headers = (_("Code"), _("Name (French)"), _("Name (English)"), _("Colour"), _("Active"))
        super().__init__(parent)
        self.priorities: tuple[VocabularyItem, ...] = ()
        self.delays: dict[int, dict[str, tuple[int, int]]] = {}  # row -> priority -> (response, resolution)
        self.colour_dialog: QColorDialog | None = None
        self.delays_label = QLabel()
        self.delays_table = QTableWidget(0, 2)
        self.delays_table.setHorizontalHeaderLabels([_("Response (days)"), _("Resolution (days)")])
        self.delays_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.delays_table.setMaximumHeight(170)
        self.layout_.addWidget(self.delays_label)
        self.layout_.addWidget(self.delays_table)
        self.table.currentCellChanged.connect(lambda row, *_args: self._show_delays(row))
        self.table.cellDoubleClicked.connect(lambda row, column: column == self.COLOUR and self.choose_colour(row))

    def set_priorities(self, priorities) -> None:
        """The priorities the delays grid has a line for (active ones, most urgent first)."""
        self.priorities = tuple(p for p in priorities if p.active)
        self.delays_table.setRowCount(len(self.priorities))
        self.delays_table.setVerticalHeaderLabels([p.name() for p in self.priorities])
        self.spins: dict[str, tuple[QSpinBox, QSpinBox]] = {}
        for line, priority in enumerate(self.priorities):
            pair = []
            for column in range(2):
                spin = QSpinBox()
                spin.setRange(0, 3650)
                spin.valueChanged.connect(lambda _value, code=priority.code: self._store_delay(code))
                self.delays_table.setCellWidget(line, column, spin)
                pair.append(spin)
            self.spins[priority.code] = (pair[0], pair[1])

    def load(self, records) -> None:
        self.delays = {}
        super().load(records)
        self._show_delays(self.table.currentRow())

    def delay_spins(self, priority: str) -> tuple[QSpinBox, QSpinBox]:
        """The response and resolution spin boxes of ``priority`` for the selected trade."""
        return self.spins[priority]

    def select_trade(self, code: str) -> int:
        """Select the trade ``code`` (its delays show below); returns its row."""
        row = self.row_of(self.CODE, code)
        self.table.setCurrentCell(row, self.NAME_FR)
        return row

    def set_colour(self, row: int, colour: str) -> None:
        """Give the trade on ``row`` the colour ``#RRGGBB``."""
        item = self.table.item(row, self.COLOUR)
        item.setText(colour.upper())
        item.setBackground(QBrush(QColor(colour)))

    def choose_colour(self, row: int) -> None:
        """Pick the colour of the trade on ``row`` (without blocking the window)."""
        self.colour_dialog = QColorDialog(QColor(_text(self.table, row, self.COLOUR) or "#808080"), self)
        self.colour_dialog.colorSelected.connect(lambda colour: self.set_colour(row, colour.name()))
        self.colour_dialog.open()

    def problems(self) -> list[str]:
        codes = [_text(self.table, r, self.CODE) for r in range(self.table.rowCount())]
        found = []
        if len(set(codes)) != len(codes):
            found.append(_("Two trades have the same code."))
        for row, code in enumerate(codes):
            if self.record_at(row) is not None and not QColor.isValidColorName(_text(self.table, row, self.COLOUR)):
                found.append(_("Trade {code}: the colour is not valid.").format(code=code))
        return found

    def _append(self, trade: Trade | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        if trade is None:  # a new trade starts from the delays of the first one, as a sensible default
            template = next((self.table.item(r, 0).data(RECORD) for r in range(row)), None)
            trade = Trade(code="", name_fr="", name_en="", delays=template.delays if template else ())
            loaded = None
        else:
            loaded = trade
        code = _item(trade.code, editable=loaded is None)  # the code is the key of an existing trade
        code.setData(RECORD, loaded)
        self.table.setItem(row, self.CODE, code)
        self.table.setItem(row, self.NAME_FR, _item(trade.name_fr))
        self.table.setItem(row, self.NAME_EN, _item(trade.name_en))
        colour = _item(trade.colour, editable=False)
        colour.setToolTip(_("Double-click to choose the colour"))
        self.table.setItem(row, self.COLOUR, colour)
        self.table.setItem(row, self.ACTIVE, _active_item(trade.active))
        self.set_colour(row, trade.colour)
        self.delays[row] = {d.priority: (d.response_days, d.resolution_days) for d in trade.delays}
        return row

    def record_at(self, row: int) -> Trade | None:
        code = _text(self.table, row, self.CODE)
        if not code:
            return None
        loaded = self.table.item(row, 0).data(RECORD)
        delays = self.delays.get(row, {})
        known = [p.code for p in self.priorities]
        ordered = known + [p for p in delays if p not in known]  # keep delays of inactive priorities
        base = loaded or Trade(code=code, name_fr="", name_en="", sort_order=self.table.rowCount() + 100)
        return replace(base, code=code, name_fr=_text(self.table, row, self.NAME_FR) or code,
                       name_en=_text(self.table, row, self.NAME_EN) or code,
                       colour=_text(self.table, row, self.COLOUR) or "#808080",
                       active=_checked(self.table, row, self.ACTIVE),
                       delays=tuple(TradeDelay(p, *delays[p]) for p in ordered if p in delays))

    def _show_delays(self, row: int) -> None:
        trade = _text(self.table, row, self.CODE) if row >= 0 else ""
        self.delays_label.setText(_("Contractual delays of {trade}, per priority:").format(trade=trade)
                                  if row >= 0 else _("Select a trade to see its contractual delays."))
        self.delays_table.setEnabled(row >= 0)
        values = self.delays.get(row, {})
        for code, (response, resolution) in getattr(self, "spins", {}).items():
            for spin, value in ((response, values.get(code, (0, 0))[0]), (resolution, values.get(code, (0, 0))[1])):
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)

    def _store_delay(self, priority: str) -> None:
        row = self.table.currentRow()
        if row >= 0:
            response, resolution = self.spins[priority]
            self.delays.setdefault(row, {})[priority] = (response.value(), resolution.value())


class UsersTab(_RecordTab):
    """Project members: name, e-mail (their BCF id) and role."""

    NAME, EMAIL, ROLE, ACTIVE = range(4)
    active_column = ACTIVE

    def __init__(self, parent: QWidget | None = None):
        self.headers = (_("Name"), _("E-mail"), _("Role"), _("Active"))
        super().__init__(parent)
        self.table.itemChanged.connect(self._check_email)

    def set_role(self, row: int, role: str) -> None:
        """Give the user on ``row`` the role ``role`` (one of the suggested ones, or free text)."""
        self.table.cellWidget(row, self.ROLE).setCurrentText(role)

    def problems(self) -> list[str]:
        found = []
        for row in range(self.table.rowCount()):
            email = _text(self.table, row, self.EMAIL)
            if not is_valid_email(email):
                found.append(_("{email} is not a valid e-mail address.").format(email=email))
            elif self.table.item(row, 0).data(RECORD) is None and email and not _text(self.table, row, self.NAME):
                found.append(_("The user {email} needs a name.").format(email=email))
        emails = [e for e in (_text(self.table, r, self.EMAIL).lower() for r in range(self.table.rowCount())) if e]
        if len(set(emails)) != len(emails):
            found.append(_("Two users have the same e-mail address."))
        return found

    def _append(self, user: User | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        user_ = user or User(name="")
        name = _item(user_.name)
        name.setData(RECORD, user)
        self.table.setItem(row, self.NAME, name)
        self.table.setItem(row, self.EMAIL, _item(user_.email or ""))
        self.table.setItem(row, self.ROLE, _item("", editable=False))
        self.table.setItem(row, self.ACTIVE, _active_item(user_.active))
        role = QComboBox()
        role.setEditable(True)
        role.addItems(list(ROLES))
        role.setCurrentText(user_.role)
        self.table.setCellWidget(row, self.ROLE, role)
        return row

    def record_at(self, row: int) -> User | None:
        name = _text(self.table, row, self.NAME)
        if not name:
            return None
        loaded = self.table.item(row, 0).data(RECORD) or User(name=name)
        return replace(loaded, name=name, email=_text(self.table, row, self.EMAIL) or None,
                       role=self.table.cellWidget(row, self.ROLE).currentText().strip() or "designer",
                       active=_checked(self.table, row, self.ACTIVE))

    def _check_email(self, item: QTableWidgetItem) -> None:
        if item.column() == self.EMAIL:
            valid = is_valid_email(item.text().strip())
            self.table.blockSignals(True)
            item.setBackground(QBrush() if valid else INVALID_BRUSH)
            item.setToolTip("" if valid else _("Not a valid e-mail address"))
            self.table.blockSignals(False)


class VocabularyTab(_RecordTab):
    """The allowed values of one issue field: code (kept in BCF), French and English names."""

    CODE, NAME_FR, NAME_EN = range(3)

    def __init__(self, kind: str, parent: QWidget | None = None):
        self.kind = kind
        self.has_closed = kind == "status"
        headers = [_("Code"), _("Name (French)"), _("Name (English)")]
        if self.has_closed:
            headers.append(_("Closed"))
        headers.append(_("Active"))
        self.headers = tuple(headers)
        self.closed_column = 3 if self.has_closed else -1
        self.active_column = len(headers) - 1
        super().__init__(parent)

    def problems(self) -> list[str]:
        codes = [_text(self.table, r, self.CODE) for r in range(self.table.rowCount())]
        codes = [c for c in codes if c]
        return [_("Two values have the same code.")] if len(set(codes)) != len(codes) else []

    def _append(self, value: VocabularyItem | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        shown = value or VocabularyItem(kind=self.kind, code="", name_fr="", name_en="")
        code = _item(shown.code, editable=value is None)
        code.setData(RECORD, value)
        self.table.setItem(row, self.CODE, code)
        self.table.setItem(row, self.NAME_FR, _item(shown.name_fr))
        self.table.setItem(row, self.NAME_EN, _item(shown.name_en))
        if self.has_closed:
            self.table.setItem(row, self.closed_column, _active_item(shown.is_closed))
        self.table.setItem(row, self.active_column, _active_item(shown.active))
        return row

    def record_at(self, row: int) -> VocabularyItem | None:
        code = _text(self.table, row, self.CODE)
        if not code:
            return None
        loaded = self.table.item(row, 0).data(RECORD)
        base = loaded or VocabularyItem(kind=self.kind, code=code, name_fr="", name_en="",
                                        sort_order=self.table.rowCount() + 100)
        return replace(base, code=code, name_fr=_text(self.table, row, self.NAME_FR) or code,
                       name_en=_text(self.table, row, self.NAME_EN) or code,
                       is_closed=self.has_closed and _checked(self.table, row, self.closed_column),
                       active=_checked(self.table, row, self.active_column))


def vocabulary_titles() -> dict[str, str]:
    """Tab titles of the vocabularies, by kind."""
    return {"type": _("Issue types"), "status": _("Statuses"), "priority": _("Priorities"),
            "label": _("Labels"), "stage": _("Stages")}


class ProjectSettingsDialog(QDialog):
    """Edit the open project's settings; ``session`` is the window's :class:`ui.project_session.ProjectSession`."""

    loaded = Signal()  # the settings were (re)read and shown
    saved = Signal(object)  # the SaveReport of a save
    save_failed = Signal(object)  # the exception, or a list of problems found before saving

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.baseline = SettingsSnapshot()
        self.busy = False
        self._saved_report = None
        self.setWindowTitle(_("Project settings"))
        self.resize(900, 620)
        self.tabs = QTabWidget()
        self.trades_tab = TradesTab()
        self.users_tab = UsersTab()
        self.vocabulary_tabs = {kind: VocabularyTab(kind) for kind in vocabulary_titles()}
        self.tabs.addTab(self.trades_tab, _("Trades"))
        self.tabs.addTab(self.users_tab, _("Users"))
        for kind, title in vocabulary_titles().items():
            self.tabs.addTab(self.vocabulary_tabs[kind], title)
        self.alerts_tab = AlertRulesTab()
        self.tabs.addTab(self.alerts_tab, _("Alerts"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.save_button = QPushButton(_("Save"))
        self.reload_button = QPushButton(_("Reload"))
        self.close_button = QPushButton(_("Close"))
        self.save_button.clicked.connect(self.save)
        self.reload_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("These settings are shared with everyone working on the project.")))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        session.opened.connect(self._on_project_opened)
        session.closed.connect(self._update_enabled)
        self.reload()

    @property
    def tabs_by_record(self) -> list[_RecordTab]:
        """Every tab, trades first."""
        return [self.trades_tab, self.users_tab, *self.vocabulary_tabs.values()]

    def edits(self) -> list:
        """Every changed or new record, across the tabs."""
        return [record for tab in self.tabs_by_record for record in tab.edits()]

    def reload(self) -> None:
        """Read the settings again from the project (edits not saved are dropped)."""
        project = self.session.project
        if project is None:
            self._update_enabled()
            return
        self._set_busy(True, _("Reading the project settings…"))
        run_in_background(lambda: (load_snapshot(project), read_alert_rules(project)),
                          lambda loaded: self._show(*loaded), self._on_load_error, owner=self)

    def save(self) -> None:
        """Save the changed records to the project, in the background."""
        project = self.session.project
        if project is None or self.busy:
            return
        problems = [p for tab in self.tabs_by_record for p in tab.problems()] + self.alerts_tab.problems()
        if problems:
            self._error(_("Nothing was saved:") + "\n" + "\n".join(problems))
            self.save_failed.emit(problems)
            return
        edits = self.edits()
        rules = tuple(self.alerts_tab.rules) if self.alerts_tab.is_changed() else None
        if not edits and rules is None:
            self._info(_("No changes to save."))
            self.saved.emit(None)
            return
        baseline, author, loaded_rules = self.baseline, self.session.author, self.alerts_tab.loaded

        def save_all() -> SaveReport:
            report = save_edits(project, baseline, edits, author) if edits else SaveReport(0)
            if rules is None:
                return report
            conflict = save_alert_rules_edit(project, rules, loaded_rules, author)
            if conflict:
                return replace(report, conflicts=report.conflicts + (conflict,))
            return replace(report, saved=report.saved + 1)

        self._set_busy(True, _("Saving…"))
        run_in_background(save_all, self._on_saved, self._on_save_error, owner=self)

    # ------------------------------------------------------------------ results

    def _on_project_opened(self, _project) -> None:
        self.reload()

    def _show(self, snapshot: SettingsSnapshot, alert_rules: tuple = (None, None)) -> None:
        self.baseline = snapshot
        self.alerts_tab.set_choices(snapshot.trades, snapshot.vocabularies.get("priority", ()), snapshot.users)
        self.alerts_tab.load(*alert_rules)
        self.trades_tab.set_priorities(snapshot.vocabularies.get("priority", ()))
        self.trades_tab.load(snapshot.trades)
        self.users_tab.load(snapshot.users)
        for kind, tab in self.vocabulary_tabs.items():
            tab.load(snapshot.vocabularies.get(kind, ()))
        self._set_busy(False)
        self.loaded.emit()
        report, self._saved_report = self._saved_report, None
        if report is not None:
            self._report_saved(report)

    def _on_saved(self, report) -> None:
        self.session.reload_vocabulary()  # the issue editors offer the new values at once
        self._saved_report = report
        self.busy = False
        self.reload()  # ``saved`` is emitted once the saved settings are shown

    def _report_saved(self, report) -> None:
        saved = ngettext("{count} change saved.", "{count} changes saved.", report.saved).format(count=report.saved)
        if report.conflicts:
            self._error(saved + " " + _("Someone else changed these since you opened the settings; their version "
                                        "was kept, check it and edit again: {items}.")
                        .format(items=", ".join(report.conflicts)))
        else:
            self._info(saved)
        self.saved.emit(report)

    def _on_save_error(self, exc) -> None:
        self._set_busy(False)
        self._error(_("The settings could not be saved; your edits are kept: {error}").format(error=exc))
        self.save_failed.emit(exc)

    def _on_load_error(self, exc) -> None:
        self._set_busy(False)
        self._error(_("The project settings could not be read: {error}").format(error=exc))

    # ------------------------------------------------------------------ state

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        if text or not busy:
            self._info(text)
        self._update_enabled()

    def _update_enabled(self) -> None:
        is_open = self.session.project is not None
        self.tabs.setEnabled(is_open and not self.busy)
        self.save_button.setEnabled(is_open and not self.busy)
        self.reload_button.setEnabled(is_open and not self.busy)
        if not is_open:
            self._error(_("No project is open: open or create a project to edit its settings."))

    def _info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet("color: #B00020; font-weight: bold;")
        self.message.setText(text)
