"""Measures taken on the cached tessellation: volume, oriented areas, extents.

The geometry is the one the viewer already holds (:class:`bim.tessellation.InstancedMesh`):
each representation once, placed by rigid 4×4 matrices. What does not depend on
the placement (volume, face areas, closedness) is computed once per
representation and reused by every instance; what does (areas seen from above,
extents along world axes) rotates the representation's precomputed area vectors
instead of re-placing its vertices.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bim.tessellation import InstancedMesh

# Faces count as facing a direction when their normal is within this of it (cos 45°)…
FACING_COS = np.cos(np.radians(45.0))
# …and as upward/downward when their normal has at least this vertical component (ifc5d's tolerance).
VERTICAL_TOLERANCE = 0.01
# Vertices closer than this are one (representations are welded already; this makes sure).
WELD_DECIMALS = 6
# A face is at the base when all its vertices are within this of the lowest point.
BASE_TOLERANCE = 0.001


@dataclass
class RepMeasures:
    """Placement-independent measures of one representation, in its own frame."""

    vertices: np.ndarray  # (n,3)
    triangles: np.ndarray  # (m,3), indices into welded vertices
    area_vectors: np.ndarray  # (m,3): half the cross product, normal × area
    volume: float  # signed-tetrahedra volume (exact for a closed, consistently oriented mesh)
    open_edges: int  # edges not matched by an opposite edge: 0 for a closed solid

    @staticmethod
    def of(vertices: np.ndarray, triangles: np.ndarray) -> "RepMeasures":
        vertices = np.asarray(vertices, np.float64)
        if len(vertices):
            _, first, inverse = np.unique(np.round(vertices, WELD_DECIMALS), axis=0, return_index=True,
                                          return_inverse=True)
            welded = first[inverse.reshape(-1)][triangles] if len(triangles) else triangles
        else:
            welded = triangles
        a, b, c = (vertices[welded[:, i]] for i in range(3))
        cross = np.cross(b - a, c - a)
        volume = float(np.einsum("ij,ij->", a, np.cross(b, c)) / 6.0)
        return RepMeasures(vertices, welded, cross / 2.0, volume, _open_edges(welded, len(vertices)))

    @property
    def closed(self) -> bool:
        return self.open_edges == 0 and len(self.triangles) > 0


def _open_edges(triangles: np.ndarray, vertex_count: int) -> int:
    """Edges of a triangle soup not cancelled by the same edge run the other way.

    A closed, consistently oriented surface uses every edge once in each
    direction (twice when two solids touch along it); anything left is a hole
    or a flipped face, and the signed volume is then not the solid's.
    """
    if not len(triangles):
        return 0
    starts = triangles.reshape(-1)
    ends = np.roll(triangles, -1, axis=1).reshape(-1)
    low, high = np.minimum(starts, ends), np.maximum(starts, ends)
    keys = low.astype(np.int64) * (vertex_count + 1) + high
    signs = np.where(starts < ends, 1, -1)
    degenerate = starts == ends
    unique, inverse = np.unique(keys[~degenerate], return_inverse=True)
    balance = np.zeros(len(unique), np.int64)
    np.add.at(balance, inverse, signs[~degenerate])
    return int(np.abs(balance).sum())


@dataclass
class Placed:
    """One instance: a representation's measures and its rigid placement."""

    rep: RepMeasures
    rotation: np.ndarray  # (3,3)
    translation: np.ndarray  # (3,)

    @cached_property
    def cofactor(self) -> np.ndarray:
        """How area vectors transform: the rotation itself when rigid, det·R⁻ᵀ if a mapping scales."""
        det = float(np.linalg.det(self.rotation))
        return self.rotation if abs(det - 1.0) < 1e-9 else det * np.linalg.inv(self.rotation).T


