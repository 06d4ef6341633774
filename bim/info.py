"""A model's summary: schema, authoring application, storeys and element counts."""

from __future__ import annotations

from collections import Counter

import ifcopenshell
import ifcopenshell.util.unit


def _authoring_application(model: ifcopenshell.file) -> str:
    apps = model.by_type("IfcApplication")
    if apps:
        app = apps[0]
        name, version = (app.ApplicationFullName or "").strip(), (app.Version or "").strip()
        return name if not version or version in name else f"{name} {version}"
    try:
        return (model.header.file_name.originating_system or "").strip()
    except Exception:  # a header without FILE_NAME: nothing to tell
        return ""


def summarize(model: ifcopenshell.file) -> dict:
    """Schema, authoring application, project name, storeys (name, elevation in metres)
    and element counts by class, as plain JSON-ready data."""
    scale = ifcopenshell.util.unit.calculate_unit_scale(model)
    storeys = sorted(
        ({"name": s.Name or "", "global_id": s.GlobalId,
          "elevation": round(float(s.Elevation) * scale, 6) if s.Elevation is not None else None}
         for s in model.by_type("IfcBuildingStorey")),
        key=lambda s: (s["elevation"] is None, s["elevation"] or 0.0),
    )
    counts = Counter(e.is_a() for e in model.by_type("IfcElement") if not e.is_a("IfcFeatureElement"))
    counts.update(e.is_a() for e in model.by_type("IfcSpace"))
    projects = model.by_type("IfcProject")
    return {
        "schema": model.schema_identifier if hasattr(model, "schema_identifier") else model.schema,
        "authoring_application": _authoring_application(model),
        "project": (projects[0].Name or "") if projects else "",
        "length_unit_scale": scale,
        "storeys": storeys,
        "element_counts": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "element_total": int(sum(counts.values())),
    }
