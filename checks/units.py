"""Model units to the SI units IDS values are written in (metre, square metre, radian, kilogram…)."""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.util.unit


def si_scale(ifc_file: ifcopenshell.file, unit_type: str) -> float:
    """Factor from the model's project unit of ``unit_type`` (LENGTHUNIT…) to SI; kilograms for mass."""
    try:
        scale = ifcopenshell.util.unit.calculate_unit_scale(ifc_file, unit_type)
    except (ValueError, AttributeError, IndexError):  # no project or no unit assignment: values are SI
        scale = 1.0
    if unit_type == "MASSUNIT":
        scale /= 1000.0  # ifcopenshell scales to grams; IDS masses are in kilograms
    return scale
