"""A picture of the whole window with its 3D view, for documentation and GUI tests.

``QWidget.grab`` paints widgets but not the OpenGL content of the VTK widget;
we paste the scene's own rendering over the viewport's place.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter, QPixmap


def grab_window(window) -> QPixmap:
    """The window as shown, 3D view included."""
    pixmap = window.grab()
    viewport = window.viewport
    width, height = viewport.width(), viewport.height()
    ratio = viewport.devicePixelRatioF()
    png = window.scene.snapshot_png(int(width * ratio), int(height * ratio))
    image = QImage.fromData(png, "PNG")
    top_left = viewport.mapTo(window, QPoint(0, 0))
    painter = QPainter(pixmap)
    painter.drawImage(top_left, image.scaled(width, height))
    painter.end()
    return pixmap
