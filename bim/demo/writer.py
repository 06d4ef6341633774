"""Write one trade of the demo building to an IFC file with ``ifcopenshell.api``.

Geometry resources (points, placements, profiles) are created directly so that
every coordinate in the file is exactly the one in the specs; everything else
(entities, relationships, types, materials, property and quantity sets, styles,
classification) goes through the api. The api draws random GlobalIds and, in
IFC2X3, timestamped owner histories: :func:`_make_deterministic` replaces them so
that the same inputs always give the same file.
"""

from __future__ import annotations

from typing import Callable, Iterable

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.classification
import ifcopenshell.api.context
import ifcopenshell.api.feature
import ifcopenshell.api.geometry
import ifcopenshell.api.material
import ifcopenshell.api.owner
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.style
import ifcopenshell.api.type
import ifcopenshell.api.unit

from bim.demo.specs import (
    BUILDING_GLOBAL_ID, BUILDING_NAME, PROJECT_GLOBAL_ID, PROJECT_NAME, SITE_GLOBAL_ID, SITE_NAME,
    STOREY_GLOBAL_IDS, STOREYS, UNIFORMAT, Box, DemoTrade, ElementSpec, class_in_schema,
    make_global_id, opening_box, type_class_in_schema, type_global_id,
)

# (red, green, blue, transparency) per look.
STYLES = {
    "wall": (0.85, 0.85, 0.82, 0.0),
    "partition": (0.93, 0.92, 0.89, 0.0),
    "slab": (0.62, 0.62, 0.62, 0.0),
    "finish": (0.76, 0.72, 0.66, 0.0),
    "roof": (0.32, 0.32, 0.35, 0.0),
    "concrete": (0.72, 0.70, 0.66, 0.0),
    "steel": (0.45, 0.50, 0.58, 0.0),
    "door": (0.60, 0.42, 0.25, 0.0),
    "glass": (0.55, 0.75, 0.90, 0.7),
    "space": (0.45, 0.75, 0.45, 0.85),
    "duct": (0.20, 0.45, 0.85, 0.0),
    "pipe": (0.15, 0.65, 0.30, 0.0),
    "tray": (0.95, 0.55, 0.10, 0.0),
}

MATERIAL_CATEGORIES = {
    "Béton C25/30": "concrete", "Béton C30/37": "concrete", "Laine minérale": "insulation",
    "Plaque de plâtre": "gypsum", "Carrelage": "ceramic", "Chape ciment": "concrete",
    "Étanchéité bitumineuse": "bitumen", "Acier S355": "steel", "Acier galvanisé": "steel",
    "Bois": "wood", "Aluminium": "aluminium", "PVC": "plastic", "PE": "plastic",
}

