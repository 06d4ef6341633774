"""The exact geometry under clash detection: distances, inside tests, sweep, penetration depth, gaps."""

from __future__ import annotations

import numpy as np
import pytest

from checks.clash.broad_phase import overlapping_pairs
from checks.clash.clearance import gap
from checks.clash.element_geometry import ElementMesh
from checks.clash.mesh_queries import distance_to_triangles, inside_mask
from checks.clash.triangle_pairs import triangle_pair_distance
from checks.clash.penetration import penetration

_FACES = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]


def box_triangles(lo, hi, turn_degrees: float = 0.0, about=None) -> np.ndarray:
    """The 12 triangles of a box, turned about a vertical axis through ``about`` (default: ``lo``)."""
    about = np.asarray(lo if about is None else about, float)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])], float)
    a = np.radians(turn_degrees)
    rotation = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    corners = (corners - about) @ rotation.T + about
    return corners[np.array([t for f in _FACES for t in ((f[0], f[1], f[2]), (f[0], f[2], f[3]))])]


def mesh(*boxes) -> ElementMesh:
    return ElementMesh(np.concatenate(boxes))


def overlap_box(a: ElementMesh, b: ElementMesh):
    lo = np.maximum(a.triangles.reshape(-1, 3).min(0), b.triangles.reshape(-1, 3).min(0))
    hi = np.minimum(a.triangles.reshape(-1, 3).max(0), b.triangles.reshape(-1, 3).max(0))
    return lo, hi


def depth(a: ElementMesh, b: ElementMesh, tolerance: float = 0.0):
    result = penetration(a, b, *overlap_box(a, b), tolerance)
    return None if result is None else result.depth


def test_distance_to_a_triangle_is_to_its_face_its_edge_or_its_corner():
    triangle = np.array([[[0.0, 0, 0], [1, 0, 0], [0, 1, 0]]])
    points = np.array([[0.2, 0.2, 0.5], [0.5, -1.0, 0.0], [-3.0, -4.0, 0.0], [2.0, 2.0, 0.0]])
    expected = [0.5, 1.0, 5.0, np.sqrt(2) * 1.5]
    assert distance_to_triangles(points, triangle) == pytest.approx(expected)


def test_inside_needs_no_consistent_face_orientation():
    cube = box_triangles((0, 0, 0), (1, 1, 1))
    cube[::3] = cube[::3, ::-1]  # flip a third of the triangles
    points = np.random.default_rng(1).uniform(-0.5, 1.5, size=(500, 3))
    truth = ((points > 0) & (points < 1)).all(axis=1)
    assert (inside_mask(points, cube) == truth).all()


def test_a_mesh_with_a_hole_still_tells_inside_by_majority():
    open_cube = box_triangles((0, 0, 0), (1, 1, 1))[2:]  # one face missing
    assert inside_mask(np.array([[0.5, 0.5, 0.5], [2.0, 0.5, 0.5]]), open_cube, closed=False).tolist() == [True, False]
    assert not ElementMesh(open_cube).closed and ElementMesh(box_triangles((0, 0, 0), (1, 1, 1))).closed


def test_two_triangles_that_cross_are_at_distance_zero_and_parallel_ones_at_their_gap():
    flat = np.array([[[0.0, 0, 0], [2, 0, 0], [0, 2, 0]]])
    through = np.array([[[0.5, 0.5, -1], [0.5, 0.5, 1], [0.6, 0.2, 0.5]]])
    above = flat + [0, 0, 0.3]
    assert triangle_pair_distance(flat, through)[0][0] == 0.0
    assert triangle_pair_distance(flat, above)[0][0] == pytest.approx(0.3)


