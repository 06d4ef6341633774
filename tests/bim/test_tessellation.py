"""Tessellation into instanced numpy arrays: exact geometry, shared representations,
failures listed without stopping, and the same triangles on one or several processes."""

from __future__ import annotations

import numpy as np
import pytest

import bim.tessellation
from bim.demo import generate_demo
from bim.federation import load_model
from bim.ifc_file import open_ifc
from bim.progress import Cancelled
from bim.tessellation import DEFAULT_COLOUR, GeometryFailure, InstancedMesh, tessellate, tessellation_targets
from tests.bim.builders import (
    TABLE_SIZE, TABLE_SPACING, copy_with_broken_solid, element_box, triangles_by_element,
    write_shared_type_model,
)

# --- InstancedMesh on hand-made arrays ---------------------------------------------------

_CUBE_VERTICES = np.array([[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1)], np.float64)
_CUBE_TRIANGLES = np.array([[0, 2, 1], [1, 2, 3], [4, 5, 6], [5, 7, 6], [0, 1, 4], [1, 5, 4],
                            [2, 6, 3], [3, 6, 7], [0, 4, 2], [2, 4, 6], [1, 3, 5], [3, 7, 5]], np.int32)


def _matrix(dx=0.0, dy=0.0, dz=0.0, quarter_turns=0):
    m = np.eye(4)
    c, s = np.round(np.cos(quarter_turns * np.pi / 2)), np.round(np.sin(quarter_turns * np.pi / 2))
    m[:2, :2] = [[c, -s], [s, c]]
    m[:3, 3] = (dx, dy, dz)
    return m


def cube_mesh(matrices, elements=None, colour=(255, 0, 0, 255)) -> InstancedMesh:
    """One unit-cube representation placed once per matrix."""
    n = len(matrices)
    return InstancedMesh(
        ["cube"], np.array([0, 8]), _CUBE_VERTICES.copy(), np.array([0, 12]), _CUBE_TRIANGLES.copy(),
        np.zeros(12, np.int32), np.array([colour], np.uint8),
        np.array(elements if elements is not None else range(n), np.int64), np.zeros(n, np.int32),
        np.array(matrices, np.float64).reshape(-1, 4, 4),
    )


def test_an_instanced_mesh_expands_to_one_placed_copy_per_instance():
    mesh = cube_mesh([_matrix(10, 0, 0), _matrix(0, 5, 0, quarter_turns=1)], elements=[7, 9])
    expanded = mesh.expand()
    assert expanded.vertices.dtype == np.float32 and expanded.triangles.dtype == np.int32
    assert len(expanded.vertices) == 16 and len(expanded.triangles) == 24 == mesh.triangle_count
    assert expanded.triangle_element.tolist() == [7] * 12 + [9] * 12
    first, second = expanded.vertices[:8], expanded.vertices[8:]
    assert first.min(0).tolist() == [10, 0, 0] and first.max(0).tolist() == [11, 1, 1]
    assert second.min(0).tolist() == [-1, 5, 0] and second.max(0).tolist() == [0, 6, 1]  # turned a quarter
    assert (expanded.triangle_rgba == [255, 0, 0, 255]).all()


def test_expanding_with_an_origin_shifts_in_float64_before_rounding_to_float32():
    far = np.array([651000.0, 6862000.0, 35.0])
    mesh = cube_mesh([_matrix(*(far + [0.3, 0.3, 0.3]))])
    local = mesh.expand(far).vertices
    assert np.allclose(local.min(0), [0.3, 0.3, 0.3], atol=1e-6)
    assert abs(mesh.expand().vertices.min(0)[1] - (far[1] + 0.3)) > 0.1  # what float32 alone would do


def test_bounds_cover_every_placed_instance_in_model_coordinates():
    mesh = cube_mesh([_matrix(10, 0, 0), _matrix(0, 5, 2, quarter_turns=1)])
    lo, hi = mesh.bounds()
    assert lo.tolist() == [-1, 0, 0] and hi.tolist() == [11, 6, 3]
    assert InstancedMesh.empty().bounds() is None


def test_an_empty_mesh_expands_to_nothing():
    expanded = InstancedMesh.empty().expand()
    assert expanded.vertices.shape == (0, 3) and expanded.triangles.shape == (0, 3)
    assert InstancedMesh.empty().triangle_count == 0


