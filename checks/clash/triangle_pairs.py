"""Triangles against triangles, pair by pair (row i of one array with row i of the other), in numpy.

* :func:`triangle_pair_distance` — the distance between two triangles, zero when
  they intersect, with a closest point on each (clearance tests);
* :func:`segment_triangle_hits` — where the edges of one triangle meet the other
  (the meeting points of two surfaces).

Coordinates are float64, moved near the origin by the caller.
"""

from __future__ import annotations

import numpy as np


def _dot(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", u, v)


def _point_triangle_rows(p, a, b, c):
    """Squared distance and closest point from p[i] to triangle (a[i], b[i], c[i]) (Ericson's regions)."""
    ab, ac, ap = b - a, c - a, p - a
    d1, d2 = _dot(ab, ap), _dot(ac, ap)
    bp = p - b
    d3, d4 = _dot(ab, bp), _dot(ac, bp)
    cp = p - c
    d5, d6 = _dot(ab, cp), _dot(ac, cp)
    va = d3 * d6 - d5 * d4
    vb = d5 * d2 - d1 * d6
    vc = d1 * d4 - d3 * d2
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = va + vb + vc
        v_in = np.where(denom != 0, vb / denom, 0.0)
        w_in = np.where(denom != 0, vc / denom, 0.0)
        q = a + ab * v_in[:, None] + ac * w_in[:, None]
        # Edge regions, then vertex regions, overriding the face answer where they apply.
        t_bc = np.where((d4 - d3) + (d5 - d6) != 0, (d4 - d3) / ((d4 - d3) + (d5 - d6)), 0.0)
        q = np.where(((va <= 0) & (d4 - d3 >= 0) & (d5 - d6 >= 0))[:, None], b + (c - b) * t_bc[:, None], q)
        t_ac = np.where(d2 - d6 != 0, d2 / (d2 - d6), 0.0)
        q = np.where(((vb <= 0) & (d2 >= 0) & (d6 <= 0))[:, None], a + ac * t_ac[:, None], q)
        t_ab = np.where(d1 - d3 != 0, d1 / (d1 - d3), 0.0)
        q = np.where(((vc <= 0) & (d1 >= 0) & (d3 <= 0))[:, None], a + ab * t_ab[:, None], q)
    q = np.where(((d6 >= 0) & (d5 <= d6))[:, None], c, q)
    q = np.where(((d3 >= 0) & (d4 <= d3))[:, None], b, q)
    q = np.where(((d1 <= 0) & (d2 <= 0))[:, None], a, q)
    diff = p - q
    return _dot(diff, diff), q


def _segment_segment_rows(p1, q1, p2, q2):
    """Squared distance and closest points between segments p1q1[i] and p2q2[i] (Ericson, 5.1.9)."""
    d1, d2, r = q1 - p1, q2 - p2, p1 - p2
    a, e, f = _dot(d1, d1), _dot(d2, d2), _dot(d2, r)
    c, b = _dot(d1, r), _dot(d1, d2)
    tiny = 1e-24
    a_small, e_small = a <= tiny, e <= tiny
    safe_a, safe_e = np.where(a_small, 1.0, a), np.where(e_small, 1.0, e)
    denom = a * e - b * b
    # Parallel segments (denominator ~0): any s works; Ericson takes s = 0 and clamps t.
    general = denom > 1e-12 * a * e
    s = np.where(general, np.clip((b * f - c * e) / np.where(general, denom, 1.0), 0, 1), 0.0)
    t = (b * s + f) / safe_e
    s = np.where(t < 0, np.clip(-c / safe_a, 0, 1), np.where(t > 1, np.clip((b - c) / safe_a, 0, 1), s))
    t = np.clip(t, 0, 1)
    # Segments reduced to points.
    s = np.where(e_small, np.clip(-c / safe_a, 0, 1), s)
    t = np.where(e_small, 0.0, t)
    s = np.where(a_small, 0.0, s)
    t = np.where(a_small, np.where(e_small, 0.0, np.clip(f / safe_e, 0, 1)), t)
    c1 = p1 + d1 * s[:, None]
    c2 = p2 + d2 * t[:, None]
    diff = c1 - c2
    return _dot(diff, diff), c1, c2


def _segment_crosses_triangle(p, q, a, b, c):
    """Whether segment pq[i] meets triangle abc[i] (Möller–Trumbore), and where."""
    d = q - p
    e1, e2 = b - a, c - a
    h = np.cross(d, e2)
    det = _dot(e1, h)
    ok = np.abs(det) > 1e-14
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    s = p - a
    u = _dot(s, h) * inv
    qv = np.cross(s, e1)
    v = _dot(d, qv) * inv
    t = _dot(e2, qv) * inv
    hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t >= 0) & (t <= 1)
    return hit, p + d * t[:, None]


def triangle_pair_distance(ta: np.ndarray, tb: np.ndarray):
    """Distance between triangles ta[i] and tb[i] (m,3,3), with a closest point on each.

    Zero where they intersect. The distance between two triangles is reached at a
    vertex of one against the other, or between two edges, unless they cross, which
    an edge of one meeting the other detects.
    """
    m = len(ta)
    best = np.full(m, np.inf)
    pa = np.zeros((m, 3))
    pb = np.zeros((m, 3))
    for k in range(3):
        d2, q = _point_triangle_rows(ta[:, k], tb[:, 0], tb[:, 1], tb[:, 2])
        better = d2 < best
        best = np.where(better, d2, best)
        pa = np.where(better[:, None], ta[:, k], pa)
        pb = np.where(better[:, None], q, pb)
        d2, q = _point_triangle_rows(tb[:, k], ta[:, 0], ta[:, 1], ta[:, 2])
        better = d2 < best
        best = np.where(better, d2, best)
        pa = np.where(better[:, None], q, pa)
        pb = np.where(better[:, None], tb[:, k], pb)
    for i in range(3):
        for j in range(3):
            d2, c1, c2 = _segment_segment_rows(ta[:, i], ta[:, (i + 1) % 3], tb[:, j], tb[:, (j + 1) % 3])
            better = d2 < best
            best = np.where(better, d2, best)
            pa = np.where(better[:, None], c1, pa)
            pb = np.where(better[:, None], c2, pb)
    for k in range(3):
        for first, second, into_a in ((ta, tb, False), (tb, ta, True)):
            hit, point = _segment_crosses_triangle(first[:, k], first[:, (k + 1) % 3], second[:, 0], second[:, 1],
                                                   second[:, 2])
            best = np.where(hit, 0.0, best)
            pa = np.where(hit[:, None], point, pa)
            pb = np.where(hit[:, None], point, pb)
    return np.sqrt(np.maximum(best, 0.0)), pa, pb


def segment_triangle_hits(ta: np.ndarray, tb: np.ndarray) -> np.ndarray:
    """Every point where an edge of ta[i] meets tb[i] or an edge of tb[i] meets ta[i] (coplanar pairs: none)."""
    hits = []
    for k in range(3):
        for first, second in ((ta, tb), (tb, ta)):
            hit, point = _segment_crosses_triangle(first[:, k], first[:, (k + 1) % 3], second[:, 0], second[:, 1],
                                                   second[:, 2])
            hits.append(point[hit])
    return np.concatenate(hits) if hits else np.zeros((0, 3))
