"""Hide, isolate, show all, spaces and x-ray rebuild the buckets from masks."""

import numpy as np

from viewer import colours

from .conftest import TRIANGLES_PER_BOX, box_model, drawn_pixels, grid_model


def keys(model, *indices):
    return {(model, f"{model}-{i}") for i in indices}


def test_hiding_elements_removes_their_triangles(scene):
    scene.add_mesh(grid_model("A", 5))
    scene.hide(keys("A", 1, 3))
    assert scene.drawn_triangle_count() == 3 * TRIANGLES_PER_BOX
    assert scene.visible_keys() == keys("A", 0, 2, 4)
    assert not scene.is_visible(("A", "A-1"))


def test_isolating_shows_only_the_given_elements_across_models(scene):
    scene.add_mesh(grid_model("A", 5))
    scene.add_mesh(grid_model("B", 5, z=3))
    scene.isolate(keys("B", 2) | keys("A", 0))
    assert scene.visible_keys() == keys("B", 2) | keys("A", 0)
    assert scene.drawn_triangle_count() == 2 * TRIANGLES_PER_BOX


def test_show_all_brings_back_everything_but_spaces(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0), (2, 0, 0), (4, 0, 0)], classes=["IfcWall", "IfcSlab", "IfcSpace"]))
    scene.isolate(keys("A", 0))
    scene.show_all()
    assert scene.visible_keys() == keys("A", 0, 1)


def test_spaces_start_hidden_and_show_transparent(scene):
    space_colour = (120, 200, 120, 60)
    scene.add_mesh(box_model("A", [(0, 0, 0), (2, 0, 0)], classes=["IfcWall", "IfcSpace"],
                             rgba=[(200, 200, 200, 255), space_colour]))
    assert scene.visible_keys() == keys("A", 0)
    scene.set_spaces_visible(True)
    assert scene.visible_keys() == keys("A", 0, 1)
    transparent = scene.geometry("A").transparent
    assert len(transparent.tri) == TRIANGLES_PER_BOX
    assert tuple(transparent.rgba[0]) == space_colour


def test_isolating_a_space_shows_it_even_with_spaces_off(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0), (2, 0, 0)], classes=["IfcWall", "IfcSpace"]))
    scene.isolate(keys("A", 1))
    assert scene.visible_keys() == keys("A", 1)


def test_hidden_elements_really_leave_the_picture(scene):
    scene.add_mesh(grid_model("A", 3))
    scene.set_standard_view("front")
    assert drawn_pixels(scene) > 100
    scene.hide(keys("A", 0, 1, 2))
    assert drawn_pixels(scene) == 0


def test_xray_ghosts_everything_but_the_selection(scene):
    scene.add_mesh(grid_model("A", 4))
    scene.select(keys("A", 2))
    scene.set_xray(True)
    model = scene.geometry("A")
    assert scene.xrayed_keys() == keys("A", 0, 1, 3)
    assert len(model.opaque.tri) == TRIANGLES_PER_BOX
    assert len(model.transparent.tri) == 3 * TRIANGLES_PER_BOX
    assert {tuple(c) for c in model.transparent.rgba} == {colours.GHOST_RGBA}


def test_xray_follows_the_selection_as_it_changes(scene):
    scene.add_mesh(grid_model("A", 4))
    scene.set_xray(True)
    assert scene.xrayed_keys() == keys("A", 0, 1, 2, 3)
    scene.select(keys("A", 0))
    assert scene.xrayed_keys() == keys("A", 1, 2, 3)


def test_xray_with_explicit_keys_ignores_the_selection_and_hidden_elements(scene):
    scene.add_mesh(grid_model("A", 4))
    scene.hide(keys("A", 3))
    scene.set_xray(True, keys("A", 1))
    scene.select(keys("A", 0))
    assert scene.xrayed_keys() == keys("A", 0, 2)
    scene.set_xray(False)
    assert scene.xrayed_keys() == set()
    assert len(scene.geometry("A").transparent.tri) == 0


def test_a_batch_rebuilds_the_buckets_once_at_its_end(scene):
    scene.add_mesh(grid_model("A", 4))
    cells = scene.geometry("A").opaque.full.GetPolys()
    with scene.batch():
        scene.hide(keys("A", 0))
        scene.hide(keys("A", 1))
        assert scene.geometry("A").opaque.full.GetPolys() is cells
    assert scene.visible_keys() == keys("A", 2, 3)
    assert np.all(scene.geometry("A").opaque.tri >= 2 * TRIANGLES_PER_BOX)


def test_a_space_styled_opaque_is_still_drawn_transparent(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0)], classes=["IfcSpace"], rgba=(120, 200, 120, 255)))
    scene.set_spaces_visible(True)
    transparent = scene.geometry("A").transparent
    assert len(transparent.tri) == TRIANGLES_PER_BOX
    assert transparent.rgba[0][3] < 255