# Quantity set and (quantity name, Quantities field, measure) per IFC4 class; IFC2X3 has
# no templates, so the same names are written as plain element quantities, as exporters do.
_QTOS = {
    "IfcWall": ("Qto_WallBaseQuantities", (
        ("Length", "length", "Length"), ("Width", "width", "Length"), ("Height", "height", "Length"),
        ("GrossFootprintArea", "gross_footprint_area", "Area"), ("NetFootprintArea", "net_footprint_area", "Area"),
        ("GrossSideArea", "gross_side_area", "Area"), ("NetSideArea", "net_side_area", "Area"),
        ("GrossVolume", "gross_volume", "Volume"), ("NetVolume", "net_volume", "Volume"))),
    "IfcSlab": ("Qto_SlabBaseQuantities", (
        ("Width", "width", "Length"), ("Length", "length", "Length"), ("Perimeter", "perimeter", "Length"),
        ("GrossArea", "area", "Area"), ("NetArea", "net_area", "Area"),
        ("GrossVolume", "gross_volume", "Volume"), ("NetVolume", "net_volume", "Volume"))),
    "IfcColumn": ("Qto_ColumnBaseQuantities", (
        ("Length", "length", "Length"), ("CrossSectionArea", "cross_section_area", "Area"),
        ("OuterSurfaceArea", "outer_surface_area", "Area"),
        ("GrossVolume", "gross_volume", "Volume"), ("NetVolume", "net_volume", "Volume"))),
    "IfcBeam": ("Qto_BeamBaseQuantities", (
        ("Length", "length", "Length"), ("CrossSectionArea", "cross_section_area", "Area"),
        ("OuterSurfaceArea", "outer_surface_area", "Area"),
        ("GrossVolume", "gross_volume", "Volume"), ("NetVolume", "net_volume", "Volume"))),
    "IfcDoor": ("Qto_DoorBaseQuantities", (
        ("Width", "width", "Length"), ("Height", "height", "Length"), ("Perimeter", "perimeter", "Length"),
        ("Area", "area", "Area"))),
    "IfcWindow": ("Qto_WindowBaseQuantities", (
        ("Width", "width", "Length"), ("Height", "height", "Length"), ("Perimeter", "perimeter", "Length"),
        ("Area", "area", "Area"))),
    "IfcSpace": ("Qto_SpaceBaseQuantities", (
        ("Height", "height", "Length"), ("GrossPerimeter", "perimeter", "Length"),
        ("GrossFloorArea", "area", "Area"), ("NetFloorArea", "net_area", "Area"),
        ("GrossVolume", "gross_volume", "Volume"), ("NetVolume", "net_volume", "Volume"))),
    "IfcDuctSegment": ("Qto_DuctSegmentBaseQuantities", (
        ("Length", "length", "Length"), ("GrossCrossSectionArea", "cross_section_area", "Area"),
        ("OuterSurfaceArea", "outer_surface_area", "Area"))),
    "IfcPipeSegment": ("Qto_PipeSegmentBaseQuantities", (
        ("Length", "length", "Length"), ("GrossCrossSectionArea", "cross_section_area", "Area"),
        ("OuterSurfaceArea", "outer_surface_area", "Area"))),
    "IfcCableCarrierSegment": ("Qto_CableCarrierSegmentBaseQuantities", (
        ("Length", "length", "Length"), ("CrossSectionArea", "cross_section_area", "Area"),
        ("OuterSurfaceArea", "outer_surface_area", "Area"))),
}


def quantity_set(spec: ElementSpec, schema: str) -> tuple[str, dict[str, float]]:
    """The quantity set name and values declared for ``spec`` in ``schema``."""
    name, rows = _QTOS[spec.ifc_class]
    values = {}
    for qto_name, field_name, _measure in rows:
        if schema == "IFC4X3" and qto_name.endswith("FootprintArea"):
            qto_name = qto_name.replace("Footprint", "FootPrint")  # renamed in IFC4X3
        values[qto_name] = getattr(spec.quantities, field_name)
    return name, values


def _has_attribute(schema: ifcopenshell.ifcopenshell_wrapper.schema_definition, ifc_class: str, name: str) -> bool:
    return any(a.name() == name for a in schema.declaration_by_name(ifc_class).all_attributes())


