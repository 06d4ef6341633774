"""Selection highlight and colour-by edit the colour arrays; categorical colourings."""

import pytest

from viewer import colours
from viewer.colours import categorical_colouring, from_hex, to_hex

from .conftest import TRIANGLES_PER_BOX, grid_model

STYLE = (200, 180, 150, 255)


def element_colour(scene, model, index):
    """The colour of the first cell of element ``index`` (one box = 12 cells)."""
    return tuple(int(c) for c in scene.geometry(model).opaque.rgba[index * TRIANGLES_PER_BOX])


def test_selected_elements_are_drawn_in_the_highlight_colour(scene):
    scene.add_mesh(grid_model("A", 3, rgba=STYLE))
    scene.select([("A", "A-1")])
    assert element_colour(scene, "A", 1) == (*colours.HIGHLIGHT, 255)
    assert element_colour(scene, "A", 0) == STYLE
    scene.select([("A", "A-2")], add=True)
    assert scene.selection == {("A", "A-1"), ("A", "A-2")}
    scene.clear_selection()
    assert element_colour(scene, "A", 1) == STYLE
    assert scene.selection == set()


def test_selection_edits_the_colour_array_in_place(scene):
    scene.add_mesh(grid_model("A", 3))
    array = scene.geometry("A").opaque.full.GetCellData().GetScalars()
    scene.select([("A", "A-0")])
    assert scene.geometry("A").opaque.full.GetCellData().GetScalars() is array
    assert array.GetTuple4(0)[:3] == colours.HIGHLIGHT


def test_colour_by_paints_mapped_elements_and_greys_the_rest(scene):
    scene.add_mesh(grid_model("A", 3, rgba=STYLE))
    legend = [("walls", (255, 0, 0))]
    scene.colour_by({("A", "A-0"): (255, 0, 0)}, legend)
    assert element_colour(scene, "A", 0) == (255, 0, 0, 255)
    assert element_colour(scene, "A", 1) == (*colours.NEUTRAL, 255)
    assert scene.legend == legend
    scene.reset_colours()
    assert element_colour(scene, "A", 0) == STYLE
    assert scene.legend == []


def test_selection_shows_over_a_colouring(scene):
    scene.add_mesh(grid_model("A", 2))
    scene.colour_by({("A", "A-0"): (255, 0, 0)}, [])
    scene.select([("A", "A-0")])
    assert element_colour(scene, "A", 0)[:3] == colours.HIGHLIGHT
    scene.clear_selection()
    assert element_colour(scene, "A", 0)[:3] == (255, 0, 0)


def test_a_colouring_given_before_its_model_loads_applies_when_it_arrives(scene):
    scene.colour_by({("A", "A-1"): (0, 255, 0)}, [])
    scene.add_mesh(grid_model("A", 2))
    assert element_colour(scene, "A", 1)[:3] == (0, 255, 0)


def test_categorical_colouring_gives_each_value_its_own_colour_and_a_no_value_entry():
    values = {("A", "1"): "IfcWall", ("A", "2"): "IfcWall", ("A", "3"): "IfcSlab", ("A", "4"): None}
    mapping, legend = categorical_colouring(values)
    assert [label for label, _rgb in legend] == ["IfcWall", "IfcSlab", "no value"]
    assert mapping[("A", "1")] == mapping[("A", "2")] == legend[0][1]
    assert mapping[("A", "3")] == legend[1][1]
    assert mapping[("A", "4")] == colours.NO_VALUE
    assert len({rgb for _label, rgb in legend}) == 3


def test_categorical_colours_stay_distinct_beyond_the_fixed_palette():
    values = {("A", str(i)): f"value {i}" for i in range(60)}
    _mapping, legend = categorical_colouring(values)
    assert len({rgb for _label, rgb in legend}) == 60


def test_hex_colours_round_trip_and_accept_bcf_alpha():
    assert to_hex((0, 174, 255)) == "#00AEFF"
    assert from_hex("#00AEFF") == (0, 174, 255)
    assert from_hex("#FF00AEFF") == (0, 174, 255)
    with pytest.raises(ValueError):
        from_hex("blue")
