"""Plain data exchanged with the scene: element identities, display info, pick results.

Nothing here imports VTK, so the loader and the Qt layer can use these types
without pulling in the rendering stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: An element as the rest of the application names it: (model_id, IFC GlobalId).
#: GlobalIds may repeat across models, so the model is part of the identity.
ElementKey = tuple[str, str]


@dataclass(frozen=True)
class ElementDisplayInfo:
    """What the scene needs to know about one element of a model."""

    global_id: str
    ifc_class: str
    #: Spaces and openings start hidden; spaces can be shown (transparent) later.
    hidden_by_default: bool = False


@dataclass(frozen=True)
class PickResult:
    """The nearest visible element under a display point."""

    key: ElementKey
    #: Hit point in the scene's local (shifted, float32-safe) frame.
    local_point: tuple[float, float, float]
    #: Hit point in model coordinates (local point + scene origin, float64).
    model_point: tuple[float, float, float]
    #: Index of the hit triangle in the model's ``triangles`` array.
    cell_id: int
    #: True when only an x-rayed (ghosted) element was under the point.
    xrayed: bool = False


@dataclass
class ModelMesh:
    """One model's geometry in the data contract of :meth:`viewer.scene.Scene.set_model`.

    A convenience bundle for callers that pass models around (the offscreen
    renderer, tests); the scene itself takes the arrays as keyword arguments.
    """

    model_id: str
    vertices: np.ndarray
    triangles: np.ndarray
    triangle_element: np.ndarray
    triangle_rgba: np.ndarray
    elements: Sequence[ElementDisplayInfo] = field(default_factory=tuple)
    #: Per-element (min, max) in the local frame, when known (else computed from the triangles).
    element_bounds: tuple[np.ndarray, np.ndarray] | None = None
