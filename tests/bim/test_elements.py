"""The element table and spatial tree read from a model in one pass."""

from __future__ import annotations

from collections import Counter

import pytest

from bim.demo.specs import class_in_schema
from bim.elements import SpatialNode, index_model
from bim.ifc_file import open_ifc


@pytest.fixture(scope="module")
def arc_index(demo_project):
    return index_model(open_ifc(demo_project.paths["ARC"]))


def _storey_nodes(index):
    return {n.name: n for n in index.tree.walk() if n.ifc_class == "IfcBuildingStorey"}


def test_every_demo_element_is_in_the_table_with_its_class_name_storey_and_type(demo_project):
    for code, path in demo_project.paths.items():
        index = index_model(open_ifc(path))
        specs = demo_project.by_trade(code)
        assert len(index.elements) == len(specs), code
        for spec in specs:
            record = index.elements[index.by_global_id[spec.global_id]]
            assert record.ifc_class == class_in_schema(spec.ifc_class, "IFC4")
            assert record.name == (spec.name or "")
            assert record.type_name == (spec.type_name or "")
            assert record.storey == (spec.storey if spec.contained else ""), spec.key


def test_openings_are_not_elements_users_can_pick(demo_project, arc_index):
    openings = [s.opening_global_id for s in demo_project.by_trade("ARC") if s.host]
    assert openings and open_ifc(demo_project.paths["ARC"]).by_guid(openings[0]).is_a("IfcOpeningElement")
    assert not any(g in arc_index.by_global_id for g in openings)
    assert all(e.ifc_class != "IfcOpeningElement" for e in arc_index.elements)


def test_the_spatial_tree_goes_from_project_to_site_building_and_the_two_storeys(demo_project, arc_index):
    tree = arc_index.tree
    ids = demo_project.spatial_global_ids
    assert (tree.ifc_class, tree.global_id) == ("IfcProject", ids["project"])
    (site,) = tree.children
    (building,) = site.children
    assert (site.global_id, building.global_id) == (ids["site"], ids["building"])
    assert [s.name for s in building.children] == ["RDC", "R+1"]


def test_each_element_sits_once_in_the_tree_under_its_storey(arc_index):
    placed = Counter(n.element for n in arc_index.tree.walk() if n.element is not None)
    assert sorted(placed) == list(range(len(arc_index.elements)))
    assert set(placed.values()) == {1}
    for name, storey in _storey_nodes(arc_index).items():
        below = [arc_index.elements[n.element] for n in storey.walk() if n.element is not None]
        assert below and all(e.storey == name for e in below)


def test_spaces_are_in_the_tree_under_their_storey(demo_project, arc_index):
    spaces = [n for n in _storey_nodes(arc_index)["R+1"].children if n.ifc_class == "IfcSpace"]
    assert len(spaces) == 3
    assert demo_project.global_id("ARC", "R+1/space-B") in {n.global_id for n in spaces}


def test_an_element_in_no_storey_is_still_reachable_in_the_tree(demo_project):
    index = index_model(open_ifc(demo_project.paths["ELE"]))
    loose = demo_project.global_id("ELE", "R+1/tray-B")
    record = index.elements[index.by_global_id[loose]]
    assert record.storey == ""
    nodes = [n for n in index.tree.walk() if n.global_id == loose]
    assert len(nodes) == 1 and nodes[0].element == index.by_global_id[loose]
    assert all(n.global_id != loose for s in _storey_nodes(index).values() for n in s.walk())


def test_the_tree_survives_a_round_trip_through_plain_data(arc_index):
    again = SpatialNode.from_dict(arc_index.tree.to_dict())
    assert again == arc_index.tree


@pytest.mark.parametrize("name, storeys, total", [
    ("duplex-electrical", {"Level 1", "Level 2"}, 104),
    ("samplehouse-ifc4", {"Ground Floor"}, 64),
])
def test_real_models_are_indexed_with_their_storeys(corpus_model, name, storeys, total):
    index = index_model(open_ifc(corpus_model(name)))
    assert len(index.elements) == total
    assert len(index.by_global_id) == total  # GlobalIds are unique within a model
    assert storeys <= {e.storey for e in index.elements}
    placed = [n.element for n in index.tree.walk() if n.element is not None]
    assert sorted(placed) == list(range(total))
