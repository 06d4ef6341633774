"""Filter takeoff rows and group them into nested groups with subtotals and counts.

Grouping works on finished rows, so the GUI can regroup, filter by a 3D
selection or search without measuring anything again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

from bim.i18n import N_, _
from checks.takeoff.kinds import KIND_BY_KEY
from checks.takeoff.template import PROPERTY_PREFIX
from checks.takeoff.values import DECLARED, ElementKey, ElementTakeoff, NotComputable, Quantity

FIELD_LABELS = {"model": N_("Model"), "trade": N_("Trade"), "storey": N_("Storey"), "class": N_("Class"),
                "type": N_("Type"), "material": N_("Material"), "classification": N_("Classification")}


def field_label(name: str) -> str:
    """A grouping field as users read it (``property:Pset.Prop`` → ``Pset.Prop``)."""
    if name.startswith(PROPERTY_PREFIX):
        return name[len(PROPERTY_PREFIX):]
    return _(FIELD_LABELS.get(name, name))


def field_value(row: ElementTakeoff, name: str) -> str:
    """The value of grouping field ``name`` for ``row`` ("" when it has none)."""
    if name.startswith(PROPERTY_PREFIX):
        return row.properties.get(name[len(PROPERTY_PREFIX):], "")
    return {
        "model": row.model_name, "trade": row.trade, "storey": row.storey, "class": row.ifc_class,
        "type": row.type_name, "material": row.material, "classification": row.classification,
    }[name]


def filter_rows(rows: Iterable[ElementTakeoff], *, keys: Optional[set[ElementKey]] = None,
                search: str = "", classes: Sequence[str] = ()) -> list[ElementTakeoff]:
    """Rows among ``keys`` (a selection, the visible set, a check's result set), matching every word
    of ``search`` in their identity (GlobalId, name, type, class, storey, material, classification,
    model), and of one of ``classes`` (exact class names; empty: any)."""
    words = search.lower().split()
    result = []
    for row in rows:
        if keys is not None and row.key not in keys:
            continue
        if classes and row.ifc_class not in classes:
            continue
        if words:
            text = " ".join((row.global_id, row.name, row.type_name, row.ifc_class, row.storey, row.material,
                             row.classification, row.model_name)).lower()
            if not all(w in text for w in words):
                continue
        result.append(row)
    return result


@dataclass(frozen=True)
class Group:
    """A group of rows: ``path`` of (field, value) from the top, sub-groups or rows, and subtotals.

    ``totals`` sums each additive quantity over the rows that have a value
    (in SI); ``missing`` counts, per quantity, the rows that could not give one
    although it applies to them, so a subtotal never hides its gaps.
    """

    path: tuple[tuple[str, str], ...]
    children: tuple["Group", ...]
    rows: tuple[ElementTakeoff, ...]
    totals: Mapping[str, float] = field(default_factory=dict)
    missing: Mapping[str, int] = field(default_factory=dict)

    @property
    def field(self) -> str:
        return self.path[-1][0] if self.path else ""

    @property
    def value(self) -> str:
        return self.path[-1][1] if self.path else ""

    @property
    def label(self) -> str:
        return self.value or _("(none)")

    @property
    def count(self) -> int:
        """Elements in the group, at every depth."""
        return len(self.all_rows())

    def all_rows(self) -> list[ElementTakeoff]:
        if not self.children:
            return list(self.rows)
        return [r for child in self.children for r in child.all_rows()]

    def walk(self):
        """This group and every group below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _totals(rows: Sequence[ElementTakeoff], quantities: Sequence[str], prefer: str) -> tuple[dict, dict]:
    totals, missing = {}, {}
    for key in quantities:
        if not KIND_BY_KEY[key].additive:
            continue
        total, gaps = 0.0, 0
        for row in rows:
            value = row.value(key, prefer)
            if isinstance(value, Quantity):
                total += value.value
            elif isinstance(value, NotComputable) and value.applies:
                gaps += 1
        totals[key] = total
        if gaps:
            missing[key] = gaps
    return totals, missing


def group_rows(rows: Iterable[ElementTakeoff], fields: Sequence[str], quantities: Sequence[str],
               prefer: str = DECLARED, order: Mapping[str, Mapping[str, float]] | None = None,
               path: tuple = ()) -> Group:
    """Nest ``rows`` by ``fields`` with subtotals of ``quantities``.

    Values are sorted by ``order[field][value]`` where given (storeys by
    elevation: :attr:`TakeoffResult.value_order`), then alphabetically; empty last.
    """
    order = order or {}
    rows = list(rows)
    totals, missing = _totals(rows, quantities, prefer)
    if not fields:
        ordered = tuple(sorted(rows, key=lambda r: (r.ifc_class, r.name, r.global_id)))
        return Group(path, (), ordered, totals, missing)
    name, rest = fields[0], fields[1:]
    buckets: dict[str, list[ElementTakeoff]] = {}
    for row in rows:
        buckets.setdefault(field_value(row, name), []).append(row)
    rank = order.get(name, {})
    children = tuple(group_rows(buckets[value], rest, quantities, prefer, order, path + ((name, value),))
                     for value in sorted(buckets, key=lambda v: (v == "", v not in rank, rank.get(v, 0.0),
                                                                 v.lower())))
    return Group(path, children, (), totals, missing)
