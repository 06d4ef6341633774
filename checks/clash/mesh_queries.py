"""Exact geometric queries on triangle soups, vectorised with numpy.

Everything here works on float64 coordinates that the caller has already moved
near the origin (subtracting the centre of the region being examined): the
products below expand |p - a|² into dot products, which would lose millimetres
to cancellation at Lambert-93 coordinates (hundreds of kilometres).

* :class:`TriangleDistance` — each point's distance to the nearest triangle.
* :class:`InsideTest` — whether points lie inside a closed mesh, by the parity of
  crossings of a ray in a fixed, deliberately non-axis direction (BIM geometry is
  full of axis-aligned edges and faces, where an axis ray would graze edges).
  Parity needs no consistent face orientation, which IFC exports do not always
  have (a tenth of Duplex's closed representations mix orientations).

Each class computes its per-triangle terms once, since the same triangles are
queried with many batches of points.
"""

from __future__ import annotations

import numpy as np

# Entries of an (points × triangles) block computed at once: bounds memory to a few MB.
_BLOCK = 120_000
_DEGENERATE_AREA2 = 1e-18

# Generic ray directions (not parallel to any axis or axis plane, nor to common 45° faces).
_RAYS = np.array([[0.5773, 0.3061, 0.7570], [-0.2848, 0.8921, 0.3507], [0.6619, -0.4453, -0.6030]])
_RAYS /= np.linalg.norm(_RAYS, axis=1, keepdims=True)


def triangle_areas2(triangles: np.ndarray) -> np.ndarray:
    """Twice each triangle's area (the norm of the edge cross product)."""
    return np.linalg.norm(np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0]), axis=1)


def drop_degenerate(triangles: np.ndarray) -> np.ndarray:
    """The triangles with a non-zero area (slivers have no normal and cross nothing)."""
    return triangles[triangle_areas2(triangles) > _DEGENERATE_AREA2] if len(triangles) else triangles


