"""What a takeoff produces: values that carry their source, unit and definition.

A quantity sheet is only trusted if every number can be traced: each
:class:`Quantity` says where it comes from (a declared quantity set, the IFC
parametric definition, or the tessellated geometry), what exactly it measures,
and the unit it was declared in. Something that cannot be measured is a
:class:`NotComputable` with its reason, never a blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union

from bim.i18n import N_, _

# Where a value comes from.
DECLARED = "declared"  # the model's quantity sets (or an attribute such as IfcDoor.OverallWidth)
PARAMETRIC = "parametric"  # exact arithmetic on the IFC definition (extrusion profile × depth…)
GEOMETRY = "geometry"  # measured on the cached tessellation
ELEMENT = "element"  # the element itself (count)

SOURCE_LABELS = {DECLARED: N_("declared"), PARAMETRIC: N_("parametric"), GEOMETRY: N_("geometry"),
                 ELEMENT: N_("element")}
# One letter per source for narrow sheet columns (explained on the cover sheet).
SOURCE_LETTERS = {DECLARED: "D", PARAMETRIC: "P", GEOMETRY: "G", ELEMENT: "E"}

ElementKey = tuple[str, str]  # (model id, GlobalId), as in bim.federation


@dataclass(frozen=True)
class Quantity:
    """A value in SI units (m, m², m³, kg) with its provenance.

    ``origin`` names the exact place (``Qto_WallBaseQuantities.NetVolume``,
    ``IfcExtrudedAreaSolid``, ``mesh``); ``definition`` says in words what is
    measured (conventions differ between authoring tools, so users must read
    it); ``declared_unit`` is the unit the file wrote it in, when declared.
    """

    kind: str
    value: float
    source: str
    origin: str
    definition: str
    declared_unit: str = ""

    @property
    def source_label(self) -> str:
        return _(SOURCE_LABELS.get(self.source, self.source))


@dataclass(frozen=True)
class NotComputable:
    """A quantity with no value, and why.

    ``applies`` is False when the quantity does not apply to the element at all
    (a door has no net volume here, an assembly is measured through its parts):
    such cells are shown as a dash and not counted as failures.
    """

    kind: str
    reason: str
    applies: bool = True


Value = Union[Quantity, NotComputable]


@dataclass(frozen=True)
class Discrepancy:
    """A quantity whose declared and computed values differ by more than the tolerance."""

    kind: str
    declared: Quantity
    computed: Quantity

    @property
    def difference(self) -> float:
        """Computed minus declared, SI."""
        return self.computed.value - self.declared.value

    @property
    def relative(self) -> float:
        """|computed − declared| / |declared| (infinite when declared is zero)."""
        base = abs(self.declared.value)
        return abs(self.difference) / base if base > 0 else float("inf")


@dataclass(frozen=True)
class LayerQuantity:
    """One material layer of a layered wall or slab (see :mod:`checks.takeoff.layers`)."""

    position: int  # 1 = first layer of the set
    material: str
    thickness: float  # m
    area: float | None  # m², the element's side (walls) or footprint (slabs) area
    volume: float | None  # m³ = thickness × area
    weight: float | None  # kg, when the layer's material has a density
    definition: str
    reason: str = ""  # why area/volume are missing, if they are


@dataclass(frozen=True)
class ElementTakeoff:
    """Every quantity of one element, with what grouping and filtering need to know about it.

    ``declared`` and ``computed`` map kind keys to values; ``alternatives``
    keeps a second computed value when two methods were available (the
    parametric one is shown, the geometric one is kept for audit). Read-only:
    build a new record rather than editing one.
    """

    model_id: str
    model_name: str
    trade: str
    global_id: str
    ifc_class: str
    name: str
    storey: str
    type_name: str
    material: str
    classification: str
    family: str
    declared: Mapping[str, Quantity] = field(default_factory=dict)
    computed: Mapping[str, Value] = field(default_factory=dict)
    alternatives: Mapping[str, Quantity] = field(default_factory=dict)
    layers: tuple[LayerQuantity, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    other_declared: Mapping[str, Quantity] = field(default_factory=dict)  # quantities of no known kind
    properties: Mapping[str, str] = field(default_factory=dict)  # "Pset.Prop" -> text, for grouping

    @property
    def key(self) -> ElementKey:
        return (self.model_id, self.global_id)

    def value(self, kind: str, prefer: str = DECLARED) -> Value | None:
        """The value shown for ``kind``: the preferred source's, else the other's, else why there is none.

        ``prefer`` is ``declared`` or ``computed``. None when the kind is neither
        declared nor applicable to this element's class.
        """
        declared = self.declared.get(kind)
        computed = self.computed.get(kind)
        computed_value = computed if isinstance(computed, Quantity) else None
        first, second = (declared, computed_value) if prefer == DECLARED else (computed_value, declared)
        if first is not None:
            return first
        if second is not None:
            return second
        return computed  # a NotComputable, or None

    def flagged(self, kind: str) -> Discrepancy | None:
        """The discrepancy on ``kind``, if the sources disagree."""
        return next((d for d in self.discrepancies if d.kind == kind), None)