class ElementGeometry:
    """The instances of one element, measured in model coordinates (metres)."""

    def __init__(self, placed: list[Placed]):
        self.placed = placed

    @property
    def triangle_count(self) -> int:
        return sum(len(p.rep.triangles) for p in self.placed)

    @property
    def open_edges(self) -> int:
        return sum(p.rep.open_edges for p in self.placed)

    @property
    def volume(self) -> float:
        """Enclosed volume: rigid placements keep it, so it is the representations' (det = ±1 handled)."""
        return abs(sum(p.rep.volume * float(np.linalg.det(p.rotation)) for p in self.placed))

    @cached_property
    def _world_area_vectors(self) -> np.ndarray:
        return np.concatenate([p.rep.area_vectors @ p.cofactor.T for p in self.placed]) if self.placed \
            else np.zeros((0, 3))

    @cached_property
    def _world_vertices_z(self) -> list[np.ndarray]:
        return [p.rep.vertices @ p.rotation[2] + p.translation[2] for p in self.placed]

    @property
    def total_area(self) -> float:
        return float(np.linalg.norm(self._world_area_vectors, axis=1).sum())

    def extent(self, direction) -> float:
        """Length of the geometry's shadow on a world direction (its extent along it)."""
        d = np.asarray(direction, np.float64)
        d = d / np.linalg.norm(d)
        lo, hi = np.inf, -np.inf
        for p in self.placed:
            if not len(p.rep.vertices):
                continue
            along = p.rep.vertices @ (p.rotation.T @ d) + float(p.translation @ d)
            lo, hi = min(lo, float(along.min())), max(hi, float(along.max()))
        return hi - lo if hi >= lo else 0.0

    def local_axis(self, index: int) -> np.ndarray:
        """World direction of the first instance's local axis ``index`` (0 = X, 1 = Y, 2 = Z)."""
        return self.placed[0].rotation[:, index].copy()

    def local_extents(self) -> np.ndarray:
        """Extents along the first instance's local X, Y and Z."""
        return np.array([self.extent(self.local_axis(i)) for i in range(3)])

    def facing_area(self, direction, cos_min: float = FACING_COS) -> float:
        """Area of the faces whose normal is within ``acos(cos_min)`` of ``direction``."""
        d = np.asarray(direction, np.float64)
        d = d / np.linalg.norm(d)
        vectors = self._world_area_vectors
        areas = np.linalg.norm(vectors, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cosines = np.where(areas > 0, (vectors @ d) / areas, 0.0)
        return float(areas[cosines > cos_min].sum())

    def area_except_along(self, axis, cos_min: float = np.cos(np.radians(10.0))) -> float:
        """Total area less the faces (nearly) perpendicular to ``axis``: a bar's area without its ends."""
        d = np.asarray(axis, np.float64)
        d = d / np.linalg.norm(d)
        vectors = self._world_area_vectors
        areas = np.linalg.norm(vectors, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            cosines = np.where(areas > 0, np.abs(vectors @ d) / areas, 0.0)
        return float(areas[cosines <= cos_min].sum())

    @property
    def upward_projected_area(self) -> float:
        """Area seen from above: the horizontal projection of every upward-facing face."""
        vectors = self._world_area_vectors
        areas = np.linalg.norm(vectors, axis=1)
        up = vectors[:, 2] > VERTICAL_TOLERANCE * areas
        return float(vectors[up, 2].sum())

    @property
    def upward_area(self) -> float:
        """True (not projected) area of the upward-facing faces: a sloped roof's top surface."""
        vectors = self._world_area_vectors
        areas = np.linalg.norm(vectors, axis=1)
        return float(areas[vectors[:, 2] > VERTICAL_TOLERANCE * areas].sum())

    @property
    def base_area(self) -> float:
        """Horizontal projection of the downward faces lying at the element's lowest level."""
        zs = self._world_vertices_z
        if not any(len(z) for z in zs):
            return 0.0
        bottom = min(float(z.min()) for z in zs if len(z))
        total = 0.0
        for p, z in zip(self.placed, zs):
            vectors = p.rep.area_vectors @ p.cofactor.T
            areas = np.linalg.norm(vectors, axis=1)
            down = vectors[:, 2] < -VERTICAL_TOLERANCE * areas
            at_base = (z[p.rep.triangles] <= bottom + BASE_TOLERANCE).all(axis=1)
            total += float(-vectors[down & at_base, 2].sum())
        return total

    @property
    def upward_outline_length(self) -> float:
        """Length of the outline of the upward faces seen from above (outer edge and holes)."""
        total = 0.0
        for p in self.placed:
            vectors = p.rep.area_vectors @ p.cofactor.T
            areas = np.linalg.norm(vectors, axis=1)
            tris = p.rep.triangles[vectors[:, 2] > VERTICAL_TOLERANCE * areas]
            if not len(tris):
                continue
            edges = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), axis=1)
            unique, counts = np.unique(edges, axis=0, return_counts=True)
            border = unique[counts == 1]
            placed_xy = p.rep.vertices @ p.rotation[:2].T
            total += float(np.linalg.norm(placed_xy[border[:, 0]] - placed_xy[border[:, 1]], axis=1).sum())
        return total


class MeshMeasurer:
    """Measures of the elements of one model's cached mesh, each representation measured once."""

    def __init__(self, mesh: InstancedMesh):
        self.mesh = mesh
        self._reps: dict[int, RepMeasures] = {}
        order = np.argsort(mesh.instance_element, kind="stable")
        elements = mesh.instance_element[order]
        self._instances: dict[int, np.ndarray] = {}
        if len(elements):
            cuts = np.flatnonzero(np.diff(elements)) + 1
            for group in np.split(order, cuts):
                self._instances[int(mesh.instance_element[group[0]])] = group
        self.failures = {f.global_id: f.reason for f in mesh.failures}

    def rep(self, index: int) -> RepMeasures:
        """The measures of representation ``index`` (computed on first use)."""
        found = self._reps.get(index)
        if found is None:
            m = self.mesh
            v0, v1 = m.rep_vertex_offsets[index], m.rep_vertex_offsets[index + 1]
            t0, t1 = m.rep_triangle_offsets[index], m.rep_triangle_offsets[index + 1]
            found = RepMeasures.of(m.rep_vertices[v0:v1], m.rep_triangles[t0:t1].astype(np.int64))
            self._reps[index] = found
        return found

    def has_geometry(self, element_index: int) -> bool:
        return element_index in self._instances

    def element(self, element_index: int) -> ElementGeometry | None:
        """The placed geometry of element ``element_index`` (index in the model's element table)."""
        instances = self._instances.get(element_index)
        if instances is None:
            return None
        placed = []
        for i in instances:
            matrix = self.mesh.instance_matrix[i]
            placed.append(Placed(self.rep(int(self.mesh.instance_rep[i])), matrix[:3, :3], matrix[:3, 3]))
        return ElementGeometry(placed)
