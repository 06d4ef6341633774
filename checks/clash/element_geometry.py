"""Per-element geometry for clash detection, taken from a loaded model's instanced mesh.

Clash detection never tessellates: it places the representations that loading
(or the geometry cache) already produced. Coordinates stay float64 and in model
coordinates, so Lambert-93 sites keep sub-millimetre precision; queries move
them near zero themselves (see :mod:`checks.clash.mesh_queries`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bim.tessellation import InstancedMesh
from checks.clash.mesh_queries import drop_degenerate


@dataclass(eq=False)
class ElementMesh:
    """One element's triangles in model coordinates, with what queries need about them."""

    triangles: np.ndarray  # (T,3,3) float64

    @cached_property
    def triangle_lo(self) -> np.ndarray:
        return self.triangles.min(axis=1)

    @cached_property
    def triangle_hi(self) -> np.ndarray:
        return self.triangles.max(axis=1)

    @cached_property
    def closed(self) -> bool:
        """Whether every edge is shared by an even number of triangles (a watertight surface).

        Vertices are welded at 0.01 mm first: representations often repeat a
        vertex per face, and an unwelded cube would look like six loose squares.
        """
        if not len(self.triangles):
            return False
        keys = np.round(self.triangles.reshape(-1, 3) * 1e5).astype(np.int64)
        _, ids = np.unique(keys, axis=0, return_inverse=True)
        tri = ids.reshape(-1, 3)
        edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
        edges = edges[edges[:, 0] != edges[:, 1]]
        _, counts = np.unique(edges, axis=0, return_counts=True)
        return bool((counts % 2 == 0).all())

    def near(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The triangles whose bounding box meets the box ``lo``–``hi``."""
        keep = ((self.triangle_hi >= lo) & (self.triangle_lo <= hi)).all(axis=1)
        return self.triangles[keep]


class ModelGeometry:
    """Bounding boxes of every element of one model, and its triangles on demand."""

    def __init__(self, mesh: InstancedMesh, element_count: int):
        self.mesh = mesh
        self.lo = np.full((element_count, 3), np.inf)
        self.hi = np.full((element_count, 3), -np.inf)
        self._instances: dict[int, list[int]] = {}
        for i, element in enumerate(mesh.instance_element.tolist()):
            self._instances.setdefault(element, []).append(i)
        self._meshes: dict[int, ElementMesh] = {}
        self._compute_bounds()

    def _placed(self, rep: int, matrices: np.ndarray) -> np.ndarray:
        """The representation's vertices placed by each matrix: (instances, vertices, 3)."""
        m = self.mesh
        vertices = m.rep_vertices[m.rep_vertex_offsets[rep]:m.rep_vertex_offsets[rep + 1]]
        return np.einsum("kij,vj->kvi", matrices[:, :3, :3], vertices) + matrices[:, None, :3, 3]

    def _compute_bounds(self) -> None:
        m = self.mesh
        if not len(m.instance_rep):
            return
        # Grouped by representation so that shared geometry (furniture, windows) is one einsum.
        order = np.argsort(m.instance_rep, kind="stable")
        reps, starts = np.unique(m.instance_rep[order], return_index=True)
        for rep, group in zip(reps.tolist(), np.split(order, starts[1:])):
            if m.rep_vertex_offsets[rep + 1] == m.rep_vertex_offsets[rep]:
                continue
            placed = self._placed(rep, m.instance_matrix[group])
            elements = m.instance_element[group]
            np.minimum.at(self.lo, elements, placed.min(axis=1))
            np.maximum.at(self.hi, elements, placed.max(axis=1))

    def has_geometry(self, element: int) -> bool:
        return bool(np.isfinite(self.lo[element]).all())

    def element_mesh(self, element: int) -> ElementMesh:
        """The element's triangles (every instance of it), computed once."""
        cached = self._meshes.get(element)
        if cached is not None:
            return cached
        m = self.mesh
        parts = []
        for i in self._instances.get(element, []):
            rep = int(m.instance_rep[i])
            t0, t1 = m.rep_triangle_offsets[rep], m.rep_triangle_offsets[rep + 1]
            if t1 == t0:
                continue
            placed = self._placed(rep, m.instance_matrix[i:i + 1])[0]
            parts.append(placed[m.rep_triangles[t0:t1]])
        triangles = drop_degenerate(np.concatenate(parts)) if parts else np.zeros((0, 3, 3))
        result = ElementMesh(triangles)
        self._meshes[element] = result
        return result
