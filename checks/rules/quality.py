"""Model-quality rules that read the IFC data only: GlobalIds, storeys, materials, spaces.

Each of these is code rather than IDS for a reason given in its docstring:
IDS 1.0 entity facets name exact classes (no "every subtype of IfcElement"),
its requirements are all required together (no "number *or* name"), and it
sees one model at a time (no GlobalId shared between two files).
"""

from __future__ import annotations

from collections.abc import Sequence

import ifcopenshell
import ifcopenshell.util.element
import numpy as np

from bim.i18n import N_, _
from checks.rules.base import BuiltinRule, ModelFindings, Parameter, RuleModel, elements_of_classes, every
from checks.rules.severity import Severity

_LISTED = 3  # other holders named in a duplicate's reason; more are counted


def _is_any(element: ifcopenshell.entity_instance, classes: Sequence[str]) -> bool:
    return any(element.is_a(c) for c in classes)


def _blank(value) -> bool:
    return not isinstance(value, str) or not value.strip()


class GlobalIdDuplicate(BuiltinRule):
    """Every GlobalId is used once: in each model, and across the models of the federation.

    A GlobalId identifies an object for its whole life: issues, BCF viewpoints,
    comparisons between versions and this program's element keys all rely on it.
    Two entities of one file with the same GlobalId make the file invalid; the
    same GlobalId in two trade models means an element was exported twice or
    copied between files. The spatial structure (project, site, building,
    storeys) may share its GlobalIds between models made from one template, as
    the demo's five files do: classes in ``shared_classes`` may repeat across
    models when both holders are of the same class.

    Code, not IDS: IDS checks one model's values, it cannot compare entities.

    Parameters: ``across_models`` (true) also compares the models with each
    other; ``shared_classes`` (IfcProject, IfcSite, IfcBuilding,
    IfcBuildingStorey, IfcFacility, IfcFacilityPart) may share a GlobalId across
    models. Every IfcRoot is checked; objects and types are counted as applicable.

    Example: the structure model has a column ``2O2Fr$t4X7Zf8NOew3FLOH`` and the
    architecture model a wall with the same GlobalId. Both fail::

        {"rule": "GLOBALID-DUPLICATE", "severity": "error",
         "parameters": {"across_models": true}}

        IfcColumn "C1" — GlobalId: expected a GlobalId no other entity uses,
        found also used in model demo-ARC-architecture by IfcWall "Mur S"
    """

    rule_id = "GLOBALID-DUPLICATE"
    title = N_("GlobalIds are unique")
    applies_to = N_("every entity with a GlobalId (objects and types counted), in each model and across models")
    requirement = N_("a GlobalId no other entity uses (classes allowed to repeat across models: {shared_classes})")
    instructions = N_("Give the entity a new GlobalId in the authoring tool (copying elements between files "
                      "keeps their GlobalIds), or remove the element exported twice.")
    default_severity = Severity.ERROR
    parameters = (
        Parameter("across_models", True, N_("also compare the models of the federation with each other"), "bool"),
        Parameter("shared_classes", ("IfcProject", "IfcSite", "IfcBuilding", "IfcBuildingStorey", "IfcFacility",
                                     "IfcFacilityPart"),
                  N_("classes whose GlobalId may repeat across models (same class in both)"), "list"),
    )

    def evaluate(self, models, params, cancel):
        findings = {m.model_id: ModelFindings() for m in models}
        holders: dict[str, list[tuple[RuleModel, ifcopenshell.entity_instance]]] = {}
        for model in models:
            found = findings[model.model_id]
            for entity in every(model.ifc_file.by_type("IfcRoot"), cancel):
                holders.setdefault(entity.get_argument(0), []).append((model, entity))
                if entity.is_a("IfcObjectDefinition"):
                    found.applicable.append(model.ref(entity))
        shared = params["shared_classes"]
        for global_id, owners in every(list(holders.items()), cancel):
            if len(owners) < 2:
                continue
            for model, entity in owners:
                others = []
                for other_model, other in owners:
                    if other is entity:
                        continue
                    if other_model is model:
                        others.append(_("{entity} in the same model").format(entity=model.ref(other).label))
                    elif params["across_models"] and not (
                            other.is_a() == entity.is_a() and _is_any(entity, shared)):
                        others.append(_("{entity} in model {model}").format(
                            entity=other_model.ref(other).label, model=other_model.name))
                if not others:
                    continue
                shown = "; ".join(others[:_LISTED])
                if len(others) > _LISTED:
                    shown += " " + _("and {n} more").format(n=len(others) - _LISTED)
                findings[model.model_id].fail(
                    model.ref(entity), _("a GlobalId no other entity uses"),
                    _("also used by {others}").format(others=shown), _("GlobalId"))
        return findings