def test_concatenating_meshes_keeps_every_instance_and_merges_equal_colours():
    red, blue = (255, 0, 0, 255), (0, 0, 255, 255)
    parts = [cube_mesh([_matrix()], [1], red), cube_mesh([_matrix(2)], [2], blue), cube_mesh([_matrix(4)], [3], red)]
    parts[1].failures = [GeometryFailure("gid", "IfcWall", "broken")]
    joined = InstancedMesh.concatenate(parts)
    assert joined.rep_ids == ["cube"] * 3 and joined.instance_rep.tolist() == [0, 1, 2]
    assert len(joined.colours) == 2
    expanded = joined.expand()
    per_element = {e: tuple(expanded.triangle_rgba[expanded.triangle_element == e][0]) for e in (1, 2, 3)}
    assert per_element == {1: red, 2: blue, 3: red}
    assert joined.failures == [GeometryFailure("gid", "IfcWall", "broken")]
    assert InstancedMesh.concatenate([]).triangle_count == 0


def test_mapping_step_ids_to_the_element_table_drops_instances_of_unknown_elements():
    mesh = cube_mesh([_matrix(), _matrix(2), _matrix(4)], elements=[101, 102, 103])
    mapped = mesh.with_element_indices({101: 0, 103: 1})
    assert mapped.instance_element.tolist() == [0, 1]
    assert mapped.instance_matrix[:, 0, 3].tolist() == [0, 4]


# --- the demo, tessellated ---------------------------------------------------------------

@pytest.mark.parametrize("trade", ["ARC", "STR", "CVC", "ELE"])
def test_every_demo_element_comes_out_where_its_spec_puts_it(demo_project, trade):
    model = load_model(demo_project.paths[trade], use_cache=False)
    assert model.failures == []
    instanced = set(model.mesh.instance_element.tolist())
    for spec in demo_project.by_trade(trade):
        index = model.index.by_global_id[spec.global_id]
        assert index in instanced, spec.key
        lo, hi = element_box(model.mesh, index)
        expected_lo, expected_hi = demo_project.bounds(spec.global_id)
        assert lo == pytest.approx(expected_lo, abs=1e-5), spec.key
        assert hi == pytest.approx(expected_hi, abs=1e-5), spec.key


def test_openings_are_cut_out_of_walls_and_never_tessellated_themselves(demo_project):
    model = open_ifc(demo_project.paths["ARC"])
    assert not any(p.is_a("IfcOpeningElement") for p in tessellation_targets(model))
    loaded = load_model(demo_project.paths["ARC"], use_cache=False)
    wall = loaded.index.by_global_id[demo_project.global_id("ARC", "RDC/wall-S")]
    partition = loaded.index.by_global_id[demo_project.global_id("ARC", "R+1/wall-P2")]
    triangles = triangles_by_element(loaded.mesh)
    assert len(triangles[wall]) > len(triangles[partition]) == 12  # holes add faces; a plain box has 12


def test_styles_give_each_element_its_colour(demo_project):
    model = load_model(demo_project.paths["ARC"], use_cache=False)
    expanded = model.mesh.expand()
    glass = model.index.by_global_id[demo_project.global_id("ARC", "RDC/win-S1")]
    wall = model.index.by_global_id[demo_project.global_id("ARC", "RDC/wall-S")]
    glass_rgba = expanded.triangle_rgba[expanded.triangle_element == glass]
    wall_rgba = expanded.triangle_rgba[expanded.triangle_element == wall]
    assert (glass_rgba[:, 3] < 255).all() and (wall_rgba[:, 3] == 255).all()
    assert tuple(wall_rgba[0]) != DEFAULT_COLOUR


@pytest.mark.parametrize("how, reason", [
    ("zero-direction", "zero norm"),  # the kernel's own words
    ("zero-depth", ""),  # the kernel says nothing about the product: a reason is still given
])
def test_an_element_whose_geometry_fails_is_listed_with_class_global_id_and_reason_and_loading_goes_on(
        demo_project, tmp_path, how, reason):
    column = demo_project.global_id("STR", "RDC/col-C1")
    broken = copy_with_broken_solid(demo_project.paths["STR"], tmp_path / "broken.ifc", column, how)
    model = load_model(broken, use_cache=False)
    assert len(model.failures) == 1
    failure = model.failures[0]
    assert (failure.global_id, failure.ifc_class) == (column, "IfcColumn")
    assert failure.reason.strip() and reason in failure.reason
    others = {model.index.by_global_id[s.global_id] for s in demo_project.by_trade("STR")} - {
        model.index.by_global_id[column]}
    assert set(model.mesh.instance_element.tolist()) == others
    assert model.element(column) is not None  # still in the element table, trees and search


