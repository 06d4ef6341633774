"""Section planes and the section box, kept in model coordinates.

Three axis planes (x, y, z) and a box combine per axis into at most a lower and an
upper bound, so the mappers never need more than the six clipping planes OpenGL
offers. Viewpoints store them the BCF way: each ``ClippingPlane``'s direction points
to the side that is cut away. Planes that are not axis-aligned (from a foreign
BCF file) are kept as extra planes, as many as the six-plane budget leaves room for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPlane, vtkPlaneCollection

from bim.i18n import _
from bim.viewpoint import ClippingPlane

AXES = ("x", "y", "z")
MAX_PLANES = 6
#: A hit closer than this to a cutting plane (metres) counts as not clipped, so a
#: face lying on the plane stays pickable.
CLIP_TOLERANCE = 1e-6


def axis_index(axis: str) -> int:
    """0, 1 or 2 for "x", "y" or "z"."""
    try:
        return AXES.index(axis.lower())
    except (ValueError, AttributeError):
        raise ValueError(_("unknown axis {axis}: use x, y or z").format(axis=repr(axis))) from None


@dataclass
class SectionState:
    """Active section planes (per axis), section box and extra planes, model coordinates."""

    #: axis -> (position, flip); not flipped cuts away what lies beyond ``position``.
    planes: dict[str, tuple[float, bool]] = field(default_factory=dict)
    box: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None
    #: Non axis-aligned planes as (location, direction towards the cut-away side).
    extra: list[tuple[tuple[float, float, float], tuple[float, float, float]]] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """True when anything is cut away."""
        return bool(self.planes or self.box or self.extra)

    def clipping_planes(self) -> tuple[ClippingPlane, ...]:
        """BCF clipping planes: section planes in axis order, then the box's six, then extras."""
        out: list[ClippingPlane] = []
        for axis in AXES:
            if axis in self.planes:
                position, flip = self.planes[axis]
                i = axis_index(axis)
                location = [0.0, 0.0, 0.0]
                location[i] = float(position)
                direction = [0.0, 0.0, 0.0]
                direction[i] = -1.0 if flip else 1.0
                out.append(ClippingPlane(tuple(location), tuple(direction)))
        if self.box is not None:
            lo, hi = self.box
            for i in range(3):
                for value, sign in ((lo[i], -1.0), (hi[i], 1.0)):
                    location = [0.0, 0.0, 0.0]
                    location[i] = float(value)
                    direction = [0.0, 0.0, 0.0]
                    direction[i] = sign
                    out.append(ClippingPlane(tuple(location), tuple(direction)))
        out.extend(ClippingPlane(tuple(map(float, loc)), tuple(map(float, d))) for loc, d in self.extra)
        return tuple(out)

    @classmethod
    def from_clipping_planes(cls, planes: tuple[ClippingPlane, ...] | list[ClippingPlane]) -> SectionState:
        """The inverse of :meth:`clipping_planes`; reads any BCF plane list.

        Six axis-aligned planes bounding a box on every axis (the last six when there
        are more) become the section box; other axis-aligned planes become section
        planes (the last one per axis wins); the rest are kept as extra planes.
        """
        state = cls()
        planes = list(planes)
        parsed = [_axis_plane(p) for p in planes]
        if len(planes) >= 6:
            tail = parsed[-6:]
            box = _as_box(tail)
            if box is not None:
                state.box = box
                planes, parsed = planes[:-6], parsed[:-6]
        for plane, axis_plane in zip(planes, parsed):
            if axis_plane is None:
                norm = float(np.linalg.norm(plane.direction))
                if norm > 0:
                    direction = tuple(float(c) / norm for c in plane.direction)
                    state.extra.append((tuple(map(float, plane.location)), direction))
            else:
                i, position, sign = axis_plane
                state.planes[AXES[i]] = (position, sign < 0)
        return state

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-axis (lower, upper) kept range from the axis planes and the box (±inf when open)."""
        lo = np.full(3, -np.inf)
        hi = np.full(3, np.inf)
        for axis, (position, flip) in self.planes.items():
            i = axis_index(axis)
            if flip:
                lo[i] = max(lo[i], position)
            else:
                hi[i] = min(hi[i], position)
        if self.box is not None:
            lo = np.maximum(lo, self.box[0])
            hi = np.minimum(hi, self.box[1])
        return lo, hi

    def effective_planes(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The planes actually applied, as (point, normal towards the KEPT side), model coords."""
        lo, hi = self.bounds()
        out = []
        for i in range(3):
            for value, sign in ((lo[i], 1.0), (hi[i], -1.0)):
                if np.isfinite(value):
                    point = np.zeros(3)
                    point[i] = value
                    normal = np.zeros(3)
                    normal[i] = sign
                    out.append((point, normal))
        for location, direction in self.extra[: MAX_PLANES - len(out)]:
            out.append((np.asarray(location, float), -np.asarray(direction, float)))
        return out

    def clipped(self, model_points: np.ndarray) -> np.ndarray:
        """For each (n, 3) model point, whether the sections cut it away."""
        points = np.asarray(model_points, float).reshape(-1, 3)
        out = np.zeros(len(points), bool)
        for point, normal in self.effective_planes():
            out |= (points - point) @ normal < -CLIP_TOLERANCE
        return out

    def fill_collection(self, collection: vtkPlaneCollection, origin: np.ndarray) -> None:
        """Write the effective planes, shifted to the local frame, into ``collection``."""
        collection.RemoveAllItems()
        for point, normal in self.effective_planes():
            plane = vtkPlane()
            plane.SetOrigin(*(point - origin))
            plane.SetNormal(*normal)
            collection.AddItem(plane)


def _axis_plane(plane: ClippingPlane) -> tuple[int, float, float] | None:
    """(axis, position, sign) of an axis-aligned plane, else None."""
    direction = np.asarray(plane.direction, float)
    norm = np.linalg.norm(direction)
    if norm == 0:
        return None
    direction = direction / norm
    i = int(np.argmax(np.abs(direction)))
    if abs(abs(direction[i]) - 1.0) > 1e-9:
        return None
    return i, float(plane.location[i]), float(np.sign(direction[i]))


def _as_box(parsed: list[tuple[int, float, float] | None]):
    """A (min, max) box if these six axis planes bound every axis on both sides."""
    lo: dict[int, float] = {}
    hi: dict[int, float] = {}
    for item in parsed:
        if item is None:
            return None
        i, position, sign = item
        target = lo if sign < 0 else hi
        if i in target:
            return None
        target[i] = position
    if len(lo) != 3 or len(hi) != 3:
        return None
    return (tuple(lo[i] for i in range(3)), tuple(hi[i] for i in range(3)))
