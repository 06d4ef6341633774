"""The results list under the toolbar's search field: one group per kind, keyboard-driven.

The popup never takes the keyboard focus: the field keeps it and hands over the
navigation keys (:meth:`GlobalSearchPopup.handle_key`), so the user types, moves
with Up/Down/PageUp/PageDown, opens with Enter and closes with Escape without
leaving the field. A click opens a result too.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from bim.i18n import _, ngettext
from bim.search import match_spans, query_words
from project_db.global_search import ELEMENTS, ISSUES, GlobalResults
from project_db.issue_search import MATCHED_FIELDS
from ui.highlight_delegate import SPANS_ROLE, HighlightDelegate

CHOICE_ROLE = Qt.UserRole + 1  # (kind, key) on result rows; None on headers and "more" rows
WIDTH_PX = 640
MAX_HEIGHT_PX = 460
PAGE_ROWS = 8  # rows PageUp/PageDown move when the list is not shown yet


class GlobalSearchPopup(QFrame):
    """A frameless window listing :class:`GlobalResults` grouped as "Elements (n)" and "Issues (n)"."""

    chosen = Signal(str, object)  # kind (ELEMENTS / ISSUES), ElementKey or issue id

    def __init__(self, parent: QWidget):
        # A tool-tip window: drawn above the 3D view's native window, never activated.
        super().__init__(parent, Qt.ToolTip | Qt.FramelessWindowHint | Qt.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.StyledPanel)
        self.setObjectName("global-search-popup")
        self.list = QTreeWidget()
        self.list.setColumnCount(3)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setIndentation(0)
        self.list.setFocusPolicy(Qt.NoFocus)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setUniformRowHeights(True)
        self.list.setColumnWidth(0, 230)
        self.list.setColumnWidth(1, 150)
        self.list.setItemDelegate(HighlightDelegate(self.list))  # the typed words in bold
        self.list.itemClicked.connect(lambda item, _column: self._choose(item))
        self.note = QLabel()
        self.note.setContentsMargins(6, 2, 6, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        self.results: GlobalResults | None = None
        self.model_label = lambda model_id: ""  # what tells elements of two models apart (the window sets it)
        self.status_label = lambda code: code  # a status code as the project names it (the window sets it)

    # ------------------------------------------------------------------ content

    def show_results(self, results: GlobalResults, pending: tuple[str, ...] = (), note: str = "") -> None:
        """List ``results``; ``pending`` kinds are still being searched. Keeps the current row if still listed."""
        current = self.current_choice()
        self.results = results
        self.list.clear()
        words = query_words(results.text)
        for group in results.groups:
            self._header(self._group_title(group.kind, group.total))
            for hit in group.hits:
                self._row(group.kind, hit, words)
            if group.more:
                self._more(group.more)
        for kind in pending:
            if results.group(kind) is None:
                self._header(self._group_title(kind, None))
        choices = self.choices()
        if choices:
            self._set_current(next((i for i in choices if i.data(0, CHOICE_ROLE) == current), choices[0]))
        empty = not choices and not pending
        self.note.setText(note or (_("Nothing found") if empty else ""))
        self.note.setVisible(bool(self.note.text()))

    @staticmethod
    def _group_title(kind: str, total: int | None) -> str:
        if total is None:
            return _("Issues (searching…)") if kind == ISSUES else _("Elements (searching…)")
        return (_("Issues ({n})") if kind == ISSUES else _("Elements ({n})")).format(n=total)

    def _header(self, title: str) -> None:
        item = QTreeWidgetItem([title, "", ""])
        item.setFlags(Qt.ItemIsEnabled)
        font = QFont(self.list.font())
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        item.setBackground(0, self.palette().brush(QPalette.AlternateBase))
        self.list.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)

    def _more(self, more: int) -> None:
        item = QTreeWidgetItem([ngettext("… and {n} more: type more to narrow", "… and {n} more: type more to narrow",
                                         more).format(n=more), "", ""])
        item.setFlags(Qt.ItemIsEnabled)
        item.setForeground(0, QBrush(self.palette().color(QPalette.Disabled, QPalette.Text)))
        self.list.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)

    def _row(self, kind: str, hit, words: list[str]) -> None:
        if kind == ELEMENTS:
            title = hit.name or hit.key[1]
            detail = " · ".join(p for p in (hit.ifc_class, hit.storey, self.model_label(hit.key[0])) if p)
            matched, spans = ("", []) if hit.field == "Name" else _labelled(_(hit.field), hit.matched, words)
            key = hit.key
            tip = f"{hit.key[1]} · {hit.key[0]}"
        else:
            title = _("#{number} {title}").format(number=hit.number, title=hit.title)
            detail = " · ".join(p for p in (self.status_label(hit.status), hit.trade) if p)
            shown_field = _(MATCHED_FIELDS.get(hit.matched_field, hit.matched_field))
            matched, spans = ("", []) if hit.matched_field in ("number", "title") else _labelled(
                shown_field, hit.snippet, words)
            key = hit.issue_id
            tip = hit.title
        item = QTreeWidgetItem([title, detail, matched])
        # Only the shown rows (50 per kind at most) are looked at: cheap at every keystroke.
        item.setData(0, SPANS_ROLE, match_spans(title, words))
        item.setData(2, SPANS_ROLE, spans)
        item.setData(0, CHOICE_ROLE, (kind, key))
        item.setToolTip(0, tip)
        item.setToolTip(2, matched)
        item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        self.list.addTopLevelItem(item)

    # ------------------------------------------------------------------ navigation

    def choices(self) -> list[QTreeWidgetItem]:
        """The result rows, in order (headers and "more" rows left out)."""
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item for item in items if item.data(0, CHOICE_ROLE) is not None]

    def current_choice(self) -> tuple[str, object] | None:
        """(kind, key) of the current row, if any."""
        item = self.list.currentItem()
        choice = item.data(0, CHOICE_ROLE) if item is not None else None
        return tuple(choice) if choice is not None else None

    def step(self, steps: int) -> None:
        """Move the current row by ``steps`` results (negative: up), stopping at the ends."""
        choices = self.choices()
        if not choices:
            return
        item = self.list.currentItem()
        index = choices.index(item) if item in choices else -1
        self._set_current(choices[max(0, min(len(choices) - 1, index + steps))])

    def page(self) -> int:
        """How many rows PageUp/PageDown move: a screenful."""
        rows = self.list.viewport().height() // max(1, self.list.sizeHintForRow(0))
        return max(1, rows - 1) if self.isVisible() and rows > 1 else PAGE_ROWS

    def handle_key(self, key: int) -> bool:
        """Act on a navigation key typed in the field; True if it was one."""
        if key == Qt.Key_Escape:
            self.hide()
            return True
        if not self.isVisible():
            return False
        if key in (Qt.Key_Down, Qt.Key_Up):
            self.step(1 if key == Qt.Key_Down else -1)
        elif key in (Qt.Key_PageDown, Qt.Key_PageUp):
            self.step(self.page() if key == Qt.Key_PageDown else -self.page())
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self._choose(self.list.currentItem())
        else:
            return False
        return True

    def _set_current(self, item: QTreeWidgetItem) -> None:
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item)

    def _choose(self, item: QTreeWidgetItem | None) -> None:
        choice = item.data(0, CHOICE_ROLE) if item is not None else None
        if choice is not None:
            kind, key = choice
            self.hide()
            self.chosen.emit(kind, tuple(key) if kind == ELEMENTS else key)

    # ------------------------------------------------------------------ placement

    def place_under(self, anchor: QWidget) -> None:
        """Show below ``anchor`` (right-aligned with it when the screen is too narrow)."""
        width = max(WIDTH_PX, anchor.width())
        rows = self.list.topLevelItemCount()
        content = sum(self.list.sizeHintForRow(i) for i in range(min(rows, 40)))
        note = self.note.sizeHint().height() if self.note.text() else 0
        height = min(MAX_HEIGHT_PX, content + 2 * self.list.frameWidth() + 6 + note)
        self.resize(width, max(height, 24))
        below = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry() if anchor.screen() is not None else None
        x = below.x()
        if screen is not None and x + width > screen.right():
            x = max(screen.left(), anchor.mapToGlobal(QPoint(anchor.width(), 0)).x() - width)
        self.move(x, below.y())
        if not self.isVisible():
            self.show()
        self.raise_()


def _labelled(field: str, text: str, words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The cell "Field: text" and the spans of ``words`` in its text part (the field's name is no match)."""
    head, _sep, tail = _("{field}: {text}").format(field=field, text="\0").partition("\0")
    return head + text + tail, [(start + len(head), length) for start, length in match_spans(text, words)]
