"""Model-quality rules on the demo: they find its deliberate faults, and nothing else, and the faults we add."""

from __future__ import annotations

import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.spatial
import ifcopenshell.util.element
import pytest

from checks.model import CheckedModel
from checks.rules import RuleModel
from tests.checks.rules.helpers import failing_ids, reasons, replaced, run_rule


def by_id(ifc, global_id):
    return ifc.by_guid(global_id)


def without_quantities(global_id):
    """An edit that removes every quantity set of the element ``global_id``."""

    def edit(ifc):
        element = by_id(ifc, global_id)
        for definition in ifcopenshell.util.element.get_psets(element, qtos_only=True).values():
            ifcopenshell.api.pset.remove_pset(ifc, product=element, pset=ifc.by_id(definition["id"]))

    return edit


# -- GLOBALID-DUPLICATE ------------------------------------------------------------------


def test_the_demo_federation_shares_its_spatial_structure_without_duplicate_global_ids(federation):
    assert run_rule("GLOBALID-DUPLICATE", federation).status.value == "pass"


def test_two_walls_of_one_model_with_the_same_global_id_both_fail(demo_project, demo_models, edited):
    south, north = demo_project.global_id("ARC", "RDC/wall-S"), demo_project.global_id("ARC", "RDC/wall-N")
    arc = edited("ARC", lambda ifc: setattr(by_id(ifc, north), "GlobalId", south))
    result = run_rule("GLOBALID-DUPLICATE", replaced(demo_models, ARC=arc))
    failing = [e for m in result.models for e in m.failing]
    assert [(e.global_id, e.name) for e in failing] == [(south, "Mur extérieur S"), (south, "Mur extérieur N")]
    assert all("in the same model" in text for text in reasons(result))


def test_an_element_copied_into_another_model_fails_in_both_unless_models_are_not_compared(
        demo_project, demo_models, edited):
    wall = demo_project.global_id("ARC", "RDC/wall-S")
    structure = edited("STR", lambda ifc: setattr(by_id(ifc, demo_project.global_id("STR", "RDC/col-C1")),
                                                  "GlobalId", wall))
    models = replaced(demo_models, STR=structure)
    result = run_rule("GLOBALID-DUPLICATE", models)
    assert [(m.model_name, [e.ifc_class for e in m.failing]) for m in result.models if m.failing] == [
        ("demo-ARC-architecture", ["IfcWall"]), ("demo-STR-structure", ["IfcColumn"])]
    assert 'IfcColumn "Poteau C1"' in reasons(result)[0] and "in model demo-STR-structure" in reasons(result)[0]
    assert run_rule("GLOBALID-DUPLICATE", models, across_models=False).status.value == "pass"


def test_storeys_sharing_a_global_id_across_models_fail_when_storeys_may_not_be_shared(federation):
    result = run_rule("GLOBALID-DUPLICATE", federation, shared_classes=["IfcProject", "IfcSite", "IfcBuilding"])
    assert {e.ifc_class for m in result.models for e in m.failing} == {"IfcBuildingStorey"}


# -- ELEMENT-CONTAINMENT -----------------------------------------------------------------


def test_the_cable_tray_outside_any_storey_is_the_only_uncontained_element(demo_project, federation):
    result = run_rule("ELEMENT-CONTAINMENT", federation)
    assert failing_ids(result) == [demo_project.global_id("ELE", "R+1/tray-B")]
    assert reasons(result) == [
        "IfcRelContainedInSpatialStructure: expected contained in a building storey, found no spatial element"]


def test_the_tray_passes_once_placed_on_its_storey(demo_project, demo_models, edited):
    def place(ifc):
        storey = next(s for s in ifc.by_type("IfcBuildingStorey") if s.Name == "R+1")
        tray = by_id(ifc, demo_project.global_id("ELE", "R+1/tray-B"))
        ifcopenshell.api.spatial.assign_container(ifc, products=[tray], relating_structure=storey)

    result = run_rule("ELEMENT-CONTAINMENT", replaced(demo_models, ELE=edited("ELE", place)))
    assert result.status.value == "pass"


def test_an_element_on_the_site_fails_unless_the_site_is_an_accepted_container(demo_project, demo_models, edited):
    def on_site(ifc):
        tray = by_id(ifc, demo_project.global_id("ELE", "R+1/tray-B"))
        ifcopenshell.api.spatial.assign_container(ifc, products=[tray], relating_structure=ifc.by_type("IfcSite")[0])

    models = replaced(demo_models, ELE=edited("ELE", on_site))
    assert 'IfcSite "Parcelle démo"' in reasons(run_rule("ELEMENT-CONTAINMENT", models))[0]
    assert run_rule("ELEMENT-CONTAINMENT", models, accepted_containers=["IfcSite"]).status.value == "pass"


# -- ELEMENT-MATERIAL --------------------------------------------------------------------


