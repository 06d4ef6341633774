"""The quantities tree table's model: groups with subtotals and counts, then one row per element.

A :class:`QAbstractItemModel` over the core's :class:`checks.takeoff.Group` tree, so
ten thousand elements cost a few Python lists, not ten thousand widgets. Every
value cell says where its number comes from: the tooltip gives the source, the
exact origin, the definition and the other source's value; colours mark computed
values, flagged discrepancies and cells that could not be measured (whose text is
the reason). Sorting is done here, per parent, so groups stay groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QLocale, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bim.i18n import N_, _, ngettext
from checks.takeoff.grouping import Group, field_label, group_rows
from checks.takeoff.kinds import KIND_BY_KEY
from checks.takeoff.presentation import NOT_APPLICABLE_MARK, discrepancy_text, unit_of
from checks.takeoff.template import TakeoffTemplate
from checks.takeoff.values import DECLARED, ELEMENT, ElementTakeoff, NotComputable, Quantity

SORT_ROLE = Qt.UserRole + 1
KEYS_ROLE = Qt.UserRole + 2  # list of ElementKey under the index (a group: all its elements)
SOURCE_ROLE = Qt.UserRole + 3  # "declared", "parametric", "geometry", "element", "not computable" or ""
IS_GROUP_ROLE = Qt.UserRole + 4

NOT_COMPUTABLE = "not computable"

# Identity columns after the label and the count; the quantities follow them.
IDENTITY_COLUMNS = (("class", N_("Class")), ("type", N_("Type")), ("storey", N_("Storey")),
                    ("material", N_("Material")), ("model", N_("Model")), ("global_id", N_("GlobalId")))
LABEL_COLUMN, COUNT_COLUMN = 0, 1
FIRST_QUANTITY_COLUMN = 2 + len(IDENTITY_COLUMNS)

COMPUTED_COLOUR = QColor(25, 85, 175)  # computed values read blue, declared ones in the normal text colour
MISSING_COLOUR = QColor(156, 0, 6)  # not computable, as in the XLSX sheet
FLAG_BACKGROUND = QColor(255, 199, 206)  # a declared/computed disagreement, as in the XLSX sheet
MUTED_COLOUR = QColor(140, 140, 140)
WARNING_MARK = "⚠ "


def _identity(row: ElementTakeoff, key: str) -> str:
    return {"class": row.ifc_class, "type": row.type_name, "storey": row.storey, "material": row.material,
            "model": row.model_name, "global_id": row.global_id}[key]


@dataclass(eq=False)
class _Node:
    """One line of the tree: a group or an element. ``natural`` is its place before any sort."""

    parent: "_Node | None"
    group: Group | None = None
    row: ElementTakeoff | None = None
    children: list["_Node"] = field(default_factory=list)
    natural: int = 0
    position: int = 0  # index among its parent's children, kept current by sorting
    flags: dict = field(default_factory=dict)  # kind -> rows of a group whose sources disagree
    measured: dict = field(default_factory=dict)  # kind -> rows of a group that have a value
    _keys: list | None = None

    def keys(self) -> list:
        """The elements this line stands for."""
        if self._keys is None:
            self._keys = [self.row.key] if self.row is not None else [r.key for r in self.group.all_rows()]
        return self._keys


@dataclass
class TakeoffTable:
    """A grouped takeoff ready to show. Built by :func:`build_table` off the UI thread
    (grouping ten thousand rows takes longer than a frame), shown by the model."""

    template: TakeoffTemplate
    fields: tuple[str, ...]
    group: Group | None
    root: _Node
    sort: tuple = (-1, Qt.AscendingOrder)
    flagged: int = 0  # rows with a disagreement on a shown quantity
    not_computable: int = 0  # rows with a shown quantity that applies but could not be measured

    @property
    def quantities(self) -> tuple[str, ...]:
        return tuple(self.template.quantities)

    @property
    def element_count(self) -> int:
        return self.group.count if self.group is not None else 0

    def column_key(self, column: int) -> str:
        """``label``, ``count_elements``, an identity key or a quantity kind."""
        if column == LABEL_COLUMN:
            return "label"
        if column == COUNT_COLUMN:
            return "count_elements"
        if column < FIRST_QUANTITY_COLUMN:
            return IDENTITY_COLUMNS[column - 2][0]
        return self.quantities[column - FIRST_QUANTITY_COLUMN]

    def sort_value(self, node: _Node, column: int):
        """A value of one type per column: numbers for counts and quantities, lower-case text otherwise."""
        key = self.column_key(column)
        if column == LABEL_COLUMN:
            return (node.group.label if node.row is None else (node.row.name or node.row.global_id)).lower()
        if column == COUNT_COLUMN:
            return float(len(node.keys()))
        if column < FIRST_QUANTITY_COLUMN:
            return "" if node.row is None else _identity(node.row, key).lower()
        if node.row is None:
            return node.group.totals.get(key, 0.0) if node.measured.get(key) else float("-inf")
        value = node.row.value(key, self.template.prefer)
        return value.value if isinstance(value, Quantity) else float("-inf")

    def apply_sort(self, column: int, order, node: _Node | None = None) -> None:
        """Sort the lines of every parent by ``column`` (-1: the grouping's own order, storeys bottom up)."""
        self.sort = (column, order)
        node = node or self.root
        if column < 0 or column >= FIRST_QUANTITY_COLUMN + len(self.quantities):
            node.children.sort(key=lambda n: n.natural)
        else:
            node.children.sort(key=lambda n: (self.sort_value(n, column), n.natural),
                               reverse=order == Qt.DescendingOrder)
        for position, child in enumerate(node.children):
            child.position = position
            if child.children:
                self.apply_sort(column, order, child)


def _build(node: _Node, group: Group, template: TakeoffTemplate) -> None:
    if group.children:
        node.children = [_Node(node, group=child, natural=i) for i, child in enumerate(group.children)]
        for child in node.children:
            _build(child, child.group, template)
    else:
        node.children = [_Node(node, row=row, natural=i) for i, row in enumerate(group.rows)]
    for position, child in enumerate(node.children):
        child.position = position
    # A group shows where its rows disagree, so a discrepancy is found without opening every group,
    # and a subtotal over rows that have no value at all (a door's length) stays empty, not 0.
    for child in node.children:
        if child.row is not None:
            for d in child.row.discrepancies:
                node.flags[d.kind] = node.flags.get(d.kind, 0) + 1
            for kind in template.quantities:
                if isinstance(child.row.value(kind, template.prefer), Quantity):
                    node.measured[kind] = node.measured.get(kind, 0) + 1
        else:
            for counts, child_counts in ((node.flags, child.flags), (node.measured, child.measured)):
                for kind, n in child_counts.items():
                    counts[kind] = counts.get(kind, 0) + n


def build_table(rows, template: TakeoffTemplate, fields, order=None, sort=(-1, Qt.AscendingOrder)) -> TakeoffTable:
    """Group ``rows`` by ``fields`` with the template's subtotals, sorted as asked. Qt-free work:
    safe in a worker thread."""
    rows = list(rows)
    fields = tuple(fields)
    group = group_rows(rows, fields, template.quantities, template.prefer, order)
    root = _Node(None, group=group)
    _build(root, group, template)
    shown = set(template.quantities)
    flagged = sum(1 for r in rows if any(d.kind in shown for d in r.discrepancies))
    missing = 0
    for row in rows:
        values = (row.value(kind, template.prefer) for kind in template.quantities)
        missing += any(isinstance(v, NotComputable) and v.applies for v in values)
    table = TakeoffTable(template, fields, group, root, flagged=flagged, not_computable=missing)
    table.apply_sort(*sort)
    return table


def empty_table(template: TakeoffTemplate | None = None) -> TakeoffTable:
    """A table with no line."""
    return TakeoffTable(template or TakeoffTemplate(), (), None, _Node(None))


class TakeoffTreeModel(QAbstractItemModel):
    """Groups, subtotals and element rows of a takeoff, in the units of a template."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = empty_table()
        self._locale = QLocale()
        self._sort = (-1, Qt.AscendingOrder)
        bold = QFont()
        bold.setBold(True)
        italic = QFont()
        italic.setItalic(True)
        self._bold, self._italic = bold, italic

    # ------------------------------------------------------------------ content

    def show_table(self, table: TakeoffTable) -> None:
        """Show a table from :func:`build_table`, in the order the user sorted by."""
        self.beginResetModel()
        if table.sort != self._sort:
            table.apply_sort(*self._sort)
        self.table = table
        self.endResetModel()

    def show_rows(self, rows, template: TakeoffTemplate, fields, order=None) -> None:
        """Group ``rows`` by ``fields`` and show them now (small tables; large ones: :func:`build_table`
        in a worker, then :meth:`show_table`)."""
        self.show_table(build_table(rows, template, fields, order, self._sort))

    def clear(self) -> None:
        """Show nothing (no takeoff run yet)."""
        self.show_table(empty_table(self.template))

    @property
    def template(self) -> TakeoffTemplate:
        return self.table.template

    @property
    def quantities(self) -> tuple[str, ...]:
        return self.table.quantities

    @property
    def fields(self) -> tuple[str, ...]:
        return self.table.fields

    @property
    def group(self) -> Group | None:
        return self.table.group

    @property
    def root(self) -> _Node:
        return self.table.root

    @property
    def sort_order(self) -> tuple:
        """(column, Qt.SortOrder) the user asked for; -1: the grouping's own order."""
        return self._sort

    @property
    def element_count(self) -> int:
        """Elements shown, at every depth."""
        return self.table.element_count

    def quantity_column(self, kind: str) -> int:
        """The column of quantity ``kind`` (-1 when not shown)."""
        return FIRST_QUANTITY_COLUMN + self.quantities.index(kind) if kind in self.quantities else -1

    def column_key(self, column: int) -> str:
        """``label``, ``count_elements``, an identity key or a quantity kind."""
        return self.table.column_key(column)

    # ------------------------------------------------------------------ structure

    def _node(self, index: QModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self.root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if 0 <= row < len(node.children) and 0 <= column < self.columnCount():
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = index.internalPointer().parent
        if parent is None or parent is self.root:
            return QModelIndex()
        return self.createIndex(parent.position, 0, parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, _parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return FIRST_QUANTITY_COLUMN + len(self.quantities)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation != Qt.Horizontal or not 0 <= section < self.columnCount():
            return None
        key = self.column_key(section)
        if role == Qt.DisplayRole:
            if key == "label":
                levels = " › ".join(field_label(f) for f in self.fields)
                return levels + " › " + _("Element") if levels else _("Element")
            if key == "count_elements":
                return _("Elements")
            if section < FIRST_QUANTITY_COLUMN:
                return _(dict(IDENTITY_COLUMNS)[key])
            return f"{KIND_BY_KEY[key].title} ({unit_of(self.template, key)})"
        if role == Qt.ToolTipRole and section >= FIRST_QUANTITY_COLUMN:
            kind = KIND_BY_KEY[key]
            return _("Summed in the group subtotals") if kind.additive else \
                _("Not summed: a subtotal of this quantity would mean nothing")
        return None

    # ------------------------------------------------------------------ cells

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        column = index.column()
        if role == KEYS_ROLE:
            return node.keys()
        if role == IS_GROUP_ROLE:
            return node.row is None
        if role == SORT_ROLE:
            return self.table.sort_value(node, column)
        if node.row is None:
            return self._group_data(node, column, role)
        return self._element_data(node.row, column, role)

    def _number(self, kind: str, si_value: float) -> str:
        dimension = KIND_BY_KEY[kind].dimension
        places = self.template.decimals_for(dimension)
        return self._locale.toString(float(self.template.display(dimension, si_value)), "f", places)

    def _group_data(self, node: _Node, column: int, role: int):
        group = node.group
        key = self.column_key(column)
        if column == LABEL_COLUMN:
            if role == Qt.DisplayRole:
                return group.label
            if role == Qt.FontRole:
                return self._bold
            if role == Qt.ToolTipRole:
                return f"{field_label(group.field)}: {group.label}"
            return None
        if column == COUNT_COLUMN:
            if role == Qt.DisplayRole:
                return self._locale.toString(group.count)
            if role == Qt.FontRole:
                return self._bold
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignRight | Qt.AlignVCenter)
            return None
        if column < FIRST_QUANTITY_COLUMN or not KIND_BY_KEY[key].additive:
            return None
        total, missing, flagged = group.totals.get(key, 0.0), group.missing.get(key, 0), node.flags.get(key, 0)
        measured = node.measured.get(key, 0)
        if role == Qt.DisplayRole:
            if not measured:
                return WARNING_MARK.strip() if missing else NOT_APPLICABLE_MARK
            return (WARNING_MARK if missing else "") + self._number(key, total)
        if role == Qt.FontRole:
            return self._bold
        if role == Qt.ForegroundRole and (missing or not measured):
            return QBrush(MISSING_COLOUR if missing else MUTED_COLOUR)
        if role == Qt.BackgroundRole and flagged:
            return QBrush(FLAG_BACKGROUND)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            lines = [ngettext("Subtotal of {n} element", "Subtotal of {n} elements", group.count).format(
                n=group.count)]
            if missing:
                lines.append(ngettext("{n} element could not be measured and is not included",
                                      "{n} elements could not be measured and are not included",
                                      missing).format(n=missing))
            if flagged:
                lines.append(ngettext("{n} element has declared and computed values that disagree",
                                      "{n} elements have declared and computed values that disagree",
                                      flagged).format(n=flagged))
            return "\n".join(lines)
        return None

    def _element_data(self, row: ElementTakeoff, column: int, role: int):
        key = self.column_key(column)
        if column == LABEL_COLUMN:
            if role == Qt.DisplayRole:
                return row.name or row.global_id
            if role == Qt.ToolTipRole:
                return f"{row.ifc_class} · {row.global_id}\n{row.model_name}"
            return None
        if column == COUNT_COLUMN:
            return None
        if column < FIRST_QUANTITY_COLUMN:
            return _identity(row, key) if role == Qt.DisplayRole else None
        value = row.value(key, self.template.prefer)
        flag = row.flagged(key)
        if role == SOURCE_ROLE:
            if isinstance(value, Quantity):
                return value.source
            return NOT_COMPUTABLE if isinstance(value, NotComputable) and value.applies else ""
        if role == Qt.DisplayRole:
            if isinstance(value, Quantity):
                return self._number(key, value.value)
            if isinstance(value, NotComputable) and value.applies:
                return WARNING_MARK + value.reason
            return NOT_APPLICABLE_MARK
        if role == Qt.TextAlignmentRole:  # numbers and dashes line up right; reasons read from the left
            applies = isinstance(value, NotComputable) and value.applies
            return int((Qt.AlignLeft if applies else Qt.AlignRight) | Qt.AlignVCenter)
        if role == Qt.ForegroundRole:
            if isinstance(value, Quantity):
                return QBrush(COMPUTED_COLOUR) if value.source not in (DECLARED, ELEMENT) else None
            return QBrush(MISSING_COLOUR) if isinstance(value, NotComputable) and value.applies else \
                QBrush(MUTED_COLOUR)
        if role == Qt.FontRole and isinstance(value, NotComputable) and value.applies:
            return self._italic
        if role == Qt.BackgroundRole and flag is not None:
            return QBrush(FLAG_BACKGROUND)
        if role == Qt.ToolTipRole:
            return self._value_tooltip(row, key, value, flag)
        return None

    def _describe(self, kind: str, q: Quantity) -> str:
        unit = unit_of(self.template, kind)
        text = _("{value} {unit}, {source}: {origin}").format(
            value=self._number(kind, q.value), unit=unit, source=q.source_label, origin=q.origin)
        if q.declared_unit and q.declared_unit != unit:
            text += " " + _("(declared in {unit})").format(unit=q.declared_unit)
        return text

    def _value_tooltip(self, row: ElementTakeoff, kind: str, value, flag) -> str:
        title = KIND_BY_KEY[kind].title
        if value is None or (isinstance(value, NotComputable) and not value.applies):
            reason = value.reason if value is not None else _("does not apply to this class")
            return _("{quantity}: not applicable ({reason})").format(quantity=title, reason=reason)
        if isinstance(value, NotComputable):
            return _("{quantity}: not computable: {reason}").format(quantity=title, reason=value.reason)
        lines = [f"{title}: {self._describe(kind, value)}", _("Definition: {text}").format(text=value.definition)]
        others = [q for q in (row.declared.get(kind), row.computed.get(kind), row.alternatives.get(kind))
                  if isinstance(q, Quantity) and q is not value]
        for other in others:
            lines.append(_("Other value: {value}").format(value=self._describe(kind, other)))
        if flag is not None:
            lines.append(WARNING_MARK + discrepancy_text(self.template, flag))
        return "\n".join(lines)

    # ------------------------------------------------------------------ sorting

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sort the lines of every parent by ``column`` (-1: the grouping's own order, storeys bottom up)."""
        self.layoutAboutToBeChanged.emit()
        before = [(index, index.internalPointer(), index.column()) for index in self.persistentIndexList()]
        self._sort = (column, order)
        self.table.apply_sort(column, order)
        self.changePersistentIndexList(
            [i for i, _n, _c in before],
            [self.createIndex(node.position, c, node) for _i, node, c in before])
        self.layoutChanged.emit()
