"""What picking check results does in 3D: failing elements red, passing ones green, the rest x-rayed.

:class:`CheckView` applies the keys of :mod:`ui.check_keys` to the window's scene and
gives the window its own colours back when the pick is cleared.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QListWidgetItem

from bim.i18n import N_, _
from ui.check_keys import PickedKeys

FAIL_RGB = (220, 40, 40)
PASS_RGB = (60, 170, 80)
LEGEND = ((N_("failing"), FAIL_RGB), (N_("passing"), PASS_RGB))
# The window's own colour modes that can be re-applied by name (a property colouring needs its values).
_REAPPLICABLE_MODES = ("class", "trade", "model")


class CheckView:
    """Shows picked results in the window's scene and restores the window's colours afterwards."""

    def __init__(self, window):
        self.window = window
        self.active = False

    def show(self, picked: PickedKeys, frame: bool = True) -> None:
        """Colour failing red and passing green, x-ray everything else, select picked findings, frame."""
        window, scene = self.window, self.window.scene
        mapping = {key: FAIL_RGB for key in picked.failing}
        mapping.update({key: PASS_RGB for key in picked.passing})
        with scene.batch():
            scene.colour_by(mapping, [(_(label), rgb) for label, rgb in LEGEND])
            scene.set_xray(True, picked.shown)
        # Only picked findings are selected: the selection highlight would hide the red of the others.
        window.select(sorted(picked.findings))
        if not picked.findings:
            window.tree_panel.show_selection(picked.failing)
        if frame and picked.framed:
            scene.fit(picked.framed)
        self._show_legend()
        self.active = True
        window.viewport.render()

    def restore(self) -> None:
        """Give the window its own colours, x-ray setting and an empty selection back."""
        if not self.active:
            return
        self.active = False
        window = self.window
        window.select([])
        window.scene.set_xray(window.xray_action.isChecked())
        mode = window.colour_combo.currentData()
        window.colour_by(mode if mode in _REAPPLICABLE_MODES else "none")

    def _show_legend(self) -> None:
        legend = self.window.legend
        legend.clear()
        for label, rgb in self.window.scene.legend:
            pixmap = QPixmap(14, 14)
            pixmap.fill(QColor(*rgb))
            legend.addItem(QListWidgetItem(QIcon(pixmap), label))
