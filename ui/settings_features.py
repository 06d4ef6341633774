"""The "Project settings…" entry of the File menu, which opens :class:`ui.project_settings.ProjectSettingsDialog`.

:func:`install` adds it (kept as ``window.settings_features``); it works on the
window's open project (``window.issue_features.session``) and is disabled, with
a tip saying why, while no project is open.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from bim.i18n import _
from ui.project_settings import ProjectSettingsDialog


def install(window) -> "SettingsFeatures":
    """Give ``window`` the Project settings dialog (once; kept as ``window.settings_features``)."""
    existing = getattr(window, "settings_features", None)
    if existing is None:
        window.settings_features = existing = SettingsFeatures(window)
    return existing


class SettingsFeatures(QObject):
    """The menu action and the (single) settings dialog of a window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.issue_features.session
        self.dialog: ProjectSettingsDialog | None = None
        self.action = QAction(_("Project settings…"), self)
        self.action.triggered.connect(lambda _checked=False: self.open_dialog())
        self._add_to_menu()
        self.session.opened.connect(self._update_action)
        self.session.closed.connect(self._update_action)
        self._update_action()

    def open_dialog(self) -> ProjectSettingsDialog | None:
        """Show the settings of the open project (the same dialog again if it is already open)."""
        if not self.session.is_open:
            self.window.statusBar().showMessage(self.action.statusTip(), 5000)
            return None
        if self.dialog is None:
            self.dialog = ProjectSettingsDialog(self.session, self.window)
        else:
            self.dialog.reload()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _add_to_menu(self) -> None:
        # Right after "Close project" in File, with the other project entries.
        features = self.window.issue_features
        file_menu = self.window.menuBar().actions()[0].menu()
        actions = file_menu.actions()
        close = getattr(features, "close_project_action", None)
        anchor = actions[actions.index(close) + 1] if close in actions and actions[-1] is not close else None
        if anchor is None:
            file_menu.addAction(self.action)
        else:
            file_menu.insertAction(anchor, self.action)

    def _update_action(self, *_args) -> None:
        is_open = self.session.is_open
        self.action.setEnabled(is_open)
        tip = (_("Trades, delays, users and issue vocabularies of the open project")
               if is_open else _("Open a project to edit its settings"))
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
