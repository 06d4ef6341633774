"""Camera helpers: standard views, fitting, projection toggle, BCF camera conversion.

Z is up. "front" looks along +Y (the camera stands at -Y), "left" looks along +X,
"iso" looks down from the front-right corner. The VTK camera lives in the scene's
local frame; BCF cameras are in model coordinates (local + origin).
"""

from __future__ import annotations

import math

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera, vtkRenderer

from bim.i18n import _
from bim.viewpoint import Camera

#: name -> (viewing direction, view up)
STANDARD_VIEWS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "top": ((0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),
    "bottom": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
    "front": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "back": ((0.0, -1.0, 0.0), (0.0, 0.0, 1.0)),
    "left": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "right": ((-1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "iso": ((-1.0, 1.0, -1.0), (0.0, 0.0, 1.0)),
}

#: Digits kept when a camera is written to a viewpoint: a micrometre, and enough
#: for a round trip through the float64 local frame to give back the same numbers.
ROUND_DIGITS = 6


def _unit(v) -> np.ndarray:
    v = np.asarray(v, float)
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def fit_bounds(renderer: vtkRenderer, lo: np.ndarray, hi: np.ndarray) -> None:
    """Keep the viewing direction and frame the box (lo, hi), local frame."""
    bounds = (lo[0], hi[0], lo[1], hi[1], lo[2], hi[2])
    renderer.ResetCamera(*map(float, bounds))
    renderer.ResetCameraClippingRange(*map(float, bounds))


def look(renderer: vtkRenderer, direction, up, lo: np.ndarray, hi: np.ndarray) -> None:
    """Point the camera along ``direction`` with ``up`` and frame the box."""
    camera = renderer.GetActiveCamera()
    centre = (np.asarray(lo) + np.asarray(hi)) / 2.0
    d = _unit(direction)
    camera.SetFocalPoint(*centre)
    camera.SetPosition(*(centre - d))
    camera.SetViewUp(*up)
    camera.OrthogonalizeViewUp()
    fit_bounds(renderer, lo, hi)


def standard_view(name: str) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """(direction, up) of a standard view name."""
    try:
        return STANDARD_VIEWS[name.lower()]
    except KeyError:
        raise ValueError(_("unknown view {name}: use one of {names}").format(
            name=repr(name), names=", ".join(STANDARD_VIEWS))) from None


def set_perspective(camera: vtkCamera, perspective: bool) -> None:
    """Switch projection keeping what is framed at the focal point's depth."""
    if perspective == (not camera.GetParallelProjection()):
        return
    half_angle = math.radians(camera.GetViewAngle()) / 2.0
    if perspective:
        # Move back or forth so the perspective frustum at the focal point is as
        # tall as the parallel view was.
        distance = camera.GetParallelScale() / math.tan(half_angle)
        camera.ParallelProjectionOff()
        focal = np.asarray(camera.GetFocalPoint())
        d = _unit(camera.GetDirectionOfProjection())
        camera.SetPosition(*(focal - d * distance))
    else:
        camera.SetParallelScale(camera.GetDistance() * math.tan(half_angle))
        camera.ParallelProjectionOn()


def view_height(camera: vtkCamera) -> float:
    """Height of the view at the focal point, metres (the BCF view-to-world scale)."""
    if camera.GetParallelProjection():
        return 2.0 * camera.GetParallelScale()
    return 2.0 * camera.GetDistance() * math.tan(math.radians(camera.GetViewAngle()) / 2.0)


def to_bcf(camera: vtkCamera, origin: np.ndarray, aspect_ratio: float) -> Camera:
    """The VTK camera as a BCF camera in model coordinates."""
    def r(values) -> tuple[float, float, float]:
        return tuple(round(float(v), ROUND_DIGITS) + 0.0 for v in values)

    position = np.asarray(camera.GetPosition()) + origin
    return Camera(
        position=r(position),
        direction=r(_unit(camera.GetDirectionOfProjection())),
        up=r(_unit(camera.GetViewUp())),
        perspective=not camera.GetParallelProjection(),
        field_of_view=round(float(camera.GetViewAngle()), ROUND_DIGITS),
        view_to_world_scale=round(view_height(camera), ROUND_DIGITS),
        aspect_ratio=round(float(aspect_ratio), ROUND_DIGITS),
    )


def apply_bcf(renderer: vtkRenderer, bcf: Camera, origin: np.ndarray) -> None:
    """Set the VTK camera from a BCF camera (model coordinates).

    BCF has no focal distance; the focal point is put where the view is
    ``view_to_world_scale`` tall, so switching projection afterwards keeps the
    framing and a captured camera comes back identical.
    """
    camera = renderer.GetActiveCamera()
    position = np.asarray(bcf.position, float) - origin
    direction = _unit(bcf.direction)
    if not np.any(direction):
        direction = np.array([0.0, 1.0, 0.0])
    fov = min(max(float(bcf.field_of_view), 1.0), 179.0)
    height = max(float(bcf.view_to_world_scale), 1e-6)
    distance = height / (2.0 * math.tan(math.radians(fov) / 2.0))
    camera.SetViewAngle(fov)
    camera.SetPosition(*position)
    camera.SetFocalPoint(*(position + direction * distance))
    camera.SetViewUp(*_unit(bcf.up))
    camera.OrthogonalizeViewUp()
    camera.SetParallelProjection(not bcf.perspective)
    camera.SetParallelScale(height / 2.0)
    renderer.ResetCameraClippingRange()
