"""The desktop notification goes to the system tray's balloon where the desktop has a tray."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

import ui.alert_notifier as alert_notifier
from project_db.alert_rules import Alert
from project_db.deadlines import OVERDUE

pytestmark = pytest.mark.gui


class FakeTray:
    """Stands for QSystemTrayIcon on a desktop that has a tray (Xvfb has none)."""

    MessageIcon = QSystemTrayIcon.MessageIcon
    Warning = QSystemTrayIcon.Warning
    shown: list = []

    def __init__(self, icon, parent):
        self.icon, self.parent, self.visible = icon, parent, False
        self.messageClicked = self  # connect() below records the slot

    @staticmethod
    def isSystemTrayAvailable() -> bool:
        return True

    def connect(self, slot) -> None:
        self.slot = slot

    def setToolTip(self, text: str) -> None:
        self.tip = text

    def show(self) -> None:
        self.visible = True

    def showMessage(self, title, text, icon, milliseconds) -> None:
        FakeTray.shown.append((title, text, icon, milliseconds))


def an_alert() -> Alert:
    due = datetime(2026, 3, 10, 5, 0, tzinfo=timezone.utc)
    return Alert(issue_id=1, number=1, title="Gaine en conflit", trade="CVC", priority="High", assigned_to=None,
                 state=OVERDUE, due=due, late=timedelta(days=2, hours=3), left=timedelta(0), since=due,
                 reasons=("trade",))


def test_with_a_system_tray_the_alert_is_a_balloon_naming_issue_trade_and_lateness(qtbot, monkeypatch):
    window = QMainWindow()
    qtbot.addWidget(window)
    monkeypatch.setattr(alert_notifier, "QSystemTrayIcon", FakeTray)
    FakeTray.shown = []
    clicked = []
    notifier = alert_notifier.DesktopNotifier(window, on_click=lambda: clicked.append(True))
    notifier.notify([an_alert()])
    (title, text, icon, _ms), = FakeTray.shown
    assert title == "Issue overdue" and icon == QSystemTrayIcon.Warning
    assert "#1" in text and "Gaine en conflit" in text and "CVC" in text and "2 d 3 h" in text
    assert notifier.tray.visible and notifier.last[2] == "tray"
    notifier.tray.slot()
    assert clicked == [True]
