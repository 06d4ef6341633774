"""Top-level menus that several feature modules share (Checks, Coordination …)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from bim.i18n import _


def top_menu(window, title: str) -> QMenu:
    """The window's top-level menu called ``title`` (other feature modules may share it), made if missing."""
    wanted = title.replace("&", "")
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text().replace("&", "") == wanted:
            return menu
    return window.menuBar().addMenu(title)


def checks_menu(window) -> QMenu:
    """The Checks menu (rule checks and the rule-set manager)."""
    return top_menu(window, _("&Checks"))


def coordination_menu(window) -> QMenu:
    """The Coordination menu: dashboard, alerts, hit parade, meetings and issue reports."""
    return top_menu(window, _("&Coordination"))


def panels_menu(window) -> QMenu | None:
    """The Panels menu: the one listing the Models dock (its title is translated)."""
    toggle = window.models_dock.toggleViewAction()
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and toggle in menu.actions():
            return menu
    return None
