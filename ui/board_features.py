"""The coordination dashboard in the main window: its dock, its menu entry and toolbar button, what drives it.

:func:`install` adds the Dashboard dock (kept as ``window.board_features``), a
"Dashboard" entry in the Coordination menu and a toolbar button. The board is read
in the background on the project's database threads, when the dock is shown, when the
filters change and when the project changes (others' edits seen by polling, new check
runs), with a short delay so a burst of changes costs one read. A click on a bar
shows its issues in the Issues dock; the exports render off the UI thread too.

The dock's content (matplotlib, the charts, SQLAlchemy behind them: over a second of
imports) is built the first time the dashboard is shown, not when the window starts.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox, QToolBar

from bim.i18n import _
from ui.menus import coordination_menu, panels_menu
from ui.prompts import ask
from ui.tasks import Task, guarded

REFRESH_DELAY_MS = 400  # a burst of changes (a BCF import, a poll) costs one read
EXPORT_FILTERS = {"png": "PNG (*.png)", "pdf": "PDF (*.pdf)"}
LAST_DIR_KEY = "dashboard/last_dir"


def install(window) -> "BoardFeatures":
    """Give ``window`` the dashboard (kept as ``window.board_features``)."""
    window.board_features = BoardFeatures(window)
    return window.board_features


def chart_icon(size: int = 32) -> QIcon:
    """Three bars of the trade colours: the dashboard's toolbar icon."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(Qt.NoPen)
    unit = size / 8
    for i, (height, colour) in enumerate(((3, "#3B82F6"), (6, "#F59E0B"), (4.5, "#10B981"))):
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(QRect(int(unit * (0.8 + 2.3 * i)), int(size - unit * (height + 0.8)),
                                      int(unit * 1.8), int(unit * height)), 2, 2)
    painter.end()
    return QIcon(pixmap)


