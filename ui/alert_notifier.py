"""Desktop notifications of deadline alerts: the system tray's balloon where there is a tray,
else a transient message in the window's status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QSystemTrayIcon

from bim.i18n import _, ngettext
from project_db.deadlines import OVERDUE

MESSAGE_MS = 15_000
MAX_LINES = 5


def notification_text(alerts) -> tuple[str, str]:
    """The (title, body) of a notification for ``alerts``: one names its issue, trade and lateness."""
    if len(alerts) == 1:
        alert = alerts[0]
        title = _("Issue overdue") if alert.state == OVERDUE else _("Issue at risk")
        return title, alert.message
    title = ngettext("{n} deadline alert", "{n} deadline alerts", len(alerts)).format(n=len(alerts))
    lines = [a.message for a in alerts[:MAX_LINES]]
    if len(alerts) > MAX_LINES:
        lines.append(_("… and {n} more").format(n=len(alerts) - MAX_LINES))
    return title, "\n".join(lines)


class DesktopNotifier:
    """Shows notifications for a window; ``last`` keeps the latest (title, text, where) shown."""

    def __init__(self, window, on_click=None):
        self.window = window
        self.on_click = on_click  # called when the user clicks the tray's message
        self.tray: QSystemTrayIcon | None = None
        self.last: tuple[str, str, str] | None = None

    def notify(self, alerts) -> None:
        """Tell the user about ``alerts`` (non-empty) outside the notification list."""
        title, text = notification_text(alerts)
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                icon = self.window.windowIcon()
                if icon.isNull():
                    icon = self.window.style().standardIcon(QStyle.SP_MessageBoxWarning)
                self.tray = QSystemTrayIcon(icon, self.window)
                self.tray.setToolTip("Synthese")
                if self.on_click is not None:
                    self.tray.messageClicked.connect(self.on_click)
            self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.Warning, MESSAGE_MS)
            self.last = (title, text, "tray")
        else:
            self.window.statusBar().showMessage(f"{title}: {text.replace(chr(10), ' · ')}", MESSAGE_MS)
            self.last = (title, text, "status bar")
