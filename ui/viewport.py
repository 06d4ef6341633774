"""The 3D view widget: the real VTK OpenGL widget hosting the Qt-free scene.

Mouse as in common BIM viewers: left drag orbits, middle drag (or Shift+left)
pans, the wheel zooms; a left click without drag selects (Ctrl adds or removes),
and in measure mode two clicks measure a distance.
"""

from __future__ import annotations

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from PySide6.QtCore import Qt, Signal  # noqa: E402
from PySide6.QtWidgets import QVBoxLayout, QWidget  # noqa: E402
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor  # noqa: E402
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera  # noqa: E402

from viewer.scene import Scene  # noqa: E402

CLICK_TOLERANCE_PX = 4


class Viewport(QWidget):
    """Hosts the VTK widget and its :class:`Scene`; emits what the user clicked."""

    element_clicked = Signal(tuple, bool)  # ElementKey, or () for a click in the void; ctrl held
    point_measured = Signal(float, object, object)  # distance, p1, p2 (model coordinates)
    measure_point_picked = Signal(object)  # first point of a measurement

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.vtk_widget = QVTKRenderWindowInteractor(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.vtk_widget)
        self.render_window = self.vtk_widget.GetRenderWindow()
        self.scene = Scene(render_window=self.render_window)
        self.interactor = self.render_window.GetInteractor()
        style = vtkInteractorStyleTrackballCamera()
        self.interactor.SetInteractorStyle(style)
        self.scene.attach_interactor(self.interactor)
        self._press_pos = None
        self.measuring = False
        self._measure_first = None
        self.interactor.AddObserver("LeftButtonPressEvent", self._on_press, 10.0)
        self.interactor.AddObserver("LeftButtonReleaseEvent", self._on_release, 10.0)
        self.interactor.Initialize()

    # The widget must be closed explicitly or VTK keeps a dangling GL context at exit.
    def close_view(self) -> None:
        self.scene.detach_interactor()
        self.vtk_widget.Finalize()

    def render(self) -> None:
        """Draw a frame now."""
        self.scene.render()

    def set_measuring(self, enabled: bool) -> None:
        """Two clicks then measure the distance between the picked points."""
        self.measuring = enabled
        self._measure_first = None
        self.vtk_widget.setCursor(Qt.CrossCursor if enabled else Qt.ArrowCursor)

    def _on_press(self, _obj, _event) -> None:
        self._press_pos = self.interactor.GetEventPosition()

    def _on_release(self, _obj, _event) -> None:
        if self._press_pos is None:
            return
        x, y = self.interactor.GetEventPosition()
        px, py = self._press_pos
        self._press_pos = None
        if abs(x - px) > CLICK_TOLERANCE_PX or abs(y - py) > CLICK_TOLERANCE_PX:
            return
        self.click(x, y, bool(self.interactor.GetControlKey()))

    def click(self, x: float, y: float, ctrl: bool = False) -> None:
        """Act on a click at display coordinates (VTK's: origin bottom-left, device pixels)."""
        hit = self.scene.pick(x, y)
        if self.measuring:
            if hit is None:
                return
            if self._measure_first is None:
                self._measure_first = hit.model_point
                self.measure_point_picked.emit(hit.model_point)
            else:
                first, self._measure_first = self._measure_first, None
                distance = self.scene.measure(first, hit.model_point)
                self.render()
                self.point_measured.emit(distance, first, hit.model_point)
            return
        self.element_clicked.emit(() if hit is None else tuple(hit.key), ctrl)

    def display_point_of(self, key) -> tuple[float, float] | None:
        """Where an element's centre is on screen (display coordinates), for tests and tooltips."""
        bounds = self.scene.element_bounds(key) if hasattr(self.scene, "element_bounds") else None
        if bounds is None:
            return None
        lo, hi = bounds
        centre = [(a + b) / 2.0 for a, b in zip(lo, hi)]
        renderer = self.scene.renderer
        renderer.SetWorldPoint(*centre, 1.0)
        renderer.WorldToDisplay()
        dx, dy, _ = renderer.GetDisplayPoint()
        return dx, dy
