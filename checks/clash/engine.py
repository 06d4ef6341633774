"""Run a clash test on loaded models: select, sweep, exclude, then test exactly.

1. Each side's elements are picked from the element tables (:mod:`selection`).
2. Their bounding boxes, in float64 model coordinates, go through the broad
   phase (:mod:`broad_phase`); in hard mode boxes must overlap by more than the
   tolerance on every axis, since a deeper clash needs that much room.
3. Built-in exclusions drop pairs related in the IFC file (:mod:`exclusions`).
4. Each remaining pair is tested on its triangles: overlap depth
   (:mod:`penetration`) or distance (:mod:`clearance`).

The geometry is the instanced mesh loading produced (from the geometry cache on
a re-run): nothing is tessellated here.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Optional, Sequence

import numpy as np

from bim.federation import LoadedModel
from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from checks.clash.broad_phase import overlapping_pairs
from checks.clash.clearance import gap
from checks.clash.definition import ClashTest, Mode
from checks.clash.element_geometry import ModelGeometry
from checks.clash.exclusions import is_excluded, needs_relations
from checks.clash.penetration import penetration
from checks.clash.relations import ModelRelations, model_relations
from checks.clash.results import Clash, ClashElement, ClashRun, ModelVersion, RunStats, clash_id
from checks.clash.selection import check_classes, select_elements, takes_part

# Progress is reported (and cancel checked) at least this often during the exact tests.
_REPORT_EVERY_S = 0.1


class _Pool:
    """Every element either side takes, in one table: model, element index, box, sides."""

    def __init__(self, test: ClashTest, models: Sequence[LoadedModel]):
        self.models = list(models)
        self.geometry: dict[int, ModelGeometry] = {}
        keys_a: set[tuple[int, int]] = set()
        keys_b: set[tuple[int, int]] = set()
        for m, model in enumerate(self.models):
            if not (test.a.takes_model(model.model_id, model.trade) or test.b.takes_model(model.model_id, model.trade)):
                continue
            geometry = ModelGeometry(model.mesh, len(model.elements))
            schema = model.schema or "IFC4"
            candidates = [i for i, record in enumerate(model.elements)
                          if geometry.has_geometry(i) and takes_part(schema, record.ifc_class)]
            chosen_a = select_elements(model, test.a, candidates)
            chosen_b = chosen_a if test.b == test.a else select_elements(model, test.b, candidates)
            if chosen_a or chosen_b:
                self.geometry[m] = geometry
            keys_a.update((m, i) for i in chosen_a)
            keys_b.update((m, i) for i in chosen_b)
        self.keys = sorted(keys_a | keys_b)
        n = len(self.keys)
        self.in_a = np.array([k in keys_a for k in self.keys], bool)
        self.in_b = np.array([k in keys_b for k in self.keys], bool)
        self.lo = np.array([self.geometry[m].lo[i] for m, i in self.keys]).reshape(n, 3)
        self.hi = np.array([self.geometry[m].hi[i] for m, i in self.keys]).reshape(n, 3)
        # A stable order for pairs whose elements could sit on either side (self-clash).
        ranks = sorted(range(n), key=lambda k: self._sort_key(k))
        self.rank = np.empty(n, np.int64)
        self.rank[ranks] = np.arange(n)

    def _sort_key(self, k: int):
        m, i = self.keys[k]
        record = self.models[m].elements[i]
        return (record.ifc_class, self.models[m].model_id, record.global_id)

    def element_key(self, k: int) -> tuple[str, str]:
        m, i = self.keys[k]
        return self.models[m].model_id, self.models[m].elements[i].global_id

    def mesh(self, k: int):
        m, i = self.keys[k]
        return self.geometry[m].element_mesh(i)


def _candidate_pairs(pool: _Pool, test: ClashTest) -> np.ndarray:
    """Unordered candidate pairs as rows (side-A element, side-B element) of pool indices."""
    side_a, side_b = np.flatnonzero(pool.in_a), np.flatnonzero(pool.in_b)
    min_overlap = test.tolerance if test.mode is Mode.HARD else -test.clearance
    i, j = overlapping_pairs(pool.lo[side_a], pool.hi[side_a], pool.lo[side_b], pool.hi[side_b], min_overlap)
    u, v = side_a[i], side_b[j]
    keep = u != v
    u, v = u[keep], v[keep]
    # Both orientations are valid when each element is on both sides: keep the one in rank order.
    both = pool.in_a[v] & pool.in_b[u]
    swap = both & (pool.rank[v] < pool.rank[u])
    u, v = np.where(swap, v, u), np.where(swap, u, v)
    pairs = np.unique(np.stack([u, v], axis=1), axis=0) if len(u) else np.zeros((0, 2), np.int64)
    return pairs


def _clash_element(model: LoadedModel, index: int, relations: ModelRelations | None) -> ClashElement:
    record = model.elements[index]
    systems = relations.systems.get(record.global_id, ()) if relations else ()
    return ClashElement(record.global_id, model.model_id, record.ifc_class, record.name, record.storey, model.trade,
                        record.type_name, tuple(systems))


class _Relations:
    """Relations of the pool's models, read (or taken from the cache) when first needed."""

    def __init__(self, pool: _Pool):
        self.pool = pool
        self.by_model: dict[str, ModelRelations] = {}

    def of(self, m: int) -> ModelRelations:
        model = self.pool.models[m]
        if model.model_id not in self.by_model:
            self.by_model[model.model_id] = model_relations(model)
        return self.by_model[model.model_id]


