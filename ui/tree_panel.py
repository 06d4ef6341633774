"""Element trees: spatial (project › site › building › storey › elements) per model,
and by class; checkboxes show/hide, selection follows the 3D view both ways."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTabWidget, QTreeWidget, QTreeWidgetItem, QWidget

from bim.elements import SpatialNode
from bim.federation import ElementKey, Federation
from bim.i18n import _

KEY_ROLE = Qt.UserRole + 1


def _node_label(node: SpatialNode) -> str:
    if not node.ifc_class:
        return _("(not in any storey)")
    name = node.name or ""
    return f"{name}  [{node.ifc_class}]" if name else node.ifc_class


class ElementTree(QTreeWidget):
    """A tree whose leaves are elements; each item knows the keys of the elements below it."""

    selection_changed_by_user = Signal(object)  # list[ElementKey]
    visibility_changed_by_user = Signal(object, bool)  # list[ElementKey], visible
    activated_keys = Signal(object)  # double-click: frame these

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setUniformRowHeights(True)
        self._items_by_key: dict[ElementKey, list[QTreeWidgetItem]] = {}
        self._keys_below: dict[int, list[ElementKey]] = {}
        self._syncing = False
        self.itemSelectionChanged.connect(self._on_selection)
        self.itemChanged.connect(self._on_item_changed)
        self.itemDoubleClicked.connect(lambda item, _c: self.activated_keys.emit(self.keys_of(item)))

    def begin_build(self) -> None:
        self._syncing = True
        self.clear()
        self._items_by_key.clear()
        self._keys_below.clear()

    def end_build(self) -> None:
        self._syncing = False

    def make_item(self, parent, label: str, key: ElementKey | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([label])
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(0, Qt.Checked)
        if key is not None:
            item.setData(0, KEY_ROLE, key)
            self._items_by_key.setdefault(key, []).append(item)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def keys_of(self, item: QTreeWidgetItem) -> list[ElementKey]:
        """Keys of the element at ``item`` and of every element below it."""
        cached = self._keys_below.get(id(item))
        if cached is not None:
            return cached
        keys, stack = [], [item]
        while stack:
            current = stack.pop()
            key = current.data(0, KEY_ROLE)
            if key is not None:
                keys.append(tuple(key))
            stack.extend(current.child(i) for i in range(current.childCount()))
        self._keys_below[id(item)] = keys
        return keys

    def _on_selection(self) -> None:
        if self._syncing:
            return
        keys: list[ElementKey] = []
        for item in self.selectedItems():
            keys.extend(self.keys_of(item))
        self.selection_changed_by_user.emit(list(dict.fromkeys(keys)))

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._syncing or column != 0:
            return
        visible = item.checkState(0) == Qt.Checked
        self._syncing = True
        try:
            stack = [item.child(i) for i in range(item.childCount())]
            while stack:
                child = stack.pop()
                child.setCheckState(0, item.checkState(0))
                stack.extend(child.child(i) for i in range(child.childCount()))
        finally:
            self._syncing = False
        self.visibility_changed_by_user.emit(self.keys_of(item), visible)

    def show_selection(self, keys: set[ElementKey]) -> None:
        """Select the items of ``keys`` (from the 3D view) without echoing back."""
        self._syncing = True
        try:
            self.clearSelection()
            first = None
            for key in keys:
                for item in self._items_by_key.get(key, ()):
                    item.setSelected(True)
                    first = first or item
            if first is not None:
                self.scrollToItem(first)
        finally:
            self._syncing = False

    def show_visibility(self, is_visible) -> None:
        """Tick the leaves whose element ``is_visible(key)``."""
        self._syncing = True
        try:
            for key, items in self._items_by_key.items():
                state = Qt.Checked if is_visible(key) else Qt.Unchecked
                for item in items:
                    if item.checkState(0) != state:
                        item.setCheckState(0, state)
        finally:
            self._syncing = False

    def items_for(self, key: ElementKey) -> list[QTreeWidgetItem]:
        return list(self._items_by_key.get(key, ()))


class TreePanel(QTabWidget):
    """Spatial tree and class tree, in tabs."""

    selection_changed_by_user = Signal(object)
    visibility_changed_by_user = Signal(object, bool)
    activated_keys = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.spatial = ElementTree()
        self.by_class = ElementTree()
        self.addTab(self.spatial, _("Spatial"))
        self.addTab(self.by_class, _("Classes"))
        for tree in (self.spatial, self.by_class):
            tree.selection_changed_by_user.connect(self.selection_changed_by_user)
            tree.visibility_changed_by_user.connect(self.visibility_changed_by_user)
            tree.activated_keys.connect(self.activated_keys)

    def rebuild(self, federation: Federation) -> None:
        """Fill both trees from the federation's models."""
        self._build_spatial(federation)
        self._build_classes(federation)

    def _build_spatial(self, federation: Federation) -> None:
        tree = self.spatial
        tree.begin_build()
        for model in federation:
            root = tree.make_item(None, f"{model.model_id}  ({model.trade})")
            elements = model.elements

            def add(node: SpatialNode, parent):
                key = (model.model_id, elements[node.element].global_id) if node.element is not None else None
                item = tree.make_item(parent, _node_label(node), key)
                for child in node.children:
                    add(child, item)

            for child in model.index.tree.children or []:
                add(child, root)
            if model.index.tree.ifc_class:
                root.setText(0, f"{model.model_id}  ({model.trade}) – {model.index.tree.name or ''}".rstrip(" –"))
            # Open down to the storeys: that is where users start looking.
            stack = [(root, 0)]
            while stack:
                item, depth = stack.pop()
                if depth < 3:
                    item.setExpanded(True)
                    stack.extend((item.child(i), depth + 1) for i in range(item.childCount()))
        tree.end_build()

    def _build_classes(self, federation: Federation) -> None:
        tree = self.by_class
        tree.begin_build()
        groups: dict[str, list] = {}
        for key, record, model in federation.elements():
            groups.setdefault(record.ifc_class, []).append((key, record, model))
        for ifc_class in sorted(groups):
            members = groups[ifc_class]
            parent = tree.make_item(None, f"{ifc_class} ({len(members)})")
            for key, record, model in sorted(members, key=lambda m: (m[2].model_id, m[1].name)):
                tree.make_item(parent, f"{record.name or record.global_id}  · {model.model_id}", key)
        tree.end_build()

    def show_selection(self, keys: set[ElementKey]) -> None:
        self.spatial.show_selection(keys)
        self.by_class.show_selection(keys)

    def show_visibility(self, is_visible) -> None:
        self.spatial.show_visibility(is_visible)
        self.by_class.show_visibility(is_visible)
