"""How deep two solids interpenetrate: the thickness of their overlap.

**Measure.** The depth of a hard clash is the diameter of the largest ball that
fits inside both elements at once (inside their overlap A∩B). It is what a
coordinator means by "the duct is 20 cm into the beam": for an overlap that is a
box, the ball's diameter is the box's smallest side (duct 400x300 into a beam by
0.20 m: 0.20; a Ø63 pipe through a partition: 0.063; a 10 cm tray through a
column: 0.10). It depends on no axis and no orientation, so a rotated model gives
the same depth. Touching solids — coplanar faces, a column in the corner of an
L-shaped wall, a door in the notch of its opening — have an overlap with no
interior, so their depth is exactly 0 and they are never a hard clash. A thin
element through a thick one has the thin element's thickness: a 5 mm plate across
a wall is 5 mm deep (lower the tolerance to see such plates), and a steel I-beam
bearing 100 mm into a wall is as deep as its flange is thick (12–16 mm for an
HEB220), where ifcclash reports how far its deepest vertex went (100 mm). In
return, slivers never pass for clashes: an edge running 47 mm along a 0.1 mm
overlap is 0.1 mm deep here, a 47 mm "piercing" for ifcclash.

**Computation.** With ``sd_X(p)`` the signed distance from ``p`` to the surface of
X (positive inside), the radius of the largest ball centred at ``p`` inside both
is ``f(p) = min(sd_A(p), sd_B(p))``; the depth is ``2·max f``. ``f`` changes no
faster than the distance moved (it is 1-Lipschitz), so over a box of cells
``f(centre) + half-diagonal`` bounds ``f`` from above, and a best-first branch and
bound on the overlap of the bounding boxes proves that the maximum is below the
tolerance, or finds a point above it, from exact point–triangle distances and
ray-parity inside tests. Once a clash is certain, a few hundred more points
refine the depth (it is then exact for boxes and cylinders, within a few
millimetres otherwise; what is reported is always a depth actually reached, never
more). Before any of this, cheap exact bounds settle most pairs
(:mod:`checks.clash.overlap_bounds`). The ball's centre, the deepest point of the
overlap, is the clash point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from checks.clash.element_geometry import ElementMesh
from checks.clash.mesh_queries import InsideTest, TriangleDistance
from checks.clash.overlap_bounds import face_normals, interiors_cross, meeting_points, thickness_bound

# Cells split per round: enough work per numpy call, few wasted evaluations.
_CELLS_PER_ROUND = 48
# Points tried when the surfaces only touch: enough to find an element held inside the other
# (or a duplicate), which the meeting points cannot show.
_CONTAINMENT_BUDGET = 128
# Points tried to improve the depth once the clash is certain: the deepest point is
# then known to within a few millimetres, and proving the last fraction of one
# costs thousands of points where the deepest points form a sheet (a box's mid-plane).
_REFINE_BUDGET = 256
# Distance of the probes from the meeting points of the surfaces.
_PROBE_STEP = 2e-4


@dataclass(frozen=True)
class Penetration:
    """A hard clash's depth (metres) and the deepest point of the overlap (model coordinates)."""

    depth: float
    point: tuple[float, float, float]


