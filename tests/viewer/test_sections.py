"""Section planes and the section box clip every bucket; their state reads back as BCF planes."""

import pytest

from bim.viewpoint import ClippingPlane
from viewer.sections import SectionState

from .conftest import drawn_pixels, grid_model


@pytest.fixture
def wall(scene):
    """A row of boxes along X, seen from the front, with a transparent one too."""
    scene.add_mesh(grid_model("A", 6, rgba=(180, 160, 140, 255)))
    scene.add_mesh(grid_model("G", 2, z=1.5, rgba=(90, 150, 250, 120)))
    scene.set_standard_view("front")
    return scene


def test_a_section_plane_removes_pixels(wall):
    full = drawn_pixels(wall)
    wall.set_section_plane("x", 4.5)
    cut = drawn_pixels(wall)
    assert 0 < cut < full * 0.8
    wall.clear_section_plane("x")
    assert drawn_pixels(wall) == full


def test_a_flipped_section_plane_keeps_the_other_side(wall):
    wall.set_section_plane("x", 4.5)
    kept_below = drawn_pixels(wall)
    wall.set_section_plane("x", 4.5, flip=True)
    kept_above = drawn_pixels(wall)
    assert 0 < kept_above < kept_below


def test_a_section_box_clips_every_bucket_and_draws_its_outline(wall):
    full = drawn_pixels(wall)
    wall.set_section_box((-1, -1, -1), (1, 1, 1))
    for actor in wall.model_actors():
        assert actor.GetMapper().GetClippingPlanes().GetNumberOfItems() == 6
    assert wall.helper_actors()[0].GetVisibility()
    assert drawn_pixels(wall) < full * 0.5
    wall.clear_sections()
    assert not wall.helper_actors()[0].GetVisibility()
    assert wall.model_actors()[0].GetMapper().GetClippingPlanes().GetNumberOfItems() == 0


def test_planes_follow_the_origin_so_sections_stay_in_model_coordinates(wall):
    wall.set_section_plane("x", 4.5)
    near_origin = drawn_pixels(wall)
    wall.origin = (100.0, 0.0, 0.0)  # the geometry now sits at model x = 100 .. 110
    assert drawn_pixels(wall) == 0
    wall.set_section_plane("x", 104.5)
    assert drawn_pixels(wall) == near_origin


def test_section_planes_and_box_never_need_more_than_six_clipping_planes():
    state = SectionState(planes={"x": (1.0, False), "z": (0.5, True)}, box=((0, 0, 0), (2, 2, 2)))
    assert len(state.effective_planes()) == 6
    low, high = state.bounds()
    assert list(low) == [0, 0, 0.5] and list(high) == [1, 2, 2]


def test_section_state_round_trips_through_bcf_clipping_planes():
    state = SectionState(planes={"x": (1.0, False), "y": (2.0, True)}, box=((0, 0, 0), (3, 4, 5)))
    planes = state.clipping_planes()
    assert len(planes) == 2 + 6
    assert planes[0] == ClippingPlane((1.0, 0.0, 0.0), (1.0, 0.0, 0.0))
    assert SectionState.from_clipping_planes(planes) == state


def test_a_foreign_oblique_plane_is_kept_as_an_extra_plane():
    oblique = ClippingPlane((1.0, 1.0, 0.0), (1.0, 1.0, 0.0))
    state = SectionState.from_clipping_planes([oblique])
    assert state.extra and state.clipped([(2.0, 2.0, 0.0), (0.0, 0.0, 0.0)]).tolist() == [True, False]


def test_a_bad_axis_or_box_is_refused(scene):
    with pytest.raises(ValueError):
        scene.set_section_plane("w", 1.0)
    with pytest.raises(ValueError):
        scene.set_section_box((0, 0, 0), (0, 1, 1))
