"""XLSX report of an IDS or rule-set run: a summary sheet first, then one row per failure.

Both sheets have frozen, filterable headers so a BIM manager can sort and
filter by model, storey or specification in the spreadsheet they already use.
A rule-set run adds columns at the right (kind, severity; on failures also the
fingerprint that issues are matched by), so the IDS layout keeps its columns.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from bim.i18n import _
from bim.spreadsheet import BOLD as _BOLD, clean_cell as _clean, write_header
from checks.ids.results import IdsRunResult, Status
from checks.reports.common import atomic_write, detail_rows, is_ruleset_run, status_label, summary_rows

_FILLS = {
    Status.PASS: PatternFill("solid", start_color="FFC6EFCE"),
    Status.FAIL: PatternFill("solid", start_color="FFFFC7CE"),
    Status.SKIPPED: PatternFill("solid", start_color="FFEDEDED"),
}
# Excel refuses cells over 32,767 characters and control characters.


def _header(sheet, row: int, titles: list[str], widths: list[int]) -> None:
    write_header(sheet, row, list(zip(titles, widths)))


def _summary_sheet(sheet, result: IdsRunResult) -> None:
    sheet.title = _("Summary")
    sheet["A1"], sheet["B1"] = (_("Rule set") if is_ruleset_run(result) else _("IDS")), _clean(result.ids_title)
    sheet["A2"], sheet["B2"] = _("Status"), status_label(result.status)
    sheet["B2"].fill = _FILLS[result.status]
    sheet["A3"], sheet["B3"] = _("Checked on"), result.started_at
    sheet["A4"], sheet["B4"] = _("Models"), _clean(", ".join(f"{m.name} ({m.schema})" for m in result.models))
    for cell in ("A1", "A2", "A3", "A4"):
        sheet[cell].font = _BOLD
    header_row = 6
    ruleset = is_ruleset_run(result)
    titles = [_("Specification"), _("Identifier"), _("Cardinality"), _("Model"), _("Status"),
              _("Applicable"), _("Passing"), _("Failing"), _("Note")] + ([_("Kind"), _("Severity")] if ruleset else [])
    _header(sheet, header_row, titles, [48, 14, 12, 28, 10, 11, 10, 10, 50, 14, 12])
    for r, row in enumerate(summary_rows(result), start=header_row + 1):
        values = [row.specification, row.identifier, row.cardinality, row.model, status_label(row.status),
                  row.applicable, row.passing, row.failing, row.message] + ([row.kind, row.severity] if ruleset else [])
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=_clean(value))
        sheet.cell(row=r, column=5).fill = _FILLS[row.status]
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    last = header_row + max(1, len(summary_rows(result)))
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(titles))}{last}"


def _details_sheet(sheet, result: IdsRunResult) -> None:
    ruleset = is_ruleset_run(result)
    titles = [_("Specification"), _("Model"), _("Requirement"), _("GlobalId"), _("Class"), _("Name"), _("Storey"),
              _("Expected"), _("Found"), _("Looked in")] + ([_("Kind"), _("Severity"), _("Fingerprint")]
                                                            if ruleset else [])
    _header(sheet, 1, titles, [40, 22, 44, 24, 20, 30, 18, 28, 34, 30, 14, 12, 34])
    rows = detail_rows(result)
    for r, row in enumerate(rows, start=2):
        values = [row.specification, row.model, row.requirement, row.global_id, row.ifc_class, row.name,
                  row.storey, row.expected, row.found, row.looked_in] + (
                      [row.kind, row.severity, row.fingerprint] if ruleset else [])
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=_clean(value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(2, len(rows) + 1)}"


def render_xlsx(result: IdsRunResult) -> bytes:
    """The workbook as bytes."""
    workbook = Workbook()
    _summary_sheet(workbook.active, result)
    _details_sheet(workbook.create_sheet(_("Details")), result)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(result: IdsRunResult, path: Path | str) -> Path:
    """Write the XLSX report to ``path``."""
    return atomic_write(path, render_xlsx(result))
