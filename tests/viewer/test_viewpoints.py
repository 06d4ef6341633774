"""Viewpoints capture what the user sees, in model coordinates, and restore it exactly."""

import dataclasses

import pytest

from bim.viewpoint import Camera, ComponentRef, Viewpoint

from .conftest import box_model, grid_model


@pytest.fixture
def federation(scene):
    """Two models, far from the origin, with a space and a transparent element."""
    scene.origin = (2_500_000.0, 1_200_000.0, 100.0)
    scene.add_mesh(grid_model("ARC", 6))
    scene.add_mesh(box_model("HVAC", [(0, 3, 0), (2, 3, 0), (4, 3, 0)], classes=["IfcDuct", "IfcDuct", "IfcSpace"],
                             rgba=[(90, 150, 250, 255), (90, 150, 250, 100), (120, 200, 120, 60)]))
    scene.set_standard_view("iso")
    return scene


def change_everything(scene):
    scene.set_standard_view("top")
    scene.set_perspective(False)
    scene.isolate([("ARC", "ARC-0")])
    scene.select([("ARC", "ARC-0")])
    scene.colour_by({("ARC", "ARC-0"): (1, 2, 3)}, [])
    scene.set_section_box((2_499_990.0, 1_199_990.0, 90.0), (2_500_010.0, 1_200_010.0, 110.0))
    scene.clear_measurements()
    scene.set_spaces_visible(True)


def test_capture_change_restore_gives_back_an_equal_viewpoint(federation):
    scene = federation
    scene.hide([("ARC", "ARC-1"), ("HVAC", "HVAC-0")])
    scene.select([("ARC", "ARC-2"), ("HVAC", "HVAC-1")])
    scene.colour_by({("ARC", "ARC-2"): (255, 0, 0), ("ARC", "ARC-3"): (255, 0, 0), ("HVAC", "HVAC-1"): (0, 0, 255)},
                    [("a", (255, 0, 0)), ("b", (0, 0, 255))])
    scene.set_section_plane("z", 100.25)
    scene.set_section_plane("x", 2_500_003.0, flip=True)
    scene.measure((2_500_000.0, 1_200_000.0, 100.0), (2_500_004.0, 1_200_003.0, 100.0))
    captured = scene.capture_viewpoint()
    change_everything(scene)
    assert scene.capture_viewpoint(with_snapshot=False) != captured
    scene.restore_viewpoint(captured)
    assert scene.capture_viewpoint(with_snapshot=False) == captured
    assert scene.visible_keys() == {("ARC", f"ARC-{i}") for i in (0, 2, 3, 4, 5)} | {("HVAC", "HVAC-1")}


def test_the_captured_viewpoint_holds_every_part_of_the_state(federation):
    scene = federation
    scene.hide([("ARC", "ARC-1")])
    scene.select([("ARC", "ARC-2")])
    scene.colour_by({("ARC", "ARC-2"): (255, 0, 0), ("ARC", "ARC-3"): (255, 0, 0)}, [])
    scene.set_section_box((2_499_990.0, 1_199_990.0, 90.0), (2_500_010.0, 1_200_010.0, 110.0))
    scene.measure((2_500_000.0, 1_200_000.0, 100.0), (2_500_001.0, 1_200_000.0, 100.0))
    vp = scene.capture_viewpoint()
    assert vp.default_visibility is True
    assert vp.exceptions == (ComponentRef("ARC-1", "ARC"),)
    assert vp.selection == (ComponentRef("ARC-2", "ARC"),)
    assert [(c.color, len(c.components)) for c in vp.colourings] == [("#FF0000", 2)]
    assert len(vp.clipping_planes) == 6
    assert vp.lines[0].end == (2_500_001.0, 1_200_000.0, 100.0)
    assert vp.camera.position[0] > 2_400_000
    assert vp.snapshot_png.startswith(b"\x89PNG")


def test_visibility_is_written_the_shorter_way(federation):
    scene = federation
    scene.isolate([("ARC", "ARC-4")])
    vp = scene.capture_viewpoint(with_snapshot=False)
    assert vp.default_visibility is False
    assert vp.exceptions == (ComponentRef("ARC-4", "ARC"),)


def test_an_isolated_space_is_written_as_a_visible_exception(federation):
    federation.isolate([("HVAC", "HVAC-2")])
    vp = federation.capture_viewpoint(with_snapshot=False)
    assert (vp.default_visibility, vp.exceptions) == (False, (ComponentRef("HVAC-2", "HVAC"),))
    federation.show_all()
    federation.restore_viewpoint(vp)
    assert federation.visible_keys() == {("HVAC", "HVAC-2")}


def test_elements_named_by_global_id_only_resolve_to_the_first_model_having_them(scene):
    scene.add_mesh(box_model("A", [(0, 0, 0)], global_ids=["shared"]))
    scene.add_mesh(box_model("B", [(3, 0, 0)], global_ids=["shared"]))
    camera = Camera(position=(0.0, -10.0, 0.0), direction=(0.0, 1.0, 0.0), up=(0.0, 0.0, 1.0))
    scene.restore_viewpoint(Viewpoint(camera=camera, selection=(ComponentRef("shared"),),
                                      default_visibility=False, exceptions=(ComponentRef("shared"),)))
    assert scene.selection == {("A", "shared")}
    assert scene.visible_keys() == {("A", "shared")}


def test_a_restored_camera_matches_the_viewpoint(scene):
    scene.origin = (100.0, 200.0, 0.0)
    scene.add_mesh(grid_model("A", 3))
    camera = Camera(position=(101.0, 150.0, 3.0), direction=(0.0, 1.0, 0.0), up=(0.0, 0.0, 1.0),
                    perspective=False, field_of_view=45.0, view_to_world_scale=12.0, aspect_ratio=1.5)
    scene.restore_viewpoint(Viewpoint(camera=camera))
    got = scene.camera_state()
    assert dataclasses.replace(got, aspect_ratio=1.5) == camera


def test_restoring_turns_xray_off_and_shows_every_model(federation):
    vp = federation.capture_viewpoint(with_snapshot=False)
    federation.set_xray(True)
    federation.set_model_visible("HVAC", False)
    federation.restore_viewpoint(vp)
    assert not federation.xray and federation.is_model_visible("HVAC")
    assert federation.capture_viewpoint(with_snapshot=False) == vp
