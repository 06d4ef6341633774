"""Quantity sheets as an XLSX workbook, for the economist's spreadsheet.

Sheets: a cover (project, models with file, date and hash, template, units,
legend), one sheet per grouping of the template (nested groups, subtotals as
``=SUBTOTAL(9, …)`` formulas so that filtering and editing in the spreadsheet
keep them right), the layers by material, the problems (flagged discrepancies
and quantities not computable), and the source of every value. Headers are
frozen; numbers carry their unit in their format, not in the cell, so they
stay numbers.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bim.i18n import _
from bim.spreadsheet import BOLD as _BOLD, clean_cell as _clean, write_header
from checks.reports.common import atomic_write
from checks.takeoff.engine import TakeoffResult
from checks.takeoff.grouping import Group, field_label, group_rows
from checks.takeoff.kinds import DISPLAY_UNITS, KIND_BY_KEY
from checks.takeoff.presentation import (NOT_APPLICABLE_MARK, column_title, number_format, not_computable_text,
                                         row_notes, shown, source_letter, unit_of)
from checks.takeoff.values import SOURCE_LABELS, SOURCE_LETTERS, ElementTakeoff, NotComputable, Quantity

_TITLE = Font(bold=True, size=14)
_GROUP_FILLS = [PatternFill("solid", start_color=c) for c in ("FFD9E1F2", "FFE2EFDA", "FFFFF2CC", "FFFCE4D6")]
_FLAG_FILL = PatternFill("solid", start_color="FFFFC7CE")
_MISSING_FONT = Font(italic=True, color="FF9C0006")
_IDENTITY = (("GlobalId", 24), ("Class", 22), ("Name", 30), ("Type", 26), ("Storey", 12), ("Material", 24),
             ("Model", 24))


_INDENTS: dict[int, Alignment] = {}


def _indent(depth: int) -> Alignment:
    # One Alignment object per depth: openpyxl hashes every style it is given, per cell.
    if depth not in _INDENTS:
        _INDENTS[depth] = Alignment(indent=depth)
    return _INDENTS[depth]


def _header(sheet, row: int, titles: list[tuple[str, int]]) -> None:
    write_header(sheet, row, titles, wrap=True)


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


# -- cover -------------------------------------------------------------------------------------

def _cover(sheet, result: TakeoffResult) -> None:
    t = result.template
    sheet["A1"] = _("Quantity takeoff")
    sheet["A1"].font = _TITLE
    facts = [
        (_("Project"), result.project or "—"),
        (_("Created"), result.created_at),
        (_("Template"), f"{t.name}" + (f" — {t.description}" if t.description else "")),
        (_("Values shown"), _("declared when the model declares them, else computed") if t.prefer == "declared"
         else _("computed when they can be, else declared")),
        (_("Discrepancy tolerance"), f"{t.tolerance * 100:g} %"),
        (_("Elements"), len(result.elements)),
        (_("Rows with a discrepancy"), len(result.flagged_rows)),
        (_("Rows with a quantity not computable"), len(result.not_computable_rows)),
        (_("Rounding"), _("each line is rounded as shown; subtotals add the rounded lines")),
    ]
    row = 3
    for label, value in facts:
        sheet.cell(row=row, column=1, value=label).font = _BOLD
        sheet.cell(row=row, column=2, value=_clean(value))
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Models")).font = _BOLD
    row += 1
    titles = [(_("Model"), 26), (_("File"), 34), (_("Trade"), 8), (_("Schema"), 10), (_("Application"), 28),
              (_("File date"), 22), (_("SHA-256"), 66), (_("Elements"), 10), (_("Geometry failures"), 10),
              (_("Units in the file"), 30)]
    _header(sheet, row, titles)
    for m in result.models:
        row += 1
        units = ", ".join(f"{d}: {u}" for d, u in m.units if u)
        for c, value in enumerate((m.model_id, m.file_name, m.trade, m.schema, m.application, m.file_date,
                                   m.file_hash, m.element_count, m.geometry_failures, units), start=1):
            sheet.cell(row=row, column=c, value=_clean(value))
    row += 2
    sheet.cell(row=row, column=1, value=_("Units")).font = _BOLD
    for dimension in DISPLAY_UNITS:
        row += 1
        sheet.cell(row=row, column=1, value=dimension)
        sheet.cell(row=row, column=2, value=t.unit(dimension))
        sheet.cell(row=row, column=3, value=_("{n} decimals").format(n=t.decimals_for(dimension)))
    row += 2
    sheet.cell(row=row, column=1, value=_("Sources")).font = _BOLD
    for source, letter in SOURCE_LETTERS.items():
        row += 1
        sheet.cell(row=row, column=1, value=letter)
        sheet.cell(row=row, column=2, value=_(SOURCE_LABELS[source]))
    for mark, meaning in ((NOT_APPLICABLE_MARK, _("does not apply to this class")),
                          (_("n/c"), _("not computable: the reason is in the Notes column and the Problems "
                                       "sheet")),
                          (_("red cell"), _("declared and computed values differ beyond the tolerance"))):
        row += 1
        sheet.cell(row=row, column=1, value=mark)
        sheet.cell(row=row, column=2, value=meaning)
    row += 2
    sheet.cell(row=row, column=1, value=_("Template (JSON)")).font = _BOLD
    sheet.cell(row=row + 1, column=1, value=_clean(t.to_json())).alignment = Alignment(wrap_text=True,
                                                                                      vertical="top")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40


# -- grouped sheets ------------------------------------------------------------------------------

class _GroupedSheet:
    """Writes one grouping: group header rows, element rows, subtotal rows with formulas."""

    def __init__(self, sheet, result: TakeoffResult, fields: tuple[str, ...]):
        self.sheet, self.result, self.fields = sheet, result, fields
        self.template = result.template
        self.quantities = list(self.template.quantities)
        self.first_value_column = 2 + len(_IDENTITY)
        self.notes_column = self.first_value_column + 2 * len(self.quantities)

    def value_column(self, index: int) -> int:
        return self.first_value_column + 2 * index

    def write(self) -> None:
        t, sheet = self.template, self.sheet
        sheet["A1"] = _("Grouped by {fields}").format(fields=" › ".join(field_label(f) for f in self.fields))
        sheet["A1"].font = _TITLE
        missing = len(self.result.not_computable_rows)
        sheet["A2"] = _("{n} elements; {m} with a quantity not computable (see the Problems sheet)").format(
            n=len(self.result.elements), m=missing)
        titles = [(_("Group / element"), 36)] + [(_(name), width) for name, width in _IDENTITY]
        for key in self.quantities:
            titles += [(column_title(t, key), 14), (_("src"), 5)]
        titles.append((_("Notes"), 80))
        header = 4
        _header(sheet, header, titles)
        sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
        root = group_rows(self.result.elements, self.fields, self.quantities, t.prefer, self.result.value_order)
        self.row = header + 1
        first = self.row
        self._group(root, 0, top=True)
        self._subtotal(_("Total"), root.count, first, self.row - 1, 0, _BOLD)
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(self.notes_column)}{self.row - 1}"

    def _group(self, group: Group, depth: int, top: bool = False) -> None:
        if not top:
            cell = self.sheet.cell(row=self.row, column=1,
                                   value=_clean(f"{field_label(group.field)}: {group.label}"))
            cell.font = _BOLD
            cell.alignment = _indent(depth - 1)
            for c in range(1, self.notes_column + 1):
                self.sheet.cell(row=self.row, column=c).fill = _GROUP_FILLS[(depth - 1) % len(_GROUP_FILLS)]
            self.sheet.row_dimensions[self.row].outline_level = max(0, depth - 1)
            self.row += 1
        first = self.row
        if group.children:
            for child in group.children:
                self._group(child, depth + 1)
        else:
            for element in group.rows:
                self._element(element, depth)
        if not top:
            self._subtotal(_("Subtotal {label}").format(label=group.label), group.count, first, self.row - 1,
                           depth, _BOLD)

    def _element(self, row: ElementTakeoff, depth: int) -> None:
        sheet, t, r = self.sheet, self.template, self.row
        sheet.cell(row=r, column=1, value=_clean(row.name or row.global_id)).alignment = _indent(depth)
        for c, value in enumerate((row.global_id, row.ifc_class, row.name, row.type_name, row.storey,
                                   row.material, row.model_name), start=2):
            sheet.cell(row=r, column=c, value=_clean(value))
        for i, key in enumerate(self.quantities):
            column = self.value_column(i)
            value = row.value(key, t.prefer)
            cell = sheet.cell(row=r, column=column)
            if isinstance(value, Quantity):
                cell.value = shown(t, key, value.value)
                cell.number_format = number_format(t, key)
                if row.flagged(key) is not None:
                    cell.fill = _FLAG_FILL
            elif isinstance(value, NotComputable) and value.applies:
                cell.value, cell.font = _("n/c"), _MISSING_FONT
            else:
                cell.value = NOT_APPLICABLE_MARK
            sheet.cell(row=r, column=column + 1, value=source_letter(value))
        sheet.cell(row=r, column=self.notes_column, value=_clean(row_notes(t, row)))
        sheet.row_dimensions[r].outline_level = depth
        self.row += 1

    def _subtotal(self, label: str, count: int, first: int, last: int, depth: int, font) -> None:
        sheet, t, r = self.sheet, self.template, self.row
        cell = sheet.cell(row=r, column=1, value=_clean(_("{label} ({n} elements)").format(label=label, n=count)))
        cell.font = font
        cell.alignment = _indent(max(0, depth - 1))
        for i, key in enumerate(self.quantities):
            if not KIND_BY_KEY[key].additive:
                continue
            column = get_column_letter(self.value_column(i))
            total = sheet.cell(row=r, column=self.value_column(i),
                               value=f"=SUBTOTAL(9,{column}{first}:{column}{max(first, last)})")
            total.number_format = number_format(t, key)
            total.font = font
        sheet.row_dimensions[r].outline_level = max(0, depth - 1)
        self.row += 1


# -- layers, problems, sources --------------------------------------------------------------------

def _layers_sheet(sheet, result: TakeoffResult) -> None:
    t = result.template
    sheet["A1"] = _("Material layers (walls and slabs)")
    sheet["A1"].font = _TITLE
    sheet["A2"] = _("Each layer covers the element's net side area (walls) or net footprint area (slabs); "
                    "its volume is that area × the layer thickness.")
    titles = [(_("Material / element"), 34), (_("GlobalId"), 24), (_("Class"), 18), (_("Name"), 28),
              (_("Storey"), 12), (_("Layer"), 7),
              (_("{quantity} ({unit})").format(quantity=_("Thickness"), unit=t.unit("length")), 12),
              (_("{quantity} ({unit})").format(quantity=_("Area"), unit=t.unit("area")), 12),
              (_("{quantity} ({unit})").format(quantity=_("Volume"), unit=t.unit("volume")), 12),
              (_("{quantity} ({unit})").format(quantity=_("Weight"), unit=t.unit("mass")), 12),
              (_("Definition"), 70)]
    header = 4
    _header(sheet, header, titles)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    by_material: dict[str, list] = {}
    for element in result.elements:
        for layer in element.layers:
            by_material.setdefault(layer.material, []).append((element, layer))
    r = header + 1
    top = r
    formats = {7: ("length", "thickness"), 8: ("area", "net_side_area"), 9: ("volume", "net_volume"),
               10: ("mass", "net_weight")}
    for material in sorted(by_material, key=str.lower):
        sheet.cell(row=r, column=1, value=_clean(material)).font = _BOLD
        r += 1
        first = r
        for element, layer in by_material[material]:
            values = (element.name or element.global_id, element.global_id, element.ifc_class, element.name,
                      element.storey, layer.position)
            for c, value in enumerate(values, start=1):
                sheet.cell(row=r, column=c, value=_clean(value))
            for column, number in ((7, layer.thickness), (8, layer.area), (9, layer.volume), (10, layer.weight)):
                cell = sheet.cell(row=r, column=column)
                dimension, kind = formats[column]
                if number is None:
                    cell.value = _("n/c")
                    continue
                cell.value = t.display(dimension, number)
                cell.number_format = number_format(t, kind)
            sheet.cell(row=r, column=11, value=_clean(layer.definition or layer.reason))
            sheet.row_dimensions[r].outline_level = 1
            r += 1
        sheet.cell(row=r, column=1, value=_clean(_("Subtotal {label} ({n} layers)").format(
            label=material, n=len(by_material[material])))).font = _BOLD
        for column in (8, 9, 10):
            letter = get_column_letter(column)
            cell = sheet.cell(row=r, column=column, value=f"=SUBTOTAL(9,{letter}{first}:{letter}{r - 1})")
            cell.number_format, cell.font = number_format(t, formats[column][1]), _BOLD
        r += 1
    sheet.cell(row=r, column=1, value=_("Total")).font = _BOLD
    for column in (8, 9, 10):
        letter = get_column_letter(column)
        cell = sheet.cell(row=r, column=column, value=f"=SUBTOTAL(9,{letter}{top}:{letter}{max(top, r - 1)})")
        cell.number_format, cell.font = number_format(t, formats[column][1]), _BOLD


def problem_rows(result: TakeoffResult) -> list[tuple]:
    """(problem, row, kind, declared, computed, signed relative difference, reason) for every flagged or
    missing quantity."""
    t = result.template
    rows = []
    for element in result.elements:
        for key in t.quantities:
            flag = element.flagged(key)
            if flag is not None:
                signed = flag.difference / abs(flag.declared.value) if flag.declared.value else None
                rows.append((_("discrepancy"), element, key, flag.declared, flag.computed, signed, ""))
            value = element.value(key, t.prefer)
            if isinstance(value, NotComputable) and value.applies:
                rows.append((_("not computable"), element, key, None, None, None, not_computable_text(value)))
    return rows


def _problems_sheet(sheet, result: TakeoffResult) -> None:
    t = result.template
    rows = problem_rows(result)
    flagged = sum(1 for r in rows if r[4] is not None)
    sheet["A1"] = _("Problems: {flagged} discrepancies, {missing} quantities not computable "
                    "({rows} elements)").format(flagged=flagged, missing=len(rows) - flagged,
                                                rows=len({id(r[1]) for r in rows}))
    sheet["A1"].font = _TITLE
    titles = [(_("Problem"), 16), (_("Model"), 22), (_("GlobalId"), 24), (_("Class"), 20), (_("Name"), 28),
              (_("Storey"), 12), (_("Quantity"), 22), (_("Unit"), 6), (_("Declared"), 12), (_("Declared in"), 36),
              (_("Computed"), 12), (_("Computed as"), 60), (_("Difference"), 11), (_("Reason"), 70)]
    header = 3
    _header(sheet, header, titles)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    for r, (problem, element, key, declared, computed, relative, reason) in enumerate(rows, start=header + 1):
        values = [problem, element.model_name, element.global_id, element.ifc_class, element.name, element.storey,
                  KIND_BY_KEY[key].title, unit_of(t, key),
                  shown(t, key, declared.value) if declared else None, declared.origin if declared else "",
                  shown(t, key, computed.value) if computed else None,
                  f"{computed.definition} [{computed.origin}]" if computed else "",
                  relative, reason]
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=_clean(value))
        sheet.cell(row=r, column=13).number_format = "+0.0%;-0.0%"
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(titles))}{max(header + 1, header + len(rows))}"


def _sources_sheet(sheet, result: TakeoffResult) -> None:
    """One row per element and quantity: the declared value and where it was read, the computed value,
    how it was measured, and the other computed value when two methods gave one."""
    t = result.template
    titles = [(_("Model"), 22), (_("GlobalId"), 24), (_("Class"), 20), (_("Name"), 28), (_("Quantity"), 20),
              (_("Unit"), 6), (_("Declared"), 12), (_("Declared in"), 34), (_("Unit in the file"), 8),
              (_("Computed"), 12), (_("Source"), 10), (_("Computed as"), 60), (_("Other method"), 12)]
    _header(sheet, 1, titles)
    sheet.freeze_panes = "A2"
    append = sheet.append  # row by row: much faster than cell by cell on large models
    count = 1
    for element in result.elements:
        identity = [element.model_name, element.global_id, element.ifc_class, _clean(element.name)]
        for key in t.quantities:
            declared, computed = element.declared.get(key), element.computed.get(key)
            other = element.alternatives.get(key)
            if declared is None and not isinstance(computed, Quantity) and not (
                    isinstance(computed, NotComputable) and computed.applies):
                continue
            if isinstance(computed, Quantity):
                computed_cells = [shown(t, key, computed.value), computed.source_label,
                                  _clean(f"{computed.definition} [{computed.origin}]")]
            else:
                computed_cells = [None, "", _clean(not_computable_text(computed)) if computed is not None else ""]
            append(identity + [KIND_BY_KEY[key].title, unit_of(t, key),
                               shown(t, key, declared.value) if declared else None,
                               declared.origin if declared else "", declared.declared_unit if declared else ""]
                   + computed_cells + [shown(t, key, other.value) if other else None])
            count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(2, count)}"


def render_xlsx(result: TakeoffResult) -> bytes:
    """The quantity workbook as bytes."""
    workbook = Workbook()
    taken: set[str] = set()
    cover = workbook.active
    cover.title = sheet_title(_("Cover"), taken)
    _cover(cover, result)
    for fields in result.template.groupings or (("class",),):
        title = _("By {fields}").format(fields=" › ".join(field_label(f) for f in fields))
        _GroupedSheet(workbook.create_sheet(sheet_title(title, taken)), result, tuple(fields)).write()
    if result.template.layers:
        _layers_sheet(workbook.create_sheet(sheet_title(_("Layers by material"), taken)), result)
    _problems_sheet(workbook.create_sheet(sheet_title(_("Problems"), taken)), result)
    _sources_sheet(workbook.create_sheet(sheet_title(_("Sources"), taken)), result)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(result: TakeoffResult, path: Path | str) -> Path:
    """Write the quantity workbook to ``path`` (atomically)."""
    return atomic_write(path, render_xlsx(result))
