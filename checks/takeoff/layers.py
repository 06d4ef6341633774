"""Quantities per material layer of layered walls and slabs, and weights from densities.

Convention (stated on every layer row): a layer covers the element's net
area, i.e. the net side area of a wall (its middle plane, openings deducted)
or the net footprint area of a slab, and its volume is that area × the layer's
thickness from the IfcMaterialLayerSet. For a straight wall with openings cut
square through it, the layer volumes add up exactly to the net volume; at
corners and splayed reveals they are the middle-plane approximation trades
price by.
"""

from __future__ import annotations

from bim.i18n import _
from checks.takeoff.families import SLAB, WALL
from checks.takeoff.materials import ElementMaterial
from checks.takeoff.values import PARAMETRIC, LayerQuantity, NotComputable, Quantity, Value

_BASIS = {WALL: "net_side_area", SLAB: "net_footprint_area"}


def layer_quantities(family: str, material: ElementMaterial, area: Quantity | None) -> tuple[LayerQuantity, ...]:
    """One row per layer of a layered wall or slab (empty for other elements)."""
    if not material.layers or family not in _BASIS:
        return ()
    if area is None:
        reason = _("the element's {quantity} is not known").format(quantity=_BASIS[family].replace("_", " "))
        definition = ""
    else:
        reason = ""
        definition = _("layer thickness × {quantity} ({origin})").format(
            quantity=_("net side area") if family == WALL else _("net footprint area"), origin=area.origin)
    rows = []
    for position, layer in enumerate(material.layers, start=1):
        volume = None if area is None else layer.thickness * area.value
        weight = None if volume is None or layer.density is None else volume * layer.density
        rows.append(LayerQuantity(position, layer.material, layer.thickness, None if area is None else area.value,
                                  volume, weight, definition, reason))
    return tuple(rows)


def weights(material: ElementMaterial, layers: tuple[LayerQuantity, ...], volumes: dict[str, Value],
            gross_area: Quantity | None = None) -> dict[str, Value]:
    """Gross and net weight: volume × the stated density, or layer by layer for layered elements.

    A layered element's net weight sums its layer weights; its gross weight
    sums thickness × density × the gross area (side or footprint) of the element.
    """
    result: dict[str, Value] = {}
    for weight_key, volume_key in (("gross_weight", "gross_volume"), ("net_weight", "net_volume")):
        volume = volumes.get(volume_key)
        if isinstance(volume, NotComputable) and not volume.applies:
            result[weight_key] = NotComputable(weight_key, volume.reason, applies=False)
            continue
        if material.layers:
            result[weight_key] = _layered_weight(weight_key, material, layers, gross_area) if layers else \
                NotComputable(weight_key, _("layered material: layers are measured on walls and slabs only"))
            continue
        if material.density is None:
            result[weight_key] = NotComputable(weight_key, material.why_no_density or _("no density"))
            continue
        if not isinstance(volume, Quantity):
            result[weight_key] = NotComputable(weight_key, _("no volume: {why}").format(
                why=volume.reason if volume is not None else "?"))
            continue
        result[weight_key] = Quantity(weight_key, volume.value * material.density, volume.source,
                                      f"{volume.origin} × {material.density_origin}",
                                      _("{volume} × density {density:g} kg/m³").format(
                                          volume=volume.definition, density=material.density))
    return result


def _layered_weight(weight_key: str, material: ElementMaterial, layers: tuple[LayerQuantity, ...],
                    gross_area: Quantity | None) -> Value:
    missing = sorted({layer.material for layer in material.layers if layer.density is None})
    if missing:
        return NotComputable(weight_key, _("no density (Pset_MaterialCommon.MassDensity) for {names}").format(
            names=", ".join(missing)))
    if weight_key == "net_weight":
        if any(layer.weight is None for layer in layers):
            return NotComputable(weight_key, layers[0].reason or _("no layer volume"))
        return Quantity(weight_key, sum(layer.weight for layer in layers), PARAMETRIC, "IfcMaterialLayerSet",
                        _("sum over the layers of layer volume × the layer material's MassDensity"))
    if gross_area is None:
        return NotComputable(weight_key, _("the element's gross area is not known"))
    per_area = sum(layer.thickness * layer.density for layer in material.layers)
    return Quantity(weight_key, per_area * gross_area.value, PARAMETRIC, "IfcMaterialLayerSet",
                    _("gross area ({origin}) × Σ layer thickness × MassDensity").format(origin=gross_area.origin))
