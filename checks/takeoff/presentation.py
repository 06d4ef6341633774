"""How takeoff values read in sheets: display units, number formats, cell texts, notes.

Shared by the XLSX, CSV and JSON writers (and usable by the GUI's table), so a
value is shown with the same unit, rounding and wording everywhere.
"""

from __future__ import annotations

from bim.i18n import _
from checks.takeoff.kinds import KIND_BY_KEY
from checks.takeoff.template import TakeoffTemplate
from checks.takeoff.values import SOURCE_LETTERS, Discrepancy, ElementTakeoff, NotComputable, Quantity

NOT_APPLICABLE_MARK = "—"


def unit_of(template: TakeoffTemplate, kind: str) -> str:
    """The unit ``kind`` is shown in under ``template``."""
    return template.unit(KIND_BY_KEY[kind].dimension)


def shown(template: TakeoffTemplate, kind: str, si_value: float) -> float:
    """``si_value`` converted and rounded for display."""
    return template.display(KIND_BY_KEY[kind].dimension, si_value)


def number_format(template: TakeoffTemplate, kind: str) -> str:
    """An Excel number format showing the template's decimals and the unit, e.g. ``#,##0.00 "m²"``."""
    places = template.decimals_for(KIND_BY_KEY[kind].dimension)
    digits = "#,##0" + ("." + "0" * places if places else "")
    return f'{digits} "{unit_of(template, kind)}"'


def column_title(template: TakeoffTemplate, kind: str) -> str:
    """``Net volume (m³)``."""
    return f"{KIND_BY_KEY[kind].title} ({unit_of(template, kind)})"


def source_letter(value) -> str:
    return SOURCE_LETTERS.get(value.source, "?") if isinstance(value, Quantity) else ""


def not_computable_text(value: NotComputable) -> str:
    """``not computable: reason``."""
    return _("not computable: {reason}").format(reason=value.reason)


def discrepancy_text(template: TakeoffTemplate, d: Discrepancy) -> str:
    """One line for a flagged quantity: both values, both sources, the difference."""
    unit = unit_of(template, d.kind)
    relative = "∞" if d.relative == float("inf") else f"{d.relative * 100 * (1 if d.difference >= 0 else -1):+.1f} %"
    return _("{quantity}: declared {declared} {unit} ({d_origin}) vs computed {computed} {unit} ({c_origin}), "
             "differ by {relative}").format(
        quantity=KIND_BY_KEY[d.kind].title, declared=shown(template, d.kind, d.declared.value), unit=unit,
        d_origin=d.declared.origin, computed=shown(template, d.kind, d.computed.value),
        c_origin=d.computed.definition, relative=relative)


def row_notes(template: TakeoffTemplate, row: ElementTakeoff) -> str:
    """Why cells of ``row`` are empty, and which of its values are flagged."""
    notes = []
    for key in template.quantities:
        value = row.value(key, template.prefer)
        if isinstance(value, NotComputable) and value.applies:
            notes.append(f"{KIND_BY_KEY[key].title}: {not_computable_text(value)}")
        flag = row.flagged(key)
        if flag is not None:
            notes.append(discrepancy_text(template, flag))
    return " | ".join(notes)
