"""Rows are filtered by keys or search, and nested into groups whose subtotals add up."""

from __future__ import annotations

import pytest

from checks.takeoff import TakeoffTemplate, run_takeoff
from checks.takeoff.grouping import filter_rows, group_rows


def test_storey_then_class_groups_count_every_element_once(demo_takeoff):
    root = group_rows(demo_takeoff.elements, ("storey", "class"), ("count", "net_volume"), "computed",
                      demo_takeoff.value_order)
    assert root.count == len(demo_takeoff.elements)
    assert sum(child.count for child in root.children) == root.count
    assert root.totals["count"] == root.count


def test_storeys_come_bottom_up_and_elements_in_no_storey_last(demo_takeoff):
    root = group_rows(demo_takeoff.elements, ("storey",), ("count",), order=demo_takeoff.value_order)
    assert [g.value for g in root.children] == ["RDC", "R+1", ""]


def test_a_subtotal_is_the_sum_of_its_groups_and_of_its_rows(demo_takeoff):
    root = group_rows(demo_takeoff.elements, ("storey", "class"), ("net_volume",), "computed")
    for group in root.walk():
        rows_total = sum(r.computed["net_volume"].value for r in group.all_rows()
                         if hasattr(r.computed["net_volume"], "value"))
        assert group.totals["net_volume"] == pytest.approx(rows_total)
        if group.children:
            assert group.totals["net_volume"] == pytest.approx(sum(c.totals["net_volume"] for c in group.children))


def test_non_additive_quantities_have_no_subtotal(demo_takeoff):
    root = group_rows(demo_takeoff.elements, ("class",), ("height", "thickness", "length"))
    assert set(root.totals) == {"length"}


def test_grouping_by_material_and_classification_and_property(demo_models):
    result = run_takeoff(demo_models, TakeoffTemplate(
        groupings=(("property:Pset_WallCommon.FireRating",),), classes=("IfcWall",)))
    by_rating = group_rows(result.elements, ("property:Pset_WallCommon.FireRating",), ("count",))
    assert {g.value: g.count for g in by_rating.children} == {"REI 60": 7, "EI 30": 4, "": 1}
    by_code = group_rows(result.elements, ("classification", "material"), ("count",))
    assert [g.value for g in by_code.children] == ["B2010", "C1010"]


def test_a_selection_filters_rows_by_model_and_global_id(demo_takeoff, demo_project):
    key = ("demo-STR-structure", demo_project.global_id("STR", "RDC/col-C1"))
    assert [r.key for r in filter_rows(demo_takeoff.elements, keys={key})] == [key]


def test_a_search_matches_every_word_in_name_type_material_or_code(demo_takeoff):
    found = filter_rows(demo_takeoff.elements, search="poteau rdc")
    assert sorted(r.name for r in found) == ["Poteau C1", "Poteau C2", "Poteau C3"]
    assert {r.ifc_class for r in filter_rows(demo_takeoff.elements, search="b2010")} == {"IfcWall"}


def test_the_takeoff_itself_can_be_limited_to_a_selection_or_classes(demo_models, demo_project):
    key = ("demo-ARC-architecture", demo_project.global_id("ARC", "RDC/wall-S"))
    assert [r.key for r in run_takeoff(demo_models, keys={key}).elements] == [key]
    doors = run_takeoff(demo_models, TakeoffTemplate(classes=("IfcDoor",))).elements
    assert len(doors) == 5 and {r.ifc_class for r in doors} == {"IfcDoor"}
