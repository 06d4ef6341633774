"""The Hit parade dock: places ranked by their issues, a heat measure and the heat-map switch.

The panel knows nothing of the database or the 3D view: it shows the
:class:`project_db.hit_parade.HitParade` it is given, says which level and measure
the user wants (``view_changed``), when the heat-map is switched (``heat_toggled``)
and which place was clicked (``place_chosen``); :mod:`ui.hit_parade_features` does
the rest.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyle, QStyledItemDelegate,
    QStyleOptionViewItem, QTableView, QVBoxLayout, QWidget,
)

from bim.i18n import N_, _, ngettext, pgettext
from project_db.hit_parade import HitParade
from viewer.heatmap import heat_colour

SORT_ROLE = Qt.UserRole + 1
KEY_ROLE = Qt.UserRole + 2
BAR_ROLE = Qt.UserRole + 3  # (count, max, rgb) of the measure column's bar
TRADES_ROLE = Qt.UserRole + 4  # [(trade code, count, QColor)] of the trade breakdown bar

LEVEL_NAMES = (("storey", N_("Storeys")), ("space", N_("Spaces")), ("type", N_("Element types")),
               ("element", N_("Elements")))
MEASURE_NAMES = (("open", N_("Open issues")), ("total", N_("All issues")), ("recurring", N_("Recurring issues")))
# The measure's name inside a sentence ("Only: RDC · open issues").
MEASURE_PHRASES = {"open": N_("open issues"), "total": N_("all issues"), "recurring": N_("recurring issues")}
LEVEL_PHRASES = {"storey": N_("storey"), "space": N_("space"), "type": N_("element type"), "element": N_("element")}
COLUMNS = ("rank", "place", "open", "total", "recurring", "trades")
COLUMN_WIDTHS = {"rank": 26, "open": 42, "total": 42, "recurring": 48, "trades": 96}
ZERO_COLOUR = QColor(160, 160, 160)
NO_TRADE_COLOUR = QColor(190, 190, 190)
NEUTRAL_SWATCH = QColor(214, 214, 214)


def measure_phrase(measure: str) -> str:
    """The measure as it reads in a sentence ("open issues")."""
    return _(MEASURE_PHRASES[measure])


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class HitParadeModel(QAbstractTableModel):
    """The ranking of one level: rank, place, open, total, recurring and the measure's trade breakdown."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.parade = HitParade()
        self.level = "storey"
        self.measure = "open"
        self.rows: tuple = ()
        self.trade_names: dict[str, str] = {}
        self.trade_colours: dict[str, QColor] = {}
        self.max_count = 0

    def show(self, parade: HitParade, level: str, measure: str) -> None:
        """Show ``level``'s ranking of ``parade``, heat-coloured by ``measure``."""
        self.beginResetModel()
        self.parade, self.level, self.measure = parade, level, measure
        self.rows = parade.rows(level)
        self.max_count = max((r.count(measure) for r in self.rows), default=0)
        self.endResetModel()

    def set_trades(self, names: dict[str, str], colours: dict[str, str]) -> None:
        """The project's trade names and colours (``#RRGGBB``) for the breakdown bars."""
        self.beginResetModel()
        self.trade_names = dict(names)
        self.trade_colours = {code: QColor(colour) for code, colour in colours.items()}
        self.endResetModel()

    def breakdown(self, row) -> list[tuple[str, int, QColor]]:
        """The measure's issues of ``row`` per trade, in the parade's trade order, with the trades' colours."""
        counts = self.parade.breakdown(row, self.measure)
        return [(code, counts[code], self.trade_colours.get(code, NO_TRADE_COLOUR))
                for code in self.parade.trades if counts.get(code)]

    def trade_name(self, code: str) -> str:
        if not code:
            return _("No trade")
        name = self.trade_names.get(code)
        return f"{code} – {name}" if name else code

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal:
            return None
        name = COLUMNS[section]
        if role == Qt.DisplayRole:
            return {"rank": _("#"), "place": _("Place"), "open": pgettext("count", "Open"), "total": _("All"),
                    "recurring": _("Recur."), "trades": _("By trade")}[name]
        if role == Qt.ToolTipRole:
            return {"rank": _("Rank: most open issues first, then most issues"), "place": None,
                    "open": _("Issues not closed"), "total": _("All issues, closed ones too"),
                    "recurring": _("Issues closed and reopened at least once"),
                    "trades": _("The {measure} of each place per responsible trade").format(
                        measure=measure_phrase(self.measure))}[name]
        if role == Qt.FontRole and name == self.measure:
            return _bold()
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        name = COLUMNS[index.column()]
        if role == KEY_ROLE:
            return row.key
        if name == "rank":
            if role in (Qt.DisplayRole, SORT_ROLE):
                return index.row() + 1
            return int(Qt.AlignRight | Qt.AlignVCenter) if role == Qt.TextAlignmentRole else None
        if name == "place":
            if role == Qt.DisplayRole:
                return row.label
            if role == SORT_ROLE:
                return row.label.casefold()
            if role == Qt.ToolTipRole:
                return _("{place}: {open} open, {total} in all, {recurring} recurring").format(
                    place=row.label, open=row.open, total=row.total, recurring=row.recurring)
            if role == Qt.DecorationRole:
                colour = heat_colour(row.count(self.measure), self.max_count)
                return QColor(*colour) if colour else NEUTRAL_SWATCH
            return None
        if name == "trades":
            if role == TRADES_ROLE:
                return self.breakdown(row)
            if role == SORT_ROLE:
                return len(self.breakdown(row))
            if role == Qt.ToolTipRole:
                return "\n".join(f"{self.trade_name(code)}: {count}" for code, count, _c in self.breakdown(row))
            return None
        value = row.count(name)
        if role == Qt.DisplayRole:
            return str(value)
        if role == SORT_ROLE:
            return value
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and not value:
            return QBrush(ZERO_COLOUR)
        if role == Qt.FontRole and name == self.measure:
            return _bold()
        if role == BAR_ROLE and name == self.measure:
            return value, self.max_count, heat_colour(value, self.max_count)
        return None


class HitParadeProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE` and keeps only the places the measure counts issues at."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        model = self.sourceModel()
        return model.rows[source_row].count(model.measure) > 0


class BarDelegate(QStyledItemDelegate):
    """Bars behind the numbers: the measure's share of the hottest place in its heat colour, and the
    trade breakdown as segments in the trades' colours."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        trades = index.data(TRADES_ROLE)
        if trades is not None:
            self._paint_trades(painter, option, trades)
            return
        bar = index.data(BAR_ROLE)
        if bar is not None and bar[0] > 0 and bar[1] > 0 and bar[2] is not None:
            count, most, rgb = bar
            if option.state & QStyle.State_Selected:
                painter.fillRect(option.rect, option.palette.highlight())
            rect = option.rect.adjusted(2, 3, -2, -3)
            rect.setWidth(max(3, round(rect.width() * count / most)))
            colour = QColor(*rgb)
            colour.setAlpha(150)
            painter.fillRect(rect, colour)
            option = QStyleOptionViewItem(option)
            option.state &= ~QStyle.State_Selected
        super().paint(painter, option, index)

    @staticmethod
    def _paint_trades(painter: QPainter, option: QStyleOptionViewItem, trades) -> None:
        if option.state & QStyle.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        total = sum(count for _code, count, _colour in trades)
        if not total:
            return
        rect = option.rect.adjusted(3, 3, -3, -3)
        painter.save()
        x = rect.left()
        for i, (_code, count, colour) in enumerate(trades):
            right = rect.left() + round(rect.width() * sum(c for _k, c, _q in trades[:i + 1]) / total)
            segment = QRect(x, rect.top(), max(1, right - x), rect.height())
            painter.fillRect(segment, colour)
            if segment.width() >= painter.fontMetrics().horizontalAdvance(str(count)) + 4:
                painter.setPen(Qt.white if colour.lightnessF() < 0.55 else Qt.black)
                painter.drawText(segment, Qt.AlignCenter, str(count))
            x = right
        painter.restore()


class HitParadePanel(QWidget):
    """Level and measure choices, the heat-map switch, a summary and the ranking table."""

    view_changed = Signal()  # level or measure changed
    heat_toggled = Signal(bool)
    place_chosen = Signal(str, str)  # level, place key: the user clicked a row
    see_through_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.parade = HitParade()
        self.level_combo = QComboBox()
        for code, name in LEVEL_NAMES:
            self.level_combo.addItem(_(name), code)
        self.level_combo.setToolTip(_("Which places to rank"))
        self.measure_combo = QComboBox()
        for code, name in MEASURE_NAMES:
            self.measure_combo.addItem(_(name), code)
        self.measure_combo.setToolTip(_("What the heat-map and the bars count"))
        for combo in (self.level_combo, self.measure_combo):
            combo.activated.connect(lambda _i: self._on_view_changed())
        self.heat_button = QPushButton(_("Heat-map"))
        self.heat_button.setCheckable(True)
        self.heat_button.setToolTip(_("Colour the 3D view by the chosen measure; click an element to list "
                                      "the issues of its place"))
        self.heat_button.toggled.connect(self.heat_toggled)
        self.see_through = QCheckBox(_("See through"))
        self.see_through.setChecked(True)
        self.see_through.setToolTip(_("With the heat-map, draw the elements without issues transparent so that "
                                      "hot spots inside the building show"))
        self.see_through.toggled.connect(self.see_through_changed)

        self.model = HitParadeModel(self)
        self.proxy = HitParadeProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setItemDelegate(BarDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        header.setStretchLastSection(False)
        self.table.clicked.connect(self._on_clicked)
        self.table.activated.connect(self._on_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        choices = QHBoxLayout()
        choices.addWidget(self.level_combo, 1)
        choices.addWidget(self.measure_combo, 1)
        heat = QHBoxLayout()
        heat.addWidget(self.heat_button)
        heat.addWidget(self.see_through)
        heat.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(choices)
        layout.addLayout(heat)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.set_parade(None)

    # ------------------------------------------------------------------ state

    @property
    def level(self) -> str:
        return self.level_combo.currentData()

    @property
    def measure(self) -> str:
        return self.measure_combo.currentData()

    def set_level(self, level: str) -> None:
        """Rank ``level``'s places ("storey", "space", "type", "element")."""
        self.level_combo.setCurrentIndex(self.level_combo.findData(level))
        self._on_view_changed()

    def set_measure(self, measure: str) -> None:
        """Heat-colour and filter by ``measure`` ("open", "total", "recurring")."""
        self.measure_combo.setCurrentIndex(self.measure_combo.findData(measure))
        self._on_view_changed()

    def set_heat(self, on: bool, emit: bool = True) -> None:
        """Switch the heat-map button (``emit`` False: only show the state)."""
        self.heat_button.blockSignals(not emit)
        self.heat_button.setChecked(on)
        self.heat_button.blockSignals(False)

    @property
    def heat_on(self) -> bool:
        return self.heat_button.isChecked()

    def set_trades(self, names: dict[str, str], colours: dict[str, str]) -> None:
        """The project's trade names and colours, for the trade columns."""
        self.model.set_trades(names, colours)

    def set_parade(self, parade: HitParade | None, message: str | None = None) -> None:
        """Show a new ranking (None: no project), keeping the selected place."""
        kept = self.current_key()
        self.parade = parade or HitParade()
        self.heat_button.setEnabled(parade is not None)
        self._fill()
        if kept is not None:
            self.select_place(kept)
        self.show_summary(message)

    def show_summary(self, message: str | None = None) -> None:
        """The line under the table: ``message``, or what the ranking counts."""
        if message is not None:
            self.summary.setText(message)
            return
        parade = self.parade
        if not parade.issue_count:
            self.summary.setText(_("No issues to rank.") if self.heat_button.isEnabled()
                                 else _("Open a project to rank its places by issues."))
            return
        places = self.proxy.rowCount()
        self.summary.setText(
            ngettext("{n} issue", "{n} issues", parade.issue_count).format(n=parade.issue_count) + " · "
            + _("{open} open · {recurring} recurring").format(open=parade.open_count,
                                                            recurring=parade.recurring_count)
            + " · " + ngettext("{n} place with {measure}", "{n} places with {measure}", places).format(
                n=places, measure=measure_phrase(self.measure)))

    def _fill(self) -> None:
        self.model.show(self.parade, self.level, self.measure)
        self.proxy.invalidate()
        # The place takes what the numbers leave (a reset model forgets the sections' sizes).
        header = self.table.horizontalHeader()
        for i, name in enumerate(COLUMNS):
            if name == "place":
                header.setSectionResizeMode(i, QHeaderView.Stretch)
            else:
                header.setSectionResizeMode(i, QHeaderView.Interactive)
                # Wide enough for the translated header too ("Ouverts", "Récurr.").
                self.table.setColumnWidth(i, max(COLUMN_WIDTHS[name], header.sectionSizeHint(i)))

    def _on_view_changed(self) -> None:
        kept = self.current_key()
        self._fill()
        # The ranking (most open, then most issues) unless another measure is chosen: then
        # most of it first (the sort is stable, so ties keep their rank).
        if self.measure == "open":
            self.table.sortByColumn(0, Qt.AscendingOrder)
        else:
            self.table.sortByColumn(COLUMNS.index(self.measure), Qt.DescendingOrder)
        if kept is not None:
            self.select_place(kept)
        self.show_summary()
        self.view_changed.emit()

    # ------------------------------------------------------------------ rows

    def shown_keys(self) -> list[str]:
        """The place keys in the order the table shows them."""
        return [self.proxy.index(r, 0).data(KEY_ROLE) for r in range(self.proxy.rowCount())]

    def current_key(self) -> str | None:
        """The place of the selected row, if any."""
        index = self.table.currentIndex()
        return index.data(KEY_ROLE) if index.isValid() and self.table.selectionModel().hasSelection() else None

    def select_place(self, key: str | None) -> bool:
        """Select the row of a place without telling anyone; False if it is not shown."""
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 1)
            if index.data(KEY_ROLE) == key:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        self.table.clearSelection()
        return False

    def row_rect(self, key: str):
        """Where a place's row is drawn in the table's viewport (for clicks)."""
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 1)
            if index.data(KEY_ROLE) == key:
                return self.table.visualRect(index)
        return None

    def _on_clicked(self, index) -> None:
        if index.isValid():
            self.place_chosen.emit(self.level, index.data(KEY_ROLE))

