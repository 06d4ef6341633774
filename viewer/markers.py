"""Point markers (a clash point, a spot to look at): a dot and a 3D cross, drawn over the geometry.

A clash point lies inside the two clashing elements, so a marker drawn as normal
3D geometry would be hidden by them. Markers are therefore a 2D overlay whose
points are given in world coordinates: VTK projects them every frame, so they
follow the camera yet are never occluded. Like measurements, points are kept in
model coordinates and re-expressed in the local frame when the origin changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D, vtkCoordinate, vtkPolyDataMapper2D

Point = tuple[float, float, float]

#: Magenta: no trade, the selection highlight nor the x-ray ghost uses it.
MARKER_COLOUR = (1.0, 0.0, 0.8)
#: Half the length of each arm of the cross, metres.
CROSS_HALF_LENGTH = 0.25
DOT_SIZE_PX = 12
LINE_WIDTH_PX = 3

_ARMS = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float64)


class Markers:
    """Markers at points in model coordinates; one overlay actor for all of them (not pickable)."""

    def __init__(self) -> None:
        self._points_model: tuple[Point, ...] = ()
        self._data = vtkPolyData()
        coordinate = vtkCoordinate()
        coordinate.SetCoordinateSystemToWorld()
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(self._data)
        mapper.SetTransformCoordinate(coordinate)
        self.actor = vtkActor2D()
        self.actor.SetMapper(mapper)
        prop = self.actor.GetProperty()
        prop.SetColor(*MARKER_COLOUR)
        prop.SetPointSize(DOT_SIZE_PX)
        prop.SetLineWidth(LINE_WIDTH_PX)
        self.actor.PickableOff()
        self.actor.VisibilityOff()

    @property
    def points(self) -> tuple[Point, ...]:
        """The marked points, model coordinates."""
        return self._points_model

    def set_points(self, points_model: Iterable[Sequence[float]], origin: np.ndarray) -> None:
        """Mark these points (model coordinates), replacing the previous ones."""
        self._points_model = tuple(tuple(float(c) for c in p[:3]) for p in points_model)
        self.place(origin)

    def place(self, origin: np.ndarray) -> None:
        """Rebuild the overlay in the local frame of ``origin`` (model = local + origin)."""
        centres = np.array(self._points_model, np.float64).reshape(-1, 3) - np.asarray(origin, np.float64)
        n = len(centres)
        # Per marker: the centre, then both ends of each of the three arms.
        ends = centres[:, None, :] + np.concatenate([-_ARMS, _ARMS])[None] * CROSS_HALF_LENGTH
        local = np.concatenate([centres[:, None, :], ends], axis=1).reshape(-1, 3)
        points = vtkPoints()
        points.SetData(numpy_support.numpy_to_vtk(local.astype(np.float32), deep=True))
        verts, lines = vtkCellArray(), vtkCellArray()
        for i in range(n):
            base = 7 * i
            verts.InsertNextCell(1, (base,))
            for arm in range(3):
                lines.InsertNextCell(2, (base + 1 + arm, base + 4 + arm))
        self._data.SetPoints(points)
        self._data.SetVerts(verts)
        self._data.SetLines(lines)
        self._data.Modified()
        self.actor.SetVisibility(n > 0)
