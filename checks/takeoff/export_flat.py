"""Takeoff as one flat CSV table (one row per element) or as complete JSON.

CSV is for other tools and quick pivots: every quantity in the template's
units and rounding, with its source and both the declared and computed values.
JSON is the whole record in SI (m, m², m³, kg) with provenance, layers,
discrepancies and the grouped subtotals, for programs that read it back.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from checks.reports.common import atomic_write
from checks.takeoff.engine import TakeoffResult
from checks.takeoff.grouping import Group, group_rows
from checks.takeoff.kinds import KIND_BY_KEY, SI_UNITS
from checks.takeoff.presentation import NOT_APPLICABLE_MARK, row_notes, shown, unit_of
from checks.takeoff.values import ElementTakeoff, NotComputable, Quantity

JSON_FORMAT = "synthese-takeoff/1"
_IDENTITY = ("model", "trade", "storey", "class", "type", "name", "global_id", "material", "classification")


def _identity(row: ElementTakeoff) -> list[str]:
    return [row.model_name, row.trade, row.storey, row.ifc_class, row.type_name, row.name, row.global_id,
            row.material, row.classification]


def render_csv(result: TakeoffResult) -> bytes:
    """One header line, one line per element; UTF-8 with a BOM so spreadsheets read accents right."""
    t = result.template
    header = list(_IDENTITY)
    for key in t.quantities:
        unit = unit_of(t, key)
        header += [f"{key} ({unit})", f"{key} source", f"{key} declared ({unit})", f"{key} computed ({unit})",
                   f"{key} flagged"]
    header.append("notes")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in result.elements:
        line = _identity(row)
        for key in t.quantities:
            value = row.value(key, t.prefer)
            declared, computed = row.declared.get(key), row.computed.get(key)
            if isinstance(value, Quantity):
                line += [shown(t, key, value.value), value.source]
            elif isinstance(value, NotComputable) and value.applies:
                line += ["", "not computable"]
            else:
                line += ["", NOT_APPLICABLE_MARK]
            line += [shown(t, key, declared.value) if declared else "",
                     shown(t, key, computed.value) if isinstance(computed, Quantity) else "",
                     "yes" if row.flagged(key) else ""]
        line.append(row_notes(t, row))
        writer.writerow(line)
    return out.getvalue().encode("utf-8-sig")


def _value(value) -> dict | None:
    if isinstance(value, Quantity):
        return {"value": value.value, "unit": SI_UNITS[KIND_BY_KEY[value.kind].dimension] if value.kind else "",
                "source": value.source, "origin": value.origin, "definition": value.definition,
                "declared_unit": value.declared_unit}
    if isinstance(value, NotComputable):
        return {"value": None, "not_computable": value.reason, "applies": value.applies}
    return None


def element_dict(row: ElementTakeoff) -> dict:
    """One element's full record, SI values."""
    return {
        "model": row.model_id, "model_file": row.model_name, "trade": row.trade, "global_id": row.global_id,
        "class": row.ifc_class, "name": row.name, "storey": row.storey, "type": row.type_name,
        "material": row.material, "classification": row.classification, "family": row.family,
        "declared": {k: _value(v) for k, v in row.declared.items()},
        "computed": {k: _value(v) for k, v in row.computed.items()},
        "alternatives": {k: _value(v) for k, v in row.alternatives.items()},
        "other_declared": {k: {"value": v.value, "declared_unit": v.declared_unit} for k, v in
                           row.other_declared.items()},
        "layers": [{"position": l.position, "material": l.material, "thickness": l.thickness, "area": l.area,
                    "volume": l.volume, "weight": l.weight, "definition": l.definition, "reason": l.reason}
                   for l in row.layers],
        "discrepancies": [{"quantity": d.kind, "declared": d.declared.value, "computed": d.computed.value,
                           "relative": None if d.relative == float("inf") else d.relative}
                          for d in row.discrepancies],
        "properties": dict(row.properties),
    }


def _group_dict(group: Group) -> dict:
    data = {"field": group.field, "value": group.value, "count": group.count, "totals": dict(group.totals),
            "not_computable": dict(group.missing)}
    if group.children:
        data["groups"] = [_group_dict(g) for g in group.children]
    else:
        data["elements"] = [[r.model_id, r.global_id] for r in group.rows]
    return data


def result_dict(result: TakeoffResult) -> dict:
    """The whole takeoff as JSON-ready data."""
    t = result.template
    return {
        "format": JSON_FORMAT,
        "units": SI_UNITS,
        "project": result.project,
        "created_at": result.created_at,
        "template": t.to_dict(),
        "models": [{"id": m.model_id, "file": m.file_name, "trade": m.trade, "schema": m.schema,
                    "application": m.application, "file_date": m.file_date, "sha256": m.file_hash,
                    "elements": m.element_count, "geometry_failures": m.geometry_failures,
                    "units_in_file": dict(m.units)} for m in result.models],
        "summary": {"elements": len(result.elements), "flagged": len(result.flagged_rows),
                    "not_computable": len(result.not_computable_rows)},
        "elements": [element_dict(e) for e in result.elements],
        "groupings": [{"fields": list(fields), "total": _group_dict(group_rows(
                           result.elements, fields, t.quantities, t.prefer, result.value_order))}
                      for fields in t.groupings],
    }


def render_json(result: TakeoffResult) -> bytes:
    return json.dumps(result_dict(result), ensure_ascii=False, indent=1).encode("utf-8")


def write_csv(result: TakeoffResult, path: Path | str) -> Path:
    return atomic_write(path, render_csv(result))


def write_json(result: TakeoffResult, path: Path | str) -> Path:
    return atomic_write(path, render_json(result))