class TriangleDistance:
    """Distance from points to the nearest of some triangles (t,3,3), with the per-triangle terms computed once.

    The nearest point of a triangle is either the projection on its plane (when
    it falls inside) or a point of one of its three edges; both come out of
    matrix products over all point × triangle pairs.
    """

    def __init__(self, triangles: np.ndarray):
        self.count = len(triangles)
        if not self.count:
            return
        a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
        ab, ac = b - a, c - a
        normal = np.cross(ab, ac)
        norm = np.linalg.norm(normal, axis=1)
        unit = normal / np.where(norm > 0, norm, 1.0)[:, None]
        d00, d01, d11 = (ab * ab).sum(1), (ab * ac).sum(1), (ac * ac).sum(1)
        denom = d00 * d11 - d01 * d01
        self.flat = denom <= 1e-30
        self.denom = np.where(self.flat, 1.0, denom)
        self.d00, self.d01, self.d11 = d00, d01, d11
        self.dbc = d00 + d11 - 2 * d01
        self.safe_d00, self.safe_d11 = np.where(d00 > 0, d00, 1.0), np.where(d11 > 0, d11, 1.0)
        self.safe_dbc = np.where(self.dbc > 0, self.dbc, 1.0)
        # Every dot product with p is one matrix product against these columns.
        self.columns = np.concatenate([ab, ac, unit, a], axis=0).T  # (3, 4t)
        self.offsets = np.concatenate([(a * ab).sum(1), (a * ac).sum(1), (a * unit).sum(1)])
        self.a_a = (a * a).sum(1)

    def __call__(self, points: np.ndarray, cap: float = np.inf) -> np.ndarray:
        n, t = len(points), self.count
        best = np.full(n, cap * cap if np.isfinite(cap) else np.inf)
        if not t or not n:
            return np.sqrt(best)
        step = max(1, _BLOCK // t)
        for start in range(0, n, step):
            p = points[start:start + step]
            products = p @ self.columns
            d20 = products[:, :t] - self.offsets[:t]  # (p - a)·ab
            d21 = products[:, t:2 * t] - self.offsets[t:2 * t]  # (p - a)·ac
            dn = products[:, 2 * t:3 * t] - self.offsets[2 * t:]  # signed distance to the plane
            apap = np.maximum((p * p).sum(1)[:, None] - 2 * products[:, 3 * t:] + self.a_a, 0.0)  # |p - a|²
            v = (self.d11 * d20 - self.d01 * d21) / self.denom
            w = (self.d00 * d21 - self.d01 * d20) / self.denom
            inside = (v >= 0) & (w >= 0) & (v + w <= 1) & ~self.flat
            s = np.clip(d20 / self.safe_d00, 0, 1)
            dist2 = apap - 2 * s * d20 + s * s * self.d00
            s = np.clip(d21 / self.safe_d11, 0, 1)
            np.minimum(dist2, apap - 2 * s * d21 + s * s * self.d11, out=dist2)
            bp_bc = d21 - d20 - self.d01 + self.d00  # (p - b)·(c - b)
            s = np.clip(bp_bc / self.safe_dbc, 0, 1)
            np.minimum(dist2, apap - 2 * d20 + self.d00 - 2 * s * bp_bc + s * s * self.dbc, out=dist2)
            dist2 = np.where(inside, dn * dn, dist2)
            best[start:start + step] = np.minimum(best[start:start + step], np.maximum(dist2, 0.0).min(1))
        return np.sqrt(best)


def distance_to_triangles(points: np.ndarray, triangles: np.ndarray, cap: float = np.inf) -> np.ndarray:
    """Distance from each point (n,3) to the nearest of ``triangles`` (t,3,3), at most ``cap``."""
    return TriangleDistance(triangles)(points, cap)


class _RayCrossings:
    """Crossings of rays cast along one direction with some triangles, per-triangle terms computed once."""

    def __init__(self, triangles: np.ndarray, ray: np.ndarray):
        # A frame whose third axis is the ray: the test becomes 2D point-in-triangle plus a depth comparison.
        e1 = np.cross(ray, [0.0, 0.0, 1.0] if abs(ray[2]) < 0.9 else [1.0, 0.0, 0.0])
        e1 /= np.linalg.norm(e1)
        self.frame = np.stack([e1, np.cross(ray, e1), ray], axis=1)
        tri = triangles @ self.frame  # (t,3,3): x, y across the ray, z along it
        x, y, self.z = tri[:, :, 0], tri[:, :, 1], tri[:, :, 2]
        self.lo_x, self.hi_x, self.lo_y, self.hi_y = x.min(1), x.max(1), y.min(1), y.max(1)
        # Edge functions w_k(p) = cross2(v_{k+1} - v_k, p - v_k) are linear in p: one coefficient row each.
        self.coeffs = []
        for k in range(3):
            k1 = (k + 1) % 3
            dx, dy = x[:, k1] - x[:, k], y[:, k1] - y[:, k]
            self.coeffs.append((-dy, dx, dy * x[:, k] - dx * y[:, k]))
        self.count = len(triangles)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        q = points @ self.frame
        count = np.zeros(len(points), np.int64)
        step = max(1, _BLOCK // max(1, self.count))
        z = self.z
        for start in range(0, len(points), step):
            qx, qy, qz = (q[start:start + step, i][:, None] for i in range(3))
            near = (qx >= self.lo_x) & (qx <= self.hi_x) & (qy >= self.lo_y) & (qy <= self.hi_y)
            rows, cols = np.nonzero(near)
            if not len(rows):
                continue
            px, py, pz = qx[rows, 0], qy[rows, 0], qz[rows, 0]
            w = [cx[cols] * px + cy[cols] * py + c0[cols] for (cx, cy, c0) in self.coeffs]
            total = w[0] + w[1] + w[2]
            same = ((w[0] > 0) & (w[1] > 0) & (w[2] > 0)) | ((w[0] < 0) & (w[1] < 0) & (w[2] < 0))
            safe = np.where(total != 0, total, 1.0)
            # Barycentric weight of a vertex is the edge function of the edge opposite it.
            depth = (w[1] * z[cols, 0] + w[2] * z[cols, 1] + w[0] * z[cols, 2]) / safe
            hit = same & (total != 0) & (depth > pz)
            count[start:start + step] += np.bincount(rows[hit], minlength=len(qx))
        return count


class InsideTest:
    """Whether points lie inside the solid bounded by some triangles.

    A closed mesh needs one ray; a mesh with holes gets the majority of three, so
    that a ray escaping through a small gap does not decide alone.
    """

    def __init__(self, triangles: np.ndarray, closed: bool = True):
        rays = _RAYS[:1] if closed else _RAYS
        self.rays = [_RayCrossings(triangles, ray) for ray in rays] if len(triangles) else []

    def __call__(self, points: np.ndarray) -> np.ndarray:
        if not self.rays or not len(points):
            return np.zeros(len(points), bool)
        votes = sum((crossings(points) % 2 == 1).astype(np.int64) for crossings in self.rays)
        return votes * 2 > len(self.rays)


def inside_mask(points: np.ndarray, triangles: np.ndarray, closed: bool = True) -> np.ndarray:
    """Whether each point lies inside the solid bounded by ``triangles`` (see :class:`InsideTest`)."""
    return InsideTest(triangles, closed)(points)
