"""Search box for elements: GlobalId, name, class, type, storey, property value."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bim.federation import Federation
from bim.i18n import _, ngettext
from bim.search import SearchHit, search_elements
from ui.tasks import run_in_background

KEY_ROLE = Qt.UserRole + 1


class SearchPanel(QWidget):
    """Type to search (results come from a background thread); picking a result selects and frames it."""

    result_chosen = Signal(object)  # ElementKey

    def __init__(self, federation: Federation, parent: QWidget | None = None):
        super().__init__(parent)
        self.federation = federation
        self.field = QLineEdit()
        self.field.setPlaceholderText(_("Search: GlobalId, name, class, type, storey, property value…"))
        self.field.setClearButtonEnabled(True)
        self.results = QTreeWidget()
        self.results.setColumnCount(4)
        self.results.setHeaderLabels([_("Name"), _("Class"), _("Storey"), _("Matched")])
        self.results.setRootIsDecorated(False)
        self.status = QLabel("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self._choose_first)
        self.results.currentItemChanged.connect(self._on_current)
        self._generation = 0
        self._final_shown = -1
        self.last_hits: list[SearchHit] = []

    def run_search(self) -> None:
        """Search for the field's text in the background; older searches are dropped."""
        text = self.field.text().strip()
        self._generation += 1
        generation = self._generation
        if not text:
            self._show([], generation)
            return
        self.status.setText(_("Searching…"))
        # Attributes answer at once; property values need every model parsed and
        # indexed once, so their matches follow when ready.
        run_in_background(lambda: search_elements(self.federation, text, include_properties=False),
                          lambda hits: self._show(hits, generation, final=False), owner=self)
        run_in_background(lambda: search_elements(self.federation, text),
                          lambda hits: self._show(hits, generation),
                          lambda exc: self.status.setText(str(exc)), owner=self)

    def _show(self, hits: list[SearchHit], generation: int, final: bool = True) -> None:
        if generation != self._generation or (not final and self._final_shown == generation):
            return
        if final:
            self._final_shown = generation
        self.last_hits = hits
        current = self.results.currentItem()
        current_key = tuple(current.data(0, KEY_ROLE)) if current is not None else None
        self.results.blockSignals(True)
        self.results.clear()
        for hit in hits:
            matched = _("{field}: {text}").format(field=_(hit.field), text=hit.matched)
            item = QTreeWidgetItem([hit.name or hit.key[1], hit.ifc_class, hit.storey, matched])
            item.setData(0, KEY_ROLE, hit.key)
            item.setToolTip(0, f"{hit.key[1]} · {hit.key[0]}")
            self.results.addTopLevelItem(item)
            if hit.key == current_key:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        text = self.field.text().strip()
        found = ngettext("{n} element found", "{n} elements found", len(hits)).format(n=len(hits))
        self.status.setText((found if final else found + " · " + _("searching property values…")) if text else "")

    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.result_chosen.emit(tuple(current.data(0, KEY_ROLE)))

    def _choose_first(self) -> None:
        self._timer.stop()
        if self.results.topLevelItemCount():
            self.results.setCurrentItem(self.results.topLevelItem(0))
