"""On-disk cache of tessellated models, so a second open skips the geometry kernel.

An entry is one ``.npz`` file keyed by the IFC file's content hash and by the
ifcopenshell version and geometry settings (``settings_fingerprint``). It holds
the instanced mesh, the element table, the spatial tree and the model's
summary. Entries are written to a temporary name and renamed, so a crash never
leaves half an entry; on read, the zip CRCs and the stored key are checked and
anything stale or damaged is discarded and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import platformdirs

from bim.elements import ElementRecord, ModelIndex, SpatialNode
from bim.tessellation import GeometryFailure, InstancedMesh, settings_fingerprint

log = logging.getLogger(__name__)

CACHE_ENV = "SYNTHESE_CACHE_DIR"
_ARRAYS = ("rep_vertex_offsets", "rep_vertices", "rep_triangle_offsets", "rep_triangles", "rep_triangle_colour",
           "colours", "instance_element", "instance_rep", "instance_matrix")


def cache_dir() -> Path:
    """Where cached geometry lives: ``$SYNTHESE_CACHE_DIR`` or the platform's user cache directory."""
    base = os.environ.get(CACHE_ENV)
    root = Path(base) if base else Path(platformdirs.user_cache_dir("synthese", appauthor=False))
    return root / "geometry"


def entry_path(file_hash: str) -> Path:
    """The cache file for an IFC file with this content hash under the current settings."""
    settings_hash = hashlib.sha256(settings_fingerprint().encode()).hexdigest()[:16]
    return cache_dir() / f"{file_hash}-{settings_hash}.npz"


def store(file_hash: str, mesh: InstancedMesh, index: ModelIndex, summary: dict) -> Path:
    """Write a cache entry atomically and return its path."""
    target = entry_path(file_hash)
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "file_hash": file_hash,
        "settings": settings_fingerprint(),
        "summary": summary,
        "rep_ids": mesh.rep_ids,
        "failures": [asdict(f) for f in mesh.failures],
        "elements": [list(asdict(e).values()) for e in index.elements],
        "tree": index.tree.to_dict(),
    }
    arrays = {name: getattr(mesh, name) for name in _ARRAYS}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), np.uint8)
    fd, tmp = tempfile.mkstemp(prefix=target.stem, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load(file_hash: str) -> tuple[InstancedMesh, ModelIndex, dict] | None:
    """The cached mesh, index and summary for this content hash, or None on a miss.

    A damaged or stale entry is deleted and reported as a miss.
    """
    path = entry_path(file_hash)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            if meta.get("file_hash") != file_hash or meta.get("settings") != settings_fingerprint():
                raise ValueError("stale cache entry")
            arrays = {name: data[name] for name in _ARRAYS}
        fields = list(ElementRecord.__dataclass_fields__)
        elements = [ElementRecord(**dict(zip(fields, row))) for row in meta["elements"]]
        mesh = InstancedMesh(rep_ids=meta["rep_ids"], failures=[GeometryFailure(**f) for f in meta["failures"]],
                             **arrays)
        _check_consistent(mesh, len(elements))
        index = ModelIndex(elements, SpatialNode.from_dict(meta["tree"]))
        return mesh, index, meta["summary"]
    except Exception as exc:  # a damaged entry fails in many ways (zipfile, npy header, json): never trust it
        log.warning("discarding damaged geometry cache entry %s: %s", path, exc)
        path.unlink(missing_ok=True)
        return None


def _check_consistent(mesh: InstancedMesh, element_count: int) -> None:
    """Reject an entry whose arrays do not fit together (a damaged file that still unzips)."""
    reps = len(mesh.rep_ids)
    if len(mesh.rep_vertex_offsets) != reps + 1 or len(mesh.rep_triangle_offsets) != reps + 1:
        raise ValueError("offset tables do not match the representations")
    if mesh.rep_vertex_offsets[-1] != len(mesh.rep_vertices) or mesh.rep_triangle_offsets[-1] != len(mesh.rep_triangles):
        raise ValueError("offset tables do not match the arrays")
    if len(mesh.instance_rep) and (mesh.instance_rep.max() >= reps or mesh.instance_element.max() >= element_count):
        raise ValueError("instances point outside the tables")
    if len(mesh.rep_triangle_colour) != len(mesh.rep_triangles) or (
            len(mesh.rep_triangle_colour) and mesh.rep_triangle_colour.max() >= len(mesh.colours)):
        raise ValueError("colour table does not match")
