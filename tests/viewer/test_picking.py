"""Picking returns the nearest visible, not cut away element under the cursor."""

import numpy as np
import pytest

from .conftest import SIZE, box_model

CENTRE = (SIZE[0] / 2, SIZE[1] / 2)
FRONT, MIDDLE, BACK = ("A", "A-0"), ("A", "A-1"), ("A", "A-2")


@pytest.fixture
def row(scene):
    """Three boxes one behind the other, looked at from the front (along +Y)."""
    scene.add_mesh(box_model("A", [(0, 0, 0), (0, 3, 0), (0, 6, 0)]))
    scene.set_standard_view("front")
    scene.render()
    return scene


def test_picking_the_centre_of_the_screen_returns_the_box_in_front(row):
    hit = row.pick(*CENTRE)
    assert hit.key == FRONT
    assert hit.local_point[1] == pytest.approx(-0.5, abs=1e-4)
    assert hit.cell_id // 12 == 0


def test_picking_a_hidden_box_returns_the_box_behind_it(row):
    row.hide([FRONT])
    assert row.pick(*CENTRE).key == MIDDLE


def test_a_box_cut_away_by_a_section_plane_is_not_picked(row):
    row.set_section_plane("y", 1.0, flip=True)  # cut away everything before y = 1
    assert row.pick(*CENTRE).key == MIDDLE


def test_a_box_outside_the_section_box_is_not_picked(row):
    row.set_section_box((-5, 4, -5), (5, 8, 5))
    assert row.pick(*CENTRE).key == BACK


def test_xrayed_boxes_are_seen_through(row):
    row.set_xray(True, [BACK])
    hit = row.pick(*CENTRE)
    assert hit.key == BACK and not hit.xrayed


def test_an_xrayed_box_is_picked_when_nothing_else_is_there(row):
    row.set_xray(True, [])
    hit = row.pick(*CENTRE)
    assert hit.key == FRONT and hit.xrayed


def test_the_model_point_adds_the_origin(row):
    row.origin = (1000.0, 2000.0, 30.0)
    hit = row.pick(*CENTRE)
    assert np.allclose(np.subtract(hit.model_point, hit.local_point), (1000.0, 2000.0, 30.0))


def test_picking_empty_space_returns_nothing(row):
    assert row.pick(2, 2) is None


def test_a_hidden_model_is_not_picked(row):
    row.add_mesh(box_model("B", [(0, -3, 0)]))
    assert row.pick(*CENTRE).key == ("B", "B-0")
    row.set_model_visible("B", False)
    assert row.pick(*CENTRE).key == FRONT


def test_picking_works_in_parallel_projection(row):
    row.set_perspective(False)
    row.render()
    assert row.pick(*CENTRE).key == FRONT


def test_a_reloaded_model_is_picked_on_its_new_geometry(row):
    row.pick(*CENTRE)
    row.add_mesh(box_model("A", [(0, 6, 0)], global_ids=["A-2"]))
    assert row.pick(*CENTRE).key == BACK
