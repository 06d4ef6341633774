"""An item delegate that draws parts of a cell's text in bold: the words a search matched.

A cell opts in by holding (start, length) spans of its text under :data:`SPANS_ROLE`
(see :func:`bim.search.match_spans`); other cells are drawn as usual. The text keeps
the item view's colours (highlighted text on a selected row) and is cut with "…"
when the column is too narrow, as plain cells are.
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

SPANS_ROLE = Qt.UserRole + 2  # list of (start, length) in the cell's text, drawn bold
ELLIPSIS = "…"


def pieces(text: str, spans: Sequence[Sequence[int]] | None) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, bold) runs following ``spans`` (sorted, not overlapping)."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for start, length in spans or ():
        start, end = max(int(start), position), min(int(start) + int(length), len(text))
        if end <= start:
            continue
        if start > position:
            runs.append((text[position:start], False))
        runs.append((text[start:end], True))
        position = end
    if position < len(text):
        runs.append((text[position:], False))
    return runs


class HighlightDelegate(QStyledItemDelegate):
    """Draws the spans under :data:`SPANS_ROLE` in bold; cells without spans are left to Qt."""

    def paint(self, painter, option, index) -> None:
        """Draw the cell: Qt's background, selection and focus, then the text run by run."""
        spans = index.data(SPANS_ROLE)
        if not spans:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, widget)
        runs = pieces(opt.text, spans)
        opt.text = ""  # the style draws the background, selection and focus; the text is ours
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, widget)
        margin = style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, widget) + 1
        area = QRectF(text_rect.adjusted(margin, 0, -margin, 0))
        plain = QFont(opt.font)
        bold = QFont(opt.font)
        bold.setBold(True)
        group = QPalette.Normal if opt.state & QStyle.State_Enabled else QPalette.Disabled
        if group == QPalette.Normal and not opt.state & QStyle.State_Active:
            group = QPalette.Inactive
        role = QPalette.HighlightedText if opt.state & QStyle.State_Selected else QPalette.Text
        painter.save()
        painter.setClipRect(area)
        painter.setPen(opt.palette.color(group, role))
        x = area.left()
        for piece, strong in _elided(runs, area.width(), QFontMetricsF(plain), QFontMetricsF(bold)):
            font = bold if strong else plain
            painter.setFont(font)
            width = QFontMetricsF(font).horizontalAdvance(piece)
            painter.drawText(QRectF(x, area.top(), width + 1, area.height()),
                             int(Qt.AlignLeft | Qt.AlignVCenter | Qt.TextSingleLine), piece)
            x += width
        painter.restore()


def _elided(runs: list[tuple[str, bool]], room: float, plain: QFontMetricsF,
            bold: QFontMetricsF) -> list[tuple[str, bool]]:
    """``runs`` cut at the end to fit ``room`` pixels, "…" added, as Qt elides plain cells."""
    def width(parts) -> float:
        return sum((bold if strong else plain).horizontalAdvance(piece) for piece, strong in parts)

    if width(runs) <= room:
        return runs
    text = "".join(piece for piece, _strong in runs)
    room -= plain.horizontalAdvance(ELLIPSIS)
    low, high = 0, len(text)  # the longest prefix that fits, by bisection (a few measures per cell)
    while low < high:
        middle = (low + high + 1) // 2
        if width(_prefix(runs, middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return _prefix(runs, low) + [(ELLIPSIS, False)]


def _prefix(runs: list[tuple[str, bool]], length: int) -> list[tuple[str, bool]]:
    kept = []
    for piece, strong in runs:
        if length <= 0:
            break
        kept.append((piece[:length], strong))
        length -= len(piece)
    return kept
