"""Element places: storey and type from the index, the space from the bounding boxes of the demo models."""

from __future__ import annotations

import pytest

from bim.demo import element_global_id
from bim.federation import Federation, load_model
from bim.places import ElementPlace, element_places, place_key


@pytest.fixture(scope="module")
def places(demo_project):
    federation = Federation()
    for trade in ("ARC", "PLB", "ELE"):
        federation.add(load_model(demo_project.paths[trade], workers=1))
    return {key[1]: place for key, place in element_places(federation, federation.origin).items()}


def place_of(places, trade: str, element: str) -> ElementPlace:
    return places[element_global_id(trade, element)]


def test_an_element_of_another_trade_lies_in_the_room_of_the_architect_model_around_it(places):
    pipe = place_of(places, "PLB", "R+1/pipe-A1")
    assert pipe.space == element_global_id("ARC", "R+1/space-A")
    assert (pipe.storey, pipe.type_name) == ("R+1", "Tube PE Ø32")


def test_a_space_lies_in_itself_and_the_roof_above_the_rooms_in_none(places):
    room = place_of(places, "ARC", "RDC/space-HALL")
    assert room.space == room.global_id
    assert place_of(places, "ARC", "R+1/slab-ROOF").space == ""


def test_an_element_in_no_storey_still_gets_its_space(places):
    tray = place_of(places, "ELE", "R+1/tray-B")
    assert tray.storey == ""
    assert tray.space == element_global_id("ARC", "R+1/space-B")


def test_each_level_has_its_place_key():
    wall = ElementPlace("gid-1", "IfcWall", "Wall 1", "L1", "Wall 20", "room-1")
    assert [place_key(level, wall) for level in ("storey", "space", "type", "element")] == [
        "L1", "room-1", "IfcWall:Wall 20", "gid-1"]
    assert place_key("storey", ElementPlace("gid-2", "IfcWall")) is None
    with pytest.raises(ValueError, match="unknown level"):
        place_key("building", wall)
