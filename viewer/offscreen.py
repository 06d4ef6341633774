"""Offscreen rendering for the headless command line and for tests.

An offscreen ``vtkRenderWindow`` needs no display: without ``DISPLAY`` VTK picks
its EGL window (Mesa llvmpipe on machines without a GPU); under Xvfb it uses GLX.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkImagingCore import vtkImageResize
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkWindowToImageFilter

from viewer.scene import Scene
from viewer.types import ModelMesh


def _new_window() -> vtkRenderWindow:
    # Without a display, ask for EGL directly: the generic factory tries X first
    # and logs a "bad X server connection" warning on every window.
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        try:
            from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow
        except ImportError:
            pass
        else:
            return vtkEGLRenderWindow()
    return vtkRenderWindow()


def offscreen_window(size: tuple[int, int] = (1600, 1000)) -> vtkRenderWindow:
    """A render window drawing into an offscreen buffer of ``size`` pixels."""
    window = _new_window()
    window.SetOffScreenRendering(1)
    window.SetSize(int(size[0]), int(size[1]))
    return window


def offscreen_scene(size: tuple[int, int] = (1600, 1000)) -> tuple[Scene, vtkRenderWindow]:
    """A scene in a new offscreen window."""
    window = offscreen_window(size)
    return Scene(render_window=window), window


def _capture(window: vtkRenderWindow):
    grabber = vtkWindowToImageFilter()
    grabber.SetInput(window)
    grabber.SetInputBufferTypeToRGB()
    grabber.ReadFrontBufferOff()  # render into the back buffer and read that
    grabber.ShouldRerenderOn()
    grabber.Update()
    return grabber.GetOutput()


def read_pixels(window: vtkRenderWindow) -> np.ndarray:
    """Render and return the image as an (height, width, 3) uint8 array, top row first."""
    image = _capture(window)
    width, height, _depth = image.GetDimensions()
    pixels = numpy_support.vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, -1)
    return pixels[::-1].copy()


def png_bytes(window: vtkRenderWindow, width: int | None = None, height: int | None = None) -> bytes:
    """Render and encode the window as PNG bytes, resized when a size is given
    (one side given: the other follows the window's aspect ratio)."""
    image = _capture(window)
    w, h, _depth = image.GetDimensions()
    if width or height:
        out_w = int(width) if width else round(w * int(height) / h)
        out_h = int(height) if height else round(h * int(width) / w)
        if (out_w, out_h) != (w, h):
            resize = vtkImageResize()
            resize.SetInputData(image)
            resize.SetOutputDimensions(out_w, out_h, 1)
            resize.Update()
            image = resize.GetOutput()
    writer = vtkPNGWriter()
    writer.WriteToMemoryOn()
    writer.SetInputData(image)
    writer.Write()
    return bytes(numpy_support.vtk_to_numpy(writer.GetResult()))


def write_png(window: vtkRenderWindow, path: str | Path) -> Path:
    """Render the window into a PNG file; returns the path."""
    path = Path(path)
    path.write_bytes(png_bytes(window))
    return path


def render_png(models: Iterable[ModelMesh] | Callable[[Scene], None], path: str | Path, view: str = "iso",
               size: tuple[int, int] = (1600, 1000)) -> Path:
    """Render models (or whatever ``models(scene)`` builds) from a standard view into a PNG."""
    scene, window = offscreen_scene(size)
    if callable(models):
        models(scene)
    else:
        for mesh in models:
            scene.add_mesh(mesh)
    scene.set_standard_view(view)
    return write_png(window, path)
