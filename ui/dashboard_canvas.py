"""The dashboard's charts on screen: a matplotlib canvas whose bars and slices can be clicked.

The charts are drawn by :func:`project_db.reports.dashboard_charts.draw_board`, the
same code as the PNG and PDF exports. Each drawn bar is pickable; a click emits the
bar's :class:`ChartTarget` (``target_clicked``) and hovering one shows what a click
would show.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")  # before matplotlib's Qt backend picks a binding

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PySide6.QtCore import QPoint, Qt, Signal  # noqa: E402
from PySide6.QtWidgets import QSizePolicy, QToolTip  # noqa: E402

from bim.i18n import _  # noqa: E402
from project_db.reports.dashboard_charts import Chart, ChartBar, ChartTarget, draw_board  # noqa: E402

MIN_WIDTH, MIN_HEIGHT = 900, 820  # six charts stay readable; the dock scrolls below that


class DashboardCanvas(FigureCanvasQTAgg):
    """Six charts on one figure; ``target_clicked`` says what a clicked bar stands for."""

    target_clicked = Signal(object)  # ChartTarget

    def __init__(self, parent=None):
        super().__init__(Figure(figsize=(12, 10)))
        if parent is not None:
            self.setParent(parent)
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.charts: list[Chart] = []
        self.board = None
        self.mpl_connect("pick_event", self.on_pick)
        self.mpl_connect("motion_notify_event", self._on_motion)

    def show_board(self, board) -> None:
        """Draw ``board`` (a :class:`Board`) in place of what was shown."""
        self.board = board
        self.charts = draw_board(self.figure, board)
        self.draw_idle()

    def chart(self, key: str) -> Chart | None:
        """The chart drawn for ``key`` (see ``CHART_KEYS``)."""
        return next((c for c in self.charts if c.key == key), None)

    def bar_of(self, artist) -> ChartBar | None:
        """The drawn bar (or slice) whose artist is ``artist``."""
        for chart in self.charts:
            for bar in chart.bars:
                if bar.artist is artist:
                    return bar
        return None

    def on_pick(self, event) -> None:
        """A bar or slice was clicked: say what it stands for (left button only)."""
        mouse = getattr(event, "mouseevent", None)
        if mouse is not None and getattr(mouse, "button", 1) not in (1, None):
            return
        bar = self.bar_of(event.artist)
        if bar is not None:
            self.target_clicked.emit(bar.target)

    def _on_motion(self, event) -> None:
        bar = None
        if event.inaxes is not None:
            bar = next((b for c in self.charts if c.axes is event.inaxes for b in c.bars
                        if b.artist is not None and b.artist.contains(event)[0]), None)
        if bar is None:
            self.unsetCursor()
            QToolTip.hideText()
            return
        self.setCursor(Qt.PointingHandCursor)
        QToolTip.showText(self.mapToGlobal(self._widget_point(event)), tip_text(bar.target), self)

    def _widget_point(self, event) -> QPoint:
        # matplotlib counts physical pixels from the bottom; Qt logical ones from the top
        ratio = self.devicePixelRatioF() or 1.0
        return QPoint(int(event.x / ratio) + 14, int((self.figure.bbox.height - event.y) / ratio) + 14)


def tip_text(target: ChartTarget) -> str:
    """What hovering a bar says: its caption and what a click does."""
    if target.check_run_id is not None:
        return _("{caption}\nClick to show the checks").format(caption=target.caption)
    return _("{caption}: {n}\nClick to show these issues").format(caption=target.caption, n=len(target.issue_ids))
