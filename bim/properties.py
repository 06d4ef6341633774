"""What the properties panel shows for one element: attributes, type, property and
quantity sets, materials and classifications, as plain text rows."""

from __future__ import annotations

from dataclasses import dataclass

import ifcopenshell
import ifcopenshell.util.classification
import ifcopenshell.util.element

from bim.i18n import _


@dataclass(frozen=True)
class PropertyGroup:
    """A titled group of (name, value) rows; ``kind`` is attributes, type, pset, qto, material or classification."""

    title: str
    kind: str
    rows: tuple[tuple[str, str], ...]


def format_value(value) -> str:
    """Display text for an IFC value (entities by their name, numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, ifcopenshell.entity_instance):
        if value.is_a("IfcRoot") or hasattr(value, "Name"):
            return f"{value.is_a()} {getattr(value, 'Name', '') or ''}".strip()
        return value.is_a()
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def _set_groups(psets: dict, kind: str) -> list[PropertyGroup]:
    groups = []
    for name, props in sorted(psets.items()):
        rows = tuple((k, format_value(v)) for k, v in props.items() if k != "id")
        groups.append(PropertyGroup(name, kind, rows))
    return groups


def _materials(element) -> list[tuple[str, str]]:
    material = ifcopenshell.util.element.get_material(element, should_skip_usage=True)
    if material is None:
        return []
    if material.is_a("IfcMaterialLayerSet"):
        return [(layer.Material.Name if layer.Material else "?", f"{layer.LayerThickness:g}")
                for layer in material.MaterialLayers]
    if material.is_a("IfcMaterialList"):
        return [(m.Name or "?", "") for m in material.Materials]
    if material.is_a("IfcMaterialConstituentSet"):
        return [(c.Name or (c.Material.Name if c.Material else "?"), c.Material.Name if c.Material else "")
                for c in material.MaterialConstituents or ()]
    if material.is_a("IfcMaterialProfileSet"):
        return [(p.Material.Name if p.Material else "?", p.Profile.ProfileName if p.Profile else "")
                for p in material.MaterialProfiles]
    return [(getattr(material, "Name", "") or material.is_a(), "")]


def element_properties(model: ifcopenshell.file, global_id: str) -> list[PropertyGroup]:
    """Every group of information about the element with this GlobalId (empty if absent)."""
    try:
        element = model.by_guid(global_id)
    except RuntimeError:
        return []
    info = element.get_info(recursive=False)
    attributes = [(_("Class"), element.is_a())]
    for key, value in info.items():
        if key in ("id", "type", "OwnerHistory", "Representation", "ObjectPlacement"):
            continue
        attributes.append((key, format_value(value)))
    groups = [PropertyGroup(_("Attributes"), "attributes", tuple(attributes))]
    element_type = ifcopenshell.util.element.get_type(element)
    if element_type is not None:
        groups.append(PropertyGroup(_("Type"), "type", (
            (_("Class"), element_type.is_a()), (_("Name"), element_type.Name or ""),
            ("GlobalId", element_type.GlobalId))))
    groups += _set_groups(ifcopenshell.util.element.get_psets(element, psets_only=True), "pset")
    groups += _set_groups(ifcopenshell.util.element.get_psets(element, qtos_only=True), "qto")
    materials = _materials(element)
    if materials:
        groups.append(PropertyGroup(_("Materials"), "material", tuple(materials)))
    refs = ifcopenshell.util.classification.get_references(element)
    if refs:
        rows = []
        for ref in refs:
            system = ifcopenshell.util.classification.get_classification(ref)
            code = getattr(ref, "Identification", None) or getattr(ref, "ItemReference", None) or ""
            rows.append((system.Name if system else _("Classification"), f"{code} {ref.Name or ''}".strip()))
        groups.append(PropertyGroup(_("Classifications"), "classification", tuple(rows)))
    return groups


def property_values(model: ifcopenshell.file, pset: str, prop: str) -> dict[str, str | None]:
    """GlobalId → text value of ``pset.prop`` for every element (type values inherited), None when absent."""
    values: dict[str, str | None] = {}
    for element in list(model.by_type("IfcElement")) + list(model.by_type("IfcSpace")):
        value = ifcopenshell.util.element.get_pset(element, pset, prop)
        values[element.GlobalId] = None if value is None else format_value(value)
    return values


def property_text(model: ifcopenshell.file) -> dict[str, str]:
    """GlobalId → all property values of the element as one lower-case text (for search)."""
    texts = {}
    for element in list(model.by_type("IfcElement")) + list(model.by_type("IfcSpace")):
        parts = []
        for props in ifcopenshell.util.element.get_psets(element).values():
            parts.extend(format_value(v) for k, v in props.items() if k != "id")
        texts[element.GlobalId] = " | ".join(p for p in parts if p).lower()
    return texts


def property_names(model: ifcopenshell.file, limit: int = 2000) -> list[tuple[str, str]]:
    """(pset, property) pairs found on the model's elements, for the colour-by chooser."""
    names: set[tuple[str, str]] = set()
    for element in list(model.by_type("IfcElement"))[:limit]:
        for pset, props in ifcopenshell.util.element.get_psets(element, psets_only=True).items():
            names.update((pset, k) for k in props if k != "id")
    return sorted(names)