class BoardFeatures(QObject):
    """The Dashboard dock's controller; see the module docstring."""

    shown = Signal(object)  # the Board now drawn
    exported = Signal(str)  # the path of a written file
    export_failed = Signal(str)  # the message shown

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # tests set a fixed time
        self._panel = None  # built by the ``panel`` property on first use
        self.dock = QDockWidget(_("Dashboard"), window)
        self.dock.setObjectName("dashboard")
        self.prompt = None
        self.loading = False
        self._request = 0
        self._stale = True
        self._placed = False
        self._export_task: Task | None = None
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._build_actions()
        self._connect()

    # ------------------------------------------------------------------ layout and wiring

    def _build_actions(self) -> None:
        window = self.window
        window.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.open_action = QAction(chart_icon(), _("Dashboard"), window)
        self.open_action.setToolTip(_("Coordination dashboard: open issues, deadlines, trends and check results"))
        self.open_action.triggered.connect(self.open_dashboard)
        coordination_menu(window).addAction(self.open_action)
        panels = panels_menu(window)
        if panels is not None:
            panels.addAction(self.dock.toggleViewAction())
        toolbar = window.findChild(QToolBar, "main-toolbar")
        if toolbar is not None:
            toolbar.addAction(self.open_action)
            # the toolbar's other buttons are words: this one shows its name beside its icon
            toolbar.widgetForAction(self.open_action).setToolButtonStyle(Qt.ToolButtonTextBesideIcon)

    @property
    def panel(self):
        """The dock's :class:`ui.dashboard_panel.DashboardPanel`, built (and filled) on first use."""
        return self.ensure_panel()

    def ensure_panel(self):
        """Build the dock's content if it is not built yet, and return it."""
        if self._panel is None:
            from ui.dashboard_panel import DashboardPanel

            self._panel = panel = DashboardPanel()
            self.dock.setWidget(panel)
            panel.filters.changed.connect(self.schedule_refresh)
            panel.export_requested.connect(self.choose_export)
            panel.target_clicked.connect(self.show_target)
            session = self.session
            if session is not None and session.is_open:
                self._on_opened(None)
        return self._panel

    def _connect(self) -> None:
        self.dock.visibilityChanged.connect(self._on_visibility)
        session = self.session
        if session is not None:
            session.opened.connect(self._on_opened)
            session.closed.connect(self._on_closed)
            session.changed.connect(self._on_changes)
            session.vocabulary_changed.connect(self._on_vocabulary)

    @property
    def session(self):
        features = getattr(self.window, "issue_features", None)
        return features.session if features is not None else None

    def open_dashboard(self) -> None:
        """Show the dashboard (floating over the 3D view the first time) and bring its numbers up to date."""
        self.ensure_panel()
        if not self._placed:
            self._placed = True
            self.dock.setFloating(True)
            frame = self.window.geometry()
            width, height = min(1240, int(frame.width() * 0.9)), min(900, int(frame.height() * 0.85))
            self.dock.setGeometry(frame.x() + (frame.width() - width) // 2, frame.y() + 40, width, height)
        self.dock.show()
        self.dock.raise_()
        self.refresh()

    def _on_visibility(self, visible: bool) -> None:
        if visible and self._panel is None:
            self.ensure_panel()  # shown from the Panels menu before the first open
        if visible and self._stale:
            self.schedule_refresh()

    # ------------------------------------------------------------------ project events

    def _on_opened(self, _project) -> None:
        if self._panel is None:
            return  # nothing shown yet: the panel fills itself when it is built
        session = self.session
        self.panel.set_enabled_for_project(True)
        self._on_vocabulary(session.vocabulary)
        self._load_versions()
        self.schedule_refresh()

    def _on_closed(self) -> None:
        self._request += 1  # a read under way is for the project that closed
        self.loading = False
        if self._panel is None:
            return
        self.panel.filters.set_versions(())
        self.panel.set_enabled_for_project(False)

    def _on_vocabulary(self, vocabulary) -> None:
        if self._panel is None:
            return
        self.panel.filters.set_vocabulary(vocabulary.trades, vocabulary.labels)
        self.schedule_refresh()

    def _on_changes(self, changes) -> None:
        if changes.models_changed:
            self._load_versions()
        if changes.issue_ids or changes.checks_changed or changes.models_changed or changes.settings_changed:
            self.schedule_refresh()

    def _load_versions(self) -> None:
        from project_db.dashboard import model_versions

        session = self.session
        if session is not None and self._panel is not None:
            session.run(model_versions, self.panel.filters.set_versions,
                        lambda exc: self.panel.show_error(str(exc)))

    # ------------------------------------------------------------------ reading the board

    def schedule_refresh(self) -> None:
        """Read the board again shortly (now if nobody looks at it: then when the dock is shown)."""
        self._stale = True
        if self.dock.isVisible():
            self._timer.start()

    def refresh(self) -> Task | None:
        """Read the board under the current filters in the background and draw it."""
        from project_db.reports.dashboard_charts import load_board

        session = self.session
        self._timer.stop()
        if session is None or not session.is_open or self._panel is None:
            return None
        self._stale = False
        self._request += 1
        request = self._request
        flt, now = self.panel.filters.current_filter(), self.clock()
        self.loading = True
        self.panel.show_loading()

        def done(board):
            if request != self._request:
                return  # a newer read is on its way
            self.loading = False
            self.panel.show_board(board)
            self.shown.emit(board)

        def failed(exc):
            if request == self._request:
                self.loading = False
                self.panel.show_error(_("The dashboard could not be read: {error}").format(error=exc))

        return session.run(lambda project: load_board(project, now, flt), done, failed)

    # ------------------------------------------------------------------ clicks

    def show_target(self, target) -> None:
        """Show in the Issues dock exactly the issues behind a clicked bar (a check run: the Checks dock)."""
        if target.check_run_id is not None:
            self._show_checks(target)
            return
        features = self.window.issue_features
        panel = features.panel
        panel.blockSignals(True)  # one query for the whole change, not one per filter
        try:
            panel.clear_filters()
            said = True
            for key, code in target.choices:
                panel.set_choice(key, code)
                said = said and panel.combos[key].currentData() == code  # e.g. a trade no longer active
            if target.restrict or not said:
                panel.restrict_to(target.issue_ids, target.caption)
        finally:
            panel.blockSignals(False)
        panel.filter_changed.emit()
        features.issues_dock.show()
        features.issues_dock.raise_()

    def _show_checks(self, target) -> None:
        checks = getattr(self.window, "check_features", None)
        dock = getattr(checks, "dock", None)
        if dock is not None:
            dock.show()
            dock.raise_()
        self.window.statusBar().showMessage(target.caption, 5000)

    # ------------------------------------------------------------------ exports

    def choose_export(self, fmt: str) -> None:
        """Ask where to write the dashboard as ``fmt`` ("png" or "pdf"), then write it."""
        board = self.panel.board
        if board is None:
            return
        folder = str(QSettings().value(LAST_DIR_KEY, str(Path.home())))
        name = _("dashboard {project}").format(project=board.project_name).replace("/", "-") + "." + fmt
        path, _filter = QFileDialog.getSaveFileName(self.window, _("Export the dashboard"), str(Path(folder) / name),
                                                    EXPORT_FILTERS[fmt])
        if not path:
            return
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
        self.export(path)

    def export(self, path) -> Task | None:
        """Write the board shown (as on screen: same filters, same moment) to ``path`` off the UI thread."""
        board = self.panel.board
        if board is None or self._export_task is not None:
            return None
        bar = self.window.statusBar()
        bar.showMessage(_("Exporting the dashboard to {file}…").format(file=path))
        for button in (self.panel.png_button, self.panel.pdf_button):
            button.setEnabled(False)
        from project_db.reports.dashboard_charts import write_board

        task = Task(lambda progress, cancel: write_board(board, path))

        def finished(written):
            self._export_done()
            bar.showMessage(_("Dashboard exported to {file}").format(file=written), 8000)
            self.exported.emit(str(written))

        def failed(exc):
            self._export_done()
            message = str(exc)
            bar.clearMessage()
            self.prompt = ask(self.window, QMessageBox.Warning, _("Export the dashboard"), message,
                              [("ok", _("OK"), QMessageBox.AcceptRole)], lambda _choice: None)
            self.export_failed.emit(message)

        task.finished.connect(guarded(self, finished))
        task.failed.connect(guarded(self, failed))
        self._export_task = task
        return task.start()

    def _export_done(self) -> None:
        self._export_task = None
        for button in (self.panel.png_button, self.panel.pdf_button):
            button.setEnabled(self.panel.board is not None)
