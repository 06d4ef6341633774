"""The heat-map: counts through the yellow → red ramp onto the scene's colours, and back off."""

from __future__ import annotations

import numpy as np

from bim.places import ElementPlace
from viewer import colours
from viewer.heatmap import RAMP, HeatMap, heat_colour, heat_legend, heat_mapping, place_elements

from .conftest import grid_model

STYLE = (200, 180, 150, 255)
# Four walls: on storey L1, A-2 on L2, A-3 on L3.
PLACES = [(("A", f"A-{i}"), ElementPlace(f"A-{i}", "IfcWall", f"Wall {i}", storey, "Wall 20"))
          for i, storey in enumerate(("L1", "L1", "L2", "L3"))]


def element_colour(scene, index):
    """The colour of element ``A-index``'s first cell, in whichever bucket (opaque or ghosted) draws it."""
    handle = scene.handle_for_key(("A", f"A-{index}"))
    for bucket in scene.geometry("A").buckets:
        cells = np.flatnonzero(bucket.handles == handle)
        if len(cells):
            return tuple(int(c) for c in bucket.rgba[cells[0]])
    raise AssertionError(f"A-{index} is not drawn")


def test_the_place_with_the_most_issues_gets_the_hottest_colour_and_fewer_are_cooler():
    assert heat_colour(9, 9) == RAMP[-1]
    assert heat_colour(1, 9) == RAMP[0]
    reds = [heat_colour(n, 9) for n in range(1, 10)]
    # Hotter is darker: the ramp's brightness falls with every count.
    assert all(sum(a) > sum(b) for a, b in zip(reds, reds[1:]))
    assert heat_colour(0, 9) is None
    assert heat_colour(1, 1) == RAMP[-1]


def test_each_count_found_gets_a_legend_entry_hottest_first_then_no_issues():
    legend = heat_legend([7, 3, 0, 7, 1])
    assert [label for label, _rgb in legend] == ["7 issues", "3 issues", "1 issue", "no issues"]
    assert legend[0][1] == RAMP[-1] and legend[2][1] == RAMP[0] and legend[-1][1] == colours.NEUTRAL


def test_many_different_counts_are_grouped_in_ranges_holding_every_count():
    counts = [40, 39, 33, 20, 12, 11, 10, 2, 1]
    labels = [label for label, _rgb in heat_legend(counts)][:-1]
    assert len(labels) <= 6 and labels[0].endswith("–40 issues") and labels[-1].startswith("1–")
    covered = set()
    for label in labels:
        bounds = label.split(" ")[0].split("–")
        covered.update(range(int(bounds[0]), int(bounds[-1]) + 1))
    assert set(counts) <= covered


def test_a_storey_heat_map_colours_every_element_of_the_storey_and_leaves_the_others_out():
    mapping = heat_mapping("storey", {"L1": 4, "L2": 1}, PLACES)
    assert mapping == {("A", "A-0"): RAMP[-1], ("A", "A-1"): RAMP[-1], ("A", "A-2"): RAMP[0]}
    assert place_elements("storey", "L1", PLACES) == [("A", "A-0"), ("A", "A-1")]
    assert place_elements("element", "A-3", PLACES) == [("A", "A-3")]


def test_the_heat_map_paints_the_scene_and_turning_it_off_restores_the_model_colours(scene):
    scene.add_mesh(grid_model("A", 4, rgba=STYLE))
    heat = HeatMap(scene)
    heat.show(heat_mapping("element", {"A-0": 1, "A-2": 5}, PLACES), heat_legend([1, 5]))
    assert element_colour(scene, 2) == (*RAMP[-1], 255)
    assert element_colour(scene, 0) == (*RAMP[0], 255)
    # Elements without issues keep the neutral grey of every colour-by, never a heat colour.
    assert element_colour(scene, 1) == (*colours.NEUTRAL, 255)
    assert scene.legend[0] == ("5 issues", RAMP[-1])
    assert heat.active and heat.still_shown()
    heat.hide()
    assert [element_colour(scene, i) for i in range(4)] == [STYLE] * 4
    assert not scene.colouring_active and scene.legend == []


def test_turning_the_heat_map_off_brings_back_the_colouring_it_replaced(scene):
    scene.add_mesh(grid_model("A", 2, rgba=STYLE))
    scene.colour_by({("A", "A-1"): (0, 0, 255)}, [("walls", (0, 0, 255))])
    heat = HeatMap(scene)
    heat.show(heat_mapping("element", {"A-1": 2}, PLACES), heat_legend([2]))
    heat.show(heat_mapping("element", {"A-0": 3}, PLACES), heat_legend([3]))  # new counts while on
    assert element_colour(scene, 0) == (*RAMP[-1], 255)
    heat.hide()
    assert element_colour(scene, 1) == (0, 0, 255, 255)
    assert scene.legend == [("walls", (0, 0, 255))]


def test_the_heat_map_knows_when_another_colouring_replaced_it(scene):
    scene.add_mesh(grid_model("A", 2, rgba=STYLE))
    heat = HeatMap(scene)
    heat.show(heat_mapping("element", {"A-1": 2}, PLACES), heat_legend([2]))
    scene.colour_by({("A", "A-0"): (0, 255, 0)}, [("other", (0, 255, 0))])
    assert not heat.still_shown()


def test_seeing_through_ghosts_the_elements_without_issues_until_the_heat_map_goes(scene):
    scene.add_mesh(grid_model("A", 3, rgba=STYLE))
    heat = HeatMap(scene)
    heat.show(heat_mapping("element", {"A-1": 2}, PLACES), heat_legend([2]), see_through=True)
    assert scene.xrayed_keys() == {("A", "A-0"), ("A", "A-2")}
    assert element_colour(scene, 1) == (*RAMP[-1], 255)
    heat.show(heat_mapping("element", {"A-1": 2}, PLACES), heat_legend([2]), see_through=False)
    assert scene.xrayed_keys() == set()
    heat.show(heat_mapping("element", {"A-1": 2}, PLACES), heat_legend([2]), see_through=True)
    heat.hide()
    assert not scene.xray and [element_colour(scene, i) for i in range(3)] == [STYLE] * 3