def _without_exclusions(pool: _Pool, pairs: np.ndarray, test: ClashTest, relations: _Relations,
                        cancel: Optional[CancelFn]) -> np.ndarray:
    if not len(pairs):
        return pairs
    if needs_relations(test.exclusions):
        # Relations never cross files: only models with pairs inside them need theirs.
        for m in sorted({pool.keys[u][0] for u, v in pairs.tolist() if pool.keys[u][0] == pool.keys[v][0]}):
            relations.of(m)
            check_cancelled(cancel)
    keep = [not is_excluded(test.exclusions, pool.element_key(u), pool.element_key(v), relations.by_model)
            for u, v in pairs.tolist()]
    return pairs[np.array(keep, bool)]


def _exact_tests(pool: _Pool, pairs: np.ndarray, test: ClashTest, progress: Optional[ProgressFn],
                 cancel: Optional[CancelFn]) -> list[tuple[int, int, object]]:
    """The pairs that clash, each with its Penetration (hard) or Gap (clearance)."""
    found = []
    total, message = len(pairs), _("Testing pairs")
    last_report = time.monotonic()
    report(progress, 0, total, message)
    for n, (u, v) in enumerate(pairs.tolist()):
        if time.monotonic() - last_report >= _REPORT_EVERY_S:
            check_cancelled(cancel)
            report(progress, n, total, message)
            last_report = time.monotonic()
        if test.mode is Mode.HARD:
            box_lo, box_hi = np.maximum(pool.lo[u], pool.lo[v]), np.minimum(pool.hi[u], pool.hi[v])
            outcome = penetration(pool.mesh(u), pool.mesh(v), box_lo, box_hi, test.tolerance)
        else:
            outcome = gap(pool.mesh(u), pool.mesh(v), (pool.lo[u], pool.hi[u]), (pool.lo[v], pool.hi[v]),
                          test.clearance)
        if outcome is not None:
            found.append((u, v, outcome))
    check_cancelled(cancel)
    report(progress, total, total, message)
    return found


def _clash(pool: _Pool, test: ClashTest, relations: _Relations, u: int, v: int, outcome) -> Clash:
    (ma, ia), (mb, ib) = pool.keys[u], pool.keys[v]
    a = _clash_element(pool.models[ma], ia, relations.of(ma))
    b = _clash_element(pool.models[mb], ib, relations.of(mb))
    identity = clash_id(test.name, a.model_id, a.global_id, b.model_id, b.global_id)
    if test.mode is Mode.HARD:
        return Clash(identity, test.name, test.mode, a, b, outcome.point, depth=outcome.depth)
    return Clash(identity, test.name, test.mode, a, b, outcome.point, distance=outcome.distance,
                 closest_points=(outcome.point_a, outcome.point_b))


def run_clash_test(test: ClashTest, models: Sequence[LoadedModel], *, progress: Optional[ProgressFn] = None,
                   cancel: Optional[CancelFn] = None) -> ClashRun:
    """Run ``test`` on ``models`` (loaded with :func:`bim.federation.load_model`) and return what it finds.

    ``progress(done, total, message)`` follows the exact tests; ``cancel()``
    returning True raises :class:`bim.progress.Cancelled`. Raises
    :class:`ClashDefinitionError` for a filter naming a class no IFC schema has.
    """
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    check_classes(test.a.classes + test.b.classes)
    report(progress, 0, 1, _("Selecting elements"))
    pool = _Pool(test, models)
    check_cancelled(cancel)
    candidates = _candidate_pairs(pool, test)
    relations = _Relations(pool)
    pairs = _without_exclusions(pool, candidates, test, relations, cancel)
    found = _exact_tests(pool, pairs, test, progress, cancel)
    clashes = sorted((_clash(pool, test, relations, u, v, outcome) for u, v, outcome in found), key=lambda c: c.id)
    versions = tuple(ModelVersion(pool.models[m].model_id, pool.models[m].name, pool.models[m].file_hash,
                                  pool.models[m].trade) for m in sorted(pool.geometry))
    stats = RunStats(elements_a=int(pool.in_a.sum()), elements_b=int(pool.in_b.sum()),
                     candidate_pairs=len(candidates), excluded_pairs=len(candidates) - len(pairs),
                     tested_pairs=len(pairs), seconds=round(time.perf_counter() - started, 4))
    return ClashRun(test, tuple(clashes), versions, stats, started_at)
