"""Cells, headers and tables of the XLSX workbooks every report writes (checks, clashes, quantities, issues, minutes).

One look for all of them: bold titles on a grey band, frozen and filterable
headers, values cleaned of what Excel refuses. Dates go in as naive local
datetimes because Excel has no time zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="FFDDDDDD")
MAX_CELL = 32000  # Excel refuses cells over 32,767 characters
DATE_FORMAT_XLSX = "yyyy-mm-dd"
DATETIME_FORMAT_XLSX = "yyyy-mm-dd hh:mm"


def clean_cell(value):
    """``value`` as Excel accepts it: no control characters, not too long, no time zone (local time instead)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")[:MAX_CELL]
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def write_header(sheet, row: int, columns: Sequence[tuple[str, int]], wrap: bool = False) -> None:
    """Bold, shaded column titles on ``row``, with each column's width; ``columns`` are (title, width)."""
    for column, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=column, value=clean_cell(title))
        cell.font, cell.fill = BOLD, HEADER_FILL
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width


def write_table(sheet, header_row: int, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence],
                formats: dict[int, str] | None = None) -> None:
    """A header with autofilter and frozen panes, then ``rows``.

    ``formats`` gives number formats (dates …) by column index, counted from 0.
    """
    write_header(sheet, header_row, columns)
    formats = formats or {}
    for r, values in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(values):
            cell = sheet.cell(row=r, column=c + 1, value=clean_cell(value))
            if c in formats and value is not None:
                cell.number_format = formats[c]
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    last_row = header_row + max(1, len(rows))
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"


def write_facts(sheet, facts: Sequence[tuple[str, object]], first_row: int = 1) -> None:
    """One bold label and its value per row, from ``first_row`` down (dates and times as such)."""
    for row, (label, value) in enumerate(facts, start=first_row):
        sheet.cell(row=row, column=1, value=clean_cell(label)).font = BOLD
        cell = sheet.cell(row=row, column=2, value=clean_cell(value))
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT_XLSX
