"""Computed quantities of one element: from its exact IFC extrusion, else from the cached mesh.

Each quantity tries its methods in order, exact first; the first that applies
gives the value and the others, if they also gave one, are kept as
alternatives for audit. Every value says in words what it measures, because
authoring tools measure lengths and areas by their own conventions
(PERF-NOTES, "Quantities"): ours are stated here and in the sheets.

Frames: the mesh keeps each element in its own placement frame, so "local X"
is the element's ObjectPlacement X axis (a wall's axis in IFC's convention).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from bim.i18n import _
from checks.takeoff.families import ASSEMBLY, FAMILY_KINDS, FILL, LINEAR, SLAB, SPACE, WALL
from checks.takeoff.kinds import KIND_KEYS
from checks.takeoff.materials import ElementMaterial
from checks.takeoff.mesh_measures import ElementGeometry
from checks.takeoff.parametric import Extrusion
from checks.takeoff.values import ELEMENT, GEOMETRY, PARAMETRIC, NotComputable, Quantity, Value

_Z = np.array([0.0, 0.0, 1.0])
_VERTICAL_COS = 0.999  # an extrusion this close to world Z is "vertical"


@dataclass
class Subject:
    """What is known about one element before measuring it."""

    family: str
    geometry: ElementGeometry | None
    no_geometry: str  # why there is no geometry, when there is none
    extrusion: Extrusion | None
    no_extrusion: str
    voided: bool  # openings are cut in it
    material: ElementMaterial

    @property
    def closed(self) -> bool:
        return self.geometry is not None and self.geometry.open_edges == 0 and self.geometry.triangle_count > 0

    def world_extrusion_direction(self) -> np.ndarray | None:
        """The extrusion direction in model coordinates, when the frame is known (not a mapped item)."""
        if self.extrusion is None or self.extrusion.mapped or self.geometry is None:
            return None
        return self.geometry.placed[0].rotation @ self.extrusion.direction

    @property
    def vertical_extrusion(self) -> bool:
        d = self.world_extrusion_direction()
        return d is not None and abs(float(d @ _Z)) >= _VERTICAL_COS

    def axis(self) -> np.ndarray | None:
        """A linear element's axis in model coordinates: its extrusion, else its longest local extent."""
        d = self.world_extrusion_direction()
        if d is not None:
            return d / np.linalg.norm(d)
        if self.geometry is None:
            return None
        return self.geometry.local_axis(int(np.argmax(self.geometry.local_extents())))


Method = Callable[[Subject], "Quantity | str"]


def _q(kind: str, value: float, source: str, origin: str, definition: str) -> Quantity:
    return Quantity(kind, float(value), source, origin, definition)


def _mesh(subject: Subject) -> ElementGeometry | str:
    return subject.geometry if subject.geometry is not None else subject.no_geometry


def _exact_profile(subject: Subject) -> Extrusion | str:
    """The extrusion when its profile's area is exact, else why not."""
    if subject.extrusion is None:
        return subject.no_extrusion
    if subject.extrusion.profile_area is None:
        return subject.extrusion.profile_problem
    return subject.extrusion


# -- methods, one per way of measuring a quantity ------------------------------------------------

def _net_volume_parametric(s: Subject) -> Quantity | str:
    exact = _exact_profile(s)
    if isinstance(exact, str):
        return exact
    if s.voided:
        return _("openings are cut in it")
    return _q("net_volume", s.extrusion.volume, PARAMETRIC, "IfcExtrudedAreaSolid",
              _("profile area × extrusion depth (no openings)"))


def _volume_geometry(kind: str) -> Method:
    def method(s: Subject) -> Quantity | str:
        g = _mesh(s)
        if isinstance(g, str):
            return g
        if kind == "gross_volume" and s.voided:
            return _("openings are cut in it and the uncut solid is not an exact extrusion ({why})").format(
                why=s.no_extrusion or _("see the parametric value"))
        if not s.closed:
            return _("the tessellated surface is not closed ({n} open edges): no volume").format(n=g.open_edges)
        definition = _("volume enclosed by the tessellated solid, openings cut") if s.voided else \
            _("volume enclosed by the tessellated solid")
        return _q(kind, g.volume, GEOMETRY, "mesh", definition)
    return method


