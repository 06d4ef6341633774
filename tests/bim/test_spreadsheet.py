"""The XLSX cells every report writes: read back from a saved workbook, as Excel would show them."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from openpyxl import Workbook, load_workbook

from bim.spreadsheet import MAX_CELL, clean_cell, write_facts, write_table


def saved_and_read(workbook: Workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).active


def test_a_cell_loses_control_characters_and_what_excel_cannot_hold():
    assert clean_cell("line\x00one\x07\ttab\nnext") == "lineone\ttab\nnext"
    assert len(clean_cell("x" * (MAX_CELL + 50))) == MAX_CELL
    assert clean_cell(42) == 42


def test_a_moment_with_a_time_zone_becomes_the_same_moment_in_local_time_without_zone():
    moment = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)
    cleaned = clean_cell(moment)
    assert cleaned.tzinfo is None
    assert cleaned == moment.astimezone().replace(tzinfo=None)


def test_a_table_has_a_bold_header_frozen_and_filterable_and_dated_columns_read_as_dates():
    workbook = Workbook()
    write_table(workbook.active, 3, [("Number", 9), ("Due", 12)],
                [[1, datetime(2026, 3, 14)], [2, None]], formats={1: "yyyy-mm-dd"})
    sheet = saved_and_read(workbook)
    assert [c.value for c in sheet[3]] == ["Number", "Due"] and sheet["A3"].font.bold
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:B5"
    assert sheet["B4"].value == datetime(2026, 3, 14) and sheet["B4"].number_format == "yyyy-mm-dd"
    assert sheet["B5"].value is None


def test_facts_are_bold_labels_beside_their_values():
    workbook = Workbook()
    write_facts(workbook.active, [("Project", "Site\x01 A"), ("Generated on", datetime(2026, 3, 14, 9, 30))])
    sheet = saved_and_read(workbook)
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows()] == [
        ("Project", "Site A"), ("Generated on", datetime(2026, 3, 14, 9, 30))]
    assert sheet["A1"].font.bold and not sheet["B1"].font.bold
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
