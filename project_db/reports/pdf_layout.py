"""The page template, styles and building blocks every PDF report shares.

Each page carries the project's name and the report's title at the top, the
generation date and "page X / Y" at the bottom. Text is set in DejaVu Sans, which
has every French accent (and œ, –, ×); the system's copy is used, else the one
matplotlib ships, else Helvetica, whose Latin-1 covers French but not every symbol.
Every piece of user text goes through :func:`text`, which escapes it: a title
with ``<`` or ``&`` must print as typed, not break the layout.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle

from bim.i18n import _
from project_db.reports.common import format_datetime

PAGE_SIZE = A4
MARGIN = 18 * mm
HEADER_HEIGHT = 12 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
GRID_COLOUR = colors.HexColor("#BBBBBB")
SHADE_COLOUR = colors.HexColor("#EEEEEE")
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
_FALLBACK_FONTS = ("Helvetica", "Helvetica-Bold")


def _font_dirs() -> list[Path]:
    dirs = [SYSTEM_FONT_DIR]
    spec = importlib.util.find_spec("matplotlib")  # finds the package without importing it
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return dirs


def fonts() -> tuple[str, str]:
    """The (regular, bold) font names to use, registering DejaVu Sans on first call when it is found."""
    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSans", "DejaVuSans-Bold"
    for folder in _font_dirs():
        regular, bold = (folder / name for name in _FONT_FILES)
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            except Exception:  # a damaged font file: the built-in font still prints every French letter
                continue
            pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                          italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
            return "DejaVuSans", "DejaVuSans-Bold"
    return _FALLBACK_FONTS


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a report."""

    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle


def styles() -> Styles:
    """The report styles, in the report font."""
    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=17, leading=21, spaceAfter=8),
        heading=ParagraphStyle("heading", parent=body, fontName=bold, fontSize=12.5, leading=15.5,
                               spaceBefore=10, spaceAfter=5),
        subheading=ParagraphStyle("subheading", parent=body, fontName=bold, fontSize=10.5, leading=13,
                                  spaceBefore=6, spaceAfter=3),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
    )


def markup(value) -> str:
    """``value`` as Paragraph markup: escaped, control characters dropped, line breaks kept."""
    if value is None:
        return ""
    plain = "".join(ch for ch in str(value) if ch >= " " or ch in "\n\t")
    return escape(plain).replace("\n", "<br/>")


def text(value, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing ``value`` exactly as typed."""
    return Paragraph(markup(value), style)


def field_table(pairs, style: Styles, width: float = FRAME_WIDTH, label_width: float = 30 * mm,
                per_row: int = 2) -> Table:
    """A table of (label, value) pairs, ``per_row`` pairs side by side, labels in bold on a shade."""
    pairs = list(pairs)
    pairs += [("", "")] * (-len(pairs) % per_row)
    data = []
    for start in range(0, len(pairs), per_row):
        line = []
        for label, value in pairs[start:start + per_row]:
            line += [text(label, style.cell_bold), text(value, style.cell)]
        data.append(line)
    value_width = width / per_row - label_width
    table = Table(data, colWidths=[label_width, value_width] * per_row, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (2 * i, 0), (2 * i, -1), SHADE_COLOUR) for i in range(per_row)]
    table.setStyle(TableStyle(commands))
    return table


def grid_table(header, rows, style: Styles, col_widths, numeric: tuple[int, ...] = (),
               total_row: bool = False) -> Table:
    """A table with a shaded header repeated on each page; ``numeric`` columns are right-aligned.

    ``total_row``: the last row holds totals, set in bold on a shade.
    """
    bold_right = ParagraphStyle("cell_bold_right", parent=style.cell_bold, alignment=TA_RIGHT)

    def cell(column, value, bold=False):
        if column in numeric:
            return text(value, bold_right if bold else style.cell_right)
        return text(value, style.cell_bold if bold else style.cell)

    rows = list(rows)
    data = [[text(v, style.cell_bold) for v in header]]
    data += [[cell(c, v, bold=total_row and r == len(rows) - 1) for c, v in enumerate(row)]
             for r, row in enumerate(rows)]
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row and rows:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), SHADE_COLOUR))
    table.setStyle(TableStyle(commands))
    return table


def snapshot(data: bytes | None, max_width: float = FRAME_WIDTH * 0.7, max_height: float = 85 * mm) -> Image | None:
    """The snapshot scaled to fit ``max_width`` × ``max_height`` (aspect kept), None when it cannot be read."""
    if not data:
        return None
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # a damaged snapshot (e.g. imported from a broken BCF) must not sink the whole report
        return None
    if width <= 0 or height <= 0:
        return None
    scale = min(max_width / width, max_height / height)
    image = Image(io.BytesIO(data), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def build_pdf(story: list, *, project_name: str, title: str, generated_at: datetime,
              language: str | None = None, author: str | None = None) -> bytes:
    """Lay ``story`` out on A4 pages with the shared header and footer; returns the PDF's bytes."""
    regular, bold = fonts()
    generated = _("Generated on {date}").format(date=format_datetime(generated_at, language))

    def decorate(pdf: canvas.Canvas, page: int, pages: int) -> None:
        width, height = PAGE_SIZE
        top = height - MARGIN + 4 * mm
        pdf.saveState()
        pdf.setFont(bold, 9)
        pdf.drawString(MARGIN, top, _fit(pdf, project_name, bold, 9, FRAME_WIDTH * 0.45))
        pdf.setFont(regular, 9)
        pdf.drawRightString(width - MARGIN, top, _fit(pdf, title, regular, 9, FRAME_WIDTH * 0.5))
        pdf.setStrokeColor(GRID_COLOUR)
        pdf.setLineWidth(0.5)
        pdf.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)
        bottom = MARGIN - 8 * mm
        pdf.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
        pdf.setFont(regular, 8)
        pdf.drawString(MARGIN, bottom, generated)
        pdf.drawRightString(width - MARGIN, bottom, _("Page {page} / {pages}").format(page=page, pages=pages))
        pdf.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + HEADER_HEIGHT / 2,
        bottomMargin=MARGIN, title=f"{title} – {project_name}", author=author or "", creator="Synthese",
    )
    document.build(list(story), canvasmaker=_numbered_canvas(decorate))
    return buffer.getvalue()


def _fit(pdf: canvas.Canvas, value: str, font: str, size: float, width: float) -> str:
    """``value`` cut with an ellipsis so it fits ``width`` (a header line never runs into the other)."""
    value = " ".join(str(value).split())
    if pdf.stringWidth(value, font, size) <= width:
        return value
    while value and pdf.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value + "…"


def _numbered_canvas(decorate):
    """A canvas class that holds pages back until the end, so each can say "page X / Y"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
