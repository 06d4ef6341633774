"""Rules that compare the models of the federation with each other: storeys, origin and orientation.

Each model is compared with one reference model: the one named by the
``reference`` parameter (a model id or a trade code), else the architecture
model (trade ARC) when there is one, else the first model. The reference's own
elements always pass: they define what is expected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import ifcopenshell.util.geolocation
import ifcopenshell.util.placement
import ifcopenshell.util.unit
import numpy as np

from bim.i18n import N_, _
from checks.rules.base import BuiltinRule, ModelFindings, Parameter, RuleModel, metres
from checks.rules.severity import Severity

_REFERENCE = Parameter("reference", "", N_("model id or trade code of the reference model (empty: the architecture "
                                           "model, else the first)"), "str")


def reference_model(models: Sequence[RuleModel], wanted: str) -> RuleModel:
    """The model the others are compared with (see the module docstring)."""
    if wanted:
        for model in models:
            if model.model_id == wanted or (model.trade or "").upper() == wanted.upper():
                return model
    for model in models:
        if (model.trade or "").upper() == "ARC":
            return model
    return models[0]


def _norm(name: str | None, ignore_case: bool) -> str:
    text = " ".join((name or "").split())
    return text.casefold() if ignore_case else text


def storey_elevation(model: RuleModel, storey) -> float | None:
    """A storey's elevation in metres: its Elevation attribute, else the height of its placement."""
    scale = model.scale("LENGTHUNIT")
    if getattr(storey, "Elevation", None) is not None:
        return float(storey.Elevation) * scale
    if storey.ObjectPlacement is not None:
        return float(ifcopenshell.util.placement.get_local_placement(storey.ObjectPlacement)[2, 3]) * scale
    return None


class StoreyConsistency(BuiltinRule):
    """The storeys of every model have the names and elevations of the reference model's.

    Trades federate, filter and locate issues by storey: "R+1" at 3.00 m in the
    architecture model must be "R+1" at 3.00 m in the structure and MEP
    models. For each storey of each other model:

    * a storey with a reference storey's name but another elevation (beyond
      ``elevation_tolerance``) fails;
    * a storey whose name the reference lacks fails, naming the reference
      storey at its elevation if there is one ("Niveau 1" where the reference
      has "R+1");

    A model need not have every storey of the reference (a structure model
    without the roof level passes). Elevations are the storeys' Elevation
    attributes converted to metres (the height of their placement when not
    given); names are compared without surrounding blanks.

    Code, not IDS: IDS checks one model at a time; it cannot compare two.

    Parameters: ``elevation_tolerance`` (0.01 m), ``ignore_case`` (true:
    "r+1" is "R+1"), ``reference`` (see the module).

    Example: the structure model calls the first floor "Niveau 1" at 3.00 m,
    the architecture model "R+1"::

        {"rule": "STOREY-CONSISTENCY", "parameters": {"elevation_tolerance": 0.005}}

        IfcBuildingStorey "Niveau 1" — IfcBuildingStorey.Name: expected "R+1"
        (the storey at 3 m in demo-ARC-architecture), found "Niveau 1"
    """

    rule_id = "STOREY-CONSISTENCY"
    title = N_("Storeys are the same in every model")
    applies_to = N_("the building storeys of every model, compared with the reference model's")
    requirement = N_("the name and elevation of a storey of the reference model (tolerance {elevation_tolerance} m)")
    instructions = N_("Rename or move the storey to match the reference model (shared levels template).")
    default_severity = Severity.ERROR
    min_models = 2
    parameters = (
        Parameter("elevation_tolerance", 0.01, N_("largest accepted difference of elevation"), "float", "m",
                  minimum=0.0),
        Parameter("ignore_case", True, N_("compare names without regard to case"), "bool"),
        _REFERENCE,
    )

    def evaluate(self, models, params, cancel):
        tolerance, ignore_case = params["elevation_tolerance"], params["ignore_case"]
        reference = reference_model(models, params["reference"])
        expected_storeys = [(s, s.Name, storey_elevation(reference, s))
                            for s in sorted(reference.ifc_file.by_type("IfcBuildingStorey"), key=lambda e: e.id())]
        by_name = {_norm(name, ignore_case): (name, z) for _s, name, z in expected_storeys}
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            for storey in sorted(model.ifc_file.by_type("IfcBuildingStorey"), key=lambda e: e.id()):
                ref = model.ref(storey)
                found.applicable.append(ref)
                if model is reference:
                    continue
                z = storey_elevation(model, storey)
                match = by_name.get(_norm(storey.Name, ignore_case))
                if match is not None:
                    name, z_ref = match
                    if z_ref is not None and (z is None or abs(z - z_ref) > tolerance):
                        found.fail(ref, _("{elevation} (as {storey} in {model})").format(
                            elevation=metres(z_ref), storey=_quote(name), model=reference.name),
                            metres(z) if z is not None else _("no elevation"), _("IfcBuildingStorey.Elevation"))
                    continue
                same_level = [(name, z_ref) for _s, name, z_ref in expected_storeys
                              if z is not None and z_ref is not None and abs(z - z_ref) <= tolerance]
                if same_level:
                    name, z_ref = same_level[0]
                    found.fail(ref, _("{name} (the storey at {elevation} in {model})").format(
                        name=_quote(name), elevation=metres(z_ref), model=reference.name),
                        _quote(storey.Name), _("IfcBuildingStorey.Name"))
                else:
                    known = ", ".join(_("{name} at {elevation}").format(
                        name=_quote(name), elevation=metres(z_ref) if z_ref is not None else "?")
                        for _s, name, z_ref in expected_storeys) or _("none")
                    found.fail(ref, _("a storey of {model}: {storeys}").format(model=reference.name, storeys=known),
                               _("{name} at {elevation}, which {model} lacks").format(
                                   name=_quote(storey.Name), elevation=metres(z) if z is not None else "?",
                                   model=reference.name),
                               _("IfcBuildingStorey.Name, IfcBuildingStorey.Elevation"))
        return findings


