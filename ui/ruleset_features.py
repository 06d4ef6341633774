"""Rule sets in the main window: one call, :func:`install`, adds "Rule sets…" to the Checks menu.

The main window calls ``install(window)`` of each optional feature module. This
one adds the menu entry (creating the Checks menu if no other feature did) and
keeps :class:`RuleSetFeatures` as ``window.ruleset_features``. The manager
works on the window's open project (``window.issue_features.session``); without
a project it still shows, views and exports the shipped rule sets.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from bim.i18n import _
from ui.menus import checks_menu


def install(window) -> "RuleSetFeatures":
    """Give ``window`` the rule-set manager (kept as ``window.ruleset_features``)."""
    window.ruleset_features = RuleSetFeatures(window)
    return window.ruleset_features


class RuleSetFeatures(QObject):
    """The "Rule sets…" action and the one manager dialog it opens."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.manager = None
        self.action = QAction(_("Rule sets…"), window)
        self.action.setObjectName("rule-sets")
        self.action.setStatusTip(_("Create, edit, import and export the rule sets checks run"))
        self.action.triggered.connect(self.open_manager)
        checks_menu(window).addAction(self.action)

    @property
    def session(self):
        """The window's project session, or None when the issues feature is not installed."""
        features = getattr(self.window, "issue_features", None)
        return getattr(features, "session", None)

    def open_manager(self):
        """Show the rule-set manager (one per window) and return it."""
        from ui.ruleset_manager import RuleSetManager  # here: the window starts without loading checks

        if self.manager is None:
            self.manager = RuleSetManager(self.session, self.window)
        else:
            self.manager.refresh()
        self.manager.show()
        self.manager.raise_()
        self.manager.activateWindow()
        return self.manager
