"""The shortest distance between two elements, for clearance tests.

Exact on the triangles: the distance between two triangle sets is the smallest
distance between two of their triangles (zero where they cross), taken only
over pairs whose bounding boxes are closer than the clearance. Solids count, not
only surfaces: an element inside another is at distance 0 even though their
surfaces are apart ("intersections included").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from checks.clash.element_geometry import ElementMesh
from checks.clash.mesh_queries import inside_mask
from checks.clash.triangle_pairs import triangle_pair_distance

# Triangle pairs examined per numpy call: bounds memory.
_PAIRS_PER_CALL = 40_000


@dataclass(frozen=True)
class Gap:
    """The distance between two elements (metres), a closest point on each and their midpoint."""

    distance: float
    point_a: tuple[float, float, float]
    point_b: tuple[float, float, float]

    @property
    def point(self) -> tuple[float, float, float]:
        return tuple((a + b) / 2.0 for a, b in zip(self.point_a, self.point_b))


def _triple(p: np.ndarray) -> tuple[float, float, float]:
    return (float(p[0]), float(p[1]), float(p[2]))


def gap(a: ElementMesh, b: ElementMesh, box_a: tuple[np.ndarray, np.ndarray], box_b: tuple[np.ndarray, np.ndarray],
        limit: float) -> Gap | None:
    """The distance between ``a`` and ``b`` if it is below ``limit``, else None."""
    centre = (np.maximum(box_a[0], box_b[0]) + np.minimum(box_a[1], box_b[1])) / 2.0
    # Only a triangle within `limit` of the other element's box can be within `limit` of the element.
    near_a_mask = ((a.triangle_hi >= box_b[0] - limit) & (a.triangle_lo <= box_b[1] + limit)).all(axis=1)
    near_b_mask = ((b.triangle_hi >= box_a[0] - limit) & (b.triangle_lo <= box_a[1] + limit)).all(axis=1)
    ta, tb = a.triangles[near_a_mask] - centre, b.triangles[near_b_mask] - centre
    best: Gap | None = None
    if len(ta) and len(tb):
        lo_a, hi_a = ta.min(axis=1), ta.max(axis=1)
        lo_b, hi_b = tb.min(axis=1), tb.max(axis=1)
        rows = max(1, _PAIRS_PER_CALL // len(tb))
        for start in range(0, len(ta), rows):
            sl = slice(start, start + rows)
            close = ((np.minimum(hi_a[sl, None], hi_b[None]) - np.maximum(lo_a[sl, None], lo_b[None])) > -limit).all(-1)
            i, j = np.nonzero(close)
            if not len(i):
                continue
            distance, pa, pb = triangle_pair_distance(ta[sl][i], tb[j])
            k = int(np.argmin(distance))
            if distance[k] < limit and (best is None or distance[k] < best.distance):
                best = Gap(float(distance[k]), _triple(pa[k] + centre), _triple(pb[k] + centre))
                if best.distance == 0.0:
                    return best
    # Surfaces apart: still at distance 0 if one solid holds the other.
    for inner, outer in ((a, b), (b, a)):
        if not len(inner.triangles) or not len(outer.triangles):
            continue
        probe = inner.triangles[0, 0][None]
        if inside_mask(probe - centre, outer.triangles - centre, outer.closed)[0]:
            p = _triple(probe[0])
            return Gap(0.0, p, p)
    return best