def penetration(a: ElementMesh, b: ElementMesh, lo: np.ndarray, hi: np.ndarray, tolerance: float, *,
                precision: float = 0.0005, budget: int = 3000) -> Penetration | None:
    """The overlap depth of ``a`` and ``b`` if it exceeds ``tolerance``, else None.

    ``lo``–``hi`` is the overlap of their bounding boxes (the overlap A∩B lies in
    it). The depth returned is one actually reached (never more than the true
    depth), within ``2·precision`` of it unless the refinement budget ran out.
    """
    centre = (lo + hi) / 2.0
    half = (hi - lo) / 2.0
    target = tolerance / 2.0
    if float(half.min()) <= target:
        return None
    near_a = a.near(lo, hi) - centre
    near_b = b.near(lo, hi) - centre
    all_a, all_b = a.triangles - centre, b.triangles - centre
    # No ball wider than the overlap's thinnest extent fits in it, along the axes or any face normal.
    directions = np.concatenate([face_normals(near_a), face_normals(near_b)])
    radius_cap = min(float(half.min()), thickness_bound(all_a.reshape(-1, 3), all_b.reshape(-1, 3), directions) / 2.0)
    if radius_cap <= target:
        return None
    inside_a, inside_b = InsideTest(all_a, a.closed), InsideTest(all_b, b.closed)
    if not interiors_cross(inside_a, inside_b, meeting_points(near_a, near_b), _PROBE_STEP):
        budget = min(budget, _CONTAINMENT_BUDGET)
    # Distances are capped at the largest possible radius: a nearer triangle, if any,
    # meets the box grown by that radius, so `near_*` below hold every one that matters.
    near_a = a.near(lo - radius_cap, hi + radius_cap) - centre
    near_b = b.near(lo - radius_cap, hi + radius_cap) - centre

    distance_a, distance_b = TriangleDistance(near_a), TriangleDistance(near_b)

    def evaluate(points: np.ndarray) -> np.ndarray:
        sd_a = distance_a(points, radius_cap)
        sd_a = np.where(inside_a(points), sd_a, -sd_a)
        result = sd_a.copy()
        in_a = sd_a > 0  # outside A, f is already negative: B changes nothing that matters
        if in_a.any():
            p = points[in_a]
            sd_b = distance_b(p, radius_cap)
            sd_b = np.where(inside_b(p), sd_b, -sd_b)
            result[in_a] = np.minimum(sd_a[in_a], sd_b)
        return result

    cell_lo, cell_hi = (-half)[None], half[None]
    values = evaluate(np.zeros((1, 3)))
    best, best_point = float(values[0]), np.zeros(3)
    evaluated = 1
    if best > target:
        budget = min(budget, evaluated + _REFINE_BUDGET)
    while True:
        bounds = np.minimum(values + np.linalg.norm(cell_hi - cell_lo, axis=1) / 2.0, radius_cap)
        alive = bounds > max(best + precision, target)
        cell_lo, cell_hi, values, bounds = cell_lo[alive], cell_hi[alive], values[alive], bounds[alive]
        if not len(values) or evaluated >= budget:
            break
        count = min(_CELLS_PER_ROUND, len(values))
        picked = np.argpartition(-bounds, count - 1)[:count] if count < len(values) else np.arange(len(values))
        rest = np.ones(len(values), bool)
        rest[picked] = False
        lo_p, hi_p = cell_lo[picked], cell_hi[picked]
        axis = np.argmax(hi_p - lo_p, axis=1)
        rows = np.arange(count)
        middle = (lo_p[rows, axis] + hi_p[rows, axis]) / 2.0
        lo_second, hi_first = lo_p.copy(), hi_p.copy()
        hi_first[rows, axis] = middle
        lo_second[rows, axis] = middle
        new_lo = np.concatenate([lo_p, lo_second])
        new_hi = np.concatenate([hi_first, hi_p])
        centres = (new_lo + new_hi) / 2.0
        new_values = evaluate(centres)
        evaluated += len(centres)
        top = int(np.argmax(new_values))
        if new_values[top] > best:
            if best <= target < new_values[top]:
                budget = min(budget, evaluated + _REFINE_BUDGET)
            best, best_point = float(new_values[top]), centres[top]
        cell_lo = np.concatenate([cell_lo[rest], new_lo])
        cell_hi = np.concatenate([cell_hi[rest], new_hi])
        values = np.concatenate([values[rest], new_values])
    if best <= target:
        return None
    point = best_point + centre
    return Penetration(2.0 * best, (float(point[0]), float(point[1]), float(point[2])))
