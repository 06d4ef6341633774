"""The project, BCF and issue entries that the issue features add to the window's menus and toolbar."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from bim.i18n import _
from ui.project_session import recent_projects


def build_issue_actions(features) -> None:
    """Create the actions on ``features`` and put them in File, a new Issues menu and the toolbar."""
    window = features.window

    def action(text, slot, shortcut=None, tip=None):
        act = QAction(text, features)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(tip or text)
        act.triggered.connect(lambda _checked=False: slot())
        return act

    features.new_issue_action = action(_("New issue from current view"), features.new_issue_from_view,
                                       QKeySequence.New,
                                       _("Create an issue from the current view and selection (Ctrl+N)"))
    features.new_project_action = action(_("New project…"), features.choose_new_project)
    features.open_project_action = action(_("Open project…"), features.choose_project)
    features.switch_project_action = action(_("Switch project…"), features.show_welcome)
    features.open_demo_action = action(_("Open the demo project"), features.open_demo)
    features.close_project_action = action(_("Close project"), features.close_project)
    features.import_bcf_action = action(_("Import BCF…"), features.bcf.choose_import)
    features.export_bcf_action = action(_("Export BCF…"), features.bcf.choose_export)
    features.recent_menu = QMenu(_("Recent projects"), window)
    features.recent_menu.aboutToShow.connect(lambda: _fill_recent_menu(features))

    # Projects come first in File: they are what the rest of the window works on.
    file_menu = window.menuBar().actions()[0].menu()
    anchor = file_menu.actions()[0] if file_menu.actions() else None
    for item in (features.new_project_action, features.open_project_action, features.recent_menu,
                 features.switch_project_action, features.open_demo_action, features.close_project_action, None,
                 features.import_bcf_action, features.export_bcf_action, None):
        if item is None:
            file_menu.insertSeparator(anchor)
        elif isinstance(item, QMenu):
            file_menu.insertMenu(anchor, item)
        else:
            file_menu.insertAction(anchor, item)
    issues_menu = QMenu(_("&Issues"), window)
    window.menuBar().insertMenu(window.menuBar().actions()[-1], issues_menu)
    issues_menu.addAction(features.new_issue_action)
    issues_menu.addAction(features.issues_dock.toggleViewAction())
    issues_menu.addAction(features.detail_dock.toggleViewAction())
    toolbar = window.findChild(QToolBar, "main-toolbar")
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(features.new_issue_action)
    else:
        window.addAction(features.new_issue_action)  # the shortcut works without a toolbar too


def _fill_recent_menu(features) -> None:
    menu = features.recent_menu
    menu.clear()
    for target in recent_projects():
        menu.addAction(target, lambda t=target: features.open_project(t))
    if not menu.actions():
        menu.addAction(_("(none)")).setEnabled(False)
