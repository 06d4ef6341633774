"""Tessellate an IFC model once, into numpy arrays, reusing shared representations.

The iterator runs with world coordinates off, so elements that share a
representation (furniture, windows, bolts…) come out with the same geometry id:
we keep each geometry once and an instance (element, geometry, 4×4 matrix) per
element. PERF-NOTES measured this at 7× faster than world coordinates on
janesville for the same triangles. Large models are split over processes by
geometry (never splitting elements that share a representation), since two
iterator threads gave no speed-up on these machines but two processes did.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np
import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.ifcopenshell_wrapper as wrapper

from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report

# Anything that changes what the iterator emits must be listed here: it keys the cache.
GEOMETRY_SETTINGS = {
    "use-world-coords": False,
    "apply-default-materials": True,
}
EXCLUDED_CLASSES = ("IfcOpeningElement", "IfcFeatureElementSubtraction", "IfcAnnotation", "IfcGrid")
# Starting a worker (a new interpreter that imports ifcopenshell and parses the
# file) costs 1-2 s: below this many shapes, or this file size, it costs more than
# it saves (schependomlaan-xella-bg: 787 small products, slower in parallel).
PARALLEL_MIN_ELEMENTS = 400
PARALLEL_MIN_BYTES = 2_000_000
DEFAULT_COLOUR = (200, 200, 200, 255)


@dataclass(frozen=True)
class GeometryFailure:
    """An element whose geometry could not be produced; loading goes on without it."""

    global_id: str
    ifc_class: str
    reason: str


@dataclass
class InstancedMesh:
    """Compact, cacheable geometry of (part of) a model, in model coordinates (metres).

    Each representation is stored once (vertices, triangles, a colour index per
    triangle); each instance places one representation for one element with a
    4×4 matrix. ``instance_element`` holds step ids until :meth:`with_element_indices`
    maps them to the model's element table.
    """

    rep_ids: list[str]
    rep_vertex_offsets: np.ndarray  # (R+1,) int64
    rep_vertices: np.ndarray  # (V,3) float64
    rep_triangle_offsets: np.ndarray  # (R+1,) int64
    rep_triangles: np.ndarray  # (T,3) int32, indices local to the representation
    rep_triangle_colour: np.ndarray  # (T,) int32 into ``colours``
    colours: np.ndarray  # (K,4) uint8 RGBA
    instance_element: np.ndarray  # (I,) int64
    instance_rep: np.ndarray  # (I,) int32
    instance_matrix: np.ndarray  # (I,4,4) float64
    failures: list[GeometryFailure] = field(default_factory=list)

    @property
    def triangle_count(self) -> int:
        """Triangles once every instance is expanded."""
        counts = np.diff(self.rep_triangle_offsets)
        return int(counts[self.instance_rep].sum()) if len(self.instance_rep) else 0

    @staticmethod
    def empty() -> "InstancedMesh":
        return InstancedMesh(
            [], np.zeros(1, np.int64), np.zeros((0, 3)), np.zeros(1, np.int64), np.zeros((0, 3), np.int32),
            np.zeros(0, np.int32), np.array([DEFAULT_COLOUR], np.uint8), np.zeros(0, np.int64),
            np.zeros(0, np.int32), np.zeros((0, 4, 4)),
        )

    @staticmethod
    def concatenate(parts: Iterable["InstancedMesh"]) -> "InstancedMesh":
        """Join meshes tessellated separately (chunks, processes) into one."""
        parts = [p for p in parts if p is not None]
        if not parts:
            return InstancedMesh.empty()
        colour_table: dict[tuple, int] = {}
        rep_ids, v_offs, verts, t_offs, tris, tri_col = [], [0], [], [0], [], []
        inst_el, inst_rep, inst_mat, failures = [], [], [], []
        for part in parts:
            remap = np.array(
                [colour_table.setdefault(tuple(int(x) for x in c), len(colour_table)) for c in part.colours], np.int32
            )
            base_rep = len(rep_ids)
            rep_ids.extend(part.rep_ids)
            v_offs.extend((part.rep_vertex_offsets[1:] + v_offs[-1]).tolist())
            t_offs.extend((part.rep_triangle_offsets[1:] + t_offs[-1]).tolist())
            verts.append(part.rep_vertices)
            tris.append(part.rep_triangles)
            tri_col.append(remap[part.rep_triangle_colour] if len(remap) else part.rep_triangle_colour)
            inst_el.append(part.instance_element)
            inst_rep.append(part.instance_rep + base_rep)
            inst_mat.append(part.instance_matrix)
            failures.extend(part.failures)
        colours = np.array(list(colour_table) or [DEFAULT_COLOUR], np.uint8).reshape(-1, 4)
        return InstancedMesh(
            rep_ids, np.array(v_offs, np.int64), np.concatenate(verts).reshape(-1, 3),
            np.array(t_offs, np.int64), np.concatenate(tris).reshape(-1, 3).astype(np.int32),
            np.concatenate(tri_col).astype(np.int32), colours, np.concatenate(inst_el).astype(np.int64),
            np.concatenate(inst_rep).astype(np.int32), np.concatenate(inst_mat).reshape(-1, 4, 4), failures,
        )

    def with_element_indices(self, step_to_index: dict[int, int]) -> "InstancedMesh":
        """Replace step ids in ``instance_element`` by indices of the element table
        (instances of elements not in the table are dropped)."""
        mapped = np.array([step_to_index.get(int(s), -1) for s in self.instance_element], np.int64)
        keep = mapped >= 0
        return InstancedMesh(
            self.rep_ids, self.rep_vertex_offsets, self.rep_vertices, self.rep_triangle_offsets, self.rep_triangles,
            self.rep_triangle_colour, self.colours, mapped[keep], self.instance_rep[keep],
            self.instance_matrix[keep], self.failures,
        )

    def expand(self, origin: np.ndarray | None = None) -> "ExpandedMesh":
        """Place every instance: one vertex/triangle list in model coordinates minus ``origin``.

        Vertices are computed in float64 and only then shifted, so models
        hundreds of kilometres from the origin keep millimetre precision in float32.
        """
        origin = np.zeros(3) if origin is None else np.asarray(origin, np.float64)
        v_counts = np.diff(self.rep_vertex_offsets)
        t_counts = np.diff(self.rep_triangle_offsets)
        n_inst = len(self.instance_rep)
        inst_v = v_counts[self.instance_rep] if n_inst else np.zeros(0, np.int64)
        inst_t = t_counts[self.instance_rep] if n_inst else np.zeros(0, np.int64)
        out_v_offsets = np.concatenate([[0], np.cumsum(inst_v)])
        vertices = np.empty((int(out_v_offsets[-1]), 3), np.float32)
        triangles = np.empty((int(inst_t.sum()), 3), np.int32)
        tri_element = np.repeat(self.instance_element, inst_t).astype(np.int32)
        tri_colour = np.empty(len(triangles), np.int32)
        t_pos = 0
        for i in range(n_inst):
            rep = self.instance_rep[i]
            v0, v1 = self.rep_vertex_offsets[rep], self.rep_vertex_offsets[rep + 1]
            t0, t1 = self.rep_triangle_offsets[rep], self.rep_triangle_offsets[rep + 1]
            m = self.instance_matrix[i]
            placed = self.rep_vertices[v0:v1] @ m[:3, :3].T + (m[:3, 3] - origin)
            vertices[out_v_offsets[i] : out_v_offsets[i + 1]] = placed
            n_t = t1 - t0
            triangles[t_pos : t_pos + n_t] = self.rep_triangles[t0:t1] + out_v_offsets[i]
            tri_colour[t_pos : t_pos + n_t] = self.rep_triangle_colour[t0:t1]
            t_pos += n_t
        return ExpandedMesh(vertices, triangles, tri_element, self.colours[tri_colour])

    def element_bounds(self, element_count: int, origin: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-element axis-aligned bounds (float32, in model coordinates minus ``origin``),
        ±inf for elements without geometry.

        From each representation's box placed by each instance: a few thousand
        boxes instead of millions of triangle corners.
        """
        origin = np.zeros(3) if origin is None else np.asarray(origin, np.float64)
        lo = np.full((element_count, 3), np.inf)
        hi = np.full((element_count, 3), -np.inf)
        counts = np.diff(self.rep_vertex_offsets)
        used = np.flatnonzero(counts > 0)
        if not len(self.instance_rep) or not len(used):
            return lo.astype(np.float32), hi.astype(np.float32)
        rep_lo = np.full((len(counts), 3), np.inf)
        rep_hi = np.full((len(counts), 3), -np.inf)
        starts = self.rep_vertex_offsets[used]
        rep_lo[used] = np.minimum.reduceat(self.rep_vertices, starts, axis=0)
        rep_hi[used] = np.maximum.reduceat(self.rep_vertices, starts, axis=0)
        keep = counts[self.instance_rep] > 0
        reps, elements, mats = self.instance_rep[keep], self.instance_element[keep], self.instance_matrix[keep]
        # The 8 corners of each representation's box, placed by its instance.
        pick = np.array(np.meshgrid([0, 1], [0, 1], [0, 1], indexing="ij")).reshape(3, -1).T  # (8, 3)
        boxes = np.stack([rep_lo[reps], rep_hi[reps]], axis=1)  # (I, 2, 3)
        corners = boxes[:, pick, np.arange(3)]  # (I, 8, 3)
        placed = np.einsum("kij,kcj->kci", mats[:, :3, :3], corners) + (mats[:, None, :3, 3] - origin)
        np.minimum.at(lo, elements, placed.min(axis=1))
        np.maximum.at(hi, elements, placed.max(axis=1))
        return lo.astype(np.float32), hi.astype(np.float32)

    def bounds(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Axis-aligned bounds in model coordinates (float64), or None when empty."""
        if not len(self.instance_rep):
            return None
        lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
        for rep in np.unique(self.instance_rep):
            v = self.rep_vertices[self.rep_vertex_offsets[rep] : self.rep_vertex_offsets[rep + 1]]
            if not len(v):
                continue
            corners = np.array(np.meshgrid(*zip(v.min(0), v.max(0)))).T.reshape(-1, 3)
            mats = self.instance_matrix[self.instance_rep == rep]
            placed = np.einsum("kij,cj->kci", mats[:, :3, :3], corners) + mats[:, None, :3, 3]
            lo = np.minimum(lo, placed.reshape(-1, 3).min(0))
            hi = np.maximum(hi, placed.reshape(-1, 3).max(0))
        return (lo, hi) if np.isfinite(lo).all() else None


@dataclass
class ExpandedMesh:
    """Triangles ready to draw: float32 vertices in a local frame, per-triangle element and colour."""

    vertices: np.ndarray  # (N,3) float32
    triangles: np.ndarray  # (M,3) int32
    triangle_element: np.ndarray  # (M,) int32 index into the element table
    triangle_rgba: np.ndarray  # (M,4) uint8


def geometry_settings() -> ifcopenshell.geom.settings:
    """The iterator settings every tessellation uses."""
    settings = ifcopenshell.geom.settings()
    for key, value in GEOMETRY_SETTINGS.items():
        settings.set(key, value)
    return settings


def settings_fingerprint() -> str:
    """Text that changes whenever tessellation output would: part of the cache key."""
    return json.dumps({"ifcopenshell": ifcopenshell.version, "settings": GEOMETRY_SETTINGS,
                       "excluded": EXCLUDED_CLASSES, "format": 1}, sort_keys=True)


def _colour_of(material) -> tuple[int, int, int, int]:
    try:
        d = material.diffuse
        r, g, b = d.r(), d.g(), d.b()
        alpha = 1.0 - (material.transparency if material.has_transparency else 0.0)
    except Exception:  # styles without a usable colour fall back to grey
        return DEFAULT_COLOUR
    if np.isnan(alpha):
        alpha = 1.0
    return (int(round(r * 255)), int(round(g * 255)), int(round(b * 255)), int(round(max(0.05, alpha) * 255)))


class _Collector:
    """Accumulates iterator shapes into an :class:`InstancedMesh`, one representation at a time."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.rep_index: dict[str, int] = {}
        self.rep_ids, self.v_offs, self.verts, self.t_offs, self.tris, self.tri_col = [], [0], [], [0], [], []
        self.colour_table: dict[tuple, int] = {}
        self.inst_el, self.inst_rep, self.inst_mat = [], [], []

    def add(self, shape) -> None:
        geometry = shape.geometry
        rep = self.rep_index.get(geometry.id)
        if rep is None:
            rep = len(self.rep_ids)
            self.rep_index[geometry.id] = rep
            self.rep_ids.append(geometry.id)
            verts = np.frombuffer(geometry.verts_buffer, np.float64).reshape(-1, 3)
            faces = np.frombuffer(geometry.faces_buffer, np.int32).reshape(-1, 3)
            mat_ids = np.frombuffer(geometry.material_ids_buffer, np.int32)
            palette = np.array(
                [self.colour_table.setdefault(_colour_of(m), len(self.colour_table)) for m in geometry.materials]
                or [self.colour_table.setdefault(DEFAULT_COLOUR, len(self.colour_table))],
                np.int32,
            )
            if len(mat_ids) != len(faces):
                mat_ids = np.zeros(len(faces), np.int32)
            mat_ids = np.where((mat_ids >= 0) & (mat_ids < len(palette)), mat_ids, 0)
            self.verts.append(verts.copy())
            self.tris.append(faces.copy())
            self.tri_col.append(palette[mat_ids])
            self.v_offs.append(self.v_offs[-1] + len(verts))
            self.t_offs.append(self.t_offs[-1] + len(faces))
        matrix = np.frombuffer(shape.transformation_buffer, np.float64)
        matrix = matrix.reshape(4, 4).T if len(matrix) == 16 else np.asarray(shape.transformation.matrix).reshape(4, 4).T
        self.inst_el.append(shape.id)
        self.inst_rep.append(rep)
        self.inst_mat.append(matrix)

    @property
    def instance_count(self) -> int:
        return len(self.inst_el)

    def take(self) -> InstancedMesh:
        """The mesh collected so far; the collector starts empty again."""
        colours = np.array(list(self.colour_table) or [DEFAULT_COLOUR], np.uint8).reshape(-1, 4)
        mesh = InstancedMesh(
            self.rep_ids, np.array(self.v_offs, np.int64),
            np.concatenate(self.verts).reshape(-1, 3) if self.verts else np.zeros((0, 3)),
            np.array(self.t_offs, np.int64),
            np.concatenate(self.tris).reshape(-1, 3).astype(np.int32) if self.tris else np.zeros((0, 3), np.int32),
            np.concatenate(self.tri_col).astype(np.int32) if self.tri_col else np.zeros(0, np.int32),
            colours, np.array(self.inst_el, np.int64), np.array(self.inst_rep, np.int32),
            np.array(self.inst_mat).reshape(-1, 4, 4),
        )
        self.reset()
        return mesh


def _has_body(entity) -> bool:
    representation = getattr(entity, "Representation", None)
    if not representation:
        return False
    for rep in representation.Representations or ():
        if (rep.RepresentationIdentifier or "Body") in ("Body", "Facetation", "Reference", "") or \
                (rep.RepresentationType or "") in ("SweptSolid", "Brep", "MappedRepresentation", "Tessellation",
                                                    "Clipping", "CSG", "AdvancedBrep", "SurfaceModel", "SolidModel",
                                                    "AdvancedSweptSolid"):
            return True
    return False


def tessellation_targets(model: ifcopenshell.file) -> list:
    """Products the iterator should tessellate: those with a 3D body, minus openings and annotations."""
    targets = []
    for product in model.by_type("IfcProduct"):
        if any(product.is_a(c) for c in EXCLUDED_CLASSES) or not _has_body(product):
            continue
        if product.is_a("IfcSpatialStructureElement") and not product.is_a("IfcSpace"):
            continue
        targets.append(product)
    return targets


def _representation_key(product) -> int:
    """Elements with the same key share geometry and must be tessellated in one process."""
    for rep in product.Representation.Representations or ():
        for item in rep.Items or ():
            if item.is_a("IfcMappedItem"):
                return item.MappingSource.id()
    return -product.id()


def _failures_from_log(model: ifcopenshell.file, wanted: Iterable, produced: set[int], log: str) -> list[GeometryFailure]:
    """Elements the iterator skipped, with the kernel's own words where it gave any."""
    reasons: dict[int, str] = {}
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("level") not in ("error", "warning"):
            continue
        match = re.match(r"#(\d+)=", entry.get("product", ""))
        if match:
            reasons.setdefault(int(match.group(1)), entry.get("message", ""))
    failures = []
    for product in wanted:
        if product.id() not in produced:
            reason = reasons.get(product.id()) or _("the geometry kernel produced no shape")
            failures.append(GeometryFailure(product.GlobalId, product.is_a(), reason))
    return failures


def _iterate(model: ifcopenshell.file, products: list, on_shape: Callable, cancel: Optional[CancelFn]) -> set[int]:
    wrapper.set_log_format_json()
    ifcopenshell.get_log()  # drop older messages so reasons belong to this run
    produced: set[int] = set()
    if not products:
        return produced
    iterator = ifcopenshell.geom.iterator(geometry_settings(), model, 1, include=products)
    if not iterator.initialize():
        return produced
    while True:
        shape = iterator.get()
        produced.add(shape.id)
        on_shape(shape)
        check_cancelled(cancel)
        if not iterator.next():
            break
    return produced


def tessellate_products(model: ifcopenshell.file, products: list, *, progress: Optional[ProgressFn] = None,
                        cancel: Optional[CancelFn] = None, on_partial: Optional[Callable[[InstancedMesh], None]] = None,
                        partial_every_s: float = 0.5, done_before: int = 0, total: Optional[int] = None) -> InstancedMesh:
    """Tessellate ``products`` of ``model`` in this process.

    ``on_partial`` receives the shapes collected since its last call, every
    ``partial_every_s`` seconds, so a viewer can show elements as they come.
    """
    total = len(products) + done_before if total is None else total
    collector = _Collector()
    parts: list[InstancedMesh] = []
    state = {"last": time.monotonic(), "count": done_before}

    def flush():
        if collector.instance_count:
            part = collector.take()
            parts.append(part)
            if on_partial is not None:
                on_partial(part)

    def on_shape(shape):
        collector.add(shape)
        state["count"] += 1
        now = time.monotonic()
        if now - state["last"] >= partial_every_s:
            state["last"] = now
            report(progress, state["count"], total, "")
            if on_partial is not None:
                flush()

    produced = _iterate(model, products, on_shape, cancel)
    flush()
    mesh = InstancedMesh.concatenate(parts)
    mesh.failures = _failures_from_log(model, products, produced, ifcopenshell.get_log())
    return mesh


# --- multi-process tessellation -------------------------------------------------------

_worker_model: Optional[ifcopenshell.file] = None


def _worker_init(path: str) -> None:
    global _worker_model
    _worker_model = ifcopenshell.open(path)


def _worker_run(step_ids: list[int]) -> InstancedMesh:
    products = [_worker_model.by_id(i) for i in step_ids]
    return tessellate_products(_worker_model, products)


def split_by_geometry(products: list, parts: int) -> list[list[int]]:
    """Split products into ``parts`` balanced groups of step ids, never separating
    products that share a representation (each process would tessellate it again)."""
    groups: dict[int, list[int]] = {}
    for product in products:
        groups.setdefault(_representation_key(product), []).append(product.id())
    buckets: list[list[int]] = [[] for _ in range(max(1, parts))]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(buckets, key=len).extend(group)
    return [b for b in buckets if b]


def worker_count() -> int:
    """Processes to use: every core the OS lets us run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def tessellate(model: ifcopenshell.file, path: Path | str | None = None, *, progress: Optional[ProgressFn] = None,
               cancel: Optional[CancelFn] = None, on_partial: Optional[Callable[[InstancedMesh], None]] = None,
               workers: Optional[int] = None) -> InstancedMesh:
    """Tessellate every product with a body, on all cores when the model is large enough.

    Returns the instanced mesh with step ids in ``instance_element`` and the
    elements whose geometry failed in ``failures``.
    """
    products = tessellation_targets(model)
    total = len(products)
    report(progress, 0, total, "")
    workers = worker_count() if workers is None else workers
    if workers <= 1 or total < PARALLEL_MIN_ELEMENTS or path is None or \
            Path(path).stat().st_size < PARALLEL_MIN_BYTES:
        mesh = tessellate_products(model, products, progress=progress, cancel=cancel, on_partial=on_partial)
        report(progress, total, total, "")
        return mesh
    # More chunks than workers so results stream in and progress moves.
    chunks = split_by_geometry(products, workers * 6)
    sizes = {id(c): len(c) for c in chunks}
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(workers, initializer=_worker_init, initargs=(str(path),))
    parts, done = [], 0
    try:
        pending = [(chunk, pool.apply_async(_worker_run, (chunk,))) for chunk in chunks]
        while pending:
            check_cancelled(cancel)
            still = []
            for chunk, result in pending:
                if result.ready():
                    part = result.get()
                    parts.append(part)
                    done += sizes[id(chunk)]
                    report(progress, done, total, "")
                    if on_partial is not None:
                        on_partial(part)
                else:
                    still.append((chunk, result))
            pending = still
            if pending:
                time.sleep(0.05)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return InstancedMesh.concatenate(parts)
