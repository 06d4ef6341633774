"""The quantities a takeoff can report, their physical dimension and SI unit.

One catalogue for the core, the sheets and the GUI: every column, subtotal and
unit label comes from here, so a quantity is named and measured the same way
everywhere. Values are always held in SI (m, m², m³, kg); templates only choose
the unit they are *shown* in.
"""

from __future__ import annotations

from dataclasses import dataclass

from bim.i18n import N_, _


@dataclass(frozen=True)
class QuantityKind:
    """One quantity: ``key`` is stable (JSON, templates), ``label`` is shown translated."""

    key: str
    label: str
    dimension: str  # count, length, area, volume or mass
    additive: bool = True  # summed in subtotals (a height or a thickness is not)

    @property
    def title(self) -> str:
        """The label in the user's language."""
        return _(self.label)


KINDS: tuple[QuantityKind, ...] = (
    QuantityKind("count", N_("Count"), "count"),
    QuantityKind("length", N_("Length"), "length"),
    QuantityKind("width", N_("Width"), "length", additive=False),
    QuantityKind("height", N_("Height"), "length", additive=False),
    QuantityKind("thickness", N_("Thickness"), "length", additive=False),
    QuantityKind("perimeter", N_("Perimeter"), "length"),
    QuantityKind("cross_section_area", N_("Cross-section area"), "area", additive=False),
    QuantityKind("outer_surface_area", N_("Outer surface area"), "area"),
    QuantityKind("gross_side_area", N_("Gross side area"), "area"),
    QuantityKind("net_side_area", N_("Net side area"), "area"),
    QuantityKind("gross_footprint_area", N_("Gross footprint area"), "area"),
    QuantityKind("net_footprint_area", N_("Net footprint area"), "area"),
    QuantityKind("gross_volume", N_("Gross volume"), "volume"),
    QuantityKind("net_volume", N_("Net volume"), "volume"),
    QuantityKind("gross_weight", N_("Gross weight"), "mass"),
    QuantityKind("net_weight", N_("Net weight"), "mass"),
)
KIND_BY_KEY = {k.key: k for k in KINDS}
KIND_KEYS = tuple(k.key for k in KINDS)

SI_UNITS = {"count": "u", "length": "m", "area": "m²", "volume": "m³", "mass": "kg"}

# Units a template may show a dimension in: symbol -> factor from the SI value.
DISPLAY_UNITS: dict[str, dict[str, float]] = {
    "count": {"u": 1.0},
    "length": {"m": 1.0, "cm": 100.0, "mm": 1000.0},
    "area": {"m²": 1.0, "cm²": 1.0e4, "mm²": 1.0e6},
    "volume": {"m³": 1.0, "dm³": 1.0e3, "L": 1.0e3, "cm³": 1.0e6},
    "mass": {"kg": 1.0, "t": 1.0e-3},
}
# ASCII spellings accepted in templates and on the command line.
UNIT_ALIASES = {"m2": "m²", "cm2": "cm²", "mm2": "mm²", "m3": "m³", "dm3": "dm³", "cm3": "cm³", "l": "L"}


def kind(key: str) -> QuantityKind:
    """The kind ``key`` (KeyError names the unknown key)."""
    return KIND_BY_KEY[key]


def normalise_unit(symbol: str) -> str:
    """``m2`` → ``m²``: the canonical spelling of a display unit."""
    return UNIT_ALIASES.get(symbol, symbol)
