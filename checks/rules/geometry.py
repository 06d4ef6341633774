"""Rules that read the tessellation the viewer already made: missing geometry, duplicated elements.

They never tessellate: they read :attr:`bim.federation.LoadedModel.mesh` (an
instanced mesh: each representation once, one placed instance per element) and
its ``failures``. A model checked without its geometry is skipped by them, and
the result says so.
"""

from __future__ import annotations

import numpy as np

from bim.i18n import N_, _
from checks.rules.base import BuiltinRule, ModelFindings, Parameter, RuleModel, elements_of_classes, every
from checks.rules.severity import Severity


class GeometryMissing(BuiltinRule):
    """Every element has geometry the viewer can show.

    An element without geometry is invisible in the viewer, escapes clash
    detection and is measured as nothing by geometric takeoffs, yet it is in
    the element list and the quantities. The rule reads the model's
    tessellation, made once when the model was loaded:

    * the element has no representation at all (a whole drawn by its parts —
      a stair by its flights, a roof by its slabs — has geometry);
    * the geometry kernel failed on it (``LoadedModel.mesh.failures``, with the
      kernel's own words);
    * it has representations but none produced a shape (only an axis or a
      footprint, say);
    * the shape it produced has no triangle.

    Code, not IDS: IDS does not see geometry.

    Parameters: ``classes`` (IfcElement), ``excluded_classes``
    (IfcFeatureElement, IfcVirtualElement, IfcElementAssembly: an assembly is
    drawn by its parts).

    Example: a beam whose extrusion has a zero depth::

        {"rule": "GEOMETRY-MISSING", "severity": "warning"}

        IfcBeam "B7" — geometry: expected a 3D shape, found the geometry
        kernel failed: …
    """

    rule_id = "GEOMETRY-MISSING"
    title = N_("Elements have a geometry")
    applies_to = N_("elements of the classes {classes} (except {excluded_classes})")
    requirement = N_("a 3D shape with at least one triangle, from the model's tessellation")
    instructions = N_("Re-export the element with a 3D body (Body representation), or repair the solid the geometry "
                      "kernel rejects.")
    default_severity = Severity.WARNING
    needs_geometry = True
    parameters = (
        Parameter("classes", ("IfcElement",), N_("classes checked, subclasses included"), "list"),
        Parameter("excluded_classes", ("IfcFeatureElement", "IfcVirtualElement", "IfcElementAssembly"),
                  N_("classes left out, subclasses included"), "list"),
    )

    def evaluate(self, models, params, cancel):
        expected, where = _("a 3D shape"), _("geometry")
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            failures = {f.global_id: f.reason for f in model.mesh.failures}
            for element in every(elements_of_classes(model.ifc_file, params["classes"], params["excluded_classes"]),
                                 cancel):
                ref = model.ref(element)
                found.applicable.append(ref)
                if ref.global_id in failures:
                    found.fail(ref, expected, _("the geometry kernel failed: {why}").format(
                        why=failures[ref.global_id]), where)
                elif not model.instances_of(element.id()):
                    if not _drawn_by_parts(model, element):
                        found.fail(ref, expected, _describe_representations(element), where)
                elif model.triangle_count(element.id()) == 0:
                    found.fail(ref, expected, _("an empty shape (no triangle)"), where)
        return findings


def _drawn_by_parts(model: RuleModel, element, depth: int = 0) -> bool:
    """Whether a part of ``element`` (through IfcRelAggregates, at any depth) has a shape.

    Stairs, roofs and curtain walls are often wholes without a body of their
    own, drawn by their flights, slabs, plates and members: they have geometry.
    """
    if depth > 16:  # aggregations are a few levels deep; this only guards against cycles
        return False
    for rel in getattr(element, "IsDecomposedBy", None) or ():
        for part in rel.RelatedObjects or ():
            if model.instances_of(part.id()) or _drawn_by_parts(model, part, depth + 1):
                return True
    return False


def _describe_representations(element) -> str:
    """Why an element that produced no shape has none, from its representations."""
    shape = getattr(element, "Representation", None)
    representations = list(shape.Representations or ()) if shape is not None else []
    if not representations:
        return _("no representation")
    names = sorted({r.RepresentationIdentifier or r.RepresentationType or "?" for r in representations})
    return _("no shape from its representations ({names})").format(names=", ".join(names))


