"""Synthetic models for the viewer tests: boxes at known places, rendered offscreen."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from viewer.offscreen import offscreen_window, read_pixels
from viewer.scene import Scene
from viewer.types import ElementDisplayInfo, ModelMesh

_CORNERS = np.array(
    [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], np.float32
) - 0.5
# Twelve outward-facing triangles of a unit cube.
_FACES = np.array(
    [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
     [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]], np.int32
)
TRIANGLES_PER_BOX = len(_FACES)


def box_model(model_id: str, centres: Sequence[Sequence[float]], sizes: float | Sequence = 1.0,
              rgba: Sequence[int] | Sequence[Sequence[int]] = (200, 180, 150, 255),
              classes: Sequence[str] | None = None, global_ids: Sequence[str] | None = None,
              hidden_by_default: Sequence[bool] | None = None) -> ModelMesh:
    """One element per box: box ``i`` is centred on ``centres[i]`` with edge ``sizes[i]``."""
    centres = np.asarray(centres, np.float32).reshape(-1, 3)
    n = len(centres)
    sizes = np.broadcast_to(np.asarray(sizes, np.float32).reshape(-1, 1) if np.ndim(sizes) == 1 else
                            np.asarray(sizes, np.float32), (n, 3) if np.ndim(sizes) else (n, 1))
    vertices = (centres[:, None, :] + _CORNERS[None] * sizes[:, None, :]).reshape(-1, 3)
    triangles = (_FACES[None] + 8 * np.arange(n, dtype=np.int32)[:, None, None]).reshape(-1, 3)
    triangle_element = np.repeat(np.arange(n), TRIANGLES_PER_BOX)
    colours = np.asarray(rgba, np.uint8)
    colours = np.broadcast_to(colours, (n, 4)) if colours.ndim == 1 else colours
    triangle_rgba = np.repeat(colours, TRIANGLES_PER_BOX, axis=0)
    classes = classes or ["IfcWall"] * n
    global_ids = global_ids or [f"{model_id}-{i}" for i in range(n)]
    hidden = hidden_by_default or [c in ("IfcSpace", "IfcOpeningElement") for c in classes]
    elements = [ElementDisplayInfo(g, c, h) for g, c, h in zip(global_ids, classes, hidden)]
    return ModelMesh(model_id, vertices, triangles, triangle_element, triangle_rgba, elements)


def grid_model(model_id: str, count: int, spacing: float = 2.0, z: float = 0.0, **kwargs) -> ModelMesh:
    """``count`` unit boxes in a row along X."""
    centres = [(i * spacing, 0.0, z) for i in range(count)]
    return box_model(model_id, centres, **kwargs)


SIZE = (240, 160)


@pytest.fixture(scope="session")
def shared_window():
    """One offscreen window for the whole run: making a GL context costs more than most tests."""
    window = offscreen_window(SIZE)
    yield window
    window.Finalize()


@pytest.fixture
def scene(shared_window):
    """An empty scene (its own renderer) in the shared offscreen window."""
    scene = Scene(render_window=shared_window)
    yield scene
    shared_window.RemoveRenderer(scene.renderer)


@pytest.fixture
def window(scene):
    """The offscreen window of ``scene``."""
    return scene.render_window


def drawn_pixels(scene) -> int:
    """How many pixels differ from the empty background (rendered now)."""
    image = read_pixels(scene.render_window).astype(np.int16)
    return int((np.abs(image - _background(scene)).max(axis=2) > 12).sum())


def _background(scene) -> np.ndarray:
    """The gradient drawn with every actor of ``scene`` switched off."""
    props = scene.renderer.GetViewProps()
    shown = [props.GetItemAsObject(i) for i in range(props.GetNumberOfItems())]
    shown = [prop for prop in shown if prop.GetVisibility()]
    for prop in shown:
        prop.VisibilityOff()
    try:
        return read_pixels(scene.render_window).astype(np.int16)
    finally:
        for prop in shown:
            prop.VisibilityOn()
