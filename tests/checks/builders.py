"""Small IFC models built in memory with ifcopenshell.api, for tests that must pass or fail on purpose."""

from __future__ import annotations

from pathlib import Path

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.material
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.unit

from checks.model import CheckedModel


class ModelBuilder:
    """A project › site › building › storey, in millimetres unless told otherwise, to add elements to."""

    def __init__(self, schema: str = "IFC4", millimetres: bool = True, storey: str = "Level 1"):
        self.file = f = ifcopenshell.file(schema=schema)
        if schema == "IFC2X3":  # IFC2X3 requires an owner history, made from a user and an application
            person = f.createIfcPerson(FamilyName="Tester")
            organisation = f.createIfcOrganization(Name="Synthese")
            f.createIfcPersonAndOrganization(person, organisation)
            f.createIfcApplication(organisation, "1.0", "Synthese tests", "SYNTHESE")
        project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="Test project")
        length = ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT", prefix="MILLI" if millimetres else None)
        ifcopenshell.api.unit.assign_unit(f, units=[length])
        site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="Site")
        building = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuilding", name="Building")
        self.storey = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name=storey)
        self.storey.Elevation = 0.0
        ifcopenshell.api.aggregate.assign_object(f, products=[site], relating_object=project)
        ifcopenshell.api.aggregate.assign_object(f, products=[building], relating_object=site)
        ifcopenshell.api.aggregate.assign_object(f, products=[self.storey], relating_object=building)
        self._materials: dict[str, ifcopenshell.entity_instance] = {}

    def element(self, ifc_class: str, name: str | None, material: str | None = None,
                psets: dict[str, dict] | None = None, contained: bool = True, **attributes):
        """Add an element with an optional material, property sets and attribute values."""
        f = self.file
        element = ifcopenshell.api.root.create_entity(f, ifc_class=ifc_class, name=name)
        for key, value in attributes.items():
            setattr(element, key, value)
        if contained:
            ifcopenshell.api.spatial.assign_container(f, products=[element], relating_structure=self.storey)
        if material:
            if material not in self._materials:
                self._materials[material] = ifcopenshell.api.material.add_material(f, name=material)
            ifcopenshell.api.material.assign_material(f, products=[element], material=self._materials[material])
        for pset_name, properties in (psets or {}).items():
            pset = ifcopenshell.api.pset.add_pset(f, product=element, name=pset_name)
            ifcopenshell.api.pset.edit_pset(f, pset=pset, properties=properties)
        return element

    def wall(self, name: str | None = "Wall", material: str | None = "Concrete", **kwargs):
        """Add a wall (named and with a material unless told otherwise)."""
        return self.element("IfcWall", name, material, **kwargs)

    def door(self, name: str | None = "Door", width_mm: float = 900.0, accessible: bool | None = None, **kwargs):
        """Add a door of ``width_mm`` overall width, flagged accessible or not in Pset_DoorCommon."""
        psets = {"Pset_DoorCommon": {"HandicapAccessible": accessible}} if accessible is not None else None
        return self.element("IfcDoor", name, "Wood", psets=psets, OverallWidth=width_mm, **kwargs)

    def checked(self, model_id: str = "test.ifc", name: str = "test") -> CheckedModel:
        """The model as checks take it."""
        return CheckedModel(model_id, name, self.file)

    def save(self, path: Path) -> Path:
        """Write the model as an IFC file."""
        self.file.write(str(path))
        return path
