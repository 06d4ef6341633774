"""Geometry rules read the tessellation made at load time: missing shapes, elements modelled twice."""

from __future__ import annotations

import ifcopenshell.api.aggregate
import ifcopenshell.api.root
import ifcopenshell.util.element
import numpy as np

from checks.model import CheckedModel
from checks.rules import RuleModel
from tests.checks.rules.helpers import failing_ids, reasons, replaced, run_rule


def test_every_demo_element_has_a_shape(federation):
    result = run_rule("GEOMETRY-MISSING", federation)
    assert result.status.value == "pass" and result.applicable_count == 78


def test_an_element_without_representation_and_one_the_kernel_rejects_both_fail(demo_project, demo_models, edited):
    column = demo_project.global_id("STR", "RDC/col-C1")
    beam = demo_project.global_id("STR", "RDC/beam-B1")

    def break_two(ifc):
        ifc.by_guid(column).Representation = None
        solid = ifc.by_guid(beam).Representation.Representations[0].Items[0]
        solid.Depth = 0.0  # an extrusion of no length: the kernel makes nothing of it

    structure = edited("STR", break_two)
    assert [f.global_id for f in structure.failures] == [beam]
    result = run_rule("GEOMETRY-MISSING", replaced(demo_models, STR=structure))
    assert failing_ids(result) == sorted([column, beam])
    assert sorted(reasons(result)) == [
        "geometry: expected a 3D shape, found no representation",
        "geometry: expected a 3D shape, found the geometry kernel failed: the geometry kernel produced no shape",
    ]


def test_an_element_drawn_only_by_its_axis_has_no_shape(demo_project, demo_models, edited):
    beam = demo_project.global_id("STR", "RDC/beam-B1")

    def axis_only(ifc):
        representation = ifc.by_guid(beam).Representation.Representations[0]
        representation.RepresentationIdentifier, representation.RepresentationType = "Axis", "Curve3D"

    result = run_rule("GEOMETRY-MISSING", replaced(demo_models, STR=edited("STR", axis_only)))
    assert reasons(result) == ["geometry: expected a 3D shape, found no shape from its representations (Axis)"]


def test_rules_on_geometry_skip_models_whose_geometry_was_not_loaded_and_say_so(demo_models):
    only_data = [RuleModel(CheckedModel(m.model_id, m.path.stem, m.ifc())) for m in demo_models.values()]
    for rule_id in ("GEOMETRY-MISSING", "ELEMENT-DUPLICATE"):
        result = run_rule(rule_id, only_data)
        assert result.status.value == "skipped" and len(result.skipped_models) == 5
        assert result.skip_reason == "this rule needs the models' geometry, which was not loaded"


def test_no_demo_element_is_duplicated(federation):
    assert run_rule("ELEMENT-DUPLICATE", federation).status.value == "pass"


def test_a_column_pasted_in_place_fails_naming_the_original(demo_project, demo_models, edited):
    column = demo_project.global_id("STR", "RDC/col-C1")
    copies = {}

    def paste_twice(ifc):
        original = ifc.by_guid(column)
        shared = ifcopenshell.api.root.copy_class(ifc, product=original)
        shared.Representation = original.Representation  # the same representation, the same place
        separate = ifcopenshell.api.root.copy_class(ifc, product=original)
        separate.Representation = ifcopenshell.util.element.copy_deep(ifc, original.Representation)
        copies.update(shared=shared.GlobalId, separate=separate.GlobalId)

    result = run_rule("ELEMENT-DUPLICATE", replaced(demo_models, STR=edited("STR", paste_twice)))
    assert failing_ids(result) == sorted(copies.values())
    assert set(reasons(result)) == {
        f'geometry and placement: expected no other IfcColumn in the same place with the same geometry, '
        f'found the same as IfcColumn "Poteau C1" ({column})'}


def test_a_copy_moved_by_more_than_the_tolerance_is_not_a_duplicate(demo_project, demo_models, edited):
    column = demo_project.global_id("STR", "RDC/col-C1")

    def paste_aside(ifc):
        original = ifc.by_guid(column)
        copy = ifcopenshell.api.root.copy_class(ifc, product=original)
        copy.Representation = original.Representation
        location = copy.ObjectPlacement.RelativePlacement.Location
        location.Coordinates = (location.Coordinates[0] + 0.002, *location.Coordinates[1:])

    models = replaced(demo_models, STR=edited("STR", paste_aside))
    assert run_rule("ELEMENT-DUPLICATE", models).status.value == "pass"
    assert run_rule("ELEMENT-DUPLICATE", models, tolerance=0.005).failing_count == 1


def test_the_same_elements_in_two_models_are_duplicates_only_when_models_are_compared(demo_models):
    structure = RuleModel.from_loaded(demo_models["STR"])
    again = RuleModel(CheckedModel("STR-again", "STR again", structure.ifc_file), structure.mesh,
                      np.array(structure.instance_step_ids))
    assert run_rule("ELEMENT-DUPLICATE", [structure, again]).status.value == "pass"
    across = run_rule("ELEMENT-DUPLICATE", [structure, again], across_models=True)
    assert [m.failing_count for m in across.models] == [0, 17]
    assert "in model demo-STR-structure" in reasons(across)[0]


def test_a_whole_drawn_by_its_parts_has_geometry_and_an_empty_one_has_none(demo_project, demo_models, edited):
    names = {}

    def add_wholes(ifc):
        with_parts = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcStair", name="drawn by its flight")
        empty = ifcopenshell.api.root.create_entity(ifc, ifc_class="IfcStair", name="nothing inside")
        flight = ifc.by_guid(demo_project.global_id("STR", "RDC/beam-B2"))
        ifcopenshell.api.aggregate.assign_object(ifc, products=[flight], relating_object=with_parts)
        names.update(empty=empty.GlobalId)

    result = run_rule("GEOMETRY-MISSING", replaced(demo_models, STR=edited("STR", add_wholes)))
    assert failing_ids(result) == [names["empty"]]