class ElementContainment(BuiltinRule):
    """Every building element stands in a building storey.

    An element outside the storeys is missing from storey filters, from
    takeoffs by level and from issue locations. An element counts as contained
    when it is contained in a storey, in a space of a storey, or is part of an
    assembly (or nested in an element) that is; the answer is
    ``ifcopenshell.util.element.get_container`` walked up to the storey.

    Code, not IDS: IDS entity facets name exact classes, so an IDS can only list
    some (MQ-07 in model-quality-basics lists walls, columns, beams, doors and
    windows); this rule covers every subclass of ``classes``.

    Parameters: ``classes`` (IfcElement) and ``excluded_classes``
    (IfcFeatureElement: openings are in their wall; IfcVirtualElement);
    ``accepted_containers`` (none): other spatial classes accepted in place of
    a storey, e.g. IfcSite for external works.

    Example: the demo's cable tray ``R+1/tray-B`` is in no storey::

        {"rule": "ELEMENT-CONTAINMENT", "parameters": {"accepted_containers": ["IfcSite"]}}

        IfcCableCarrierSegment "Chemin de câbles local B" — IfcRelContainedInSpatialStructure:
        expected contained in a building storey, found in no spatial element
    """

    rule_id = "ELEMENT-CONTAINMENT"
    title = N_("Elements are placed in a storey")
    applies_to = N_("elements of the classes {classes} (except {excluded_classes})")
    requirement = N_("contained in a building storey, directly, through a space or through the assembly it is part "
                     "of (also accepted: {accepted_containers})")
    instructions = N_("Host the element on a level in the authoring tool (not on the site, the building or nothing).")
    default_severity = Severity.ERROR
    parameters = (
        Parameter("classes", ("IfcElement",), N_("classes checked, subclasses included"), "list"),
        Parameter("excluded_classes", ("IfcFeatureElement", "IfcVirtualElement"),
                  N_("classes left out, subclasses included"), "list"),
        Parameter("accepted_containers", (), N_("spatial classes accepted instead of a storey"), "list"),
    )

    def evaluate(self, models, params, cancel):
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            for element in every(elements_of_classes(model.ifc_file, params["classes"], params["excluded_classes"]),
                                 cancel):
                ref = model.ref(element)
                found.applicable.append(ref)
                if ref.storey is not None:
                    continue
                container = model.spatial.container(element)
                if container is not None and _is_any(container, params["accepted_containers"]):
                    continue
                where = model.ref(container).label if container is not None else _("no spatial element")
                found.fail(ref, _("contained in a building storey"), where,
                           _("IfcRelContainedInSpatialStructure"))
        return findings


class ElementMaterial(BuiltinRule):
    """Every element has a material, its own or its type's.

    Without a material an element cannot be priced, its quantities cannot be
    split by material and fire or acoustic reviews cannot read it. A material
    set (layers, profiles, constituents) counts when at least one of its parts
    names a material.

    Code, not IDS: the IDS material facet can ask for a material, but an IDS
    entity facet names exact classes; this rule covers every subclass of
    ``classes`` (model-quality-basics MQ-03 to MQ-05 and trade-structure STR-01
    ask the same of walls, slabs, doors and structural members in IDS).

    Parameters: ``classes`` (IfcElement), ``excluded_classes``
    (IfcFeatureElement, IfcVirtualElement, IfcElementAssembly: an assembly's
    parts carry the materials), ``require_name`` (true): a material without a
    name counts as missing.

    Example: the demo's water pipe ``R+1/pipe-A1`` (plumbing) has no material,
    nor has its type::

        {"rule": "ELEMENT-MATERIAL", "severity": "warning",
         "parameters": {"classes": ["IfcFlowSegment", "IfcPipeSegment"]}}

        IfcPipeSegment "Alimentation EF local A" — IfcRelAssociatesMaterial:
        expected a material on the element or its type, found none
    """

    rule_id = "ELEMENT-MATERIAL"
    title = N_("Elements have a material")
    applies_to = N_("elements of the classes {classes} (except {excluded_classes})")
    requirement = N_("a material on the element or its type")
    instructions = N_("Assign a material, or a layer/profile/constituent set with materials, to the element or its "
                      "type.")
    default_severity = Severity.WARNING
    parameters = (
        Parameter("classes", ("IfcElement",), N_("classes checked, subclasses included"), "list"),
        Parameter("excluded_classes", ("IfcFeatureElement", "IfcVirtualElement", "IfcElementAssembly"),
                  N_("classes left out, subclasses included"), "list"),
        Parameter("require_name", True, N_("a material without a name counts as missing"), "bool"),
    )

    def evaluate(self, models, params, cancel):
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            for element in every(elements_of_classes(model.ifc_file, params["classes"], params["excluded_classes"]),
                                 cancel):
                ref = model.ref(element)
                found.applicable.append(ref)
                problem = self._problem(element, params["require_name"])
                if problem:
                    found.fail(ref, _("a material on the element or its type"), problem,
                               _("IfcRelAssociatesMaterial"))
        return findings

    @staticmethod
    def _problem(element, require_name: bool) -> str | None:
        material = ifcopenshell.util.element.get_material(element, should_skip_usage=True)
        if material is None:
            return _("none")
        materials = [m for m in ifcopenshell.util.element.get_materials(element) if m is not None]
        if not materials:
            return _("{kind} without any material").format(kind=material.is_a())
        if require_name and all(_blank(m.Name) for m in materials):
            return _("a material without a name")
        return None


