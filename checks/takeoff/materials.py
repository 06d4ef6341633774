"""An element's materials as a takeoff needs them: a label to group by, its layers, densities.

Densities are only taken where the model states them
(``Pset_MaterialCommon.MassDensity``, or IFC2X3's ``IfcGeneralMaterialProperties``):
guessing the density of "Béton" would put an invented number in a priced sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import ifcopenshell
import ifcopenshell.util.classification
import ifcopenshell.util.element

from bim.i18n import _


@dataclass(frozen=True)
class Layer:
    """One layer of a layer set: material name, thickness (m), density (kg/m³) if stated."""

    material: str
    thickness: float
    density: float | None


@dataclass(frozen=True)
class ElementMaterial:
    """What the element is made of: a label, its layers (layered elements), one density if single."""

    label: str
    layers: tuple[Layer, ...] = ()
    layer_direction: str = ""  # AXIS2 (walls) or AXIS3 (slabs) for IfcMaterialLayerSetUsage
    density: float | None = None
    density_origin: str = ""
    why_no_density: str = ""


def material_density(material, density_scale: float) -> float | None:
    """Mass density of an IfcMaterial in kg/m³, as the model states it, or None."""
    if material is None:
        return None
    value = None
    try:
        value = ifcopenshell.util.element.get_pset(material, "Pset_MaterialCommon", "MassDensity")
    except Exception:  # IFC2X3 materials carry no psets through the utility
        value = None
    if value is None:
        for props in getattr(material, "HasProperties", None) or ():  # IFC4 IfcMaterialProperties
            for prop in getattr(props, "Properties", None) or ():
                if prop.Name == "MassDensity" and getattr(prop, "NominalValue", None) is not None:
                    value = prop.NominalValue.wrappedValue
    if value is None and material.file.schema == "IFC2X3":
        for props in material.file.get_inverse(material):
            if props.is_a("IfcGeneralMaterialProperties") and props.MassDensity:
                value = props.MassDensity
    return float(value) * density_scale if isinstance(value, (int, float)) and value > 0 else None


def _name(material) -> str:
    return (getattr(material, "Name", None) or "").strip() or _("(unnamed material)")


def element_material(element, length_scale: float, density_scale: float) -> ElementMaterial:
    """The element's material description (its type's when the occurrence has none)."""
    material = ifcopenshell.util.element.get_material(element, should_skip_usage=False)
    if material is None:
        return ElementMaterial("", why_no_density=_("no material"))
    direction = ""
    if material.is_a("IfcMaterialLayerSetUsage"):
        direction = str(material.LayerSetDirection or "")
        material = material.ForLayerSet
    if material.is_a("IfcMaterialLayerSet"):
        layers = tuple(
            Layer(_name(layer.Material) if layer.Material else _("(no material)"),
                  float(layer.LayerThickness or 0.0) * length_scale,
                  material_density(layer.Material, density_scale))
            for layer in material.MaterialLayers or ())
        label = (material.LayerSetName or "").strip() or " + ".join(layer.material for layer in layers)
        return ElementMaterial(label, layers, direction or "AXIS2",
                               why_no_density=_("layered: weighed layer by layer"))
    if material.is_a("IfcMaterial"):
        density = material_density(material, density_scale)
        why = "" if density else _("no density (Pset_MaterialCommon.MassDensity) on material '{name}'").format(
            name=_name(material))
        return ElementMaterial(_name(material), density=density,
                               density_origin=f"{_name(material)}: Pset_MaterialCommon.MassDensity",
                               why_no_density=why)
    if material.is_a("IfcMaterialProfileSetUsage"):
        material = material.ForProfileSet
    if material.is_a("IfcMaterialProfileSet"):
        mats = [p.Material for p in material.MaterialProfiles or () if p.Material is not None]
        names = sorted({_name(m) for m in mats})
        densities = {material_density(m, density_scale) for m in mats}
        density = densities.pop() if len(densities) == 1 else None
        why = "" if density else _("no single density for profile materials {names}").format(names=", ".join(names))
        return ElementMaterial(" + ".join(names), density=density,
                               density_origin=", ".join(names) + ": Pset_MaterialCommon.MassDensity",
                               why_no_density=why)
    if material.is_a("IfcMaterialList"):
        names = [_name(m) for m in material.Materials or ()]
        return ElementMaterial(" + ".join(names), why_no_density=_("a material list has no proportions"))
    if material.is_a("IfcMaterialConstituentSet"):
        names = [_name(c.Material) for c in material.MaterialConstituents or () if c.Material is not None]
        return ElementMaterial((material.Name or "").strip() or " + ".join(names),
                               why_no_density=_("a constituent set has no proportions"))
    return ElementMaterial(_name(material), why_no_density=_("no density"))


def classification_codes(element) -> str:
    """The element's classification codes (its type's too), e.g. ``B2010``; several joined by ", "."""
    codes = []
    try:
        references = ifcopenshell.util.classification.get_references(element)
    except Exception:  # broken associations: no code rather than no takeoff
        references = ()
    for ref in references:
        code = getattr(ref, "Identification", None) or getattr(ref, "ItemReference", None) or ref.Name or ""
        if code and code not in codes:
            codes.append(code)
    return ", ".join(sorted(codes))
