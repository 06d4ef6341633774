"""XLSX clash report: a summary sheet (test, models, counts by status and by group), then one row per clash.

Both sheets have frozen, filterable headers so a coordinator can sort and filter
by trade, storey or status in the spreadsheet the site meeting already uses.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from bim.i18n import N_, _
from bim.spreadsheet import BOLD as _BOLD, clean_cell as _clean, write_header
from checks.clash.definition import Mode
from checks.clash.filter_syntax import describe_selection
from checks.clash.grouping import GroupBy
from checks.clash.report_content import ReportContent
from checks.clash.status import ClashStatus, status_label

_STATUS_FILLS = {
    ClashStatus.NEW: PatternFill("solid", start_color="FFFFC7CE"),
    ClashStatus.ACTIVE: PatternFill("solid", start_color="FFFFEB9C"),
    ClashStatus.RESOLVED: PatternFill("solid", start_color="FFC6EFCE"),
    ClashStatus.APPROVED: PatternFill("solid", start_color="FFC6EFCE"),
    ClashStatus.IGNORED: PatternFill("solid", start_color="FFEDEDED"),
}
GROUPING_TITLES = {GroupBy.TYPES: N_("Element types"), GroupBy.STOREY: N_("Storey"), GroupBy.SYSTEM: N_("System"),
                   GroupBy.TRADES: N_("Trades"), GroupBy.PROXIMITY: N_("Zone"), GroupBy.MANUAL: N_("Group")}


def _header(sheet, row: int, titles: list[str], widths: list[int]) -> None:
    write_header(sheet, row, list(zip(titles, widths)))


def _summary_sheet(sheet, content: ReportContent) -> None:
    run, test = content.run, content.run.test
    sheet.title = _("Summary")
    everything = _("everything")
    rows = [
        (_("Clash test"), test.name),
        (_("Mode"), _("hard") if test.mode is Mode.HARD else _("clearance")),
        (_("Tolerance (m)") if test.mode is Mode.HARD else _("Clearance (m)"),
         test.tolerance if test.mode is Mode.HARD else test.clearance),
        (_("Side A"), describe_selection(test.a) or everything),
        (_("Side B"), describe_selection(test.b) or everything),
        (_("Models"), ", ".join(f"{m.file_name} ({m.trade})" for m in run.models)),
        (_("Run on"), run.started_at),
        (_("Clashes"), len(run.clashes)),
    ]
    rows.extend((status_label(status), count) for status, count in content.statuses.counts().items())
    for r, (label, value) in enumerate(rows, start=1):
        sheet.cell(row=r, column=1, value=label).font = _BOLD
        sheet.cell(row=r, column=2, value=_clean(value))
    header_row = len(rows) + 2
    _header(sheet, header_row, [_("Grouped by"), _("Group"), _("Clashes")], [22, 60, 10])
    r = header_row
    for by, groups in content.groups.items():
        for group in groups:
            r += 1
            for c, value in enumerate((_(GROUPING_TITLES[by]), group.label, group.count), start=1):
                sheet.cell(row=r, column=c, value=_clean(value))
    sheet.column_dimensions["A"].width = 22
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:C{max(r, header_row + 1)}"


def _clashes_sheet(sheet, content: ReportContent) -> None:
    sheet.title = _("Clashes")
    mode = content.run.test.mode
    groupings = list(content.groups)
    side = [_("Model"), _("Trade"), _("Class"), _("Name"), _("Storey"), _("GlobalId")]
    titles = ([_("Id"), _("Status"), _("Depth (mm)") if mode is Mode.HARD else _("Distance (mm)")]
              + [f"A {t}" for t in side] + [f"B {t}" for t in side] + ["X", "Y", "Z"]
              + [_(GROUPING_TITLES[by]) for by in groupings])
    widths = [18, 11, 12] + [22, 8, 24, 34, 14, 24] * 2 + [12, 12, 10] + [30] * len(groupings)
    _header(sheet, 1, titles, widths)
    group_maps = {by: content.group_of(by) for by in groupings}
    entries = content.current() + [(c, ClashStatus.RESOLVED) for c in content.resolved()]
    for r, (clash, status) in enumerate(entries, start=2):
        measure = clash.depth if mode is Mode.HARD else clash.distance
        values = [clash.id, status_label(status), None if measure is None else round(measure * 1000.0, 1)]
        for element in (clash.a, clash.b):
            values += [element.model_id, element.trade, element.ifc_class, element.name, element.storey,
                       element.global_id]
        values += [round(v, 3) for v in clash.point]
        values += [group_maps[by][clash.id].label if clash.id in group_maps[by] else "" for by in groupings]
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=_clean(value))
        sheet.cell(row=r, column=2).fill = _STATUS_FILLS[status]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(2, len(entries) + 1)}"


def render_xlsx(content: ReportContent) -> bytes:
    """The workbook as bytes."""
    workbook = Workbook()
    _summary_sheet(workbook.active, content)
    _clashes_sheet(workbook.create_sheet(), content)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
