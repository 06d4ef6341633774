"""A model's units, so that every declared or parametric number becomes SI.

IFC files write quantities in their project units (mm in Tekla and Revit
exports, feet in American models); a quantity may even carry its own unit.
Sheets mix models, so everything is converted to m, m², m³ and kg on the way
in, and the unit the file used is kept to be shown next to the value.
"""

from __future__ import annotations

from dataclasses import dataclass

import ifcopenshell
import ifcopenshell.util.unit

# IFC unit type per takeoff dimension.
_UNIT_TYPES = {"length": "LENGTHUNIT", "area": "AREAUNIT", "volume": "VOLUMEUNIT", "mass": "MASSUNIT"}
# The SI unit's symbol per dimension, for the case a file declares no unit (IFC's default is SI).
_DEFAULT_SYMBOLS = {"length": "m", "area": "m²", "volume": "m³", "mass": "kg", "count": ""}
_SUPERSCRIPTS = str.maketrans({"2": "²", "3": "³"})
# Quantity entity -> dimension of the number it holds.
QUANTITY_DIMENSIONS = {
    "IfcQuantityLength": "length", "IfcQuantityArea": "area", "IfcQuantityVolume": "volume",
    "IfcQuantityWeight": "mass", "IfcQuantityCount": "count",
}


def _scale(ifc_file: ifcopenshell.file, unit_type: str) -> float:
    try:
        return float(ifcopenshell.util.unit.calculate_unit_scale(ifc_file, unit_type))
    except (ValueError, AttributeError, IndexError, TypeError):  # no or broken unit assignment: SI
        return 1.0


# Imperial units are IfcConversionBasedUnit, which ifcopenshell gives no symbol.
_CONVERSION_SYMBOLS = {"foot": "ft", "inch": "in", "yard": "yd", "mile": "mi", "square foot": "ft²",
                       "square inch": "in²", "square yard": "yd²", "acre": "ac", "cubic foot": "ft³",
                       "cubic inch": "in³", "cubic yard": "yd³", "gallon": "gal", "pound": "lb", "ton uk": "ton",
                       "ton us": "ton"}


def unit_symbol(unit) -> str:
    """A unit's symbol with superscripts (mm, m², ft…), or its name for odd units."""
    try:
        symbol = ifcopenshell.util.unit.get_unit_symbol(unit).translate(_SUPERSCRIPTS)
    except Exception:  # odd units (context dependent, user defined): show their name
        symbol = "?"
    if "?" in symbol:
        name = (getattr(unit, "Name", "") or "").strip()
        symbol = _CONVERSION_SYMBOLS.get(name.lower().replace("_", " "), name or "?")
    return symbol


def unit_scale_of(unit, dimension: str) -> float:
    """Factor from ``unit`` (an IfcNamedUnit/IfcDerivedUnit) to SI for ``dimension`` (kg for mass)."""
    scale = float(ifcopenshell.util.unit.get_unit_scale(unit))
    return scale / 1000.0 if dimension == "mass" else scale  # ifcopenshell scales masses to grams


@dataclass(frozen=True)
class ModelUnits:
    """SI factors and unit symbols of one model's project units."""

    length: float = 1.0
    area: float = 1.0
    volume: float = 1.0
    mass: float = 1.0
    density: float = 1.0  # to kg/m³
    symbols: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def of(ifc_file: ifcopenshell.file) -> "ModelUnits":
        """The units of ``ifc_file``."""
        symbols = dict(_DEFAULT_SYMBOLS)
        found = set()
        for dimension, unit_type in _UNIT_TYPES.items():
            try:
                unit = ifcopenshell.util.unit.get_project_unit(ifc_file, unit_type)
            except Exception:  # no project, no assignment
                unit = None
            if unit is not None:
                symbols[dimension] = unit_symbol(unit)
                found.add(dimension)
        # ifcopenshell scales masses to grams, and answers 1 when the file has no mass unit (then kg).
        mass = _scale(ifc_file, "MASSUNIT") / 1000.0 if "mass" in found else 1.0
        # Densities: a derived MASSDENSITYUNIT when the file has one (its mass scaled to grams
        # by ifcopenshell, hence / 1000), else IFC's default kg/m³.
        try:
            has_density_unit = ifcopenshell.util.unit.get_project_unit(ifc_file, "MASSDENSITYUNIT") is not None
        except Exception:  # no project or unit assignment
            has_density_unit = False
        density = _scale(ifc_file, "MASSDENSITYUNIT") / 1000.0 if has_density_unit else 1.0
        return ModelUnits(_scale(ifc_file, "LENGTHUNIT"), _scale(ifc_file, "AREAUNIT"),
                          _scale(ifc_file, "VOLUMEUNIT"), mass, density, tuple(sorted(symbols.items())))

    def factor(self, dimension: str) -> float:
        """Factor from the project unit of ``dimension`` to SI."""
        return {"length": self.length, "area": self.area, "volume": self.volume, "mass": self.mass}.get(
            dimension, 1.0)

    def symbol(self, dimension: str) -> str:
        """The project unit's symbol for ``dimension`` (``mm``, ``ft``, ``m²``…)."""
        return dict(self.symbols).get(dimension, _DEFAULT_SYMBOLS.get(dimension, ""))
