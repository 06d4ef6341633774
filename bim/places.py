"""Where each element is: its storey, its space, its type — the places issues are counted by.

The element index knows each element's storey (its spatial container) and type, but
not its space: models rarely relate elements to IfcSpaces (and never across trades:
the HVAC model's duct knows nothing of the architect's rooms). So the space is
computed from the geometry: an element lies in the space whose bounding box holds
the centre of its own bounding box (the smallest such space when boxes nest). It is
a simple rule, right for what sits inside a room (furniture, terminals, pipes and
ducts running through it) and arbitrary for what bounds several rooms (a wall
belongs to the room its centre falls in, a slab to none).

Qt-free and VTK-free: the hit parade (project_db) and the heat-map (viewer) share
the same keys through :func:`place_key`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

ElementKey = tuple[str, str]  # (model id, GlobalId), as in bim.federation

#: The levels places are counted at, coarsest first.
LEVELS = ("storey", "space", "type", "element")

SPACE_CLASS = "IfcSpace"
# Centres on a space's face count as inside (models are in metres).
_TOLERANCE_M = 0.01
# Elements compared with every space at once, a chunk at a time, to bound memory.
_CHUNK = 20_000


@dataclass(frozen=True)
class ElementPlace:
    """One element with everything that places it: storey name, type, and the GlobalId of its space."""

    global_id: str
    ifc_class: str
    name: str = ""
    storey: str = ""
    type_name: str = ""
    space: str = ""  # GlobalId of the IfcSpace it lies in ("" none; a space lies in itself)


def type_key(ifc_class: str, type_name: str) -> str:
    """The key of an element type: class and type name (elements without a type group by class)."""
    return f"{ifc_class}:{type_name}"


def place_key(level: str, place) -> str | None:
    """The key of the place at ``level`` ("storey", "space", "type", "element") of an element, or None.

    ``place`` is an :class:`ElementPlace` or any record with the same attributes
    (a :class:`bim.elements.ElementRecord` has no ``space``: it lies in none).
    """
    if level == "storey":
        return place.storey or None
    if level == "space":
        return getattr(place, "space", "") or None
    if level == "type":
        return type_key(place.ifc_class, place.type_name)
    if level == "element":
        return place.global_id
    raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")


def element_places(models: Iterable, origin=None) -> dict[ElementKey, ElementPlace]:
    """Every element of ``models`` (loaded models: ``model_id``, ``elements``, ``mesh``) with its place.

    ``origin`` is the federation's local origin: bounds are compared in the local
    frame, where float32 keeps millimetres even for georeferenced models.
    """
    models = list(models)
    keys: list[ElementKey] = []
    records = []
    lows, highs = [], []
    for model in models:
        elements = model.elements
        lo, hi = model.mesh.element_bounds(len(elements), origin)
        keys.extend((model.model_id, e.global_id) for e in elements)
        records.extend(elements)
        lows.append(lo)
        highs.append(hi)
    if not records:
        return {}
    lo, hi = np.concatenate(lows).astype(np.float64), np.concatenate(highs).astype(np.float64)
    spaces = _spaces_of(records, lo, hi)
    return {
        key: ElementPlace(record.global_id, record.ifc_class, record.name, record.storey, record.type_name,
                          spaces[i])
        for i, (key, record) in enumerate(zip(keys, records))
    }


def _spaces_of(records, lo: np.ndarray, hi: np.ndarray) -> list[str]:
    """Per element, the GlobalId of the space holding its centre ("" none)."""
    result = [""] * len(records)
    is_space = np.fromiter((r.ifc_class == SPACE_CLASS for r in records), bool, len(records))
    has_box = np.isfinite(lo).all(axis=1) & np.isfinite(hi).all(axis=1)
    space_index = np.flatnonzero(is_space & has_box)
    for i in np.flatnonzero(is_space):
        result[i] = records[i].global_id
    if not len(space_index):
        return result
    s_lo = lo[space_index] - _TOLERANCE_M
    s_hi = hi[space_index] + _TOLERANCE_M
    volume = np.prod(hi[space_index] - lo[space_index], axis=1)
    candidates = np.flatnonzero(~is_space & has_box)
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start:start + _CHUNK]
        centre = (lo[chunk] + hi[chunk]) / 2.0
        inside = ((centre[:, None, :] >= s_lo[None]) & (centre[:, None, :] <= s_hi[None])).all(axis=2)
        # The smallest containing space wins: a room inside a zone-sized space.
        sized = np.where(inside, volume[None, :], np.inf)
        best = np.argmin(sized, axis=1)
        found = inside[np.arange(len(chunk)), best]
        for element, space, ok in zip(chunk, best, found):
            if ok:
                result[element] = records[space_index[space]].global_id
    return result
