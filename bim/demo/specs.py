"""What the demo building is made of, as plain data: every element, its box, its exact quantities.

Nothing here touches ifcopenshell beyond GlobalId encoding: the writer turns these
specs into IFC, and tests anywhere in the project read the same specs to know what
they should find (dimensions, quantities, clashes, rule violations). Every
quantity is computed from the boxes below, never typed in twice.

Coordinates are metres, relative to a storey (z = 0 is the storey elevation) and
to the building copy (see :func:`copy_offset`). Every solid is an axis-aligned box
(pipes: a cylinder inscribed in their box), which makes every quantity and every
clash exactly computable by hand.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, replace
from typing import Iterable, NamedTuple

import ifcopenshell.guid

from bim.i18n import N_

# Changing this changes every GlobalId of the demo: tests elsewhere name elements by them.
NAMESPACE = uuid.UUID("030693bc-cfb0-42ae-b98d-1bb2463fe2ac")

SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3")

BUILDING_X = 12.0
BUILDING_Y = 10.0
FLOOR_TO_FLOOR = 3.0
SLAB_THICKNESS = 0.20
FINISH_THICKNESS = 0.05
ROOF_COVERING_THICKNESS = 0.10
EXTERNAL_WALL_LAYERS = (("Béton C25/30", 0.20), ("Laine minérale", 0.10))
PARTITION_LAYERS = (("Plaque de plâtre", 0.10),)
EXTERNAL_WALL_THICKNESS = 0.30
PARTITION_THICKNESS = 0.10
WALL_HEIGHT = FLOOR_TO_FLOOR - SLAB_THICKNESS  # walls stand on a slab and stop under the next one
COLUMN_SIZE = 0.30
BEAM_WIDTH = 0.30
BEAM_DEPTH = 0.40
COLUMN_HEIGHT = WALL_HEIGHT - BEAM_DEPTH  # columns stop under the beam they carry
COLUMN_XS = (3.0, 6.0, 9.0)
COLUMN_Y = 5.0
# Openings are cut a little deeper than their wall so the boolean never leaves a skin.
OPENING_OVERCUT = 0.05
DOOR_LEAF_THICKNESS = 0.05
WINDOW_THICKNESS = 0.10
# Frame and stop eat this much of a door's nominal width: clear width = nominal - this.
DOOR_FRAME_ALLOWANCE = 0.07
# Copies of the building (scale > 1) stand on a grid with this pitch: 4 m gaps.
COPY_PITCH = (BUILDING_X + 4.0, BUILDING_Y + 4.0)

# Arrêté du 20 avril 2017 (accessibility of new ERP), article 10 (portes): a door on an accessible
# route has a nominal width of at least 0.90 m and a clear passage of at least 0.83 m.
ACCESSIBLE_DOOR_NOMINAL_WIDTH = 0.90
ACCESSIBLE_DOOR_CLEAR_WIDTH = 0.83
DOOR_ACCESSIBILITY_PSET = "Synthese_DoorAccessibility"
DOOR_CLEAR_WIDTH_PROPERTY = "ClearWidth"

# Touching faces are not clashes; anything deeper than this is.
CLASH_TOLERANCE = 0.010
# Clearance asked between MEP networks and anything else.
CLEARANCE = 0.050
# Spaces contain everything and openings are voids: neither takes part in clashes.
CLASH_EXCLUDED_CLASSES = ("IfcSpace", "IfcOpeningElement")
MEP_TRADES = ("CVC", "PLB", "ELE")

UNIFORMAT = "Uniformat II"


class RuleId:
    """Identifiers of the rules the demo breaks on purpose."""

    DOOR_WIDTH = "FR-ERP-DOOR-WIDTH"
    WALL_FIRE_RATING = "WALL-FIRE-RATING"
    SPACE_NAME = "SPACE-NAME"
    ELEMENT_MATERIAL = "ELEMENT-MATERIAL"
    ELEMENT_CONTAINMENT = "ELEMENT-CONTAINMENT"


@dataclass(frozen=True)
class DemoTrade:
    """One discipline of the demo and the file it is written to."""

    code: str
    slug: str
    label: str

    @property
    def file_name(self) -> str:
        """The IFC file name, e.g. ``demo-ARC-architecture.ifc``."""
        return f"demo-{self.code}-{self.slug}.ifc"


DEMO_TRADES = (
    DemoTrade("ARC", "architecture", N_("Architecture")),
    DemoTrade("STR", "structure", N_("Structure")),
    DemoTrade("CVC", "hvac", N_("HVAC")),
    DemoTrade("PLB", "plumbing", N_("Plumbing")),
    DemoTrade("ELE", "electrical", N_("Electrical")),
)
TRADE_CODES = tuple(t.code for t in DEMO_TRADES)


@dataclass(frozen=True)
class Storey:
    name: str
    elevation: float


STOREYS = (Storey("RDC", 0.0), Storey("R+1", FLOOR_TO_FLOOR))
STOREY_BY_NAME = {s.name: s for s in STOREYS}


def make_global_id(*parts: object) -> str:
    """A GlobalId derived from ``parts``: the same parts always give the same id."""
    return ifcopenshell.guid.compress(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)).hex)


def element_global_id(trade: str, key: str, copy: int = 0) -> str:
    """The GlobalId of the element ``key`` of ``trade`` in building copy ``copy``."""
    return make_global_id(trade, key, copy)


def opening_global_id(trade: str, key: str, copy: int = 0) -> str:
    """The GlobalId of the opening that the door or window ``key`` fills."""
    return make_global_id(trade, key + "/opening", copy)


def type_global_id(trade: str, type_name: str) -> str:
    """The GlobalId of an element type (types are shared by every building copy)."""
    return make_global_id(trade, "type", type_name)


# Spatial structure: identical in every trade file, as in models made from one template.
PROJECT_GLOBAL_ID = make_global_id("spatial", "project")
SITE_GLOBAL_ID = make_global_id("spatial", "site")
BUILDING_GLOBAL_ID = make_global_id("spatial", "building")
STOREY_GLOBAL_IDS = {s.name: make_global_id("spatial", "storey", s.name) for s in STOREYS}
PROJECT_NAME = "Synthese demo"
SITE_NAME = "Parcelle démo"
BUILDING_NAME = "Bâtiment A"


_HEADINGS = {
    # local X direction, local Y direction, in plan
    "x": ((1.0, 0.0), (0.0, 1.0)),
    "y": ((0.0, 1.0), (-1.0, 0.0)),
    "-x": ((-1.0, 0.0), (0.0, -1.0)),
    "-y": ((0.0, -1.0), (1.0, 0.0)),
}


@dataclass(frozen=True)
class Box:
    """An axis-aligned solid, from ``lo`` to ``hi`` (storey-relative metres).

    ``heading`` is the plan direction of the element's local X axis (a wall's
    length, a beam's axis); local Y is 90° to its left, so a wall's layers run
    from its local Y = 0 face inwards. ``along`` extrudes the section along the
    heading (beams, ducts, pipes) instead of upwards (walls, slabs, columns).
    ``round`` makes the section a circle inscribed in the box (pipes).
    """

    lo: tuple[float, float, float]
    hi: tuple[float, float, float]
    heading: str = "x"
    along: bool = False
    round: bool = False

    def __post_init__(self):
        if self.heading not in _HEADINGS:
            raise ValueError(f"unknown heading {self.heading!r}")
        if any(h <= l for l, h in zip(self.lo, self.hi)):
            raise ValueError(f"empty box {self.lo} {self.hi}")

    @property
    def size(self) -> tuple[float, float, float]:
        """Extents along world X, Y, Z."""
        return tuple(round(h - l, 9) for l, h in zip(self.lo, self.hi))

    @property
    def local_size(self) -> tuple[float, float, float]:
        """Extents along the element's local X (length), Y (width) and Z (height)."""
        sx, sy, sz = self.size
        return (sx, sy, sz) if self.heading in ("x", "-x") else (sy, sx, sz)

    @property
    def axes(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Local X and Y directions in plan."""
        return _HEADINGS[self.heading]

    @property
    def origin(self) -> tuple[float, float, float]:
        """Where the element's local origin lies: the corner its local box starts from."""
        (dx, dy), (nx, ny) = self.axes
        x = self.hi[0] if (dx < 0 or nx < 0) else self.lo[0]
        y = self.hi[1] if (dy < 0 or ny < 0) else self.lo[1]
        return (x, y, self.lo[2])

    def moved(self, dx: float = 0.0, dy: float = 0.0, dz: float = 0.0) -> "Box":
        """The same box translated."""
        d = (dx, dy, dz)
        return replace(self, lo=tuple(round(a + b, 9) for a, b in zip(self.lo, d)),
                       hi=tuple(round(a + b, 9) for a, b in zip(self.hi, d)))


def box(x0: float, y0: float, z0: float, x1: float, y1: float, z1: float, heading: str = "x",
        along: bool = False, round: bool = False) -> Box:
    """Shorthand for a :class:`Box` from its two corners."""
    return Box((x0, y0, z0), (x1, y1, z1), heading, along, round)


@dataclass(frozen=True)
class Quantities:
    """Exact quantities of one element (metres, m², m³); None where they do not apply.

    ``length`` is along the element's axis (height for columns), ``width`` across
    it (a wall's or slab's thickness, a section's width, a door's width), ``height``
    vertical. Net values deduct the openings a wall hosts (footprint: doors only,
    as they reach the floor) and the columns standing in a space.
    """

    length: float | None = None
    width: float | None = None
    height: float | None = None
    gross_volume: float | None = None
    net_volume: float | None = None
    gross_side_area: float | None = None
    net_side_area: float | None = None
    gross_footprint_area: float | None = None
    net_footprint_area: float | None = None
    cross_section_area: float | None = None
    outer_surface_area: float | None = None
    outer_diameter: float | None = None
    area: float | None = None
    net_area: float | None = None
    perimeter: float | None = None


@dataclass(frozen=True)
class ElementSpec:
    """One element of the demo: identity, place, look, data and exact quantities."""

    trade: str
    key: str  # stable within the trade, e.g. "RDC/wall-S"; the GlobalId derives from it
    ifc_class: str  # IFC4 class; see :func:`class_in_schema` for IFC2X3
    name: str | None
    storey: str  # the storey it stands on (even when deliberately not contained in it)
    box: Box
    type_name: str | None = None
    predefined_type: str | None = None
    material: str | None = None  # single material; walls get their layers from their type
    layers: tuple[tuple[str, float], ...] = ()
    style: str = ""
    psets: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    classification: tuple[str, str] | None = None  # (code, title) in Uniformat II
    host: str | None = None  # doors and windows: key of the wall they are cut in
    long_name: str | None = None
    contained: bool = True
    copy: int = 0
    quantities: Quantities = field(default_factory=Quantities)

    @property
    def global_id(self) -> str:
        """This element's GlobalId."""
        return element_global_id(self.trade, self.key, self.copy)

    @property
    def opening_global_id(self) -> str | None:
        """GlobalId of the opening a door or window fills (None for other elements)."""
        return opening_global_id(self.trade, self.key, self.copy) if self.host else None

    def pset(self, name: str) -> dict[str, object]:
        """Properties of the property set ``name`` as a dict (empty if absent)."""
        for pset_name, props in self.psets:
            if pset_name == name:
                return dict(props)
        return {}


def class_in_schema(ifc_class: str, schema: str) -> str:
    """The occurrence class to write in ``schema``: IFC2X3 has no distribution segment
    subclasses, only IfcFlowSegment typed by e.g. IfcDuctSegmentType."""
    if schema == "IFC2X3" and ifc_class in ("IfcDuctSegment", "IfcPipeSegment", "IfcCableCarrierSegment"):
        return "IfcFlowSegment"
    return ifc_class


def type_class_in_schema(ifc_class: str, schema: str) -> str:
    """The type class matching an (IFC4) occurrence class in ``schema``."""
    if schema == "IFC2X3" and ifc_class in ("IfcDoor", "IfcWindow"):
        return ifc_class + "Style"
    return ifc_class + "Type"


def _r(value: float) -> float:
    # Rounded so that expected values read as written (10.08, not 10.079999999999998).
    return round(value, 9)


def _wall_quantities(spec: ElementSpec, fills: list[ElementSpec]) -> Quantities:
    length, thickness, height = spec.box.local_size
    holes = [(f.box.local_size[0], f.box.local_size[2], f.box.lo[2] <= spec.box.lo[2]) for f in fills]
    hole_area = sum(w * h for w, h, _ in holes)
    floor_cut = sum(w for w, _, at_floor in holes if at_floor) * thickness
    return Quantities(
        length=_r(length), width=_r(thickness), height=_r(height),
        gross_volume=_r(length * thickness * height),
        net_volume=_r((length * height - hole_area) * thickness),
        gross_side_area=_r(length * height), net_side_area=_r(length * height - hole_area),
        gross_footprint_area=_r(length * thickness), net_footprint_area=_r(length * thickness - floor_cut),
    )


def _quantities(spec: ElementSpec, fills: list[ElementSpec], deductions: list[Box]) -> Quantities:
    lx, ly, lz = spec.box.local_size
    cls = spec.ifc_class
    if cls == "IfcWall":
        return _wall_quantities(spec, fills)
    if cls == "IfcSlab":
        return Quantities(length=_r(lx), width=_r(lz), gross_footprint_area=_r(lx * ly), area=_r(lx * ly),
                          net_area=_r(lx * ly), perimeter=_r(2 * (lx + ly)), gross_volume=_r(lx * ly * lz),
                          net_volume=_r(lx * ly * lz))
    if cls == "IfcColumn":
        return Quantities(length=_r(lz), width=_r(lx), height=_r(lz), cross_section_area=_r(lx * ly),
                          outer_surface_area=_r(2 * (lx + ly) * lz), gross_footprint_area=_r(lx * ly),
                          gross_volume=_r(lx * ly * lz), net_volume=_r(lx * ly * lz))
    if cls in ("IfcBeam", "IfcDuctSegment", "IfcCableCarrierSegment"):
        return Quantities(length=_r(lx), width=_r(ly), height=_r(lz), cross_section_area=_r(ly * lz),
                          outer_surface_area=_r(2 * (ly + lz) * lx), gross_volume=_r(lx * ly * lz),
                          net_volume=_r(lx * ly * lz))
    if cls == "IfcPipeSegment":
        r = ly / 2
        return Quantities(length=_r(lx), outer_diameter=_r(ly), cross_section_area=_r(math.pi * r * r),
                          outer_surface_area=_r(math.pi * ly * lx), gross_volume=_r(math.pi * r * r * lx),
                          net_volume=_r(math.pi * r * r * lx))
    if cls in ("IfcDoor", "IfcWindow"):
        return Quantities(width=_r(lx), height=_r(lz), area=_r(lx * lz), perimeter=_r(2 * (lx + lz)))
    if cls == "IfcSpace":
        deducted = sum(_plan_overlap(spec.box, d) for d in deductions)
        return Quantities(length=_r(lx), width=_r(ly), height=_r(lz), area=_r(lx * ly),
                          net_area=_r(lx * ly - deducted), perimeter=_r(2 * (lx + ly)),
                          gross_volume=_r(lx * ly * lz), net_volume=_r((lx * ly - deducted) * lz))
    raise ValueError(cls)


def _plan_overlap(a: Box, b: Box) -> float:
    w = min(a.hi[0], b.hi[0]) - max(a.lo[0], b.lo[0])
    d = min(a.hi[1], b.hi[1]) - max(a.lo[1], b.lo[1])
    return w * d if w > 0 and d > 0 else 0.0


def opening_box(fill: ElementSpec, wall: ElementSpec) -> Box:
    """The box cut out of ``wall`` for the door or window ``fill``: the fill's extent
    along the wall and in height, the wall's thickness plus an overcut each side."""
    lo, hi = list(fill.box.lo), list(fill.box.hi)
    across = 1 if wall.box.heading in ("x", "-x") else 0
    lo[across] = wall.box.lo[across] - OPENING_OVERCUT
    hi[across] = wall.box.hi[across] + OPENING_OVERCUT
    return Box(tuple(lo), tuple(hi), wall.box.heading)


# ---------------------------------------------------------------------------
# The building, storey by storey. Plan (metres), x to the east, y to the north:
#
#   y=10 +-------------------------------------------+
#        |  room A (0.30..5.95)  P2 room B (6.05..)  |   north rooms, finish 5 cm
#   7.05 +----D01--------------------------D02-------+   partition P1 (y 6.95..7.05)
#        |                                           |
#    5.0 |  B1 beam ====C1=========C2=========C3==== |   columns at x = 3, 6, 9
#        |            B2 ||        B3 ||       B4 || |   secondary beams to the south wall
#        |  hall (no finish: polished STR slab)      |
#      0 +-------------------ENT---------------------+   x=12
# ---------------------------------------------------------------------------

_CONCRETE_WALL = "Mur ext. béton 20 + isolant 10"
_PARTITION = "Cloison plâtre 10"


def _common(pset: str, **props: object) -> tuple[str, tuple[tuple[str, object], ...]]:
    return (pset, tuple(props.items()))


def _arc_storey(level: str) -> list[ElementSpec]:
    rdc = level == "RDC"
    t, w_h = EXTERNAL_WALL_THICKNESS, WALL_HEIGHT
    X, Y = BUILDING_X, BUILDING_Y
    specs: list[ElementSpec] = []

    def wall(key, b, external, fire_rating="REI 60"):
        type_name = _CONCRETE_WALL if external else _PARTITION
        props = {"Reference": type_name, "IsExternal": external, "LoadBearing": external}
        if fire_rating:
            props["FireRating"] = fire_rating if external else "EI 30"
        specs.append(ElementSpec(
            "ARC", f"{level}/{key}", "IfcWall",
            ("Mur extérieur " if external else "Cloison ") + key.split("-")[1], level, b,
            type_name=type_name, predefined_type="SOLIDWALL" if external else "PARTITIONING",
            layers=EXTERNAL_WALL_LAYERS if external else PARTITION_LAYERS,
            style="wall" if external else "partition",
            psets=(_common("Pset_WallCommon", **props),),
            classification=("B2010", "Exterior Walls") if external else ("C1010", "Partitions"),
        ))

    # External walls: the south and north ones own the corners, so no two walls overlap.
    wall("wall-S", box(0, 0, 0, X, t, w_h, "x"), True)
    # The east wall of R+1 lacks its fire rating on purpose (rule WALL-FIRE-RATING).
    wall("wall-E", box(X - t, t, 0, X, Y - t, w_h, "y"), True, fire_rating="REI 60" if rdc else None)
    wall("wall-N", box(0, Y - t, 0, X, Y, w_h, "-x"), True)
    wall("wall-W", box(0, t, 0, t, Y - t, w_h, "-y"), True)
    wall("wall-P1", box(t, 6.95, 0, X - t, 7.05, w_h, "x"), False)
    wall("wall-P2", box(5.95, 7.05, 0, 6.05, Y - t, w_h, "y"), False)
    walls = {s.key.split("/")[1]: s for s in specs}

    def fill(ifc_class, key, wall_key, start, end, z0, z1, type_name, name, extra_psets=(), external=False):
        w = walls[wall_key]
        thickness = DOOR_LEAF_THICKNESS if ifc_class == "IfcDoor" else WINDOW_THICKNESS
        lo, hi = list(w.box.lo), list(w.box.hi)
        along, across = (0, 1) if w.box.heading in ("x", "-x") else (1, 0)
        mid = (w.box.lo[across] + w.box.hi[across]) / 2
        lo[along], hi[along] = start, end
        lo[across], hi[across] = _r(mid - thickness / 2), _r(mid + thickness / 2)
        lo[2], hi[2] = z0, z1
        is_door = ifc_class == "IfcDoor"
        common = {"Reference": type_name, "IsExternal": external}
        if is_door:
            common["HandicapAccessible"] = True
        specs.append(ElementSpec(
            "ARC", f"{level}/{key}", ifc_class, name, level, Box(tuple(lo), tuple(hi), w.box.heading),
            type_name=type_name, predefined_type="DOOR" if is_door else "WINDOW",
            material="Bois" if is_door else "Aluminium", style="door" if is_door else "glass",
            psets=(_common("Pset_DoorCommon" if is_door else "Pset_WindowCommon", **common),) + tuple(extra_psets),
            classification=(("B2030", "Exterior Doors") if external else ("C1020", "Interior Doors")) if is_door
            else ("B2020", "Exterior Windows"),
            host=w.key,
        ))

    def door(key, wall_key, start, width, height, external=False):
        clear = _r(width - DOOR_FRAME_ALLOWANCE)
        z0 = walls[wall_key].box.lo[2]
        type_name = f"Porte {round(width * 100)}x{round(height * 100)}"
        fill("IfcDoor", key, wall_key, start, _r(start + width), z0, _r(z0 + height), type_name,
             f"Porte {key.split('-')[1]}",
             (_common(DOOR_ACCESSIBILITY_PSET, **{DOOR_CLEAR_WIDTH_PROPERTY: clear}),), external)

    def window(key, wall_key, start, width=1.20, sill=0.90, height=1.20):
        type_name = f"Fenêtre {round(width * 100)}x{round(height * 100)}"
        fill("IfcWindow", key, wall_key, start, _r(start + width), sill, _r(sill + height), type_name,
             f"Fenêtre {key.split('-')[1]}", external=True)

    if rdc:
        door("door-ENT", "wall-S", 5.50, 1.00, 2.20, external=True)
        door("door-D01", "wall-P1", 2.50, 0.93, 2.10)
        # Too narrow on purpose: 0.87 nominal, 0.80 clear (rule FR-ERP-DOOR-WIDTH).
        door("door-D02", "wall-P1", 8.50, 0.87, 2.10)
    else:
        door("door-D01", "wall-P1", 2.50, 0.93, 2.10)
        door("door-D02", "wall-P1", 8.50, 0.93, 2.10)
        window("win-S3", "wall-S", 5.40)
    window("win-S1", "wall-S", 1.50)
    window("win-S2", "wall-S", 9.30)
    window("win-E1", "wall-E", 3.40)
    window("win-N1", "wall-N", 2.40)
    window("win-N2", "wall-N", 8.40)
    window("win-W1", "wall-W", 3.40)

    # Floor finishes only in the north rooms: the hall keeps the polished structural
    # slab, so no finish has to be holed around the columns.
    for key, name, x0, x1, material in (("slab-FA", "Carrelage local A", t, 5.95, "Carrelage"),
                                        ("slab-FB", "Chape local B", 6.05, X - t, "Chape ciment")):
        specs.append(ElementSpec(
            "ARC", f"{level}/{key}", "IfcSlab", name, level, box(x0, 7.05, 0, x1, Y - t, FINISH_THICKNESS),
            type_name=f"Revêtement de sol {round(FINISH_THICKNESS * 100)} cm", predefined_type="FLOOR",
            material=material, style="finish",
            psets=(_common("Pset_SlabCommon", Reference="Revêtement de sol", IsExternal=False, LoadBearing=False),),
            classification=("C3020", "Floor Finishes"),
        ))
    if not rdc:
        specs.append(ElementSpec(
            "ARC", f"{level}/slab-ROOF", "IfcSlab", "Complexe d'étanchéité", level,
            box(0, 0, FLOOR_TO_FLOOR, X, Y, FLOOR_TO_FLOOR + ROOF_COVERING_THICKNESS),
            type_name="Étanchéité toiture 10 cm", predefined_type="ROOF", material="Étanchéité bitumineuse",
            style="roof",
            psets=(_common("Pset_SlabCommon", Reference="Étanchéité toiture", IsExternal=True, LoadBearing=False),),
            classification=("B3010", "Roof Coverings"),
        ))

    names = {"RDC": ("Accueil", "Sanitaires", "Local technique"), "R+1": ("Plateau", "Bureau A", "Bureau B")}[level]
    rooms = (("space-HALL", box(t, t, 0, X - t, 6.95, w_h)),
             ("space-A", box(t, 7.05, FINISH_THICKNESS, 5.95, Y - t, w_h)),
             ("space-B", box(6.05, 7.05, FINISH_THICKNESS, X - t, Y - t, w_h)))
    for i, ((key, b), long_name) in enumerate(zip(rooms, names), start=1):
        # The R+1 room B has neither number nor name on purpose (rule SPACE-NAME).
        anonymous = level == "R+1" and key == "space-B"
        specs.append(ElementSpec(
            "ARC", f"{level}/{key}", "IfcSpace", None if anonymous else f"{level}-{i:02d}", level, b,
            predefined_type="INTERNAL", style="space", long_name=None if anonymous else long_name,
            psets=(_common("Pset_SpaceCommon", **({} if anonymous else {"Reference": f"{level}-{i:02d}"}),
                           IsExternal=False, PubliclyAccessible=key == "space-HALL", HandicapAccessible=True),),
        ))
    return specs


def _str_storey(level: str) -> list[ElementSpec]:
    X, Y, t = BUILDING_X, BUILDING_Y, EXTERNAL_WALL_THICKNESS
    specs: list[ElementSpec] = []
    concrete = "Béton C30/37"

    def slab(key, name, z0, predefined):
        specs.append(ElementSpec(
            "STR", f"{level}/{key}", "IfcSlab", name, level, box(0, 0, z0, X, Y, z0 + SLAB_THICKNESS),
            type_name="Dalle BA 20", predefined_type=predefined, material=concrete, style="slab",
            psets=(_common("Pset_SlabCommon", Reference="Dalle BA 20", IsExternal=False, LoadBearing=True,
                           FireRating="REI 60"),),
            classification=("B1010", "Floor Construction") if predefined != "ROOF" else ("B1020", "Roof Construction"),
        ))

    # Each storey stands on its slab, whose top is the storey elevation.
    slab("slab", "Dalle basse RDC" if level == "RDC" else "Dalle haute RDC", -SLAB_THICKNESS,
         "BASESLAB" if level == "RDC" else "FLOOR")
    if level == "R+1":
        slab("slab-ROOF", "Dalle toiture", WALL_HEIGHT, "ROOF")
    for i, cx in enumerate(COLUMN_XS, start=1):
        h = COLUMN_SIZE / 2
        specs.append(ElementSpec(
            "STR", f"{level}/col-C{i}", "IfcColumn", f"Poteau C{i}", level,
            box(cx - h, COLUMN_Y - h, 0, cx + h, COLUMN_Y + h, COLUMN_HEIGHT),
            type_name="Poteau BA 30x30", predefined_type="COLUMN", material=concrete, style="concrete",
            psets=(_common("Pset_ColumnCommon", Reference="Poteau BA 30x30", IsExternal=False, LoadBearing=True,
                           FireRating="R 60"),),
            classification=("B1010", "Floor Construction"),
        ))
    h = BEAM_WIDTH / 2
    specs.append(ElementSpec(
        "STR", f"{level}/beam-B1", "IfcBeam", "Poutre B1", level,
        box(t, COLUMN_Y - h, COLUMN_HEIGHT, X - t, COLUMN_Y + h, WALL_HEIGHT, "x", along=True),
        type_name="Poutre BA 30x40", predefined_type="BEAM", material=concrete, style="concrete",
        psets=(_common("Pset_BeamCommon", Reference="Poutre BA 30x40", IsExternal=False, LoadBearing=True,
                       FireRating="R 60"),),
        classification=("B1010", "Floor Construction"),
    ))
    for i, cx in enumerate(COLUMN_XS, start=2):
        specs.append(ElementSpec(
            "STR", f"{level}/beam-B{i}", "IfcBeam", f"Poutre B{i}", level,
            box(cx - h, t, COLUMN_HEIGHT, cx + h, COLUMN_Y - h, WALL_HEIGHT, "y", along=True),
            type_name="Poutre acier 30x40", predefined_type="BEAM", material="Acier S355", style="steel",
            psets=(_common("Pset_BeamCommon", Reference="Poutre acier 30x40", IsExternal=False, LoadBearing=True,
                           FireRating="R 30"),),
            classification=("B1010", "Floor Construction"),
        ))
    return specs


def _duct(level, key, name, b, material="Acier galvanisé"):
    w, h = (b.local_size[1], b.local_size[2])
    type_name = f"Gaine rectangulaire {round(w * 1000)}x{round(h * 1000)}"
    return ElementSpec(
        "CVC", f"{level}/{key}", "IfcDuctSegment", name, level, b, type_name=type_name,
        predefined_type="RIGIDSEGMENT", material=material, style="duct",
        psets=(_common("Pset_DuctSegmentTypeCommon", Reference=type_name),),
        classification=("D3040", "Distribution Systems"),
    )


def _cvc_storey(level: str) -> list[ElementSpec]:
    specs = [
        _duct(level, "duct-1a", "Gaine soufflage 1a", box(0.80, 1.50, 2.00, 4.50, 2.10, 2.30, "x", along=True)),
        _duct(level, "duct-1b", "Gaine soufflage 1b", box(4.50, 1.50, 2.00, 8.00, 2.10, 2.30, "x", along=True)),
        _duct(level, "duct-1c", "Gaine soufflage 1c", box(8.00, 1.50, 2.00, 11.20, 2.10, 2.30, "x", along=True)),
        _duct(level, "duct-A", "Gaine extraction local A", box(0.80, 8.60, 2.30, 5.40, 9.00, 2.60, "x", along=True)),
        _duct(level, "duct-B", "Gaine soufflage local B", box(6.50, 8.60, 2.30, 11.20, 9.00, 2.60, "x", along=True)),
    ]
    if level == "RDC":
        # Routed 0.10 m too high: it runs through beam B1 (expected hard clash).
        specs.append(_duct(level, "duct-N", "Gaine soufflage nord",
                           box(10.20, 3.00, 2.30, 10.60, 6.50, 2.60, "y", along=True)))
    return specs


def _pipe(level, key, name, b, material):
    d = b.local_size[1]
    type_name = f"Tube {material} Ø{round(d * 1000)}"
    return ElementSpec(
        "PLB", f"{level}/{key}", "IfcPipeSegment", name, level, b,
        type_name=type_name, predefined_type="RIGIDSEGMENT", material=material,
        style="pipe", psets=(_common("Pset_PipeSegmentTypeCommon", Reference=type_name, OuterDiameter=d),),
        classification=("D2020", "Domestic Water Distribution") if material == "PE" else ("D2030", "Sanitary Waste"),
    )


def _pipe_box(x0, x1, yc, zc, d, heading="x"):
    r = d / 2
    if heading == "x":
        return box(x0, _r(yc - r), _r(zc - r), x1, _r(yc + r), _r(zc + r), "x", along=True, round=True)
    # heading "y": x0/x1 are the y extent and yc is the x of the axis
    return box(_r(yc - r), x0, _r(zc - r), _r(yc + r), x1, _r(zc + r), "y", along=True, round=True)


def _plb_storey(level: str) -> list[ElementSpec]:
    specs = [
        _pipe(level, "pipe-EU", "Évacuation EU accueil", _pipe_box(1.00, 5.00, 6.50, 0.30, 0.110), "PVC"),
        _pipe(level, "pipe-A1", "Alimentation EF local A", _pipe_box(0.60, 5.60, 9.40, 0.40, 0.032), "PE"),
        _pipe(level, "pipe-A2", "Évacuation EU local A", _pipe_box(0.60, 5.60, 9.20, 0.25, 0.110), "PVC"),
    ]
    if level == "RDC":
        # Crosses partition P1 where it has no opening (expected hard clash).
        specs.append(_pipe(level, "pipe-EF", "Alimentation EF traversante",
                           _pipe_box(6.00, 8.50, 4.50, 2.00, 0.063, "y"), "PE"))
    else:
        # Left without material on purpose (rule ELEMENT-MATERIAL).
        specs = [replace(s, material=None) if s.key.endswith("pipe-A1") else s for s in specs]
    return specs


def _tray(level, key, name, b, contained=True):
    w, h = b.local_size[1], b.local_size[2]
    type_name = f"Chemin de câbles {round(w * 1000)}x{round(h * 1000)}"
    return ElementSpec(
        "ELE", f"{level}/{key}", "IfcCableCarrierSegment", name, level, b,
        type_name=type_name, predefined_type="CABLETRAYSEGMENT",
        material="Acier galvanisé", style="tray", contained=contained,
        psets=(_common("Pset_CableCarrierSegmentTypeCommon", Reference=type_name),),
        classification=("D5020", "Lighting and Branch Wiring"),
    )


def _ele_storey(level: str) -> list[ElementSpec]:
    specs = [
        _tray(level, "tray-MAIN", "Chemin de câbles principal", box(0.80, 3.50, 2.10, 9.80, 3.80, 2.20, "x", along=True)),
        _tray(level, "tray-A", "Chemin de câbles local A", box(0.80, 7.40, 2.40, 5.40, 7.70, 2.50, "x", along=True)),
        # The R+1 one is not contained in any storey on purpose (rule ELEMENT-CONTAINMENT).
        _tray(level, "tray-B", "Chemin de câbles local B", box(6.50, 7.40, 2.40, 11.20, 7.70, 2.50, "x", along=True),
              contained=level == "RDC"),
    ]
    if level == "RDC":
        # 30 mm under duct 1a: no hard clash, but inside a 50 mm clearance (expected clearance clash).
        specs.append(_tray(level, "tray-CLR", "Chemin de câbles sous gaine",
                           box(1.00, 1.65, 1.87, 4.00, 1.95, 1.97, "x", along=True)))
        # Runs through column C3 (expected hard clash).
        specs.append(_tray(level, "tray-COL", "Chemin de câbles file C",
                           box(7.50, 4.90, 2.10, 10.00, 5.20, 2.20, "x", along=True)))
    return specs


_BUILDERS = {"ARC": _arc_storey, "STR": _str_storey, "CVC": _cvc_storey, "PLB": _plb_storey, "ELE": _ele_storey}


class ExpectedClash(NamedTuple):
    """A clash built into the demo on purpose; ``kind`` is "hard" or "clearance"."""

    global_id_a: str
    global_id_b: str
    kind: str
    description: str


class ExpectedViolation(NamedTuple):
    """A rule the demo breaks on purpose."""

    rule_id: str
    global_id: str
    description: str


# (trade A, key A, trade B, key B, kind, description) for one building copy.
CLASHES = (
    ("CVC", "RDC/duct-N", "STR", "RDC/beam-B1", "hard",
     N_("Supply duct 400x300 runs through beam B1 (0.20 m deep in the beam)")),
    ("PLB", "RDC/pipe-EF", "ARC", "RDC/wall-P1", "hard",
     N_("Water pipe Ø63 crosses partition P1 where it has no opening")),
    ("ELE", "RDC/tray-COL", "STR", "RDC/col-C3", "hard",
     N_("Cable tray 300x100 runs through column C3")),
    ("ELE", "RDC/tray-CLR", "CVC", "RDC/duct-1a", "clearance",
     N_("Cable tray 30 mm under supply duct 1a (50 mm clearance required)")),
)

# (rule, trade, key, description) for one building copy.
VIOLATIONS = (
    (RuleId.DOOR_WIDTH, "ARC", "RDC/door-D02",
     N_("Door D02 is 0.87 m wide with 0.80 m clear passage: an accessible ERP door needs 0.90 m nominal "
        "and 0.83 m clear (arrêté du 20 avril 2017)")),
    (RuleId.WALL_FIRE_RATING, "ARC", "R+1/wall-E", N_("External wall E of R+1 has no Pset_WallCommon.FireRating")),
    (RuleId.SPACE_NAME, "ARC", "R+1/space-B", N_("A space of R+1 has neither number nor name")),
    (RuleId.ELEMENT_MATERIAL, "PLB", "R+1/pipe-A1", N_("Water pipe of R+1 room A has no material")),
    (RuleId.ELEMENT_CONTAINMENT, "ELE", "R+1/tray-B", N_("Cable tray of R+1 room B is in no storey")),
)


def copy_offset(copy: int, scale: int) -> tuple[float, float]:
    """Plan offset of building copy ``copy`` out of ``scale`` (a near-square grid, row by row)."""
    columns = math.ceil(math.sqrt(scale))
    row, col = divmod(copy, columns)
    return (_r(col * COPY_PITCH[0]), _r(row * COPY_PITCH[1]))


def _with_quantities(specs: list[ElementSpec], columns: dict[str, list[Box]]) -> list[ElementSpec]:
    fills: dict[str, list[ElementSpec]] = {}
    for s in specs:
        if s.host:
            fills.setdefault(s.host, []).append(s)
    return [replace(s, quantities=_quantities(s, fills.get(s.key, []),
                                              columns.get(s.storey, []) if s.ifc_class == "IfcSpace" else []))
            for s in specs]


def building_specs(scale: int = 1) -> list[ElementSpec]:
    """Every element of every trade, for ``scale`` copies of the building, in writing order."""
    if int(scale) != scale or scale < 1:
        raise ValueError(f"scale must be a positive integer, not {scale!r}")
    one: list[ElementSpec] = []
    for trade in TRADE_CODES:
        for storey in STOREYS:
            one.extend(_BUILDERS[trade](storey.name))
    columns: dict[str, list[Box]] = {}
    for s in one:
        if s.ifc_class == "IfcColumn":
            columns.setdefault(s.storey, []).append(s.box)
    one = _with_quantities(one, columns)
    result = []
    for copy in range(scale):
        dx, dy = copy_offset(copy, scale)
        result.extend(replace(s, copy=copy, box=s.box.moved(dx, dy)) for s in one)
    return result


def expected_clashes(scale: int = 1) -> list[ExpectedClash]:
    """The deliberate clashes of ``scale`` building copies (see :data:`CLASHES`)."""
    return [ExpectedClash(element_global_id(ta, ka, c), element_global_id(tb, kb, c), kind, desc)
            for c in range(scale) for ta, ka, tb, kb, kind, desc in CLASHES]


def expected_violations(scale: int = 1) -> list[ExpectedViolation]:
    """The deliberate rule violations of ``scale`` building copies (see :data:`VIOLATIONS`)."""
    return [ExpectedViolation(rule, element_global_id(trade, key, c), desc)
            for c in range(scale) for rule, trade, key, desc in VIOLATIONS]


def box_depth(a: tuple[tuple[float, ...], tuple[float, ...]], b: tuple[tuple[float, ...], tuple[float, ...]]) -> float:
    """How deep two axis-aligned boxes ``(lo, hi)`` interpenetrate: the smallest overlap
    along an axis when they overlap (0 when they touch), minus their distance otherwise."""
    overlaps = [min(ah, bh) - max(al, bl) for al, ah, bl, bh in zip(a[0], a[1], b[0], b[1])]
    if all(o >= 0 for o in overlaps):
        return min(overlaps)
    return -math.sqrt(sum(o * o for o in overlaps if o < 0))


def spec_pairs(specs: Iterable[ElementSpec]) -> Iterable[tuple[ElementSpec, ElementSpec]]:
    """Every pair of elements of different trades that clash detection compares."""
    items = [s for s in specs if s.ifc_class not in CLASH_EXCLUDED_CLASSES]
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.trade != b.trade:
                yield a, b