def _quote(text: str | None) -> str:
    return f"“{text}”" if text else _("(no name)")


def _plan_angle(matrix: np.ndarray) -> float:
    """The plan rotation of a placement matrix: the angle of its X axis, in degrees."""
    return math.degrees(math.atan2(matrix[1, 0], matrix[0, 0]))


def _angle_gap(a: float, b: float) -> float:
    """The smallest difference between two angles in degrees (359° and 1° are 2° apart)."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def _world(model: RuleModel, product) -> np.ndarray | None:
    if product is None or getattr(product, "ObjectPlacement", None) is None:
        return None
    matrix = np.array(ifcopenshell.util.placement.get_local_placement(product.ObjectPlacement), float)
    matrix[:3, 3] *= model.scale("LENGTHUNIT")
    return matrix


def _first(model: RuleModel, ifc_class: str):
    found = sorted(model.ifc_file.by_type(ifc_class), key=lambda e: e.id())
    return found[0] if found else None


def _map_conversion(model: RuleModel):
    """(eastings, northings, height in metres; rotation in degrees; scale), or None when the model has none."""
    try:
        helmert = ifcopenshell.util.geolocation.get_helmert_transformation_parameters(model.ifc_file)
    except Exception:  # a malformed map conversion: treated as none, the model's placements still compare
        return None
    if helmert is None:
        return None
    unit = model.scale("LENGTHUNIT")
    conversions = model.ifc_file.by_type("IfcMapConversion") if model.ifc_file.schema != "IFC2X3" else []
    target = getattr(conversions[0], "TargetCRS", None) if conversions else None
    map_unit = getattr(target, "MapUnit", None) if target is not None else None
    if map_unit is not None:
        # Map coordinates are in the CRS's unit when it names one, else in the project's.
        unit = _unit_scale(map_unit)
    return (helmert.e * unit, helmert.n * unit, helmert.h * unit,
            math.degrees(math.atan2(helmert.xao, helmert.xaa)), float(helmert.scale or 1.0))


def _unit_scale(unit) -> float:
    """Metres per unit of an IfcSIUnit or IfcConversionBasedUnit for lengths."""
    if unit.is_a("IfcSIUnit"):
        return ifcopenshell.util.unit.get_prefix_multiplier(unit.Prefix)
    if unit.is_a("IfcConversionBasedUnit"):
        factor = unit.ConversionFactor
        return float(factor.ValueComponent.wrappedValue) * _unit_scale(factor.UnitComponent)
    return 1.0


class FederationAlignment(BuiltinRule):
    """All models share the reference model's origin and orientation (the federation is aligned).

    Models exported from different origins land metres or kilometres apart, or
    turned, when federated, and every clash and measurement between them is
    wrong. Each model is compared with the reference model on:

    * the IfcSite placement (position and plan rotation, in the world); when
      the sites agree, the IfcBuilding placement;
    * the map conversion (IfcMapConversion in IFC4 and later,
      ePSet_MapConversion on the project in IFC2X3): eastings, northings,
      orthogonal height, rotation of the X axis and scale — a model with one
      and a reference without, or the reverse, fails;
    * true north (the model context's TrueNorth);
    * the bounding boxes of their geometry, when it is loaded: boxes further
      apart than ``bbox_margin`` mean the geometry itself was shifted, whatever
      the placements say.

    Code, not IDS: it compares models, and reads geometry.

    Parameters: ``position_tolerance`` (0.01 m), ``angle_tolerance``
    (0.05°), ``bbox_margin`` (10 m; 0 turns the bounding box comparison off),
    ``reference`` (see the module).

    Example: the structure model's site was exported 5 m east of the
    architecture model's::

        {"rule": "FEDERATION-ALIGNMENT", "parameters": {"position_tolerance": 0.001}}

        IfcSite "Parcelle démo" — IfcSite placement: expected (0, 0, 0) as in
        demo-ARC-architecture, found (5, 0, 0): 5 m away
    """

    rule_id = "FEDERATION-ALIGNMENT"
    title = N_("Models share the same origin and orientation")
    applies_to = N_("the project, site and building of every model, compared with the reference model's")
    requirement = N_("the reference model's site and building placements, map conversion and true north "
                     "(tolerances {position_tolerance} m, {angle_tolerance}°), and geometry within "
                     "{bbox_margin} m of it")
    instructions = N_("Export every model from the same shared coordinates (survey point and project base point), "
                      "with the same true north.")
    default_severity = Severity.ERROR
    min_models = 2
    parameters = (
        Parameter("position_tolerance", 0.01, N_("largest accepted distance between origins"), "float", "m",
                  minimum=0.0),
        Parameter("angle_tolerance", 0.05, N_("largest accepted difference of orientation"), "float", "°",
                  minimum=0.0),
        Parameter("bbox_margin", 10.0, N_("largest gap between the geometry's bounding boxes (0: not compared)"),
                  "float", "m", minimum=0.0),
        _REFERENCE,
    )

    def evaluate(self, models, params, cancel):
        reference = reference_model(models, params["reference"])
        expected = _Frame(reference)
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            frame = _Frame(model) if model is not reference else expected
            for entity in (frame.project, frame.site, frame.building):
                if entity is not None:
                    found.applicable.append(model.ref(entity))
            if model is not reference:
                self._compare(model, frame, reference, expected, params, found)
        return findings

    def _compare(self, model, frame, reference, expected, params, found: ModelFindings) -> None:
        tol, angle_tol = params["position_tolerance"], params["angle_tolerance"]
        as_in = _("as in {model}").format(model=reference.name)
        placement_problem = False
        for label, mine, theirs, entity in ((_("IfcSite placement"), frame.site_matrix, expected.site_matrix,
                                            frame.site),
                                           (_("IfcBuilding placement"), frame.building_matrix,
                                            expected.building_matrix, frame.building)):
            if mine is None or theirs is None or entity is None or placement_problem:
                continue
            gap = float(np.linalg.norm(mine[:3, 3] - theirs[:3, 3]))
            turn = _angle_gap(_plan_angle(mine), _plan_angle(theirs))
            if gap > tol or turn > angle_tol:
                placement_problem = True  # the building moves with its site: say it once
                found.fail(model.ref(entity),
                           _("{point}, turned {angle}° ({as_in})").format(
                               point=_point(theirs[:3, 3]), angle=_deg(_plan_angle(theirs)), as_in=as_in),
                           _("{point}, turned {angle}°: {gap} away, {turn}° off").format(
                               point=_point(mine[:3, 3]), angle=_deg(_plan_angle(mine)), gap=metres(gap),
                               turn=_deg(turn)),
                           label)
        anchor = frame.project or frame.site or frame.building
        if anchor is None:
            return
        where_map = _("IfcMapConversion") if model.ifc_file.schema != "IFC2X3" else _("ePSet_MapConversion")
        if (frame.map is None) != (expected.map is None):
            found.fail(model.ref(anchor),
                       _("a map conversion ({as_in})").format(as_in=as_in) if expected.map else
                       _("no map conversion ({as_in})").format(as_in=as_in),
                       _("none") if frame.map is None else _describe_map(frame.map), where_map)
        elif frame.map is not None:
            e, n, h, rot, scale = frame.map
            e0, n0, h0, rot0, scale0 = expected.map
            if (math.dist((e, n, h), (e0, n0, h0)) > tol or _angle_gap(rot, rot0) > angle_tol
                    or abs(scale - scale0) > 1e-6):
                found.fail(model.ref(anchor), f"{_describe_map(expected.map)} ({as_in})", _describe_map(frame.map),
                           where_map)
        if _angle_gap(frame.true_north, expected.true_north) > angle_tol:
            found.fail(model.ref(anchor), _("true north at {angle}° ({as_in})").format(
                angle=_deg(expected.true_north), as_in=as_in),
                _("{angle}°").format(angle=_deg(frame.true_north)), _("TrueNorth of the model context"))
        margin = params["bbox_margin"]
        if margin > 0 and frame.bounds is not None and expected.bounds is not None:
            gap = _box_gap(frame.bounds, expected.bounds)
            if gap > margin:
                found.fail(model.ref(anchor),
                           _("geometry within {margin} of {model}'s ({box})").format(
                               margin=metres(margin), model=reference.name, box=_box(expected.bounds)),
                           _("geometry at {box}: {gap} away").format(box=_box(frame.bounds), gap=metres(gap)),
                           _("bounding box of the model's geometry"))


class _Frame:
    """Where a model puts its origin: site and building placements, map conversion, true north, geometry box."""

    def __init__(self, model: RuleModel):
        self.project = _first(model, "IfcProject")
        self.site = _first(model, "IfcSite")
        self.building = _first(model, "IfcBuilding")
        self.site_matrix = _world(model, self.site)
        self.building_matrix = _world(model, self.building)
        self.map = _map_conversion(model)
        try:
            self.true_north = float(ifcopenshell.util.geolocation.get_true_north(model.ifc_file))
        except Exception:  # an unreadable TrueNorth is read as the default, north along +Y
            self.true_north = 0.0
        self.bounds = model.mesh.bounds() if model.has_geometry else None


def _deg(angle: float) -> str:
    return f"{angle:.2f}".rstrip("0").rstrip(".")


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _point(xyz) -> str:
    return "(" + ", ".join(_num(float(c)) for c in xyz) + ")"


def _box(bounds) -> str:
    lo, hi = bounds
    return f"{_point(lo)} – {_point(hi)}"


def _box_gap(a, b) -> float:
    """Distance between two axis-aligned boxes (0 when they touch or overlap)."""
    gaps = np.maximum(0.0, np.maximum(a[0] - b[1], b[0] - a[1]))
    return float(np.linalg.norm(gaps))


def _describe_map(conversion) -> str:
    e, n, h, rot, scale = conversion
    return _("E {e}, N {n}, H {h}, rotation {rot}°, scale {scale}").format(
        e=_num(e), n=_num(n), h=_num(h), rot=_deg(rot), scale=f"{scale:g}")
