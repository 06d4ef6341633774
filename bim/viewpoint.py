"""A viewpoint as BCF understands it, in model coordinates (metres), free of any toolkit.

The viewer captures and restores these; the project database stores them as BCF
viewpoints. Coordinates are always the models' own (never the viewer's shifted
local frame), so a viewpoint stays valid whatever origin shift the viewer uses.
Elements are named by IFC GlobalId (and, when known, the model they belong to).
"""

from __future__ import annotations

from dataclasses import dataclass, field


Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class Camera:
    """Camera in model coordinates. ``field_of_view`` (degrees) for perspective,
    ``view_to_world_scale`` (height of the view in metres) for orthographic."""

    position: Vec3
    direction: Vec3
    up: Vec3
    perspective: bool = True
    field_of_view: float = 60.0
    view_to_world_scale: float = 10.0
    aspect_ratio: float = 1.6


@dataclass(frozen=True)
class ComponentRef:
    """An element named the BCF way: its GlobalId, and optionally the model it came from."""

    global_id: str
    model_id: str | None = None
    authoring_tool_id: str | None = None


@dataclass(frozen=True)
class Colouring:
    """One colour (``#RRGGBB`` or ``#AARRGGBB``) applied to a set of elements."""

    color: str
    components: tuple[ComponentRef, ...]


@dataclass(frozen=True)
class ClippingPlane:
    """A plane through ``location``; what lies on the side ``direction`` points to is cut away."""

    location: Vec3
    direction: Vec3


@dataclass(frozen=True)
class Line:
    start: Vec3
    end: Vec3


@dataclass(frozen=True)
class Viewpoint:
    """What a user saw: camera, visibility (a default plus exceptions, BCF style),
    selection, colours, clipping planes, lines and an optional PNG snapshot."""

    camera: Camera
    default_visibility: bool = True
    exceptions: tuple[ComponentRef, ...] = ()
    selection: tuple[ComponentRef, ...] = ()
    colourings: tuple[Colouring, ...] = ()
    clipping_planes: tuple[ClippingPlane, ...] = ()
    lines: tuple[Line, ...] = ()
    spaces_visible: bool = False
    openings_visible: bool = False
    snapshot_png: bytes | None = field(default=None, repr=False, compare=False)