def test_the_water_pipe_without_material_is_the_only_element_without_one(demo_project, federation):
    result = run_rule("ELEMENT-MATERIAL", federation)
    assert failing_ids(result) == [demo_project.global_id("PLB", "R+1/pipe-A1")]
    assert reasons(result) == [
        "IfcRelAssociatesMaterial: expected a material on the element or its type, found none"]


def test_a_material_on_the_pipe_type_is_enough(demo_project, demo_models, edited):
    def on_type(ifc):
        pipe = by_id(ifc, demo_project.global_id("PLB", "R+1/pipe-A1"))
        pipe_type = ifcopenshell.util.element.get_type(pipe)
        material = ifcopenshell.api.material.add_material(ifc, name="PE")
        ifcopenshell.api.material.assign_material(ifc, products=[pipe_type], material=material)

    result = run_rule("ELEMENT-MATERIAL", replaced(demo_models, PLB=edited("PLB", on_type)))
    assert result.status.value == "pass"


def test_a_material_without_a_name_counts_as_missing_unless_names_are_not_required(
        demo_project, demo_models, edited):
    def nameless(ifc):
        pipe = by_id(ifc, demo_project.global_id("PLB", "R+1/pipe-A1"))
        material = ifcopenshell.api.material.add_material(ifc)
        material.Name = " "  # the api would name it "Unnamed"
        ifcopenshell.api.material.assign_material(ifc, products=[pipe], material=material)

    models = replaced(demo_models, PLB=edited("PLB", nameless))
    assert reasons(run_rule("ELEMENT-MATERIAL", models))[0].endswith("found a material without a name")
    assert run_rule("ELEMENT-MATERIAL", models, require_name=False).status.value == "pass"


def test_the_classes_parameter_narrows_the_rule_to_a_trade(federation):
    assert run_rule("ELEMENT-MATERIAL", federation, classes=["IfcWall", "IfcSlab"]).status.value == "pass"


# -- SPACE-NAME and SPACE-AREA -----------------------------------------------------------


def test_the_space_with_neither_number_nor_name_fails(demo_project, federation):
    result = run_rule("SPACE-NAME", federation)
    assert failing_ids(result) == [demo_project.global_id("ARC", "R+1/space-B")]
    assert reasons(result)[0].endswith("expected a number (Name) or a name (LongName), found neither")


def test_a_space_with_a_number_only_passes_either_but_not_both(demo_project, demo_models, edited):
    space_b = demo_project.global_id("ARC", "R+1/space-B")
    models = replaced(demo_models, ARC=edited("ARC", lambda ifc: setattr(by_id(ifc, space_b), "Name", "R+1-03")))
    assert run_rule("SPACE-NAME", models).status.value == "pass"
    both = run_rule("SPACE-NAME", models, require="number_and_name")
    assert failing_ids(both) == [space_b] and reasons(both)[0].endswith("found no name (LongName)")


def test_every_demo_space_has_an_area_from_its_quantities(federation):
    assert run_rule("SPACE-AREA", federation).status.value == "pass"


def test_a_space_without_quantities_is_measured_on_its_geometry(demo_project, demo_models, edited):
    hall = demo_project.global_id("ARC", "RDC/space-HALL")
    models = replaced(demo_models, ARC=edited("ARC", without_quantities(hall)))
    assert run_rule("SPACE-AREA", models).status.value == "pass"
    floor = demo_project.element(hall).quantities.area
    too_big = run_rule("SPACE-AREA", models, min_area=floor + 1)
    hall_reason = next(r for r in reasons(too_big) if "the space's geometry" in r)
    assert hall_reason == f"the space's geometry: expected a floor area above {floor + 1:g} m², found {floor:.2f} m²"
    assert failing_ids(run_rule("SPACE-AREA", models, require_quantity=True)) == [hall]
    assert failing_ids(run_rule("SPACE-AREA", models, use_geometry=False)) == [hall]


def test_without_geometry_a_space_without_quantities_has_no_area(demo_project, edited):
    hall = demo_project.global_id("ARC", "RDC/space-HALL")
    arc = edited("ARC", without_quantities(hall))
    only_data = [RuleModel(CheckedModel(arc.model_id, "arc", arc.ifc()))]
    assert reasons(run_rule("SPACE-AREA", only_data))[0].endswith("found no area quantity and no geometry")


@pytest.mark.parametrize("rule_id", ["GLOBALID-DUPLICATE", "ELEMENT-CONTAINMENT", "ELEMENT-MATERIAL", "SPACE-NAME",
                                     "SPACE-AREA"])
def test_rules_that_read_data_only_run_without_geometry(rule_id, demo_models):
    only_data = [RuleModel(CheckedModel(m.model_id, m.path.stem, m.ifc())) for m in demo_models.values()]
    assert run_rule(rule_id, only_data).skipped_models == ()
