"""Declared quantities: what the model's quantity sets say, converted to SI.

Standard sets come first (``Qto_*BaseQuantities`` in IFC4, the ``BaseQuantities``
set IFC2X3 exporters write with the same names), then any other quantity set,
then the element type's sets; each value keeps the set and quantity it was read
from and the unit the file wrote it in. Door and window sizes also come from
their ``OverallWidth``/``OverallHeight`` attributes when no set declares them.
"""

from __future__ import annotations

import ifcopenshell

from bim.i18n import _
from checks.takeoff.families import FILL, declared_names
from checks.takeoff.kinds import KIND_KEYS, kind as kind_of
from checks.takeoff.units import QUANTITY_DIMENSIONS, ModelUnits, unit_scale_of, unit_symbol
from checks.takeoff.values import DECLARED, Quantity


def _set_rank(name: str, from_type: bool) -> tuple[int, int]:
    # Standard sets before vendor ones (ArchiCADQuantities…), occurrence before type.
    standard = 0 if name.startswith("Qto_") else 1 if name.endswith("BaseQuantities") else 2
    return (int(from_type), standard)


def quantity_sets(element: ifcopenshell.entity_instance) -> list[tuple[ifcopenshell.entity_instance, bool]]:
    """The element's IfcElementQuantity sets, and its type's, best first: (set, from_type)."""
    found = []
    for rel in getattr(element, "IsDefinedBy", None) or ():
        if rel.is_a("IfcRelDefinesByProperties"):
            definition = rel.RelatingPropertyDefinition
            if definition is not None and definition.is_a("IfcElementQuantity"):
                found.append((definition, False))
    element_type = None
    for rel in getattr(element, "IsTypedBy", None) or getattr(element, "IsDefinedBy", None) or ():
        if rel.is_a("IfcRelDefinesByType"):
            element_type = rel.RelatingType
    for definition in (getattr(element_type, "HasPropertySets", None) or ()) if element_type is not None else ():
        if definition.is_a("IfcElementQuantity"):
            found.append((definition, True))
    found.sort(key=lambda pair: _set_rank(pair[0].Name or "", pair[1]))
    return found


def _number(quantity) -> float | None:
    # The value is the quantity's 4th attribute in every quantity class (LengthValue, AreaValue…).
    try:
        value = quantity[3]
    except (IndexError, TypeError):
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _read(quantity, expected_dimension: str, units: ModelUnits) -> tuple[float, str, str] | None:
    """(SI value, unit written, note) of one IfcPhysicalSimpleQuantity, None if it holds no number."""
    raw = _number(quantity)
    if raw is None:
        return None
    written_dimension = QUANTITY_DIMENSIONS.get(quantity.is_a(), expected_dimension)
    note = ""
    if written_dimension != expected_dimension:
        # e.g. a perimeter written as IfcQuantityArea (a Revit 2012 export): the number is a length.
        note = _("written as {entity}, read as a {dimension}").format(entity=quantity.is_a(),
                                                                       dimension=expected_dimension)
    own_unit = getattr(quantity, "Unit", None)
    if own_unit is not None:
        return raw * unit_scale_of(own_unit, expected_dimension), unit_symbol(own_unit), note
    if expected_dimension == "count":
        return raw, "", note
    return raw * units.factor(expected_dimension), units.symbol(expected_dimension), note


def declared_quantities(element: ifcopenshell.entity_instance, family: str,
                        units: ModelUnits) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """(by kind, others): the declared value of each kind, and quantities of no known kind by ``Set.Name``."""
    by_name: dict[str, tuple] = {}  # quantity name -> (quantity, set name, from_type), first set wins
    others: dict[str, Quantity] = {}
    for qset, from_type in quantity_sets(element):
        for quantity in qset.Quantities or ():
            name = quantity.Name or ""
            by_name.setdefault(name, (quantity, qset.Name or "", from_type))
    used: set[str] = set()
    result: dict[str, Quantity] = {}
    for key in KIND_KEYS:
        if key == "count":
            continue
        dimension = kind_of(key).dimension
        for name in declared_names(family, key):
            if name not in by_name:
                continue
            quantity, set_name, from_type = by_name[name]
            read = _read(quantity, dimension, units)
            if read is None:
                continue
            value, unit, note = read
            origin = f"{set_name}.{name}" + (_(" (from the type)") if from_type else "")
            definition = _("as declared in the model") + (f"; {note}" if note else "")
            result[key] = Quantity(key, value, DECLARED, origin, definition, unit)
            used.add(name)
            break
    if family == FILL:
        for key, attribute in (("width", "OverallWidth"), ("height", "OverallHeight")):
            raw = getattr(element, attribute, None)
            if key not in result and isinstance(raw, (int, float)):
                result[key] = Quantity(key, float(raw) * units.length, DECLARED, f"{element.is_a()}.{attribute}",
                                       _("as declared in the model"), units.symbol("length"))
    for name, (quantity, set_name, from_type) in by_name.items():
        if name in used:
            continue
        dimension = QUANTITY_DIMENSIONS.get(quantity.is_a())
        if dimension is None:
            continue
        read = _read(quantity, dimension, units)
        if read is not None:
            others[f"{set_name}.{name}"] = Quantity("", read[0], DECLARED, f"{set_name}.{name}",
                                                    _("as declared in the model"), read[1])
    return result, others
