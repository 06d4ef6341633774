"""Measurements are exact, drawn, and kept in model coordinates."""

import pytest

from .conftest import grid_model


def test_a_measured_distance_is_exact_far_from_the_origin(scene):
    scene.origin = (2_500_000.0, 1_200_000.0, 50.0)
    distance = scene.measure((2_500_000.0, 1_200_000.0, 50.0), (2_500_003.0, 1_200_004.0, 50.0))
    assert distance == 5.0
    assert scene.measurements == [((2_500_000.0, 1_200_000.0, 50.0), (2_500_003.0, 1_200_004.0, 50.0), 5.0)]


def test_a_measurement_draws_a_line_with_markers_and_a_label(scene):
    scene.add_mesh(grid_model("A", 2))
    before = scene.renderer.GetViewProps().GetNumberOfItems()
    scene.measure((0, 0, 0), (1, 0, 0))
    assert scene.renderer.GetViewProps().GetNumberOfItems() == before + 2
    line, label = scene.helper_actors()[1:]
    assert line.GetMapper().GetInput().GetNumberOfLines() == 1
    assert line.GetMapper().GetInput().GetNumberOfVerts() == 2
    assert label.GetInput() == "1.000 m"
    scene.fit_all()
    scene.render()
    scene.clear_measurements()
    assert scene.renderer.GetViewProps().GetNumberOfItems() == before
    assert scene.measurements == []


def test_measurement_actors_follow_a_new_origin(scene):
    scene.measure((10.0, 0.0, 0.0), (12.0, 0.0, 0.0))
    scene.origin = (10.0, 0.0, 0.0)
    line = scene.helper_actors()[1]
    assert line.GetMapper().GetInput().GetPoint(0) == pytest.approx((0.0, 0.0, 0.0))
