"""Asking which trade the issues from clashes go to: side B's (the default), side A's, or one trade."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from bim.i18n import _
from ui.clash_issues import SIDE_A, SIDE_B


class AssignTradeDialog(QDialog):
    """Confirms creating issues and picks their responsible trade; :meth:`choice` gives it."""

    def __init__(self, summary: str, trades, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Create issues from clashes"))
        self.trade = QComboBox()
        self.trade.addItem(_("Trade of side B, for each clash"), SIDE_B)
        self.trade.addItem(_("Trade of side A, for each clash"), SIDE_A)
        for trade in trades:
            self.trade.addItem(f"{trade.code} – {trade.name()}", trade.code)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Create issues"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel(summary)
        label.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(label)
        form.addRow(_("Responsible trade:"), self.trade)
        form.addRow(buttons)

    def choose(self, choice: str) -> None:
        """Pick side "A", side "B" or a trade code."""
        index = self.trade.findData(choice)
        if index < 0:
            raise KeyError(choice)
        self.trade.setCurrentIndex(index)

    def choice(self) -> str:
        return self.trade.currentData()
