"""Small IFC files and mesh helpers built for the bim tests."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.project
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import ifcopenshell.api.unit

TABLE_SPACING = 2.0
TABLE_SIZE = (1.2, 0.8, 0.75)  # length along x, width along y, height


def write_shared_type_model(path: Path, occurrences: int = 3) -> list[str]:
    """An IFC4 file with one furniture type whose RepresentationMap is mapped by
    ``occurrences`` tables, ``TABLE_SPACING`` apart along x. Returns their GlobalIds."""
    f = ifcopenshell.api.project.create_file(version="IFC4")
    project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name="Shared type")
    ifcopenshell.api.unit.assign_unit(f)
    model = ifcopenshell.api.context.add_context(f, context_type="Model")
    body = ifcopenshell.api.context.add_context(f, context_type="Model", context_identifier="Body",
                                                target_view="MODEL_VIEW", parent=model)
    site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name="Site")
    storey = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name="L0")
    ifcopenshell.api.aggregate.assign_object(f, products=[site], relating_object=project)
    ifcopenshell.api.aggregate.assign_object(f, products=[storey], relating_object=site)
    table_type = ifcopenshell.api.root.create_entity(f, ifc_class="IfcFurnitureType", name="Table")
    length, width, height = TABLE_SIZE
    representation = ifcopenshell.api.geometry.add_wall_representation(
        f, context=body, length=length, height=height, thickness=width)
    ifcopenshell.api.geometry.assign_representation(f, product=table_type, representation=representation)
    tables = []
    for i in range(occurrences):
        table = ifcopenshell.api.root.create_entity(f, ifc_class="IfcFurniture", name=f"Table {i + 1}")
        matrix = np.eye(4)
        matrix[0, 3] = TABLE_SPACING * i
        ifcopenshell.api.geometry.edit_object_placement(f, product=table, matrix=matrix)
        tables.append(table)
    ifcopenshell.api.spatial.assign_container(f, products=tables, relating_structure=storey)
    # Typing an occurrence maps the type's RepresentationMap onto it.
    ifcopenshell.api.type.assign_type(f, related_objects=tables, relating_type=table_type)
    f.write(str(path))
    return [t.GlobalId for t in tables]


def copy_with_broken_solid(source: Path, target: Path, global_id: str, how: str) -> Path:
    """Copy ``source`` with the extruded solid of element ``global_id`` broken:
    ``how`` is "zero-direction" (extrusion direction (0,0,0)) or "zero-depth"."""
    model = ifcopenshell.open(str(source))
    solid = model.by_guid(global_id).Representation.Representations[0].Items[0]
    assert solid.is_a("IfcExtrudedAreaSolid"), solid
    if how == "zero-direction":
        solid.ExtrudedDirection = model.createIfcDirection((0.0, 0.0, 0.0))
    elif how == "zero-depth":
        solid.Depth = 0.0
    else:
        raise ValueError(how)
    model.write(str(target))
    return target


def rewrite_schema(source: Path, target: Path, schema: str) -> Path:
    """Copy ``source`` with its header's FILE_SCHEMA replaced by ``schema``."""
    data = re.sub(rb"FILE_SCHEMA\(\('[^']*'\)\)", f"FILE_SCHEMA(('{schema}'))".encode(), source.read_bytes(), count=1)
    target.write_bytes(data)
    return target


def triangles_by_element(mesh, origin=None) -> dict[int, np.ndarray]:
    """Element index → its placed triangles, one row of 9 coordinates each, in a canonical order."""
    expanded = mesh.expand(origin)
    corners = expanded.vertices[expanded.triangles].reshape(-1, 9).astype(np.float64)
    result = {}
    for element in np.unique(expanded.triangle_element):
        rows = corners[expanded.triangle_element == element]
        result[int(element)] = rows[np.lexsort(rows.T[::-1])]
    return result


def element_box(mesh, element: int, origin=None) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned box of one element's expanded vertices (float64 of what the GPU gets)."""
    expanded = mesh.expand(origin)
    used = np.unique(expanded.triangles[expanded.triangle_element == element])
    vertices = expanded.vertices[used].astype(np.float64)
    return vertices.min(axis=0), vertices.max(axis=0)


def unique_copy(source: Path, target: Path) -> Path:
    """A copy of ``source`` with a comment appended: same model, a content hash of its own
    (so the geometry cache has never seen it)."""
    target.write_bytes(source.read_bytes() + f"/* copy {target} */\n".encode())
    return target
