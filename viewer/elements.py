"""Element handles and per-element display state, as numpy arrays indexed by handle.

Every :data:`~viewer.types.ElementKey` the scene hears of gets a small integer
handle, for good: a model that is reloaded (or streams in more elements) maps its
elements to the same handles, so selection, hiding and colours survive it. Keys
named before their model is loaded (a viewpoint restored while loading) get a
handle too and take effect when the geometry arrives.

All state is kept per handle in flat arrays so that a bucket's per-triangle masks
are a single gather (``state[triangle_handle]``), never a Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from viewer.types import ElementKey

# Display categories with their own visibility switch.
CATEGORY_OTHER, CATEGORY_SPACE, CATEGORY_OPENING = 0, 1, 2
_OPENING_CLASSES = frozenset({"IfcOpeningElement", "IfcOpeningStandardCase", "IfcVoidingFeature"})

# Visibility overrides set by hide/isolate; 0 follows the element's default.
OVERRIDE_NONE, OVERRIDE_HIDDEN, OVERRIDE_SHOWN = 0, -1, 1


def category_of(ifc_class: str) -> int:
    """The display category of an IFC class (spaces and openings have their own switches)."""
    if ifc_class == "IfcSpace":
        return CATEGORY_SPACE
    if ifc_class in _OPENING_CLASSES:
        return CATEGORY_OPENING
    return CATEGORY_OTHER


class ElementRegistry:
    """Keys ↔ handles, and the display state of every element."""

    def __init__(self) -> None:
        self._handle_of: dict[ElementKey, int] = {}
        self.keys: list[ElementKey] = []
        self._capacity = 0
        self.override = np.zeros(0, np.int8)
        self.hidden_by_default = np.zeros(0, bool)
        self.category = np.zeros(0, np.int8)
        self.selected = np.zeros(0, bool)
        self.has_colour = np.zeros(0, bool)
        self.colour = np.zeros((0, 3), np.uint8)
        self.xray_keep = np.zeros(0, bool)
        self._grow(1024)

    def __len__(self) -> int:
        return len(self.keys)

    def _grow(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = max(needed, 2 * self._capacity, 1024)

        def grown(array: np.ndarray) -> np.ndarray:
            out = np.zeros((capacity, *array.shape[1:]), array.dtype)
            out[: len(array)] = array
            return out

        self.override = grown(self.override)
        self.hidden_by_default = grown(self.hidden_by_default)
        self.category = grown(self.category)
        self.selected = grown(self.selected)
        self.has_colour = grown(self.has_colour)
        self.colour = grown(self.colour)
        self.xray_keep = grown(self.xray_keep)
        self._capacity = capacity

    def handle(self, key: ElementKey) -> int:
        """The handle of ``key``, allocating one on first sight."""
        handle = self._handle_of.get(key)
        if handle is None:
            handle = len(self.keys)
            self._grow(handle + 1)
            self._handle_of[key] = handle
            self.keys.append(key)
        return handle

    def find(self, key: ElementKey) -> int | None:
        """The handle of ``key`` if it has one."""
        return self._handle_of.get(key)

    def handles(self, keys: Iterable[ElementKey]) -> np.ndarray:
        """Handles of ``keys`` (allocated as needed) as an int64 array."""
        return np.fromiter((self.handle(tuple(k)) for k in keys), np.int64)

    def key(self, handle: int) -> ElementKey:
        """The key of a handle."""
        return self.keys[handle]

    def keys_of(self, handles: np.ndarray) -> set[ElementKey]:
        """Keys of many handles."""
        keys = self.keys
        return {keys[h] for h in handles.tolist()}
