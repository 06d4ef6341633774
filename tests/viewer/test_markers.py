"""Markers show a point (a clash point) over the geometry, in model coordinates."""

import numpy as np
import pytest

from viewer.markers import MARKER_COLOUR
from viewer.offscreen import read_pixels

from .conftest import box_model

MAGENTA = np.array([round(c * 255) for c in MARKER_COLOUR])


def marker_pixels(scene) -> int:
    """How many pixels are drawn in the marker colour (rendered now)."""
    image = read_pixels(scene.render_window).astype(np.int16)
    return int((np.abs(image - MAGENTA).max(axis=2) < 40).sum())


def test_a_marker_inside_an_element_is_drawn_over_it(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0)], sizes=2.0))
    scene.set_standard_view("iso")
    assert marker_pixels(scene) == 0
    scene.set_markers([(0.0, 0.0, 0.0)])
    assert scene.markers == ((0.0, 0.0, 0.0),)
    assert marker_pixels(scene) > 20


def test_clearing_the_markers_removes_them_from_the_view(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0)]))
    scene.set_standard_view("iso")
    scene.set_markers([(0, 0, 0), (0.4, 0, 0)])
    assert scene.marker_actor.GetMapper().GetInput().GetNumberOfVerts() == 2
    scene.set_markers(())
    assert scene.markers == ()
    assert not scene.marker_actor.GetVisibility()
    assert marker_pixels(scene) == 0


def test_markers_stay_at_their_model_point_when_the_origin_moves(scene):
    scene.set_markers([(2_500_010.0, 1_200_000.0, 50.0)])
    scene.origin = (2_500_000.0, 1_200_000.0, 50.0)
    centre = scene.marker_actor.GetMapper().GetInput().GetPoint(0)
    assert centre == pytest.approx((10.0, 0.0, 0.0))
    assert scene.markers == ((2_500_010.0, 1_200_000.0, 50.0),)
