"""Load IFC models (through the geometry cache) and federate them in one local frame.

Every model of a federation is shown in the same local frame: model coordinates
minus one ``origin`` chosen when the first model arrives. Georeferenced models
sit hundreds of kilometres from zero, where float32 (what the GPU draws) keeps
only decimetres; subtracting the origin in float64 first keeps millimetres.
The shift is the same for all models and is undone for everything a user keeps
(viewpoints, measurements, exports), which stay in model coordinates.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

import numpy as np
import ifcopenshell

from bim import geometry_cache
from bim.elements import ElementRecord, ModelIndex, index_model
from bim.ifc_file import _read_header_schema, file_sha256, open_ifc, schema_family
from bim.info import summarize
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from bim.tessellation import GeometryFailure, InstancedMesh, tessellate
from bim.trades import guess_trade

ElementKey = tuple[str, str]  # (model id, GlobalId): GlobalIds may repeat across models
# Models whose centre lies farther than this from zero get a shifted local frame.
SHIFT_THRESHOLD_M = 1000.0


@dataclass
class LoadedModel:
    """One IFC file of the federation: its element table, tree, geometry and trade."""

    model_id: str
    path: Path
    file_hash: str
    trade: str
    summary: dict
    index: ModelIndex
    mesh: InstancedMesh  # instance_element holds indices into index.elements
    from_cache: bool = False
    visible: bool = True
    _ifc: Optional[ifcopenshell.file] = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def schema(self) -> str:
        return self.summary.get("schema", "")

    @property
    def elements(self) -> list[ElementRecord]:
        return self.index.elements

    @property
    def failures(self) -> list[GeometryFailure]:
        return self.mesh.failures

    def ifc(self) -> ifcopenshell.file:
        """The parsed IFC file, opened on first use (a warm open from the cache does not need it)."""
        with self._lock:
            if self._ifc is None:
                self._ifc = open_ifc(self.path)
            return self._ifc

    def element(self, global_id: str) -> ElementRecord | None:
        i = self.index.by_global_id.get(global_id)
        return None if i is None else self.index.elements[i]


def load_model(path: Path | str, *, model_id: str | None = None, trade: str | None = None,
               progress: Optional[ProgressFn] = None, cancel: Optional[CancelFn] = None,
               on_partial: Optional[Callable[["LoadedModel", InstancedMesh], None]] = None, use_cache: bool = True,
               workers: Optional[int] = None) -> LoadedModel:
    """Open and tessellate one IFC file, from the geometry cache when it has it.

    ``on_partial(model, piece)`` receives the model being loaded (element table
    complete, geometry not yet) and each piece of geometry (element indices
    already mapped) while tessellation runs, so a viewer can draw as it comes. Raises :class:`ModelError` for unusable files and
    ``Cancelled`` when ``cancel()`` turns true.
    """
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        open_ifc(path)  # raises the precise message: missing, not a file, empty
    if path.suffix.lower() not in (".ifczip", ".zip"):
        schema = _read_header_schema(path)
        if schema_family(schema) is None:
            open_ifc(path)  # raises the precise message
    file_hash = file_sha256(path)
    check_cancelled(cancel)
    cached = geometry_cache.load(file_hash) if use_cache else None
    if cached is not None:
        mesh, index, summary = cached
        report(progress, len(index.elements), len(index.elements), "")
        model = LoadedModel(model_id or path.stem, path, file_hash, "", summary, index, mesh, from_cache=True)
    else:
        ifc = open_ifc(path)
        index = index_model(ifc)
        summary = summarize(ifc)
        step_to_index = {e.step_id: i for i, e in enumerate(index.elements)}
        provisional = LoadedModel(model_id or path.stem, path, file_hash, trade or "", summary, index,
                                  InstancedMesh.empty(), _ifc=ifc)
        partial = None if on_partial is None else (
            lambda part: on_partial(provisional, part.with_element_indices(step_to_index)))
        raw = tessellate(ifc, path, progress=progress, cancel=cancel, on_partial=partial, workers=workers)
        mesh = raw.with_element_indices(step_to_index)
        check_cancelled(cancel)
        if use_cache:
            geometry_cache.store(file_hash, mesh, index, summary)
        model = LoadedModel(model_id or path.stem, path, file_hash, "", summary, index, mesh, _ifc=ifc)
    model.trade = trade or guess_trade(path, [e.ifc_class for e in index.elements])
    return model


class Federation:
    """The models open together, in one local frame."""

    def __init__(self):
        self.models: dict[str, LoadedModel] = {}
        self.origin: np.ndarray | None = None

    def __iter__(self) -> Iterator[LoadedModel]:
        return iter(list(self.models.values()))

    def __len__(self) -> int:
        return len(self.models)

    def new_model_id(self, path: Path | str) -> str:
        """A model id for a file, unique in this federation (the file's stem, numbered if taken)."""
        base = Path(path).stem
        candidate, n = base, 2
        while candidate in self.models:
            candidate, n = f"{base} ({n})", n + 1
        return candidate

    def ensure_origin(self, mesh: InstancedMesh) -> np.ndarray:
        """The federation's local origin, chosen from the first geometry seen."""
        if self.origin is None:
            bounds = mesh.bounds()
            if bounds is not None:
                centre = (bounds[0] + bounds[1]) / 2.0
                self.origin = np.round(centre) if np.abs(centre).max() > SHIFT_THRESHOLD_M else np.zeros(3)
        return self.origin if self.origin is not None else np.zeros(3)

    def add(self, model: LoadedModel) -> LoadedModel:
        """Add a loaded model (its id made unique)."""
        if model.model_id in self.models:
            model.model_id = self.new_model_id(model.path)
        self.ensure_origin(model.mesh)
        self.models[model.model_id] = model
        return model

    def remove(self, model_id: str) -> None:
        """Unload a model; the origin is forgotten once the federation is empty."""
        self.models.pop(model_id, None)
        if not self.models:
            self.origin = None

    def replace(self, model_id: str, new: LoadedModel) -> LoadedModel:
        """Put a newer version of a model in place of the old one, keeping its id, trade and position."""
        old = self.models[model_id]
        new.model_id, new.trade, new.visible = model_id, old.trade, old.visible
        self.models = {k: (new if k == model_id else v) for k, v in self.models.items()}
        return new

    def element(self, key: ElementKey) -> ElementRecord | None:
        model = self.models.get(key[0])
        return None if model is None else model.element(key[1])

    def elements(self) -> Iterator[tuple[ElementKey, ElementRecord, LoadedModel]]:
        """Every element of every model, with its key and model."""
        for model in self:
            for record in model.index.elements:
                yield (model.model_id, record.global_id), record, model

    def to_model(self, local_point) -> np.ndarray:
        """Local frame → model coordinates."""
        return np.asarray(local_point, np.float64) + (self.origin if self.origin is not None else 0.0)

    def to_local(self, model_point) -> np.ndarray:
        """Model coordinates → local frame."""
        return np.asarray(model_point, np.float64) - (self.origin if self.origin is not None else 0.0)
