"""The models dock: each loaded IFC file with its trade, visibility and geometry failures."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QPushButton,
    QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from bim.federation import Federation, LoadedModel
from bim.i18n import _
from bim.trades import TRADE_BY_CODE, TRADES, trade_name

COL_NAME, COL_TRADE, COL_ELEMENTS, COL_FAILED = range(4)


def trade_icon(code: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    trade = TRADE_BY_CODE.get(code)
    pixmap.fill(QColor(*(trade.colour if trade else (128, 128, 128))))
    return QIcon(pixmap)


class ModelsPanel(QWidget):
    """List of models: checkbox shows/hides a model, the trade is editable, and
    buttons unload a model or replace it by a newer version of the file."""

    visibility_changed = Signal(str, bool)
    trade_changed = Signal(str, str)
    unload_requested = Signal(str)
    replace_requested = Signal(str)
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([_("Model"), _("Trade"), _("Elements"), _("No geometry")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.header().setSectionResizeMode(COL_NAME, QHeaderView.ResizeToContents)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add…"))
        self.replace_button = QPushButton(_("Replace…"))
        self.unload_button = QPushButton(_("Unload"))
        for button in (self.add_button, self.replace_button, self.unload_button):
            buttons.addWidget(button)
        self.add_button.clicked.connect(self.add_requested)
        self.replace_button.clicked.connect(lambda: self._emit_for_current(self.replace_requested))
        self.unload_button.clicked.connect(lambda: self._emit_for_current(self.unload_requested))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self._models: dict[str, LoadedModel] = {}
        self._updating = False

    def _emit_for_current(self, signal) -> None:
        item = self.tree.currentItem()
        if item is not None:
            signal.emit(item.data(COL_NAME, Qt.UserRole))

    def refresh(self, federation: Federation) -> None:
        """Show the federation's models as they are now."""
        self._updating = True
        self.tree.clear()
        self._models = {m.model_id: m for m in federation}
        for model in federation:
            item = QTreeWidgetItem([model.model_id, "", str(len(model.elements)), str(len(model.failures))])
            item.setData(COL_NAME, Qt.UserRole, model.model_id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(COL_NAME, Qt.Checked if model.visible else Qt.Unchecked)
            item.setToolTip(COL_NAME, f"{model.path}\n{model.schema} · {model.summary.get('authoring_application', '')}")
            if model.failures:
                item.setForeground(COL_FAILED, QColor(200, 60, 40))
                item.setToolTip(COL_FAILED, _("Double-click to list the elements whose geometry failed"))
            self.tree.addTopLevelItem(item)
            combo = QComboBox()
            for trade in TRADES:
                combo.addItem(trade_icon(trade.code), f"{trade.code} – {trade_name(trade.code)}", trade.code)
            combo.setCurrentIndex(max(0, combo.findData(model.trade)))
            combo.currentIndexChanged.connect(
                lambda _i, mid=model.model_id, c=combo: self.trade_changed.emit(mid, c.currentData()))
            self.tree.setItemWidget(item, COL_TRADE, combo)
        self.tree.resizeColumnToContents(COL_TRADE)
        self._updating = False

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or column != COL_NAME:
            return
        self.visibility_changed.emit(item.data(COL_NAME, Qt.UserRole), item.checkState(COL_NAME) == Qt.Checked)

    def _on_double_click(self, item: QTreeWidgetItem, column: int) -> None:
        model = self._models.get(item.data(COL_NAME, Qt.UserRole))
        if model is not None and model.failures:
            FailuresDialog(model, self).exec()


class FailuresDialog(QDialog):
    """The elements of a model whose geometry failed: class, GlobalId, reason."""

    def __init__(self, model: LoadedModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Elements without geometry – {model}").format(model=model.name))
        table = QTableWidget(len(model.failures), 3)
        table.setHorizontalHeaderLabels([_("Class"), "GlobalId", _("Reason")])
        for row, failure in enumerate(model.failures):
            for col, text in enumerate((failure.ifc_class, failure.global_id, failure.reason)):
                table.setItem(row, col, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table = table
        box = QDialogButtonBox(QDialogButtonBox.Close)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(box)
        self.resize(760, 360)