def test_elements_sharing_a_representation_give_one_representation_and_one_instance_each(tmp_path):
    path = tmp_path / "tables.ifc"
    tables = write_shared_type_model(path)
    model = load_model(path, use_cache=False)
    mesh = model.mesh
    assert len(mesh.rep_ids) == 1
    assert len(mesh.instance_rep) == 3 and set(mesh.instance_rep.tolist()) == {0}
    assert sorted(model.elements[i].global_id for i in mesh.instance_element) == sorted(tables)
    assert sorted(mesh.instance_matrix[:, 0, 3].tolist()) == [0.0, TABLE_SPACING, 2 * TABLE_SPACING]
    lo, hi = mesh.bounds()
    length, width, height = TABLE_SIZE
    assert lo == pytest.approx([0, 0, 0]) and hi == pytest.approx([2 * TABLE_SPACING + length, width, height])
    assert mesh.triangle_count == 3 * (mesh.rep_triangle_offsets[1] - mesh.rep_triangle_offsets[0])


def test_progress_reaches_its_total_and_cancel_stops_tessellation(demo_project):
    model = open_ifc(demo_project.paths["STR"])
    calls = []
    tessellate(model, demo_project.paths["STR"], progress=lambda d, t, m: calls.append((d, t)), workers=1)
    total = len(tessellation_targets(model))
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    with pytest.raises(Cancelled):
        tessellate(model, demo_project.paths["STR"], cancel=lambda: True, workers=1)


def test_the_partial_meshes_handed_out_while_tessellating_add_up_to_the_whole(demo_project):
    model = open_ifc(demo_project.paths["ARC"])
    parts = []
    whole = tessellate(model, None, on_partial=parts.append, workers=1)
    assert parts and sum(len(p.instance_rep) for p in parts) == len(whole.instance_rep)


# --- one process or several --------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_four(tmp_path_factory):
    return generate_demo(tmp_path_factory.mktemp("demo-scale4"), scale=4)


@pytest.mark.slow
def test_several_processes_give_the_same_triangles_per_element_as_one(demo_four, monkeypatch):
    path = demo_four.paths["ARC"]
    one = load_model(path, use_cache=False, workers=1)
    parent_calls = []
    original = bim.tessellation.tessellate_products

    def spy(*args, **kwargs):
        parent_calls.append(1)
        return original(*args, **kwargs)

    # Spawned workers import the module afresh: these patches only steer the parent's choice.
    monkeypatch.setattr(bim.tessellation, "PARALLEL_MIN_ELEMENTS", 10)
    monkeypatch.setattr(bim.tessellation, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(bim.tessellation, "tessellate_products", spy)
    several = load_model(path, use_cache=False, workers=2)
    assert parent_calls == []  # the parent handed every shape to the workers
    assert several.elements == one.elements
    assert len(several.mesh.instance_rep) == len(one.mesh.instance_rep)
    assert several.failures == one.failures == []
    a, b = triangles_by_element(one.mesh), triangles_by_element(several.mesh)
    assert a.keys() == b.keys()
    for element in a:
        assert np.array_equal(a[element], b[element]), one.elements[element].global_id


def test_every_copy_of_a_scaled_demo_has_geometry(demo_four):
    model = load_model(demo_four.paths["STR"], use_cache=False)
    instanced = {model.elements[i].global_id for i in model.mesh.instance_element}
    assert {s.global_id for s in demo_four.by_trade("STR")} <= instanced


def test_element_bounds_from_instances_contain_every_triangle_of_their_element(demo_project):
    model = load_model(demo_project.paths["ARC"])
    origin = np.array([1.0, 2.0, 3.0])
    lo, hi = model.mesh.element_bounds(len(model.elements), origin)
    expanded = model.mesh.expand(origin)
    corners = expanded.vertices[expanded.triangles]  # (m, 3, 3)
    owners = expanded.triangle_element
    assert (corners.min(axis=1) >= lo[owners] - 1e-4).all()
    assert (corners.max(axis=1) <= hi[owners] + 1e-4).all()
    without_geometry = np.setdiff1d(np.arange(len(model.elements)), owners)
    assert np.isinf(lo[without_geometry]).all()
