"""Cheap, exact answers before measuring a penetration: too thin to matter, or only touching.

* :func:`thickness_bound` — the overlap A∩B is no thicker along a direction than
  the overlap of A's and B's extents along it. Taken over the normals of the
  faces near the overlap (and the axes), it bounds the depth from above: two
  walls at 40° touching face to face, or a sloped roof 5 mm into a wall, are
  settled here without measuring anything.
* :func:`interiors_cross` — where the surfaces meet, probe a few points around
  each meeting point: if none is inside both solids, they only touch (a door in
  the notch of its opening, a column in the corner of an L-shaped wall), which no
  bound on the boxes can tell from a real overlap.
"""

from __future__ import annotations

import numpy as np

from checks.clash.mesh_queries import InsideTest
from checks.clash.triangle_pairs import segment_triangle_hits

_AXES = np.eye(3)
# Offsets of the probes around a meeting point: the eight corners of a small cube, so that
# every wedge of space around a crossing line at right angles holds one of them.
_CORNERS = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], np.float64) / np.sqrt(3.0)
_MAX_MEETING_POINTS = 256
_TRIANGLE_PAIRS_PER_CALL = 40_000


def face_normals(triangles: np.ndarray) -> np.ndarray:
    """Unit normals of the triangles, one per distinct direction (sign ignored)."""
    if not len(triangles):
        return np.zeros((0, 3))
    n = np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    # One sign per direction, then merge directions within ~0.1°.
    flip = (n[:, 0] < -1e-9) | ((np.abs(n[:, 0]) <= 1e-9) & ((n[:, 1] < -1e-9) |
                                                            ((np.abs(n[:, 1]) <= 1e-9) & (n[:, 2] < 0))))
    n[flip] *= -1
    _, first = np.unique(np.round(n * 500).astype(np.int64), axis=0, return_index=True)
    return n[np.sort(first)]


def thickness_bound(vertices_a: np.ndarray, vertices_b: np.ndarray, directions: np.ndarray) -> float:
    """An upper bound of the overlap's thickness: the least overlap of the extents along ``directions``."""
    directions = np.concatenate([_AXES, directions])
    pa, pb = vertices_a @ directions.T, vertices_b @ directions.T
    overlap = np.minimum(pa.max(0), pb.max(0)) - np.maximum(pa.min(0), pb.min(0))
    return float(max(overlap.min(), 0.0))


def meeting_points(ta: np.ndarray, tb: np.ndarray) -> np.ndarray:
    """Points where an edge of a triangle of one set meets a triangle of the other."""
    if not len(ta) or not len(tb):
        return np.zeros((0, 3))
    lo_a, hi_a, lo_b, hi_b = ta.min(1), ta.max(1), tb.min(1), tb.max(1)
    found = []
    rows = max(1, _TRIANGLE_PAIRS_PER_CALL // len(tb))
    for start in range(0, len(ta), rows):
        sl = slice(start, start + rows)
        close = ((np.minimum(hi_a[sl, None], hi_b[None]) - np.maximum(lo_a[sl, None], lo_b[None])) >= -1e-9).all(-1)
        i, j = np.nonzero(close)
        if not len(i):
            continue
        found.append(segment_triangle_hits(ta[sl][i], tb[j]))
    points = np.concatenate(found) if found else np.zeros((0, 3))
    if len(points) > _MAX_MEETING_POINTS:
        points = points[np.linspace(0, len(points) - 1, _MAX_MEETING_POINTS).astype(np.int64)]
    return points


def interiors_cross(inside_a: InsideTest, inside_b: InsideTest, points: np.ndarray, step: float) -> bool:
    """Whether a probe ``step`` away from one of the meeting ``points`` lies inside both solids."""
    if not len(points):
        return False
    probes = (points[:, None, :] + _CORNERS[None] * step).reshape(-1, 3)
    in_a = inside_a(probes)
    return bool(in_a.any() and inside_b(probes[in_a]).any())
