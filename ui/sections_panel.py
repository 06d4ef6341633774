"""Section planes along X, Y, Z and a section box, moved with sliders."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QSlider, QVBoxLayout, QWidget

from bim.i18n import _

STEPS = 1000
AXES = ("x", "y", "z")


def _slider(value: int) -> QSlider:
    slider = QSlider(Qt.Horizontal)
    slider.setRange(0, STEPS)
    slider.setValue(value)
    return slider


class SectionsPanel(QWidget):
    """Emits ``changed`` whenever a plane or the box is switched or moved; the window
    reads :meth:`planes` and :meth:`box` (model coordinates) and applies them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bounds = ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))  # model coordinates
        planes = QGroupBox(_("Section planes"))
        grid = QGridLayout(planes)
        self.plane_enabled, self.plane_slider, self.plane_flip = {}, {}, {}
        for row, axis in enumerate(AXES):
            self.plane_enabled[axis] = QCheckBox(axis.upper())
            self.plane_slider[axis] = _slider(STEPS // 2)
            self.plane_flip[axis] = QCheckBox(_("Flip"))
            grid.addWidget(self.plane_enabled[axis], row, 0)
            grid.addWidget(self.plane_slider[axis], row, 1)
            grid.addWidget(self.plane_flip[axis], row, 2)
            for widget in (self.plane_enabled[axis], self.plane_flip[axis]):
                widget.toggled.connect(self.changed)
            self.plane_slider[axis].valueChanged.connect(self._moved_plane)
        box = QGroupBox(_("Section box"))
        box_grid = QGridLayout(box)
        self.box_enabled = QCheckBox(_("Enable"))
        self.box_enabled.toggled.connect(self.changed)
        box_grid.addWidget(self.box_enabled, 0, 0, 1, 3)
        self.box_min, self.box_max = {}, {}
        for row, axis in enumerate(AXES, start=1):
            self.box_min[axis] = _slider(0)
            self.box_max[axis] = _slider(STEPS)
            box_grid.addWidget(QLabel(axis.upper()), row, 0)
            box_grid.addWidget(self.box_min[axis], row, 1)
            box_grid.addWidget(self.box_max[axis], row, 2)
            self.box_min[axis].valueChanged.connect(self._moved_box)
            self.box_max[axis].valueChanged.connect(self._moved_box)
        layout = QVBoxLayout(self)
        layout.addWidget(planes)
        layout.addWidget(box)
        layout.addStretch(1)

    def _moved_plane(self) -> None:
        if any(self.plane_enabled[a].isChecked() for a in AXES):
            self.changed.emit()

    def _moved_box(self) -> None:
        if self.box_enabled.isChecked():
            self.changed.emit()

    def _position(self, axis: str, step: int) -> float:
        i = AXES.index(axis)
        lo, hi = self.bounds[0][i], self.bounds[1][i]
        return lo + (hi - lo) * step / STEPS

    def planes(self) -> list[tuple[str, float, bool]]:
        """Enabled planes as (axis, position in model coordinates, flipped)."""
        return [(a, self._position(a, self.plane_slider[a].value()), self.plane_flip[a].isChecked())
                for a in AXES if self.plane_enabled[a].isChecked()]

    def box(self) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
        """The box (min, max) in model coordinates, or None when off."""
        if not self.box_enabled.isChecked():
            return None
        lo = tuple(self._position(a, min(self.box_min[a].value(), self.box_max[a].value())) for a in AXES)
        hi = tuple(self._position(a, max(self.box_min[a].value(), self.box_max[a].value())) for a in AXES)
        return lo, hi

    def reset(self) -> None:
        """Everything off (e.g. after restoring a viewpoint without sections)."""
        for widget in [*self.plane_enabled.values(), self.box_enabled]:
            widget.blockSignals(True)
            widget.setChecked(False)
            widget.blockSignals(False)
