"""What the properties panel shows for an element, and property values across a model."""

from __future__ import annotations

import ifcopenshell
import pytest

from bim.demo import DOOR_ACCESSIBILITY_PSET, DOOR_CLEAR_WIDTH_PROPERTY
from bim.ifc_file import open_ifc
from bim.properties import element_properties, format_value, property_names, property_text, property_values


@pytest.fixture(scope="module")
def arc(demo_project):
    return open_ifc(demo_project.paths["ARC"])


def groups_of(model, global_id):
    return {g.title: g for g in element_properties(model, global_id)}


def test_a_demo_wall_shows_its_attributes_type_pset_quantities_layers_and_classification(demo_project, arc):
    gid = demo_project.global_id("ARC", "RDC/wall-S")
    spec = demo_project.element(gid)
    groups = groups_of(arc, gid)
    assert [g.kind for g in element_properties(arc, gid)] == [
        "attributes", "type", "pset", "qto", "material", "classification"]
    attributes = dict(groups["Attributes"].rows)
    assert attributes["Class"] == "IfcWall" and attributes["GlobalId"] == gid and attributes["Name"] == spec.name
    assert dict(groups["Type"].rows)["Name"] == spec.type_name
    assert dict(groups["Pset_WallCommon"].rows) == {
        "Reference": spec.type_name, "IsExternal": "Yes", "LoadBearing": "Yes", "FireRating": "REI 60"}
    quantities = dict(groups["Qto_WallBaseQuantities"].rows)
    assert float(quantities["NetVolume"]) == pytest.approx(spec.quantities.net_volume)
    assert float(quantities["GrossSideArea"]) == pytest.approx(spec.quantities.gross_side_area)
    assert groups["Materials"].rows == (("Béton C25/30", "0.2"), ("Laine minérale", "0.1"))
    assert groups["Classifications"].rows == (("Uniformat II", "B2010 Exterior Walls"),)


@pytest.mark.parametrize("schema", ["IFC2X3", "IFC4X3"])
def test_the_same_wall_reads_the_same_in_the_other_schemas(demo_in_schema, demo_project, arc, schema):
    other = open_ifc(demo_in_schema(schema).paths["ARC"])
    gid = demo_project.global_id("ARC", "RDC/wall-S")
    expected, found = groups_of(arc, gid), groups_of(other, gid)
    for title in ("Pset_WallCommon", "Materials", "Classifications"):
        assert found[title].rows == expected[title].rows, title
    assert dict(found["Qto_WallBaseQuantities"].rows)["NetVolume"] == "8.556"


def test_a_pipe_inherits_nothing_it_lacks_and_shows_its_single_material(demo_project):
    plumbing = open_ifc(demo_project.paths["PLB"])
    with_material = groups_of(plumbing, demo_project.global_id("PLB", "RDC/pipe-EF"))
    without = groups_of(plumbing, demo_project.global_id("PLB", "R+1/pipe-A1"))
    assert with_material["Materials"].rows == (("PE", ""),)
    assert "Materials" not in without  # left without material on purpose


def test_a_door_shows_its_clear_width(demo_project, arc):
    groups = groups_of(arc, demo_project.global_id("ARC", "RDC/door-D02"))
    assert dict(groups[DOOR_ACCESSIBILITY_PSET].rows)[DOOR_CLEAR_WIDTH_PROPERTY] == "0.8"


def test_an_unknown_global_id_has_no_properties(arc):
    assert element_properties(arc, "0000000000000000000000") == []


def test_property_values_give_every_element_its_value_or_none(demo_project, arc):
    values = property_values(arc, "Pset_WallCommon", "FireRating")
    assert values[demo_project.global_id("ARC", "RDC/wall-E")] == "REI 60"
    assert values[demo_project.global_id("ARC", "RDC/wall-P1")] == "EI 30"
    assert values[demo_project.global_id("ARC", "R+1/wall-E")] is None  # missing on purpose
    assert values[demo_project.global_id("ARC", "RDC/door-D01")] is None
    assert set(values) >= {s.global_id for s in demo_project.by_trade("ARC")}


def test_property_text_holds_every_value_in_lower_case_for_search(demo_project, arc):
    texts = property_text(arc)
    wall = texts[demo_project.global_id("ARC", "RDC/wall-S")]
    assert "rei 60" in wall and "mur ext. béton 20 + isolant 10" in wall and wall == wall.lower()


def test_property_names_list_the_pairs_found_for_colour_by(arc):
    names = property_names(arc)
    assert ("Pset_WallCommon", "FireRating") in names and ("Pset_DoorCommon", "HandicapAccessible") in names
    assert names == sorted(set(names))


def test_values_are_shown_without_float_noise_and_entities_by_name(arc):
    assert format_value(None) == ""
    assert format_value(True) == "Yes" and format_value(False) == "No"
    assert format_value(0.1 + 0.2) == "0.3"
    assert format_value(10.079999999999998) == "10.08"
    assert format_value(3) == "3"
    assert format_value([1.5, "a"]) == "1.5, a"
    storey = arc.by_type("IfcBuildingStorey")[0]
    assert format_value(storey) == f"IfcBuildingStorey {storey.Name}"
    point = arc.by_type("IfcCartesianPoint")[0]
    assert format_value(point) == "IfcCartesianPoint"


def test_a_real_ifc2x3_model_shows_its_properties(corpus_model):
    model = ifcopenshell.open(str(corpus_model("duplex-electrical")))
    element = model.by_type("IfcFlowTerminal")[0]
    groups = element_properties(model, element.GlobalId)
    assert groups[0].kind == "attributes" and ("Class", "IfcFlowTerminal") in groups[0].rows
    assert any(g.kind == "pset" and g.rows for g in groups)
