"""Which quantities apply to which IFC classes, and how their declared names read.

Elements are measured by family: a wall's length runs along its axis and its
width is a thickness, a beam's length is its extrusion, a slab's area is seen
from above. The family decides which quantities a row shows; a quantity
outside the family is "does not apply", never a silent blank.
"""

from __future__ import annotations

WALL, SLAB, LINEAR, FILL, SPACE, GENERIC, ASSEMBLY = "wall", "slab", "linear", "fill", "space", "generic", "assembly"

# Checked in order: the first family one of whose classes the element is_a() wins.
_FAMILY_CLASSES = (
    (WALL, ("IfcWall",)),
    (SLAB, ("IfcSlab", "IfcCovering", "IfcRoof")),
    (LINEAR, ("IfcBeam", "IfcColumn", "IfcMember", "IfcPile", "IfcFlowSegment", "IfcReinforcingBar",
              "IfcTendon")),
    (FILL, ("IfcDoor", "IfcWindow")),
    (SPACE, ("IfcSpace",)),
)
# IFC4 segment classes are not IfcFlowSegment subclasses in every schema; list them by name too.
_LINEAR_NAMES = {"IfcPipeSegment", "IfcDuctSegment", "IfcCableCarrierSegment", "IfcCableSegment"}

FAMILY_KINDS: dict[str, tuple[str, ...]] = {
    WALL: ("count", "length", "height", "thickness", "gross_side_area", "net_side_area", "gross_footprint_area",
           "net_footprint_area", "gross_volume", "net_volume", "gross_weight", "net_weight"),
    SLAB: ("count", "length", "thickness", "perimeter", "gross_footprint_area", "net_footprint_area",
           "gross_volume", "net_volume", "gross_weight", "net_weight"),
    LINEAR: ("count", "length", "width", "height", "cross_section_area", "outer_surface_area", "gross_volume",
             "net_volume", "gross_weight", "net_weight"),
    FILL: ("count", "width", "height", "perimeter", "gross_side_area"),
    SPACE: ("count", "height", "perimeter", "gross_footprint_area", "net_footprint_area", "gross_volume",
            "net_volume"),
    GENERIC: ("count", "height", "gross_footprint_area", "net_footprint_area", "gross_volume", "net_volume",
              "gross_weight", "net_weight"),
    ASSEMBLY: ("count",),
}

# Declared quantity names per kind, most specific first. IFC2X3 exporters write the
# IFC4 names in a "BaseQuantities" set; IFC4X3 renamed FootprintArea to FootPrintArea.
_COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "length": ("Length", "NominalLength"),
    "width": ("Width", "NominalWidth"),
    "height": ("Height", "NominalHeight"),
    "thickness": ("Thickness",),
    "perimeter": ("Perimeter", "GrossPerimeter"),
    "cross_section_area": ("CrossSectionArea", "GrossCrossSectionArea"),
    "outer_surface_area": ("OuterSurfaceArea",),
    "gross_side_area": ("GrossSideArea",),
    "net_side_area": ("NetSideArea",),
    "gross_footprint_area": ("GrossFootprintArea", "GrossFootPrintArea"),
    "net_footprint_area": ("NetFootprintArea", "NetFootPrintArea"),
    "gross_volume": ("GrossVolume",),
    "net_volume": ("NetVolume",),
    "gross_weight": ("GrossWeight",),
    "net_weight": ("NetWeight",),
}
_FAMILY_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    # A wall's and a slab's "Width" is their thickness (Qto_WallBaseQuantities, Qto_SlabBaseQuantities).
    WALL: {"thickness": ("Width", "NominalWidth", "Thickness"), "width": ()},
    SLAB: {"thickness": ("Width", "Depth", "NominalWidth", "Thickness"), "width": (),
           "gross_footprint_area": ("GrossArea", "GrossFootprintArea", "GrossFootPrintArea"),
           "net_footprint_area": ("NetArea", "NetFootprintArea", "NetFootPrintArea")},
    LINEAR: {"height": ("Height", "Depth", "NominalHeight")},
    FILL: {"gross_side_area": ("Area",)},
    SPACE: {"gross_footprint_area": ("GrossFloorArea",), "net_footprint_area": ("NetFloorArea",)},
}


def family_of(ifc_class_check, ifc_class: str, has_own_geometry: bool, has_parts: bool) -> str:
    """The family of an element: ``ifc_class_check(name)`` is its ``is_a``.

    An element without geometry of its own whose parts carry it (an assembly,
    a curtain wall, a stair made of flights) is measured through its parts.
    """
    if not has_own_geometry and has_parts:
        return ASSEMBLY
    if ifc_class in _LINEAR_NAMES:
        return LINEAR
    for family, classes in _FAMILY_CLASSES:
        if any(ifc_class_check(c) for c in classes):
            return family
    return GENERIC


def declared_names(family: str, kind: str) -> tuple[str, ...]:
    """The quantity names that declare ``kind`` for an element of ``family``."""
    specific = _FAMILY_NAMES.get(family, {})
    if kind in specific:
        return specific[kind]
    return _COMMON_NAMES.get(kind, ())


def applies(family: str, kind: str) -> bool:
    """Whether ``kind`` is measured on elements of ``family``."""
    return kind in FAMILY_KINDS[family]