_NUMBER, _NAME = "number", "name"
_SPACE_MODES = {
    "number": (_NUMBER,),
    "name": (_NAME,),
    "number_and_name": (_NUMBER, _NAME),
    "number_or_name": (),
}


class SpaceName(BuiltinRule):
    """Every space is identified: its number (IfcSpace.Name) and/or its name (IfcSpace.LongName).

    By the usual convention the room number is ``Name`` ("R1.04") and the room
    name ``LongName`` ("Bureau"). Room schedules, issue locations and the
    handover to facility management need them; blank or spaces-only text counts
    as missing.

    Code, not IDS, for the ``number_or_name`` mode: IDS requirements all apply
    together, so IDS can say "number and name" (MQ-06 in model-quality-basics)
    but not "at least one of them".

    Parameters: ``require`` — ``number_or_name`` (default: at least one),
    ``number_and_name``, ``number`` or ``name``.

    Example: the demo's space ``R+1/space-B`` has neither::

        {"rule": "SPACE-NAME", "parameters": {"require": "number_and_name"}}

        IfcSpace — IfcSpace.Name, IfcSpace.LongName: expected a number (Name)
        and a name (LongName), found neither
    """

    rule_id = "SPACE-NAME"
    title = N_("Spaces have a number and a name")
    applies_to = N_("every space (IfcSpace)")
    requirement = N_("identified by its number (Name) and name (LongName): {require}")
    instructions = N_("Fill the room number (Name) and the room name (LongName) of the space.")
    default_severity = Severity.WARNING
    parameters = (
        Parameter("require", "number_or_name", N_("what identifies a space"), "str",
                  choices=tuple(_SPACE_MODES)),
    )

    def evaluate(self, models, params, cancel):
        mode = params["require"]
        needed = _SPACE_MODES[mode]
        expected = {
            "number": _("a number (Name)"),
            "name": _("a name (LongName)"),
            "number_and_name": _("a number (Name) and a name (LongName)"),
            "number_or_name": _("a number (Name) or a name (LongName)"),
        }[mode]
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            for space in every(sorted(model.ifc_file.by_type("IfcSpace"), key=lambda e: e.id()), cancel):
                ref = model.ref(space)
                found.applicable.append(ref)
                has = {_NUMBER: not _blank(space.Name), _NAME: not _blank(getattr(space, "LongName", None))}
                ok = any(has.values()) if not needed else all(has[k] for k in needed)
                if ok:
                    continue
                missing = [k for k in (needed or (_NUMBER, _NAME)) if not has[k]]
                found_text = _("neither") if len(missing) == 2 else (
                    _("no number (Name)") if missing == [_NUMBER] else _("no name (LongName)"))
                found.fail(ref, expected, found_text, _("IfcSpace.Name, IfcSpace.LongName"))
        return findings