def _gross_volume_parametric(s: Subject) -> Quantity | str:
    exact = _exact_profile(s)
    if isinstance(exact, str):
        return exact
    return _q("gross_volume", s.extrusion.volume, PARAMETRIC, "IfcExtrudedAreaSolid",
              _("profile area × extrusion depth, before openings"))


def _local_extent(kind: str, axis: int, definition: str) -> Method:
    def method(s: Subject) -> Quantity | str:
        g = _mesh(s)
        if isinstance(g, str):
            return g
        return _q(kind, g.extent(g.local_axis(axis)), GEOMETRY, "mesh", definition)
    return method


def _vertical_extent(kind: str) -> Method:
    def method(s: Subject) -> Quantity | str:
        g = _mesh(s)
        if isinstance(g, str):
            return g
        return _q(kind, g.extent(_Z), GEOMETRY, "mesh", _("vertical extent of the geometry"))
    return method


def _extrusion_depth(s: Subject) -> Quantity | str:
    if s.extrusion is None:
        return s.no_extrusion
    return _q("length", s.extrusion.depth, PARAMETRIC, "IfcExtrudedAreaSolid.Depth", _("extrusion depth"))


def _longest_extent(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    return _q("length", float(g.local_extents().max()), GEOMETRY, "mesh",
              _("longest extent of the geometry along its local axes"))


def _across_axis(s: Subject) -> np.ndarray | None:
    axis = s.axis()
    if axis is None:
        return None
    across = np.cross(axis, _Z)
    if np.linalg.norm(across) < 1e-6:  # a vertical member: across is its local X
        return s.geometry.local_axis(0) if s.geometry is not None else None
    return across / np.linalg.norm(across)


def _diameter(kind: str) -> Method:
    def method(s: Subject) -> Quantity | str:
        if s.extrusion is None or s.extrusion.diameter is None:
            return s.no_extrusion or _("the profile is not a circle")
        if kind == "height":
            axis = s.world_extrusion_direction()
            if axis is None or abs(float(axis @ _Z)) > 1e-6:
                return _("the axis is not horizontal")
        return _q(kind, s.extrusion.diameter, PARAMETRIC, "IfcCircleProfileDef", _("profile diameter"))
    return method


def _section_width(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    across = _across_axis(s)
    if across is None:
        return _("no axis")
    return _q("width", g.extent(across), GEOMETRY, "mesh", _("extent of the geometry across its axis, horizontally"))


def _layer_thickness(s: Subject) -> Quantity | str:
    layers = s.material.layers
    if not layers:
        return _("no material layer set")
    return _q("thickness", sum(layer.thickness for layer in layers), PARAMETRIC, "IfcMaterialLayerSet",
              _("sum of the material layer thicknesses"))


def _vertical_extrusion_depth(s: Subject) -> Quantity | str:
    if s.extrusion is None:
        return s.no_extrusion
    if not s.vertical_extrusion:
        return _("the extrusion is not vertical")
    return _q("thickness", s.extrusion.depth, PARAMETRIC, "IfcExtrudedAreaSolid.Depth",
              _("depth of the vertical extrusion"))


def _volume_over_top_area(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    if not s.closed:
        return _("the tessellated surface is not closed ({n} open edges)").format(n=g.open_edges)
    top = g.upward_area
    if top <= 0:
        return _("no upward faces")
    return _q("thickness", g.volume / top, GEOMETRY, "mesh",
              _("enclosed volume ÷ true area of the upward faces (thickness across a sloped slab)"))


def _profile_perimeter(s: Subject) -> Quantity | str:
    if s.extrusion is None:
        return s.no_extrusion
    if not s.vertical_extrusion or s.extrusion.profile_perimeter is None:
        return _("the extrusion is not vertical")
    return _q("perimeter", s.extrusion.profile_perimeter, PARAMETRIC, "IfcProfileDef",
              _("outer perimeter of the extruded profile"))


def _outline_perimeter(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    return _q("perimeter", g.upward_outline_length, GEOMETRY, "mesh",
              _("outline of the geometry seen from above, holes included"))


def _rectangle_perimeter(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    return _q("perimeter", 2 * (g.extent(g.local_axis(0)) + g.extent(_Z)), GEOMETRY, "mesh",
              _("2 × (width + height) of the geometry's bounding rectangle"))


def _profile_area(s: Subject) -> Quantity | str:
    exact = _exact_profile(s)
    if isinstance(exact, str):
        return exact
    return _q("cross_section_area", s.extrusion.profile_area, PARAMETRIC, "IfcProfileDef", _("profile area"))


def _lateral_area_parametric(s: Subject) -> Quantity | str:
    if s.extrusion is None:
        return s.no_extrusion
    if s.voided:
        return _("openings are cut in it")
    if s.extrusion.profile_perimeter is None:
        return _("the profile's perimeter is not exact")
    return _q("outer_surface_area", s.extrusion.profile_perimeter * s.extrusion.depth, PARAMETRIC,
              "IfcExtrudedAreaSolid", _("profile perimeter × extrusion depth (end faces excluded)"))


def _lateral_area_geometry(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    axis = s.axis()
    return _q("outer_surface_area", g.area_except_along(axis), GEOMETRY, "mesh",
              _("surface area of the geometry without the end faces (perpendicular to its axis)"))


def _wall_side_area(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    y = g.local_axis(1)
    return _q("net_side_area", (g.facing_area(y) + g.facing_area(-y)) / 2, GEOMETRY, "mesh",
              _("mean area of the wall's two faces (local ±Y): its middle plane, openings deducted"))


def _gross_side_from_volume(s: Subject) -> Quantity | str:
    exact = _exact_profile(s)
    if isinstance(exact, str):
        return exact
    thickness = _layer_thickness(s)
    if isinstance(thickness, str):
        return thickness
    return _q("gross_side_area", s.extrusion.volume / thickness.value, PARAMETRIC,
              "IfcExtrudedAreaSolid ÷ IfcMaterialLayerSet",
              _("gross volume ÷ layer thickness: the middle plane before openings"))


def _same_as_net(kind: str, net: Method) -> Method:
    def method(s: Subject) -> Quantity | str:
        if s.voided:
            return _("openings are cut in it and its uncut shape is not exact")
        value = net(s)
        if isinstance(value, str):
            return value
        return _q(kind, value.value, value.source, value.origin, value.definition + _(" (no openings: gross = net)"))
    return method


def _fill_area(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    return _q("gross_side_area", g.extent(g.local_axis(0)) * g.extent(_Z), GEOMETRY, "mesh",
              _("width × height of the geometry's bounding rectangle"))


def _profile_footprint(s: Subject) -> Quantity | str:
    exact = _exact_profile(s)
    if isinstance(exact, str):
        return exact
    if not s.vertical_extrusion:
        return _("the extrusion is not vertical")
    return _q("gross_footprint_area", s.extrusion.profile_area, PARAMETRIC, "IfcProfileDef",
              _("area of the vertically extruded profile, before openings"))


def _base_area(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    return _q("net_footprint_area", g.base_area, GEOMETRY, "mesh",
              _("area of the faces at the element's base (openings down to the floor deducted)"))


def _upward_area(s: Subject) -> Quantity | str:
    g = _mesh(s)
    if isinstance(g, str):
        return g
    return _q("net_footprint_area", g.upward_projected_area, GEOMETRY, "mesh",
              _("area of the upward faces seen from above, openings deducted"))


def _count(s: Subject) -> Quantity | str:
    return _q("count", 1.0, ELEMENT, "element", _("one per element"))


_LENGTH_ALONG_X = _local_extent("length", 0, _("extent of the geometry along the element's local X axis"))

METHODS: dict[str, dict[str, tuple[Method, ...]]] = {
    WALL: {
        "length": (_LENGTH_ALONG_X,),
        "height": (_vertical_extent("height"),),
        "thickness": (_layer_thickness, _local_extent("thickness", 1, _("extent of the geometry along the "
                                                                         "wall's local Y axis"))),
        "net_side_area": (_wall_side_area,),
        "gross_side_area": (_gross_side_from_volume, _same_as_net("gross_side_area", _wall_side_area)),
        "net_footprint_area": (_base_area,),
        "gross_footprint_area": (_profile_footprint, _same_as_net("gross_footprint_area", _base_area)),
    },
    SLAB: {
        "length": (_LENGTH_ALONG_X,),
        "thickness": (_layer_thickness, _vertical_extrusion_depth, _volume_over_top_area),
        "perimeter": (_profile_perimeter, _outline_perimeter),
        "net_footprint_area": (_upward_area,),
        "gross_footprint_area": (_profile_footprint, _same_as_net("gross_footprint_area", _upward_area)),
    },
    LINEAR: {
        "length": (_extrusion_depth, _longest_extent),
        "width": (_diameter("width"), _section_width),
        "height": (_diameter("height"), _vertical_extent("height")),
        "cross_section_area": (_profile_area,),
        "outer_surface_area": (_lateral_area_parametric, _lateral_area_geometry),
    },
    FILL: {
        "width": (_local_extent("width", 0, _("extent of the geometry along the element's local X axis")),),
        "height": (_vertical_extent("height"),),
        "perimeter": (_rectangle_perimeter,),
        "gross_side_area": (_fill_area,),
    },
    SPACE: {
        "height": (_vertical_extent("height"),),
        "perimeter": (_profile_perimeter, _outline_perimeter),
        "net_footprint_area": (_upward_area,),
        "gross_footprint_area": (_profile_footprint, _same_as_net("gross_footprint_area", _upward_area)),
    },
}
_DEFAULT_METHODS: dict[str, tuple[Method, ...]] = {
    "count": (_count,),
    "height": (_vertical_extent("height"),),
    "net_footprint_area": (_upward_area,),
    "gross_footprint_area": (_profile_footprint, _same_as_net("gross_footprint_area", _upward_area)),
    "net_volume": (_net_volume_parametric, _volume_geometry("net_volume")),
    "gross_volume": (_gross_volume_parametric, _volume_geometry("gross_volume")),
}


def compute(subject: Subject) -> tuple[dict[str, Value], dict[str, Quantity]]:
    """(value or reason per kind, alternative values) for every kind of the subject's family.

    Weights are left out: they need the layer quantities (see :mod:`checks.takeoff.weights`).
    """
    values: dict[str, Value] = {}
    alternatives: dict[str, Quantity] = {}
    family_kinds = FAMILY_KINDS[subject.family]
    for key in KIND_KEYS:
        if key in ("gross_weight", "net_weight"):
            continue
        if key not in family_kinds:
            values[key] = NotComputable(key, _("does not apply to this class"), applies=False)
            continue
        if subject.family == ASSEMBLY and key != "count":
            values[key] = NotComputable(key, _("an assembly: its parts are measured"), applies=False)
            continue
        methods = METHODS.get(subject.family, {}).get(key) or _DEFAULT_METHODS.get(key, ())
        found: list[Quantity] = []
        reasons: list[str] = []
        for method in methods:
            result = method(subject)
            if isinstance(result, Quantity):
                found.append(result)
            elif result and result not in reasons:
                reasons.append(result)
        if found:
            values[key] = found[0]
            if len(found) > 1 and found[1].source != found[0].source:
                alternatives[key] = found[1]
        else:
            values[key] = NotComputable(key, "; ".join(reasons) or _("no method measures it"))
    return values, alternatives
