"""Finding elements of the federation by GlobalId, name, class, type, storey or property value."""

from __future__ import annotations

import pytest

from bim.federation import Federation, load_model
from bim.search import search_elements


@pytest.fixture(scope="module")
def federation(demo_project):
    federation = Federation()
    for trade in ("ARC", "STR", "ELE"):
        federation.add(load_model(demo_project.paths[trade]))
    return federation


def gids(hits):
    return [h.key[1] for h in hits]


def test_a_global_id_typed_whole_finds_its_element_first(demo_project, federation):
    gid = demo_project.global_id("STR", "RDC/col-C2")
    for typed in (gid, gid.lower(), f"  {gid} "):
        hits = search_elements(federation, typed)
        assert hits[0].key == ("demo-STR-structure", gid)
        assert (hits[0].field, hits[0].matched, hits[0].name) == ("GlobalId", gid, "Poteau C2")


def test_a_fragment_of_a_global_id_ranks_after_names_that_match(demo_project, federation):
    # "p1" happens to occur in two GlobalIds of the demo; the user means partition P1.
    assert any("p1" in s.global_id.lower() for s in demo_project.elements if s.key != "RDC/wall-P1")
    hits = search_elements(federation, "p1")
    assert [h.name for h in hits[:2]] == ["Cloison P1", "Cloison P1"]
    assert all(h.field != "GlobalId" for h in hits[:2])


def test_a_global_id_can_still_be_found_from_its_first_letters(demo_project, federation):
    gid = demo_project.global_id("ELE", "RDC/tray-COL")
    hits = search_elements(federation, gid[:12])
    assert gid in gids(hits)


def test_a_name_matches_from_its_start_before_anywhere_inside(federation):
    hits = search_elements(federation, "poteau")
    assert [h.name for h in hits] == ["Poteau C1", "Poteau C1", "Poteau C2", "Poteau C2", "Poteau C3", "Poteau C3"]
    assert {h.field for h in hits} == {"Name"}


@pytest.mark.parametrize("typed", ["wall", "Wall", "IfcWall", "ifcwall"])
def test_a_class_is_found_with_or_without_its_ifc_prefix(demo_project, federation, typed):
    hits = search_elements(federation, typed)
    walls = {s.global_id for s in demo_project.by_trade("ARC") if s.ifc_class == "IfcWall"}
    assert set(gids(hits)) == walls
    assert {h.ifc_class for h in hits} == {"IfcWall"}


def test_a_storey_finds_what_stands_on_it(demo_project, federation):
    hits = search_elements(federation, "R+1")
    expected = {s.global_id for s in demo_project.elements
                if s.trade in ("ARC", "STR", "ELE") and s.storey == "R+1" and s.contained}
    assert set(gids(hits)) == expected
    assert {h.field for h in hits} <= {"Name", "Storey"}  # R+1-01… are space numbers


def test_a_property_value_finds_the_elements_that_have_it(demo_project, federation):
    hits = search_elements(federation, "REI 60")
    found = set(gids(hits))
    assert demo_project.global_id("ARC", "RDC/wall-E") in found
    assert demo_project.global_id("STR", "RDC/slab") in found
    assert demo_project.global_id("ARC", "R+1/wall-E") not in found  # no FireRating on purpose
    assert demo_project.global_id("ARC", "RDC/wall-P1") not in found  # EI 30
    assert all(h.field == "Property" and "rei 60" in h.matched.lower() for h in hits)
    assert search_elements(federation, "REI 60", include_properties=False) == []


def test_every_word_must_match(demo_project, federation):
    hits = search_elements(federation, "poutre b1")
    assert set(gids(hits)) == {demo_project.global_id("STR", k) for k in ("RDC/beam-B1", "R+1/beam-B1")}
    assert search_elements(federation, "cloison zzzz") == []


def test_an_empty_search_finds_nothing_and_the_limit_is_kept(federation):
    assert search_elements(federation, "") == search_elements(federation, "   ") == []
    assert len(search_elements(federation, "r", limit=5)) == 5


def test_hits_carry_the_model_id_so_repeated_global_ids_stay_apart(demo_project, federation):
    twice = Federation()
    for _ in range(2):
        twice.add(load_model(demo_project.paths["STR"]))
    hits = search_elements(twice, demo_project.global_id("STR", "RDC/beam-B1"))
    assert [h.key[0] for h in hits[:2]] == ["demo-STR-structure", "demo-STR-structure (2)"]
