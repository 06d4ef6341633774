"""Cell helpers shared by every XLSX sheet we write (check reports, clash reports, quantity sheets)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="FFDDDDDD")
MAX_CELL = 32000  # Excel refuses cells over 32,767 characters


def clean_cell(value):
    """``value`` as Excel accepts it: no control characters, not too long."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")[:MAX_CELL]
    return value


def write_header(sheet, row: int, columns: Sequence[tuple[str, int]], wrap: bool = False) -> None:
    """Bold, shaded column titles on ``row``, with each column's width."""
    for column, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=column, value=clean_cell(title))
        cell.font, cell.fill = BOLD, HEADER_FILL
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
