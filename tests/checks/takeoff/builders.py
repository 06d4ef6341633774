"""Tiny IFC models for takeoff tests: a wall of known size in the units a test asks for."""

from __future__ import annotations

from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit


class TinyModel:
    """Project › site › building › storey, with a body context; lengths in mm or m as asked."""

    def __init__(self, millimetres: bool = True, schema: str = "IFC4"):
        self.file = f = ifcopenshell.api.project.create_file(version=schema)
        self.scale = 1000.0 if millimetres else 1.0
        project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="Tiny")
        units = [ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT", prefix="MILLI" if millimetres else None),
                 ifcopenshell.api.unit.add_si_unit(f, unit_type="AREAUNIT"),
                 ifcopenshell.api.unit.add_si_unit(f, unit_type="VOLUMEUNIT")]
        ifcopenshell.api.unit.assign_unit(f, units=units)
        model = ifcopenshell.api.context.add_context(f, context_type="Model")
        self.body = ifcopenshell.api.context.add_context(f, context_type="Model", context_identifier="Body",
                                                         target_view="MODEL_VIEW", parent=model)
        site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="Site")
        building = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuilding", name="Building")
        self.storey = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name="L0")
        ifcopenshell.api.aggregate.assign_object(f, products=[site], relating_object=project)
        ifcopenshell.api.aggregate.assign_object(f, products=[building], relating_object=site)
        ifcopenshell.api.aggregate.assign_object(f, products=[self.storey], relating_object=building)

    def _placement(self, x: float = 0.0):
        f = self.file
        return f.createIfcLocalPlacement(None, f.createIfcAxis2Placement3D(f.createIfcCartesianPoint((x, 0.0, 0.0))))

    def wall(self, name: str, length_m: float, thickness_m: float, height_m: float, x_m: float = 0.0,
             layers: tuple[tuple[str, float, float | None], ...] = (), qto: dict[str, float] | None = None):
        """A box wall extruded upwards; ``layers`` are (material, thickness m, density kg/m³ or None);
        ``qto`` values are written as they are, in the file's units."""
        f, s = self.file, self.scale
        wall = ifcopenshell.api.root.create_entity(f, ifc_class="IfcWall", name=name)
        ifcopenshell.api.spatial.assign_container(f, products=[wall], relating_structure=self.storey)
        wall.ObjectPlacement = self._placement(x_m * s)
        profile = f.createIfcRectangleProfileDef(
            "AREA", None, f.createIfcAxis2Placement2D(f.createIfcCartesianPoint((length_m * s / 2, thickness_m * s / 2))),
            length_m * s, thickness_m * s)
        solid = f.createIfcExtrudedAreaSolid(profile, f.createIfcAxis2Placement3D(f.createIfcCartesianPoint((0.0, 0.0, 0.0))),
                                             f.createIfcDirection((0.0, 0.0, 1.0)), height_m * s)
        shape = f.createIfcShapeRepresentation(self.body, "Body", "SweptSolid", [solid])
        wall.Representation = f.createIfcProductDefinitionShape(None, None, [shape])
        if layers:
            layer_set = ifcopenshell.api.material.add_material_set(f, name=name + " layers",
                                                                   set_type="IfcMaterialLayerSet")
            for material_name, thickness, density in layers:
                material = ifcopenshell.api.material.add_material(f, name=material_name)
                if density is not None:
                    pset = ifcopenshell.api.pset.add_pset(f, product=material, name="Pset_MaterialCommon")
                    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties={"MassDensity": density})
                layer = ifcopenshell.api.material.add_layer(f, layer_set=layer_set, material=material)
                layer.LayerThickness = thickness * s
            ifcopenshell.api.material.assign_material(f, products=[wall], type="IfcMaterialLayerSetUsage",
                                                      material=layer_set)
        if qto:
            quantities = ifcopenshell.api.pset.add_qto(f, product=wall, name="Qto_WallBaseQuantities")
            ifcopenshell.api.pset.edit_qto(f, qto=quantities, properties=qto)
        return wall

    def proxy_without_body(self, name: str):
        """An element with no geometry at all."""
        proxy = ifcopenshell.api.root.create_entity(self.file, ifc_class="IfcBuildingElementProxy", name=name)
        ifcopenshell.api.spatial.assign_container(self.file, products=[proxy], relating_structure=self.storey)
        return proxy

    def save(self, path: Path) -> Path:
        self.file.write(str(path))
        return path