class TradeWriter:
    """Builds the IFC file of one trade; call :meth:`add` per element, then :meth:`finish`."""

    def __init__(self, trade: DemoTrade, schema: str, origin: tuple[float, float, float]):
        self.trade = trade
        self.schema = schema
        f = self.file = ifcopenshell.api.project.create_file(version=schema)
        self.schema_def = ifcopenshell.schema_by_name(f.schema_identifier)
        f.header.file_name.name = trade.file_name
        f.header.file_name.author = ("Synthese",)
        f.header.file_name.organization = ("Synthese",)
        f.header.file_name.originating_system = "Synthese demo generator"
        f.header.file_name.authorization = ""
        if schema == "IFC2X3":
            f.header.file_description.description = ("ViewDefinition [CoordinationView_V2.0]",)
        if schema == "IFC2X3":
            # Owner history is mandatory in IFC2X3: the api needs a user and an application.
            person = ifcopenshell.api.owner.add_person(f, identification="synthese", family_name="Synthese")
            org = ifcopenshell.api.owner.add_organisation(f, identification="synthese", name="Synthese")
            ifcopenshell.api.owner.add_person_and_organisation(f, person=person, organisation=org)
            app = ifcopenshell.api.owner.add_application(f)
            app.ApplicationFullName, app.ApplicationIdentifier, app.Version = "Synthese", "synthese", "0.1"
        self._fixed_ids: set[int] = set()
        self._directions: dict[tuple[float, ...], ifcopenshell.entity_instance] = {}
        self.project = self._rooted("IfcProject", PROJECT_GLOBAL_ID, PROJECT_NAME)
        self._units()
        model = ifcopenshell.api.context.add_context(f, context_type="Model")
        self.body = ifcopenshell.api.context.add_context(
            f, context_type="Model", context_identifier="Body", target_view="MODEL_VIEW", parent=model)
        self._spatial(origin)
        self.styles: dict[str, ifcopenshell.entity_instance] = {}
        self.materials: dict[str, ifcopenshell.entity_instance] = {}
        self.types: dict[str, ifcopenshell.entity_instance] = {}
        self.elements: dict[tuple[str, int], tuple[ElementSpec, ifcopenshell.entity_instance]] = {}  # (key, copy)
        self.openings: dict[str, ifcopenshell.entity_instance] = {}

    # -- setup ---------------------------------------------------------------

    def _rooted(self, ifc_class: str, global_id: str, name: str | None,
                predefined_type: str | None = None) -> ifcopenshell.entity_instance:
        if predefined_type and not _has_attribute(self.schema_def, ifc_class, "PredefinedType"):
            predefined_type = None  # e.g. IFC2X3 doors: nothing to say it with
        entity = ifcopenshell.api.root.create_entity(
            self.file, ifc_class=ifc_class, name=name, predefined_type=predefined_type)
        entity.GlobalId = global_id
        self._fixed_ids.add(entity.id())
        return entity

    def _units(self) -> None:
        f = self.file
        units = [ifcopenshell.api.unit.add_si_unit(f, unit_type=t) for t in
                 ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT", "PLANEANGLEUNIT")]
        ifcopenshell.api.unit.assign_unit(f, units=units)

    def _spatial(self, origin: tuple[float, float, float]) -> None:
        f = self.file
        self.site = self._rooted("IfcSite", SITE_GLOBAL_ID, SITE_NAME)
        self.building = self._rooted("IfcBuilding", BUILDING_GLOBAL_ID, BUILDING_NAME)
        ifcopenshell.api.aggregate.assign_object(f, products=[self.site], relating_object=self.project)
        ifcopenshell.api.aggregate.assign_object(f, products=[self.building], relating_object=self.site)
        self.storeys = {}
        for storey in STOREYS:
            entity = self._rooted("IfcBuildingStorey", STOREY_GLOBAL_IDS[storey.name], storey.name)
            entity.Elevation = storey.elevation
            self.storeys[storey.name] = entity
        ifcopenshell.api.aggregate.assign_object(f, products=list(self.storeys.values()),
                                                 relating_object=self.building)
        # Placements once the hierarchy exists: the api re-localises existing ones on assignment.
        # The whole site moves with ``origin``; everything below is relative to it.
        self.site.ObjectPlacement = self._placement(None, tuple(float(c) for c in origin))
        self.building.ObjectPlacement = self._placement(self.site.ObjectPlacement, (0.0, 0.0, 0.0))
        for storey in STOREYS:
            self.storeys[storey.name].ObjectPlacement = self._placement(
                self.building.ObjectPlacement, (0.0, 0.0, storey.elevation))

    def _direction(self, xyz: tuple[float, ...]) -> ifcopenshell.entity_instance:
        if xyz not in self._directions:
            self._directions[xyz] = self.file.createIfcDirection(xyz)
        return self._directions[xyz]

    def _placement(self, relative_to, location, x_axis: tuple[float, float] = (1.0, 0.0)):
        f = self.file
        point = f.createIfcCartesianPoint(tuple(float(c) for c in location))
        if x_axis == (1.0, 0.0):
            axes = f.createIfcAxis2Placement3D(point, None, None)
        else:
            axes = f.createIfcAxis2Placement3D(point, self._direction((0.0, 0.0, 1.0)),
                                               self._direction((float(x_axis[0]), float(x_axis[1]), 0.0)))
        return f.createIfcLocalPlacement(relative_to, axes)

    def style(self, key: str) -> ifcopenshell.entity_instance:
        """The surface style ``key`` of :data:`STYLES`, created on first use."""
        if key not in self.styles:
            red, green, blue, transparency = STYLES[key]
            style = ifcopenshell.api.style.add_style(self.file, name=key)
            ifcopenshell.api.style.add_surface_style(
                self.file, style=style, ifc_class="IfcSurfaceStyleRendering", attributes={
                    "SurfaceColour": {"Name": None, "Red": red, "Green": green, "Blue": blue},
                    "Transparency": transparency, "ReflectanceMethod": "NOTDEFINED"})
            self.styles[key] = style
        return self.styles[key]

    def material(self, name: str) -> ifcopenshell.entity_instance:
        """The material ``name``, created on first use."""
        if name not in self.materials:
            # IFC2X3 materials have no category.
            category = MATERIAL_CATEGORIES.get(name) if self.schema != "IFC2X3" else None
            self.materials[name] = ifcopenshell.api.material.add_material(self.file, name=name, category=category)
        return self.materials[name]

    def element_type(self, spec: ElementSpec, predefined_type: str | None) -> ifcopenshell.entity_instance:
        """The type of ``spec``, created on first use (walls: with their layer set)."""
        if spec.type_name not in self.types:
            ifc_class = type_class_in_schema(spec.ifc_class, self.schema)
            element_type = self._rooted(ifc_class, type_global_id(self.trade.code, spec.type_name),
                                        spec.type_name, predefined_type)
            if spec.ifc_class == "IfcDoor" and self.schema != "IFC2X3":
                element_type.OperationType = "SINGLE_SWING_LEFT"
            if spec.layers:
                layer_set = ifcopenshell.api.material.add_material_set(
                    self.file, name=spec.type_name, set_type="IfcMaterialLayerSet")
                for material_name, thickness in spec.layers:
                    layer = ifcopenshell.api.material.add_layer(
                        self.file, layer_set=layer_set, material=self.material(material_name))
                    layer.LayerThickness = thickness
                    if self.schema != "IFC2X3":  # layers have no name in IFC2X3
                        layer.Name = material_name
                ifcopenshell.api.material.assign_material(
                    self.file, products=[element_type], type="IfcMaterialLayerSet", material=layer_set)
            self.types[spec.type_name] = element_type
        return self.types[spec.type_name]

    # -- elements ------------------------------------------------------------

    def create(self, spec: ElementSpec) -> None:
        """Create the entity of ``spec`` (no placement yet: see :meth:`finish`)."""
        ifc_class = class_in_schema(spec.ifc_class, self.schema)
        entity = self._rooted(ifc_class, spec.global_id, spec.name, spec.predefined_type)
        if spec.long_name:
            entity.LongName = spec.long_name
        if spec.ifc_class == "IfcSpace" and self.schema == "IFC2X3":
            entity.InteriorOrExteriorSpace = "INTERNAL"
        if spec.ifc_class in ("IfcDoor", "IfcWindow"):
            entity.OverallWidth = spec.quantities.width
            entity.OverallHeight = spec.quantities.height
        self.elements[(spec.key, spec.copy)] = (spec, entity)

    def relate(self) -> None:
        """Containment, aggregation and typing, in batches (before any placement exists)."""
        f = self.file
        specs = [s for s, _ in self.elements.values()]
        for storey in STOREYS:
            contained = [e for s, e in self.elements.values()
                         if s.storey == storey.name and s.contained and s.ifc_class != "IfcSpace"]
            if contained:
                ifcopenshell.api.spatial.assign_container(
                    f, products=contained, relating_structure=self.storeys[storey.name])
            spaces = [e for s, e in self.elements.values() if s.storey == storey.name and s.ifc_class == "IfcSpace"]
            if spaces:
                ifcopenshell.api.aggregate.assign_object(f, products=spaces,
                                                         relating_object=self.storeys[storey.name])
        by_type: dict[str, list[ElementSpec]] = {}
        for s in specs:
            if s.type_name:
                by_type.setdefault(s.type_name, []).append(s)
        for type_name, members in by_type.items():
            kinds = {m.predefined_type for m in members}
            # One predefined type for all occurrences: say it once, on the type.
            shared = kinds.pop() if len(kinds) == 1 else "NOTDEFINED"
            element_type = self.element_type(members[0], shared)
            ifcopenshell.api.type.assign_type(
                f, related_objects=[self.elements[(m.key, m.copy)][1] for m in members], relating_type=element_type)
            if shared == "NOTDEFINED":
                for m in members:
                    entity = self.elements[(m.key, m.copy)][1]
                    if hasattr(entity, "PredefinedType") and m.predefined_type:
                        entity.PredefinedType = m.predefined_type

    def shape(self, spec: ElementSpec) -> None:
        """Placement, body, style, property and quantity sets, and the opening of a fill."""
        entity = self.elements[(spec.key, spec.copy)][1]
        storey_placement = self.storeys[spec.storey].ObjectPlacement
        if spec.host:
            wall_spec, wall = self.elements[(spec.host, spec.copy)]
            opening = self._opening(spec, wall_spec, wall)
            entity.ObjectPlacement = self._relative_placement(spec.box, opening_box(spec, wall_spec),
                                                              opening.ObjectPlacement)
            ifcopenshell.api.feature.add_filling(self.file, opening=opening, element=entity)
        else:
            entity.ObjectPlacement = self._placement(storey_placement, spec.box.origin, spec.box.axes[0])
        representation = self._body(spec.box)
        ifcopenshell.api.geometry.assign_representation(self.file, product=entity, representation=representation)
        ifcopenshell.api.style.assign_representation_styles(
            self.file, shape_representation=representation, styles=[self.style(spec.style)])
        for pset_name, props in spec.psets:
            pset = ifcopenshell.api.pset.add_pset(self.file, product=entity, name=pset_name)
            ifcopenshell.api.pset.edit_pset(self.file, pset=pset, properties=self._property_values(props))
        qto_name, values = quantity_set(spec, self.schema)
        measures = {q: m for q, _f, m in _QTOS[spec.ifc_class][1]}
        qto = ifcopenshell.api.pset.add_qto(self.file, product=entity, name=qto_name)
        ifcopenshell.api.pset.edit_qto(self.file, qto=qto, properties={
            name: self.file.create_entity(f"Ifc{measures[name.replace('FootPrint', 'Footprint')]}Measure", value)
            for name, value in values.items()})

    def _property_values(self, props) -> dict:
        values = {}
        for name, value in props:
            if name in ("ClearWidth", "OuterDiameter", "NominalWidth", "NominalHeight"):
                value = self.file.create_entity("IfcPositiveLengthMeasure", value)
            values[name] = value
        return values

    def _opening(self, spec: ElementSpec, wall_spec: ElementSpec, wall) -> ifcopenshell.entity_instance:
        b = opening_box(spec, wall_spec)
        opening = self._rooted("IfcOpeningElement", spec.opening_global_id, spec.name, "OPENING")
        # Void first, placement after: add_feature would re-localise an existing placement.
        ifcopenshell.api.feature.add_feature(self.file, feature=opening, element=wall)
        opening.ObjectPlacement = self._relative_placement(b, wall_spec.box, wall.ObjectPlacement)
        ifcopenshell.api.geometry.assign_representation(self.file, product=opening, representation=self._body(b))
        return opening

    def _relative_placement(self, child: Box, parent: Box, parent_placement):
        # Same heading: the child's axes equal its parent's, only the origin moves.
        (dx, dy), (nx, ny) = parent.axes
        co, po = child.origin, parent.origin
        vx, vy, vz = co[0] - po[0], co[1] - po[1], co[2] - po[2]
        return self._placement(parent_placement, (round(vx * dx + vy * dy, 9), round(vx * nx + vy * ny, 9),
                                                  round(vz, 9)))

    def _body(self, b: Box) -> ifcopenshell.entity_instance:
        f = self.file
        lx, ly, lz = b.local_size
        if b.along:
            # Section in the local YZ plane, extruded along local X.
            width, height, depth, axes = ly, lz, lx, ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))
        else:
            width, height, depth, axes = lx, ly, lz, (None, None)
        centre = f.createIfcAxis2Placement2D(f.createIfcCartesianPoint((width / 2, height / 2)), None)
        if b.round:
            profile = f.create_entity("IfcCircleProfileDef", ProfileType="AREA", Position=centre, Radius=width / 2)
        else:
            profile = f.create_entity("IfcRectangleProfileDef", ProfileType="AREA", Position=centre,
                                      XDim=width, YDim=height)
        return ifcopenshell.api.geometry.add_profile_representation(
            f, context=self.body, profile=profile, depth=depth, cardinal_point=None, placement_zx_axes=axes)

    def classify_and_assign_materials(self) -> None:
        """Materials and classification references, one relationship per material or code."""
        f = self.file
        by_material: dict[str, list] = {}
        by_code: dict[tuple[str, str], list] = {}
        for spec, entity in self.elements.values():
            if spec.material:
                by_material.setdefault(spec.material, []).append(entity)
            if spec.classification:
                by_code.setdefault(spec.classification, []).append(entity)
        for name, products in by_material.items():
            ifcopenshell.api.material.assign_material(f, products=products, type="IfcMaterial",
                                                      material=self.material(name))
        if by_code:
            system = ifcopenshell.api.classification.add_classification(f, classification=UNIFORMAT)
            system.Source, system.Edition = "ASTM E1557", "2009"
            if self.schema == "IFC2X3":
                # IFC2X3 cannot associate an IfcClassification itself, only its references.
                for rel in system.file.get_inverse(system):
                    if rel.is_a("IfcRelAssociatesClassification"):
                        f.remove(rel)
            for (code, title), products in by_code.items():
                ifcopenshell.api.classification.add_reference(
                    f, products=products, identification=code, name=title, classification=system)

    def finish(self) -> ifcopenshell.file:
        """Make the file deterministic and return it."""
        _make_deterministic(self.file, self.trade.code, self._fixed_ids)
        return self.file