class SpaceArea(BuiltinRule):
    """Every space has a floor area, from its quantities or else from its geometry.

    Room schedules, surface tables (SHAB, SU, SDP…) and takeoffs by room read
    the floor area. The rule reads the quantities in ``quantities`` in order
    (the first present wins; the model's area unit converted to m²); when none
    is given and ``use_geometry`` is set, it measures the space's tessellation
    (the plan area of its upward faces, which for an extruded room is its
    floor). The area must be greater than ``min_area``.

    Code, not IDS: IDS cannot measure geometry, nor accept one of several
    quantities.

    Parameters: ``min_area`` (0 m²: any positive area), ``quantities``
    (Qto_SpaceBaseQuantities.NetFloorArea, Qto_SpaceBaseQuantities.GrossFloorArea,
    BaseQuantities.NetFloorArea, BaseQuantities.GrossFloorArea — the last two
    as many IFC2X3 exporters name them), ``use_geometry`` (true),
    ``require_quantity`` (false): when true, an area measured from geometry is
    not enough (for deliveries whose room schedule is read from the quantities).

    Example: a space with no quantity set and no body::

        {"rule": "SPACE-AREA", "parameters": {"min_area": 1.0}}

        IfcSpace "R1.04" — Qto_SpaceBaseQuantities.NetFloorArea, geometry:
        expected a floor area above 1 m², found no area quantity and no geometry
    """

    rule_id = "SPACE-AREA"
    title = N_("Spaces have a floor area")
    applies_to = N_("every space (IfcSpace)")
    requirement = N_("a floor area above {min_area} m², from {quantities} or the space's geometry")
    instructions = N_("Give the space a boundary and height in the authoring tool and export base quantities.")
    default_severity = Severity.WARNING
    parameters = (
        Parameter("min_area", 0.0, N_("smallest accepted area (exclusive)"), "float", "m²", minimum=0.0),
        Parameter("quantities", ("Qto_SpaceBaseQuantities.NetFloorArea", "Qto_SpaceBaseQuantities.GrossFloorArea",
                                 "BaseQuantities.NetFloorArea", "BaseQuantities.GrossFloorArea"),
                  N_("quantities read, first present wins (QuantitySet.Quantity)"), "list"),
        Parameter("use_geometry", True, N_("measure the geometry when no quantity is given"), "bool"),
        Parameter("require_quantity", False, N_("an area from geometry alone is not enough"), "bool"),
    )

    def evaluate(self, models, params, cancel):
        minimum = params["min_area"]
        expected = _("a floor area above {area} m²").format(area=f"{minimum:g}")
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            for space in every(sorted(model.ifc_file.by_type("IfcSpace"), key=lambda e: e.id()), cancel):
                ref = model.ref(space)
                found.applicable.append(ref)
                area, source = quantity_value(space, params["quantities"], model.scale("AREAUNIT"))
                if area is None and params["require_quantity"]:
                    found.fail(ref, expected, _("no area quantity"), ", ".join(params["quantities"]))
                    continue
                if area is None and params["use_geometry"] and model.has_geometry and model.instances_of(space.id()):
                    area, source = plan_area(model, space.id()), _("the space's geometry")
                if area is None:
                    where = ", ".join(params["quantities"]) + (", " + _("geometry") if params["use_geometry"] else "")
                    found.fail(ref, expected, _("no area quantity and no geometry") if params["use_geometry"]
                               else _("no area quantity"), where)
                elif area <= minimum:
                    found.fail(ref, expected, _("{area} m²").format(area=f"{area:.2f}"), source)
        return findings


def quantity_value(element, names: Sequence[str], scale: float) -> tuple[float | None, str]:
    """The first of ``names`` ("Set.Quantity") that ``element`` (or its type) gives a number for, in SI."""
    for qualified in names:
        set_name, _dot, prop = qualified.partition(".")
        value = ifcopenshell.util.element.get_pset(element, set_name, prop) if prop else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value) * scale, qualified
    return None, ""


def plan_area(model: RuleModel, step_id: int) -> float:
    """Area in plan (m²) of the upward-facing triangles of an element: an extruded room's floor."""
    mesh = model.mesh
    total = 0.0
    for i in model.instances_of(step_id):
        rep = int(mesh.instance_rep[i])
        v = mesh.rep_vertices[mesh.rep_vertex_offsets[rep]: mesh.rep_vertex_offsets[rep + 1]]
        m = mesh.instance_matrix[i]
        placed = v @ m[:3, :3].T + m[:3, 3]
        tris = mesh.rep_triangles[mesh.rep_triangle_offsets[rep]: mesh.rep_triangle_offsets[rep + 1]]
        if not len(tris):
            continue
        a, b, c = placed[tris[:, 0]], placed[tris[:, 1]], placed[tris[:, 2]]
        z = ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])) / 2.0
        total += float(np.clip(z, 0.0, None).sum())
    return total


__all__ = ["ElementContainment", "ElementMaterial", "GlobalIdDuplicate", "SpaceArea", "SpaceName"]
