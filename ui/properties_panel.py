"""Properties of the selected element: attributes, type, property and quantity sets,
materials, classifications; values can be copied."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from bim.i18n import _
from bim.properties import PropertyGroup


class PropertiesPanel(QTreeWidget):
    """Two columns (name, value) grouped by set; Ctrl+C copies the selected rows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([_("Property"), _("Value")])
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.setContextMenuPolicy(Qt.ActionsContextMenu)
        copy = QAction(_("Copy"), self)
        copy.setShortcut(QKeySequence.Copy)
        copy.setShortcutContext(Qt.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)
        copy_value = QAction(_("Copy value"), self)
        copy_value.triggered.connect(lambda: self.copy_selection(values_only=True))
        self.addAction(copy_value)

    def show_message(self, text: str) -> None:
        self.clear()
        self.addTopLevelItem(QTreeWidgetItem([text, ""]))

    def show_groups(self, title: str, groups: list[PropertyGroup]) -> None:
        """Show an element's groups, all expanded."""
        self.clear()
        header = QTreeWidgetItem([title, ""])
        font = header.font(0)
        font.setBold(True)
        header.setFont(0, font)
        self.addTopLevelItem(header)
        for group in groups:
            item = QTreeWidgetItem([group.title, ""])
            item.setFont(0, font)
            for name, value in group.rows:
                row = QTreeWidgetItem([name, value])
                row.setToolTip(1, value)
                item.addChild(row)
            self.addTopLevelItem(item)
            item.setExpanded(True)

    def copy_selection(self, values_only: bool = False) -> str:
        """Put the selected rows on the clipboard (tab-separated) and return the text."""
        lines = []
        for item in self.selectedItems():
            lines.append(item.text(1) if values_only else f"{item.text(0)}\t{item.text(1)}")
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        return text
