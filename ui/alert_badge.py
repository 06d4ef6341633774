"""The deadline badge of the status bar: a clock and "3 overdue · 5 at risk", red when anything of mine is overdue.

It counts the alerts the project's rules give to this workstation's user; its tooltip
gives the project's totals. Clicking it opens the notification list. The clock is
painted rather than the ⏰ character, which many Linux desktops lack a font for.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QToolButton, QWidget

from bim.i18n import _
from project_db.deadlines import AT_RISK, ON_TIME, OVERDUE

RED, ORANGE, GREEN = "#C62828", "#E08A00", "#2E7D32"
ICON_SIZE = 16


def clock_icon(colour: str, size: int = ICON_SIZE) -> QIcon:
    """A round clock face showing ten past ten, drawn in ``colour``."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at twice the size: crisp on high-density screens
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    pen = QPen(QColor(colour), size * 0.2)
    pen.setCapStyle(Qt.RoundCap)
    painter.setPen(pen)
    centre = QPointF(size, size)
    painter.drawEllipse(centre, size * 0.8, size * 0.8)
    painter.drawLine(centre, QPointF(size, size * 0.5))
    painter.drawLine(centre, QPointF(size * 1.4, size * 1.15))
    painter.end()
    return QIcon(pixmap)


class AlertBadge(QToolButton):
    """A flat button showing the user's overdue and at-risk counts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setObjectName("alert-badge")
        self.mine: dict[str, int] = {}
        self.totals: dict[str, int] = {}
        self.unread = 0
        self.set_counts({}, {})

    @property
    def colour(self) -> str:
        """Red when one of my issues is overdue, orange when one is at risk, green otherwise."""
        if self.mine.get(OVERDUE):
            return RED
        return ORANGE if self.mine.get(AT_RISK) else GREEN

    def set_counts(self, mine: dict[str, int], totals: dict[str, int], unread: int = 0) -> None:
        """Show ``mine`` (state → count of my alerts) and put the project's ``totals`` in the tooltip."""
        self.mine, self.totals, self.unread = dict(mine), dict(totals), unread
        text = _("Mine: {overdue} overdue · {at_risk} at risk").format(overdue=self.mine.get(OVERDUE, 0),
                                                                      at_risk=self.mine.get(AT_RISK, 0))
        if self.totals.get(OVERDUE, 0) > self.mine.get(OVERDUE, 0):
            # Say the project has more, so "0 overdue" beside the issues panel's count does not read as a contradiction.
            text += "  |  " + _("project: {overdue} overdue").format(overdue=self.totals[OVERDUE])
        self.setText(text)
        self.setIcon(clock_icon(self.colour))
        weight = "bold" if self.mine.get(OVERDUE) or unread else "normal"
        self.setStyleSheet(f"QToolButton#alert-badge {{ color: {self.colour}; font-weight: {weight}; "
                           "padding: 0 6px; }")
        self.setToolTip(_("Your deadline alerts. Whole project: {overdue} overdue, {at_risk} at risk, "
                          "{on_time} on time. Click to see the list.").format(
            overdue=self.totals.get(OVERDUE, 0), at_risk=self.totals.get(AT_RISK, 0),
            on_time=self.totals.get(ON_TIME, 0)))

    def set_failed(self, message: str) -> None:
        """Say the deadlines could not be computed (the database went away …)."""
        self.setText(_("Deadlines unknown"))
        self.setIcon(clock_icon(ORANGE))
        self.setStyleSheet(f"QToolButton#alert-badge {{ color: {ORANGE}; padding: 0 6px; }}")
        self.setToolTip(_("The deadlines could not be checked: {error}").format(error=message))
