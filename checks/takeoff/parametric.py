"""Quantities read exactly from an element's IFC body: extruded profiles.

A body made of one ``IfcExtrudedAreaSolid`` (directly, or through an unscaled
mapped item) has an exact gross volume (profile area × depth × the extrusion's
slope), cross-section, length and lateral area, before any opening is cut.
Anything else (booleans, clippings, breps, several solids that may overlap)
is not exact, and the takeoff measures the tessellated geometry instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bim.i18n import _
from checks.takeoff.profiles import ProfileMeasure, profile_measure

_BODY_IDENTIFIERS = ("Body", "Facetation", "")


@dataclass(frozen=True)
class Extrusion:
    """One exact extrusion, in metres: ``direction`` is in the element's frame unless ``mapped``."""

    profile_area: float | None  # None when the profile has no exact area (fillets, arcs…)
    profile_perimeter: float | None
    diameter: float | None  # circular profiles
    depth: float  # along the extrusion direction
    direction: np.ndarray  # unit vector, element frame
    mapped: bool  # reached through an IfcMappedItem: the frame is the mapped representation's
    slope: float = 1.0  # |cos| between the extrusion direction and the profile's normal (1: a right prism)
    profile_problem: str = ""  # why the profile's area is not exact, when it is not

    @property
    def volume(self) -> float | None:
        return None if self.profile_area is None else self.profile_area * self.depth * self.slope


def _axis_matrix(placement) -> np.ndarray:
    """Rotation of an IfcAxis2Placement3D (columns: X, Y, Z)."""
    z = np.array(placement.Axis.DirectionRatios if getattr(placement, "Axis", None) else (0.0, 0.0, 1.0), float)
    x = np.array(placement.RefDirection.DirectionRatios if getattr(placement, "RefDirection", None)
                 else (1.0, 0.0, 0.0), float)
    z = z / np.linalg.norm(z)
    x = x - np.dot(x, z) * z
    if np.linalg.norm(x) < 1e-12:
        x = np.array([1.0, 0.0, 0.0]) if abs(z[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        x = x - np.dot(x, z) * z
    x = x / np.linalg.norm(x)
    return np.column_stack([x, np.cross(z, x), z])


def body_items(element) -> tuple[list, bool, str]:
    """(items, mapped, why not) of the element's body representation, mapped items resolved once."""
    representation = getattr(element, "Representation", None)
    if representation is None:
        return [], False, _("the element has no representation")
    body = None
    for rep in representation.Representations or ():
        if (rep.RepresentationIdentifier or "") in _BODY_IDENTIFIERS:
            body = rep
            break
    if body is None:
        return [], False, _("the element has no body representation")
    items, mapped = [], False
    for item in body.Items or ():
        if item.is_a("IfcMappedItem"):
            target = item.MappingTarget
            scales = [getattr(target, a, None) for a in ("Scale", "Scale2", "Scale3")]
            if any(s not in (None, 1.0) for s in scales):
                return [], True, _("the body is a scaled mapped item")
            items.extend(item.MappingSource.MappedRepresentation.Items or ())
            mapped = True
        else:
            items.append(item)
    return items, mapped, ""


def extrusion(element, length_scale: float) -> tuple[Extrusion | None, str]:
    """The element's single exact extrusion, or None and the reason there is none."""
    items, mapped, why = body_items(element)
    if why:
        return None, why
    if len(items) != 1:
        return None, _("the body has {n} solids (overlaps unknown)").format(n=len(items)) if items else \
            _("the body is empty")
    item = items[0]
    if item.is_a("IfcBooleanResult"):
        return None, _("the body is a boolean result ({entity}), not a plain extrusion").format(entity=item.is_a())
    if not item.is_a("IfcExtrudedAreaSolid") or item.is_a("IfcExtrudedAreaSolidTapered"):
        return None, _("the body is an {entity}, not an extrusion").format(entity=item.is_a())
    measure: ProfileMeasure | None = profile_measure(item.SweptArea)
    problem = "" if measure is not None else _("the profile {entity} has no exact area here").format(
        entity=item.SweptArea.is_a())
    measure = measure or ProfileMeasure(None, None)  # the depth and direction are exact all the same
    direction = np.array(item.ExtrudedDirection.DirectionRatios, float)
    direction = direction / np.linalg.norm(direction)
    rotation = _axis_matrix(item.Position) if item.Position is not None else np.eye(3)
    s = length_scale
    result = Extrusion(None if measure.area is None else measure.area * s * s,
                       None if measure.perimeter is None else measure.perimeter * s,
                       None if measure.diameter is None else measure.diameter * s, float(item.Depth) * s,
                       rotation @ direction, mapped, abs(float(direction[2])), problem)
    return result, ""


def has_openings(element) -> bool:
    """Whether openings are cut in the element (IfcRelVoidsElement)."""
    return bool(getattr(element, "HasOpenings", None))