def _make_deterministic(f: ifcopenshell.file, trade: str, fixed_ids: set[int]) -> None:
    # The api draws a random GlobalId for every relationship and property set; derive
    # them from the trade and step id instead (step ids follow the order of api calls).
    for entity in f.by_type("IfcRoot"):
        if entity.id() not in fixed_ids:
            entity.GlobalId = make_global_id(trade, "auto", entity.id())
    # Relationship members are sets, which the api fills from Python sets: sort them.
    for rel in f.by_type("IfcRelationship"):
        for i in range(len(rel)):
            value = rel[i]
            if isinstance(value, tuple) and len(value) > 1 and isinstance(value[0], ifcopenshell.entity_instance):
                rel[i] = sorted(value, key=lambda e: e.id())
    for assignment in f.by_type("IfcUnitAssignment"):
        assignment.Units = sorted(assignment.Units, key=lambda u: u.id())
    if f.schema == "IFC2X3":
        # One owner history with a fixed date replaces the api's timestamped ones.
        histories = f.by_type("IfcOwnerHistory")
        user = f.by_type("IfcPersonAndOrganization")[0]
        app = f.by_type("IfcApplication")[0]
        shared = f.create_entity("IfcOwnerHistory", OwningUser=user, OwningApplication=app, State="READWRITE",
                                 ChangeAction="ADDED", CreationDate=1704067200)  # 2024-01-01T00:00:00Z
        for entity in f.by_type("IfcRoot"):
            entity.OwnerHistory = shared
        for history in histories:
            f.remove(history)


def write_trade(trade: DemoTrade, specs: Iterable[ElementSpec], schema: str, origin: tuple[float, float, float],
                step: Callable[[ElementSpec], None] | None = None) -> ifcopenshell.file:
    """Build the IFC file of ``trade`` from its ``specs``; ``step`` runs before each element
    is shaped (progress and cancellation)."""
    writer = TradeWriter(trade, schema, origin)
    specs = [s for s in specs if s.trade == trade.code]
    for spec in specs:
        writer.create(spec)
    writer.relate()
    for spec in specs:
        if step is not None:
            step(spec)
        writer.shape(spec)
    writer.classify_and_assign_materials()
    return writer.finish()
