"""The hit parade: exact rankings of storeys, spaces, types and elements on issues linked to the demo models."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bim.demo import element_global_id
from bim.federation import Federation, load_model
from bim.places import ElementPlace, element_places
from project_db.hit_parade import hit_parade, rank, reopened_issue_ids
from project_db.records import Issue, LinkedElement

AUTHOR = "coordinator"


@pytest.fixture(scope="module")
def places(demo_project):
    """The places (storey, type, space from the geometry) of every element of the five demo models, by GlobalId."""
    federation = Federation()
    for path in demo_project.paths.values():
        federation.add(load_model(path, workers=1))
    return {key[1]: place for key, place in element_places(federation, federation.origin).items()}


def gid(trade: str, element: str) -> str:
    return element_global_id(trade, element)


def linked(*elements: tuple[str, str]) -> tuple[LinkedElement, ...]:
    return tuple(LinkedElement(gid(t, e), f"demo-{t}.ifc") for t, e in elements)


@pytest.fixture
def filed(project):
    """Six issues: on RDC elements (one reopened, one closed), on R+1 elements, and placed by storey or space only."""
    issues = project.issues
    duct_in_beam = issues.create(Issue("Duct through beam B1", responsible_trade="CVC",
                                       linked_elements=linked(("CVC", "RDC/duct-N"), ("STR", "RDC/beam-B1"))), AUTHOR)
    reservation = issues.create(Issue("Reservation in B1", responsible_trade="STR",
                                      linked_elements=linked(("STR", "RDC/beam-B1"))), AUTHOR)
    closed = issues.save(replace(reservation, status="Closed"), AUTHOR)
    reservation = issues.save(replace(closed, status="Open"), AUTHOR)
    door = issues.create(Issue("Door D02 too narrow", responsible_trade="ARC", status="Closed",
                               linked_elements=linked(("ARC", "RDC/door-D02"))), AUTHOR)
    storey_only = issues.create(Issue("Check the R+1 ceiling heights", responsible_trade="PLB",
                                      location_storey="R+1"), AUTHOR)
    # The storey typed by hand is wrong: the linked pipe says where the issue is.
    pipe = issues.create(Issue("Pipe of room A has no material", responsible_trade="PLB", location_storey="RDC",
                               linked_elements=linked(("PLB", "R+1/pipe-A1"))), AUTHOR)
    space_only = issues.create(Issue("Room R+1-02 is too warm", location_space="R+1-02"), AUTHOR)
    return {"duct": duct_in_beam.id, "reservation": reservation.id, "door": door.id, "storey": storey_only.id,
            "pipe": pipe.id, "space": space_only.id}


def summary(rows):
    return [(r.label, r.open, r.total, r.recurring) for r in rows]


def test_an_issue_closed_then_reopened_is_found_in_the_history(project, filed):
    assert reopened_issue_ids(project, {"Closed"}) == {filed["reservation"]}


def test_storeys_are_ranked_by_open_then_all_issues_with_a_trade_breakdown(project, filed, places):
    rows = hit_parade(project, places).rows("storey")
    assert summary(rows) == [("RDC", 2, 3, 1), ("R+1", 2, 2, 0)]
    rdc, upper = rows
    assert rdc.by_trade == {"CVC": 1, "STR": 1, "ARC": 1}
    assert set(rdc.issue_ids) == {filed["duct"], filed["reservation"], filed["door"]}
    assert set(rdc.open_ids) == {filed["duct"], filed["reservation"]}
    assert rdc.recurring_ids == (filed["reservation"],)
    assert set(upper.issue_ids) == {filed["storey"], filed["pipe"]}
    assert upper.by_trade == {"PLB": 2}


def test_spaces_count_the_issues_of_the_elements_inside_them_and_those_placed_in_them(project, filed, places):
    rows = hit_parade(project, places).rows("space")
    assert summary(rows) == [("R+1-02 · R+1", 2, 2, 0), ("RDC-01 · RDC", 2, 2, 1)]
    assert set(rows[0].issue_ids) == {filed["pipe"], filed["space"]}
    assert rows[0].by_trade == {"PLB": 1, "": 1}


def test_elements_and_types_count_each_issue_once_however_many_of_its_elements_they_hold(project, filed, places):
    parade = hit_parade(project, places)
    assert summary(parade.rows("element")) == [
        ("Poutre B1 · RDC", 2, 2, 1), ("Alimentation EF local A · R+1", 1, 1, 0),
        ("Gaine soufflage nord · RDC", 1, 1, 0), ("Porte D02 · RDC", 0, 1, 0)]
    assert summary(parade.rows("type")) == [
        ("Poutre BA 30x40", 2, 2, 1), ("Gaine rectangulaire 400x300", 1, 1, 0), ("Tube PE Ø32", 1, 1, 0),
        ("Porte 87x210", 0, 1, 0)]
    assert parade.row("element", gid("STR", "RDC/beam-B1")).label == "Poutre B1 · RDC"


def test_the_totals_and_the_trades_found_are_given_for_the_summary(project, filed, places):
    parade = hit_parade(project, places)
    assert (parade.issue_count, parade.open_count, parade.recurring_count) == (6, 5, 1)
    assert parade.trades == ("ARC", "CVC", "PLB", "STR", "")


def test_the_trade_breakdown_follows_the_measure(project, filed, places):
    parade = hit_parade(project, places)
    rdc = parade.row("storey", "RDC")
    assert parade.breakdown(rdc, "open") == {"CVC": 1, "STR": 1}
    assert parade.breakdown(rdc, "recurring") == {"STR": 1}
    assert parade.breakdown(rdc, "total") == rdc.by_trade


def test_a_deleted_issue_leaves_the_ranking(project, filed, places):
    project.issues.delete(project.issues.get(filed["door"]), AUTHOR)
    assert summary(hit_parade(project, places).rows("storey")) == [("R+1", 2, 2, 0), ("RDC", 2, 2, 1)]


# -- rank, on records built by hand ---------------------------------------------------------------

WALL = ElementPlace("wall-1", "IfcWall", "Wall 1", "L1", "Wall 20", "")
CHAIR = ElementPlace("chair-1", "IfcFurniture", "Chair 1", "L1", "", "room-1")
ROOM = ElementPlace("room-1", "IfcSpace", "Room 1", "L1", "", "room-1")
PLACES = {p.global_id: p for p in (WALL, CHAIR, ROOM)}


def issue(number: int, *gids: str, status: str = "Open", trade: str | None = "ARC", **fields) -> Issue:
    return Issue(f"Issue {number}", id=number * 10, number=number, status=status, responsible_trade=trade,
                 linked_elements=tuple(LinkedElement(g) for g in gids), **fields)


def test_an_element_of_a_model_not_loaded_still_counts_at_the_element_level():
    parade = rank([issue(1, "unknown-gid", location_storey="L2")], {"Closed"}, set(), PLACES)
    assert summary(parade.rows("element")) == [("unknown-gid", 1, 1, 0)]
    assert summary(parade.rows("storey")) == [("L2", 1, 1, 0)]
    assert parade.rows("space") == () and parade.rows("type") == ()


def test_a_space_given_by_global_id_or_by_name_is_the_same_place():
    parade = rank([issue(1, location_space="room-1"), issue(2, location_space="Room 1"),
                   issue(3, location_space="Attic")], {"Closed"}, set(), PLACES)
    assert summary(parade.rows("space")) == [("Room 1 · L1", 2, 2, 0), ("Attic", 1, 1, 0)]


def test_elements_without_a_type_are_grouped_by_their_class():
    parade = rank([issue(1, "chair-1"), issue(2, "wall-1", trade=None), issue(3, "wall-1", status="Closed")],
                  {"Closed"}, {30}, PLACES)  # issue 3 has id 30
    assert summary(parade.rows("type")) == [("Wall 20", 1, 2, 1), ("IfcFurniture without type", 1, 1, 0)]
    assert [r.key for r in parade.rows("type")] == ["IfcWall:Wall 20", "IfcFurniture:"]
    assert parade.row("storey", "L1").by_trade == {"ARC": 2, "": 1}
    assert summary(parade.rows("space")) == [("Room 1 · L1", 1, 1, 0)]
