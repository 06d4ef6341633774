"""The notification list of deadline alerts: newest first, unread in bold, "Mark all read",
double-click to open the issue, and "I work for" (the trades this workstation's user works for)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton, QToolButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from bim.i18n import _
from project_db.deadlines import OVERDUE, state_label
from ui.alert_badge import ORANGE, RED

ALERT = Qt.UserRole  # the Alert of a row


class AlertListPanel(QWidget):
    """The user's alerts; emits ``issue_activated`` (issue id) on double-click."""

    issue_activated = Signal(int)
    mark_all_requested = Signal()
    my_trades_changed = Signal(object)  # set of trade codes

    NUMBER, TITLE, TRADE, STATE, TIMING = range(5)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.alerts: list = []
        self.read: set[str] = set()
        self.trade_actions: dict[str, QAction] = {}
        self.trades_button = QToolButton()
        self.trades_button.setPopupMode(QToolButton.InstantPopup)
        self.trades_menu = QMenu(self.trades_button)
        self.trades_button.setMenu(self.trades_menu)
        self.mark_all_button = QPushButton(_("Mark all read"))
        self.mark_all_button.clicked.connect(self.mark_all_requested)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["#", _("Title"), _("Trade"), _("State"), _("Late / left")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.tree.header().setSectionResizeMode(self.TITLE, QHeaderView.Stretch)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("I work for:")))
        top.addWidget(self.trades_button, 1)
        top.addWidget(self.mark_all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        self._show_my_trades()

    # ------------------------------------------------------------------ trades

    def set_trades(self, trades, mine: set[str]) -> None:
        """Offer the project's ``trades`` (records with code and name), ``mine`` checked."""
        self.trades_menu.clear()
        self.trade_actions = {}
        for trade in trades:
            action = self.trades_menu.addAction(f"{trade.code} – {trade.name()}")
            action.setCheckable(True)
            action.setChecked(trade.code in mine)
            action.setData(trade.code)
            action.toggled.connect(self._trades_toggled)
            self.trade_actions[trade.code] = action
        self._show_my_trades()

    def my_trades(self) -> set[str]:
        """The trades checked in "I work for"."""
        return {code for code, action in self.trade_actions.items() if action.isChecked()}

    def set_my_trades(self, codes) -> None:
        """Check exactly ``codes`` in "I work for" (as the user would, one change signal)."""
        wanted = set(codes)
        for code, action in self.trade_actions.items():
            action.blockSignals(True)
            action.setChecked(code in wanted)
            action.blockSignals(False)
        self._trades_toggled()

    def _trades_toggled(self, *_args) -> None:
        self._show_my_trades()
        self.my_trades_changed.emit(self.my_trades())

    def _show_my_trades(self) -> None:
        mine = sorted(self.my_trades())
        self.trades_button.setText(", ".join(mine) if mine else _("no trade (choose)"))
        self.trades_button.setToolTip(_("Alerts for these trades' issues reach you (on this computer)"))

    # ------------------------------------------------------------------ alerts

    def set_alerts(self, alerts, read: set[str], trade_name=lambda code: code or "") -> None:
        """Show ``alerts`` (newest first as given); those whose key is not in ``read`` are bold."""
        self.alerts, self.read = list(alerts), set(read)
        self.tree.clear()
        for alert in self.alerts:
            item = QTreeWidgetItem([str(alert.number), alert.title, alert.trade or "", state_label(alert.state),
                                    alert.timing])
            item.setData(0, ALERT, alert)
            item.setToolTip(self.TRADE, trade_name(alert.trade))
            item.setToolTip(self.TITLE, alert.message)
            item.setForeground(self.STATE, QBrush(QColor(RED if alert.state == OVERDUE else ORANGE)))
            self._set_bold(item, alert.key not in self.read)
            self.tree.addTopLevelItem(item)
        self.mark_all_button.setEnabled(bool(self.unread_keys()))
        self.empty.setVisible(not self.alerts)
        self.empty.setText(_("No deadline alerts for you. Choose the trades you work for above to get "
                             "their alerts too."))

    def unread_keys(self) -> list[str]:
        """Keys of the alerts shown in bold."""
        return [a.key for a in self.alerts if a.key not in self.read]

    def is_unread(self, row: int) -> bool:
        """Whether row ``row`` is shown as unread (bold)."""
        return self.tree.topLevelItem(row).font(0).bold()

    def item_for(self, issue_id: int) -> QTreeWidgetItem | None:
        """The row of the alert about ``issue_id``."""
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item.data(0, ALERT).issue_id == issue_id:
                return item
        return None

    def mark_read(self, keys) -> None:
        """Show these alerts as read."""
        self.read |= set(keys)
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            self._set_bold(item, item.data(0, ALERT).key not in self.read)
        self.mark_all_button.setEnabled(bool(self.unread_keys()))

    @staticmethod
    def _set_bold(item: QTreeWidgetItem, bold: bool) -> None:
        font = QFont(item.font(0))
        font.setBold(bold)
        for column in range(item.columnCount()):
            item.setFont(column, font)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        alert = item.data(0, ALERT)
        if alert is not None and alert.issue_id is not None:
            self.issue_activated.emit(alert.issue_id)