class ElementDuplicate(BuiltinRule):
    """No element is modelled twice: same class, same geometry, same place.

    Elements copied onto themselves double quantities and costs, and make
    clashes with themselves invisible. Two elements are duplicates when they
    are of the same IFC class and their placed tessellations (every vertex, in
    model coordinates) are the same within ``tolerance`` — whether they share a
    representation placed by the same matrix or are two copies of it. The
    first element (lowest STEP id, first model) is taken as the original and
    passes; each later copy fails, naming the original.

    Code, not IDS: IDS does not see geometry nor compare elements.

    Parameters: ``tolerance`` (0.001 m: copies drift by float noise, not by
    millimetres), ``across_models`` (false: the same wall in the architecture
    and structure models is a coordination question for clash detection, not a
    modelling error), ``classes`` (IfcElement), ``excluded_classes``
    (IfcFeatureElement, IfcVirtualElement).

    Example: a wall pasted in place in the architecture model::

        {"rule": "ELEMENT-DUPLICATE", "parameters": {"tolerance": 0.005}}

        IfcWall "Mur extérieur S" (copy) — geometry and placement: expected no
        other IfcWall in the same place with the same geometry, found the same
        as IfcWall "Mur extérieur S" (1sd…)
    """

    rule_id = "ELEMENT-DUPLICATE"
    title = N_("Elements are not duplicated")
    applies_to = N_("elements of the classes {classes} (except {excluded_classes}) that have geometry")
    requirement = N_("no other element of the same class with the same geometry in the same place "
                     "(tolerance {tolerance} m)")
    instructions = N_("Delete the copy (keep the element other models or issues refer to).")
    default_severity = Severity.WARNING
    needs_geometry = True
    parameters = (
        Parameter("tolerance", 0.001, N_("largest distance between matching vertices"), "float", "m", minimum=0.0),
        Parameter("across_models", False, N_("also compare elements of different models"), "bool"),
        Parameter("classes", ("IfcElement",), N_("classes checked, subclasses included"), "list"),
        Parameter("excluded_classes", ("IfcFeatureElement", "IfcVirtualElement"),
                  N_("classes left out, subclasses included"), "list"),
    )

    def evaluate(self, models, params, cancel):
        tolerance = params["tolerance"]
        findings = {m.model_id: ModelFindings() for m in models}
        # Candidates are grouped by what must match exactly (class, vertex count), then
        # swept along x: only elements whose centres are within the tolerance are compared.
        groups: dict[tuple, list[tuple[float, int, RuleModel, object, np.ndarray]]] = {}
        for position, model in enumerate(models):
            for element in every(elements_of_classes(model.ifc_file, params["classes"], params["excluded_classes"]),
                                 cancel):
                vertices = model.placed_vertices(element.id())
                if not len(vertices):
                    continue
                findings[model.model_id].applicable.append(model.ref(element))
                scope = None if params["across_models"] else position
                key = (scope, element.is_a(), len(vertices))
                centre = vertices.mean(axis=0)
                groups.setdefault(key, []).append((float(centre[0]), position, model, element, vertices))
        expected_template = _("no other {ifc_class} in the same place with the same geometry")
        for members in every(list(groups.values()), cancel):
            if len(members) < 2:
                continue
            members.sort(key=lambda m: m[0])
            # Union-find: three copies of one wall make one group with one original.
            parent = list(range(len(members)))

            def root(k: int) -> int:
                while parent[k] != k:
                    parent[k] = parent[parent[k]]
                    k = parent[k]
                return k

            for i, (x, _position, _model, _element, vertices) in enumerate(members):
                for j in range(i + 1, len(members)):
                    if members[j][0] - x > tolerance:
                        break
                    if root(i) != root(j) and _same_shape(vertices, members[j][4], tolerance):
                        parent[root(j)] = root(i)
            components: dict[int, list[int]] = {}
            for k in range(len(members)):
                components.setdefault(root(k), []).append(k)
            for component in components.values():
                if len(component) < 2:
                    continue
                # The first in model order, then STEP id, is the original; the others are copies.
                ordered = sorted(component, key=lambda k: (members[k][1], members[k][3].id()))
                first = members[ordered[0]]
                original = first[2].ref(first[3])
                for k in ordered[1:]:
                    _x, _p, model, element, _v = members[k]
                    place = original.label if first[2] is model else _("{entity} in model {model}").format(
                        entity=original.label, model=first[2].name)
                    findings[model.model_id].fail(
                        model.ref(element), expected_template.format(ifc_class=element.is_a()),
                        _("the same as {original}").format(original=place), _("geometry and placement"))
        return findings


def _same_shape(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    """Whether two placed vertex lists describe the same shape within ``tolerance``.

    Copies of one representation list their vertices in the same order; two
    representations of the same solid may not, so the lists are also compared
    sorted (rounded to the tolerance first, so noise does not reorder them).
    """
    if a.shape != b.shape:
        return False
    if np.abs(a.min(0) - b.min(0)).max() > tolerance or np.abs(a.max(0) - b.max(0)).max() > tolerance:
        return False
    if np.abs(a - b).max() <= tolerance:
        return True
    step = max(tolerance, 1e-9)
    keys_a, keys_b = np.round(a / step), np.round(b / step)
    sa = a[np.lexsort(keys_a.T[::-1])]
    sb = b[np.lexsort(keys_b.T[::-1])]
    return bool(np.abs(sa - sb).max() <= tolerance)
