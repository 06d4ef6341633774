"""Standard views, fitting and projection."""

import numpy as np
import pytest

from viewer.offscreen import read_pixels

from .conftest import box_model


@pytest.fixture
def house(scene):
    """Boxes of different sizes and colours, so every side looks different."""
    scene.add_mesh(box_model(
        "A", [(0, 0, 0), (3, 0, 0), (0, 4, 1), (0, 0, 3)], sizes=[1.0, 2.0, 1.5, 0.7],
        rgba=[(200, 60, 60, 255), (60, 200, 60, 255), (60, 60, 200, 255), (200, 200, 60, 255)]))
    return scene


def test_standard_views_draw_different_images(house):
    images = {}
    for name in ("top", "bottom", "front", "back", "left", "right", "iso"):
        house.set_standard_view(name)
        images[name] = read_pixels(house.render_window).astype(int)
    names = list(images)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(images[a] - images[b]).sum() > 0, (a, b)


@pytest.mark.parametrize("name, direction", [
    ("front", (0, 1, 0)), ("back", (0, -1, 0)), ("top", (0, 0, -1)), ("left", (1, 0, 0)),
])
def test_standard_views_look_along_the_documented_axis(house, name, direction):
    house.set_standard_view(name)
    assert house.camera_state().direction == pytest.approx(direction, abs=1e-9)


def test_an_unknown_view_is_refused(house):
    with pytest.raises(ValueError):
        house.set_standard_view("sideways")


def test_fitting_an_element_centres_it(house):
    house.set_standard_view("iso")
    house.fit([("A", "A-1")])
    focal = house.renderer.GetActiveCamera().GetFocalPoint()
    assert focal == pytest.approx((3, 0, 0))


def test_fit_all_frames_only_visible_elements(house):
    house.isolate([("A", "A-2")])
    house.fit_all()
    assert house.renderer.GetActiveCamera().GetFocalPoint() == pytest.approx((0, 4, 1))


def test_switching_to_parallel_projection_keeps_the_framing(house):
    house.set_standard_view("iso")
    before = house.camera_state()
    house.set_perspective(False)
    parallel = house.camera_state()
    assert not parallel.perspective and not house.perspective
    assert parallel.view_to_world_scale == pytest.approx(before.view_to_world_scale)
    house.set_perspective(True)
    assert house.camera_state().position == pytest.approx(before.position)


def test_the_camera_state_is_in_model_coordinates(house):
    house.set_standard_view("top")
    local = house.camera_state().position
    house.origin = (1000.0, 0.0, 0.0)
    assert house.camera_state().position == pytest.approx((local[0] + 1000.0, local[1], local[2]))
