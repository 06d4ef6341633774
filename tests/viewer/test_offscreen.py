"""Snapshots and offscreen rendering without a display."""

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkIOImage import vtkPNGReader

from viewer.offscreen import render_png

from .conftest import grid_model


def decode(png: bytes, folder) -> np.ndarray:
    """The pixels of PNG bytes (through a file: the reader's memory input is deprecated)."""
    path = folder / "decoded.png"
    path.write_bytes(png)
    reader = vtkPNGReader()
    reader.SetFileName(str(path))
    reader.Update()
    image = reader.GetOutput()
    width, height, _ = image.GetDimensions()
    return numpy_support.vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, -1)


def test_a_screenshot_is_a_non_blank_png(scene, tmp_path):
    scene.add_mesh(grid_model("A", 4, rgba=(220, 40, 40, 255)))
    scene.set_standard_view("iso")
    path = tmp_path / "shot.png"
    scene.save_screenshot(path)
    pixels = decode(path.read_bytes(), tmp_path)
    assert pixels.shape[:2] == (160, 240)
    reddish = (pixels[..., 0] > 120) & (pixels[..., 1] < 90)
    assert reddish.sum() > 50


def test_a_snapshot_can_be_resized(scene, tmp_path):
    scene.add_mesh(grid_model("A", 2))
    scene.fit_all()
    assert decode(scene.snapshot_png(120, 80), tmp_path).shape[:2] == (80, 120)
    assert decode(scene.snapshot_png(width=60), tmp_path).shape[:2] == (40, 60)


def test_render_png_draws_models_into_a_file(tmp_path):
    path = render_png([grid_model("A", 3)], tmp_path / "model.png", view="front", size=(160, 100))
    pixels = decode(path.read_bytes(), tmp_path)
    assert pixels.shape[:2] == (100, 160)
    assert pixels.reshape(-1, pixels.shape[2]).std(axis=0).max() > 5
