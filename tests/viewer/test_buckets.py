"""Models become a few merged buckets whose cells name their elements."""

import numpy as np
import pytest

from viewer.buckets import COLOUR_ARRAY, HANDLE_ARRAY
from viewer.types import ElementDisplayInfo

from .conftest import TRIANGLES_PER_BOX, box_model, grid_model


def cell_keys(scene, bucket):
    """The element key of every cell of a bucket, read from its cell array."""
    handles = bucket.full.GetCellData().GetArray(HANDLE_ARRAY)
    return [scene.key_for_handle(handles.GetValue(i)) for i in range(handles.GetNumberOfTuples())]


def test_every_triangle_lands_in_exactly_one_bucket(scene):
    rgba = [(200, 200, 200, 255), (90, 150, 250, 100), (200, 200, 200, 255)]
    scene.add_mesh(box_model("A", [(0, 0, 0), (2, 0, 0), (4, 0, 0)], rgba=rgba))
    model = scene.geometry("A")
    assert model.opaque.full.GetNumberOfCells() == 2 * TRIANGLES_PER_BOX
    assert model.transparent.full.GetNumberOfCells() == TRIANGLES_PER_BOX
    assert sorted(np.concatenate([model.opaque.tri, model.transparent.tri])) == list(range(3 * TRIANGLES_PER_BOX))


def test_a_model_adds_two_actors_however_many_elements_it_has(scene):
    before = scene.renderer.GetActors().GetNumberOfItems()
    scene.add_mesh(grid_model("A", 200))
    scene.add_mesh(grid_model("B", 50, z=3))
    assert scene.renderer.GetActors().GetNumberOfItems() - before == 4
    assert len(scene.model_actors()) == 4


def test_the_element_cell_array_maps_every_cell_back_to_its_key(scene):
    scene.add_mesh(grid_model("A", 3))
    keys = cell_keys(scene, scene.geometry("A").opaque)
    assert keys == [("A", f"A-{i}") for i in range(3) for _ in range(TRIANGLES_PER_BOX)]


def test_the_same_global_id_in_two_models_stays_two_elements(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0)], global_ids=["same"]))
    scene.add_mesh(box_model("B", [(3, 0, 0)], global_ids=["same"]))
    scene.hide([("A", "same")])
    assert scene.visible_keys() == {("B", "same")}


def test_cell_colours_are_a_uint8_rgba_array(scene):
    scene.add_mesh(grid_model("A", 2, rgba=(10, 20, 30, 255)))
    colours = scene.geometry("A").opaque.full.GetCellData().GetArray(COLOUR_ARRAY)
    assert colours.GetNumberOfComponents() == 4
    assert colours.GetDataTypeAsString() == "unsigned char"
    assert colours.GetTuple4(0) == (10, 20, 30, 255)


def test_reloading_a_model_with_more_elements_keeps_selection_and_hiding(scene):
    scene.add_mesh(grid_model("A", 2))
    scene.select([("A", "A-0")])
    scene.hide([("A", "A-1")])
    scene.add_mesh(grid_model("A", 4))
    assert scene.selection == {("A", "A-0")}
    assert scene.visible_keys() == {("A", "A-0"), ("A", "A-2"), ("A", "A-3")}
    assert scene.renderer.GetActors().GetNumberOfItems() == 2 + len(scene.helper_actors())


def test_removing_a_model_removes_its_actors_and_elements(scene):
    scene.add_mesh(grid_model("A", 2))
    scene.add_mesh(grid_model("B", 2, z=3))
    scene.remove_model("A")
    assert scene.model_ids == ("B",)
    assert len(scene.model_actors()) == 2
    assert scene.visible_keys() == {("B", "B-0"), ("B", "B-1")}


def test_a_hidden_model_draws_nothing_and_shows_no_element(scene):
    scene.add_mesh(grid_model("A", 2))
    scene.set_model_visible("A", False)
    assert scene.drawn_triangle_count() == 0
    assert not scene.is_visible(("A", "A-0"))
    scene.set_model_visible("A", True)
    assert scene.is_visible(("A", "A-0"))


def test_a_triangle_naming_a_missing_element_is_refused_with_the_model_name(scene):
    mesh = grid_model("A", 1)
    with pytest.raises(ValueError, match="A"):
        scene.set_model("A", vertices=mesh.vertices, triangles=mesh.triangles,
                        triangle_element=mesh.triangle_element + 5, triangle_rgba=mesh.triangle_rgba,
                        elements=[ElementDisplayInfo("x", "IfcWall")])


def test_an_empty_model_is_accepted(scene):
    scene.set_model("E", vertices=np.zeros((0, 3), np.float32), triangles=np.zeros((0, 3), np.int32),
                    triangle_element=np.zeros(0, int), triangle_rgba=np.zeros((0, 4), np.uint8), elements=[])
    scene.fit_all()
    scene.render()
    assert scene.drawn_triangle_count() == 0
    assert scene.pick(10, 10) is None
