"""Distance measurements: a line, two point markers and a label, in model coordinates.

Points are kept in model coordinates so a measurement survives a change of the
scene's origin; the actors are re-expressed in the local frame when it changes.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.util import numpy_support
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkBillboardTextActor3D, vtkPolyDataMapper

from bim.i18n import _

MEASURE_COLOUR = (0.85, 0.20, 0.05)


def distance(p1_model, p2_model) -> float:
    """Euclidean distance between two model points (float64)."""
    return float(np.linalg.norm(np.asarray(p2_model, np.float64) - np.asarray(p1_model, np.float64)))


def format_distance(value: float) -> str:
    """A distance as users read it (metres, millimetre precision)."""
    return _("{distance:.3f} m").format(distance=value)


class Measurement:
    """One measured segment and its actors (not pickable, never clipped)."""

    def __init__(self, p1_model, p2_model) -> None:
        self.start = tuple(float(c) for c in p1_model)
        self.end = tuple(float(c) for c in p2_model)
        self.distance = distance(self.start, self.end)
        self._points = vtkPoints()
        data = vtkPolyData()
        data.SetPoints(self._points)
        lines = vtkCellArray()
        lines.InsertNextCell(2, (0, 1))
        verts = vtkCellArray()
        verts.InsertNextCell(1, (0,))
        verts.InsertNextCell(1, (1,))
        data.SetLines(lines)
        data.SetVerts(verts)
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(data)
        self._data = data
        self.line_actor = vtkActor()
        self.line_actor.SetMapper(mapper)
        prop = self.line_actor.GetProperty()
        prop.SetColor(*MEASURE_COLOUR)
        prop.SetLineWidth(2.5)
        prop.SetPointSize(10)
        prop.RenderPointsAsSpheresOn()
        prop.LightingOff()
        self.line_actor.PickableOff()
        self.label_actor = vtkBillboardTextActor3D()
        self.label_actor.SetInput(format_distance(self.distance))
        text = self.label_actor.GetTextProperty()
        text.SetFontSize(16)
        text.SetColor(*MEASURE_COLOUR)
        text.SetBackgroundColor(1.0, 1.0, 1.0)
        text.SetBackgroundOpacity(0.8)
        text.SetJustificationToCentered()
        self.label_actor.PickableOff()

    @property
    def actors(self) -> tuple:
        """The actors to add to a renderer."""
        return (self.line_actor, self.label_actor)

    def place(self, origin: np.ndarray) -> None:
        """Position the actors in the local frame of ``origin``."""
        local = np.array([self.start, self.end], np.float64) - origin
        self._points.SetData(numpy_support.numpy_to_vtk(local.astype(np.float32), deep=True))
        self._data.Modified()
        self.label_actor.SetPosition(*local.mean(axis=0))