def test_the_sweep_finds_exactly_the_overlapping_boxes_that_all_pairs_would():
    rng = np.random.default_rng(7)
    lo_a = rng.uniform(0, 30, (300, 3))
    hi_a = lo_a + rng.uniform(0.05, 2, (300, 3))
    hi_a[:5, 0] += 25  # a few very long elements (slabs)
    lo_b = rng.uniform(0, 30, (200, 3))
    hi_b = lo_b + rng.uniform(0.05, 2, (200, 3))
    for min_overlap in (0.01, -0.05):
        brute = ((np.minimum(hi_a[:, None], hi_b[None]) - np.maximum(lo_a[:, None], lo_b[None])) > min_overlap).all(-1)
        i, j = overlapping_pairs(lo_a, hi_a, lo_b, hi_b, min_overlap)
        assert set(zip(i.tolist(), j.tolist())) == set(zip(*np.nonzero(brute)))


def test_depth_is_the_thinnest_side_of_a_box_overlap_whatever_the_rotation():
    for turn in (0.0, 30.0, 45.0):
        beam = mesh(box_triangles((0, 0, 2.4), (10, 0.3, 2.8), turn, about=(0, 0, 0)))
        duct = mesh(box_triangles((5, -1, 2.3), (5.4, 2, 2.6), turn, about=(0, 0, 0)))
        assert depth(beam, duct, 0.01) == pytest.approx(0.20, abs=0.001)


def test_boxes_touching_face_to_face_at_an_angle_are_not_a_clash_even_at_zero_tolerance():
    wall = mesh(box_triangles((0, 0, 0), (4, 0.2, 3), 40, about=(0, 0, 0)))
    other = mesh(box_triangles((0, 0.2, 0), (4, 0.5, 3), 40, about=(0, 0, 0)))
    assert depth(wall, other) is None


def test_a_door_in_the_notch_of_its_wall_only_touches_it():
    wall = mesh(box_triangles((0, 0, 0), (1, 0.2, 3)), box_triangles((2, 0, 0), (3, 0.2, 3)),
                box_triangles((1, 0, 2.1), (2, 0.2, 3)))  # a U around the opening (loose boxes, as a mesh)
    door = mesh(box_triangles((1, 0.05, 0), (2, 0.15, 2.1)))
    assert depth(wall, door) is None


def test_an_element_inside_another_is_as_deep_as_it_is_thick():
    wall = mesh(box_triangles((0, 0, 0), (4, 0.3, 3)))
    socket = mesh(box_triangles((1, 0.05, 1), (1.07, 0.09, 1.12), 20))
    assert depth(wall, socket, 0.01) == pytest.approx(0.04, abs=0.001)


def test_a_shallow_overlap_is_below_the_tolerance():
    slab = mesh(box_triangles((0, 0, 0), (5, 5, 0.2), 10, about=(0, 0, 0)))
    wall = mesh(box_triangles((1, 1, 0.195), (4, 1.2, 3), 10, about=(0, 0, 0)))
    assert depth(slab, wall, 0.01) is None
    assert depth(slab, wall, 0.0) == pytest.approx(0.005, abs=0.001)


def test_the_gap_between_two_turned_boxes_is_their_face_distance():
    a = ElementMesh(box_triangles((0, 0, 0), (3, 0.3, 0.1), 25, about=(0, 0, 0)))
    b = ElementMesh(box_triangles((0, 0.33, 0), (3, 0.6, 0.1), 25, about=(0, 0, 0)))
    boxes = [(m.triangles.reshape(-1, 3).min(0), m.triangles.reshape(-1, 3).max(0)) for m in (a, b)]
    found = gap(a, b, boxes[0], boxes[1], 0.05)
    assert found.distance == pytest.approx(0.03, abs=1e-9)
    assert gap(a, b, boxes[0], boxes[1], 0.02) is None


def test_an_element_held_inside_another_is_at_distance_zero():
    outer = ElementMesh(box_triangles((0, 0, 0), (4, 4, 4)))
    inner = ElementMesh(box_triangles((1, 1, 1), (2, 2, 2)))
    boxes = [(m.triangles.reshape(-1, 3).min(0), m.triangles.reshape(-1, 3).max(0)) for m in (outer, inner)]
    assert gap(outer, inner, boxes[0], boxes[1], 0.05).distance == 0.0
