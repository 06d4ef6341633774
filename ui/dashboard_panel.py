"""The Dashboard dock's widget: filters, the summary line, the six charts and the export buttons.

The panel knows nothing of the database: it says what the user wants (filters
``changed`` through ``filters``, ``export_requested``, ``target_clicked``) and shows the
:class:`Board` it is given; :mod:`ui.board_features` reads it in the background.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from bim.i18n import _
from project_db.reports.common import format_datetime
from project_db.reports.dashboard_charts import describe_filter, summary_text
from ui.dashboard_canvas import DashboardCanvas
from ui.dashboard_filters import DashboardFilterBar

SUMMARY_STYLE = "font-size: 14px; font-weight: 600; color: #1F2937;"
NOTE_STYLE = "color: #6B7280;"


class DashboardPanel(QWidget):
    """Filters on top, then the summary, the charts (scrolling when the dock is small) and the exports."""

    export_requested = Signal(str)  # "png" or "pdf"
    target_clicked = Signal(object)  # ChartTarget of the clicked bar

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.board = None
        self.filters = DashboardFilterBar()
        self.summary = QLabel()
        self.summary.setStyleSheet(SUMMARY_STYLE)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setWordWrap(True)
        self.canvas = DashboardCanvas()
        self.canvas.target_clicked.connect(self.target_clicked)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setWidget(self.canvas)
        self.png_button = QPushButton(_("Export PNG…"))
        self.png_button.setToolTip(_("The whole dashboard as one image"))
        self.pdf_button = QPushButton(_("Export PDF…"))
        self.pdf_button.setToolTip(_("A title page with the filters, then one page per chart"))
        self.png_button.clicked.connect(lambda: self.export_requested.emit("png"))
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.png_button)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filters)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll, 1)
        self.set_enabled_for_project(False)

    def set_enabled_for_project(self, enabled: bool) -> None:
        """Grey the filters and exports out while no project is open."""
        for widget in (self.filters, self.png_button, self.pdf_button):
            widget.setEnabled(enabled)
        if not enabled:
            self.board = None
            self.summary.setText(_("No project open"))
            self.note.setText(_("Open a project to see its dashboard."))
            self.canvas.figure.clear()
            self.canvas.charts = []
            self.canvas.draw_idle()
        else:
            self.png_button.setEnabled(self.board is not None)
            self.pdf_button.setEnabled(self.board is not None)
            if self.board is None:
                self.show_loading()

    def show_loading(self) -> None:
        """Say the numbers are being read (the charts shown stay until the new ones arrive)."""
        self.note.setText(_("Updating…"))
        if self.board is None:  # nothing to show yet: say so rather than keep "No project open"
            self.summary.setText(_("Reading the project's issues…"))

    def show_error(self, message: str) -> None:
        """Say why the board could not be read."""
        self.note.setText(message)

    def show_board(self, board) -> None:
        """Draw ``board`` and its summary."""
        self.board = board
        self.summary.setText(summary_text(board.data))
        self.note.setText(_("{filters} · as of {moment} · click a bar to show its issues").format(
            filters=describe_filter(board), moment=format_datetime(board.now, board.language)))
        self.canvas.show_board(board)
        self.png_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
