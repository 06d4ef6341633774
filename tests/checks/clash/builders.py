"""Small IFC models made of boxes, with the relations clash exclusions and grouping read."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.feature
import ifcopenshell.api.geometry
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.system
import ifcopenshell.api.unit

Corner = tuple[float, float, float]


class BoxModel:
    """An IFC4 model in metres, one storey, to which axis-aligned boxes are added (optionally turned in plan)."""

    def __init__(self, storey: str = "Level 1"):
        f = self.file = ifcopenshell.api.project.create_file(version="IFC4")
        project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="Boxes")
        ifcopenshell.api.unit.assign_unit(f, length={"is_metric": True, "raw": "METERS"})
        model = ifcopenshell.api.context.add_context(f, context_type="Model")
        self.body = ifcopenshell.api.context.add_context(f, context_type="Model", context_identifier="Body",
                                                         target_view="MODEL_VIEW", parent=model)
        site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="Site")
        self.storey = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name=storey)
        ifcopenshell.api.aggregate.assign_object(f, products=[site], relating_object=project)
        ifcopenshell.api.aggregate.assign_object(f, products=[self.storey], relating_object=site)

    def box(self, ifc_class: str, name: str, lo: Corner, hi: Corner, turn_degrees: float = 0.0, contained=True):
        """A box from ``lo`` to ``hi``, turned by ``turn_degrees`` about the vertical through ``lo``."""
        f = self.file
        element = ifcopenshell.api.root.create_entity(f, ifc_class=ifc_class, name=name)
        size = np.subtract(hi, lo)
        representation = ifcopenshell.api.geometry.add_wall_representation(
            f, context=self.body, length=float(size[0]), height=float(size[2]), thickness=float(size[1]))
        ifcopenshell.api.geometry.assign_representation(f, product=element, representation=representation)
        angle = np.radians(turn_degrees)
        matrix = np.eye(4)
        matrix[:2, :2] = [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]
        matrix[:3, 3] = lo
        ifcopenshell.api.geometry.edit_object_placement(f, product=element, matrix=matrix)
        if contained:
            ifcopenshell.api.spatial.assign_container(f, products=[element], relating_structure=self.storey)
        return element

    def part_of(self, whole, *parts) -> None:
        """``parts`` become parts of ``whole`` (IfcRelAggregates)."""
        ifcopenshell.api.aggregate.assign_object(self.file, products=list(parts), relating_object=whole)

    def assembly(self, name: str, *parts):
        """An IfcElementAssembly (without geometry of its own) made of ``parts``."""
        whole = ifcopenshell.api.root.create_entity(self.file, ifc_class="IfcElementAssembly", name=name)
        ifcopenshell.api.spatial.assign_container(self.file, products=[whole], relating_structure=self.storey)
        self.part_of(whole, *parts)
        return whole

    def fill(self, host, filling, lo: Corner, hi: Corner) -> None:
        """Cut an opening from ``lo`` to ``hi`` in ``host`` and let ``filling`` fill it."""
        opening = self.box("IfcOpeningElement", "Opening", lo, hi, contained=False)
        ifcopenshell.api.feature.add_feature(self.file, feature=opening, element=host)
        ifcopenshell.api.feature.add_filling(self.file, opening=opening, element=filling)

    def system(self, name: str, *members) -> None:
        system = ifcopenshell.api.system.add_system(self.file, ifc_class="IfcDistributionSystem")
        system.Name = name
        ifcopenshell.api.system.assign_system(self.file, products=list(members), system=system)

    def pset(self, element, pset: str, **properties) -> None:
        created = ifcopenshell.api.pset.add_pset(self.file, product=element, name=pset)
        ifcopenshell.api.pset.edit_pset(self.file, pset=created, properties=properties)

    def save(self, path: Path) -> Path:
        self.file.write(str(path))
        return path
