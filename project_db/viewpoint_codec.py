"""A :class:`bim.viewpoint.Viewpoint` as JSON data and back, without losing anything.

Floats go through JSON unchanged (Python writes the shortest text that reads back
to the same double), tuples become lists and come back as tuples, so
``decode(encode(v)) == v`` field for field. The snapshot is stored apart (binary).
"""

from __future__ import annotations

from typing import Any

from bim.viewpoint import Camera, ClippingPlane, Colouring, ComponentRef, Line, Viewpoint


def _vec(values: Any) -> tuple[float, float, float]:
    x, y, z = values
    return (float(x), float(y), float(z))


def _component(ref: ComponentRef) -> list:
    return [ref.global_id, ref.model_id, ref.authoring_tool_id]


def _ref(data: list) -> ComponentRef:
    return ComponentRef(global_id=data[0], model_id=data[1], authoring_tool_id=data[2])


def encode(
    viewpoint: Viewpoint,
    *,
    has_camera: bool = True,
    space_boundaries_visible: bool = False,
    originating_systems: tuple[tuple[str, str], ...] = (),
) -> dict:
    """The JSON data stored for ``viewpoint`` (snapshot excluded) and its BCF-only extras."""
    cam = viewpoint.camera
    return {
        "camera": {
            "position": list(cam.position),
            "direction": list(cam.direction),
            "up": list(cam.up),
            "perspective": cam.perspective,
            "field_of_view": cam.field_of_view,
            "view_to_world_scale": cam.view_to_world_scale,
            "aspect_ratio": cam.aspect_ratio,
        },
        "has_camera": has_camera,
        "default_visibility": viewpoint.default_visibility,
        "exceptions": [_component(c) for c in viewpoint.exceptions],
        "selection": [_component(c) for c in viewpoint.selection],
        "colourings": [{"color": c.color, "components": [_component(r) for r in c.components]}
                       for c in viewpoint.colourings],
        "clipping_planes": [[list(p.location), list(p.direction)] for p in viewpoint.clipping_planes],
        "lines": [[list(line.start), list(line.end)] for line in viewpoint.lines],
        "spaces_visible": viewpoint.spaces_visible,
        "openings_visible": viewpoint.openings_visible,
        "space_boundaries_visible": space_boundaries_visible,
        "originating_systems": [list(pair) for pair in originating_systems],
    }


def decode(data: dict, snapshot: bytes | None = None) -> Viewpoint:
    """The viewpoint stored as ``data``, with its snapshot bytes."""
    cam = data["camera"]
    return Viewpoint(
        camera=Camera(
            position=_vec(cam["position"]),
            direction=_vec(cam["direction"]),
            up=_vec(cam["up"]),
            perspective=bool(cam["perspective"]),
            field_of_view=float(cam["field_of_view"]),
            view_to_world_scale=float(cam["view_to_world_scale"]),
            aspect_ratio=float(cam["aspect_ratio"]),
        ),
        default_visibility=bool(data["default_visibility"]),
        exceptions=tuple(_ref(c) for c in data["exceptions"]),
        selection=tuple(_ref(c) for c in data["selection"]),
        colourings=tuple(
            Colouring(color=c["color"], components=tuple(_ref(r) for r in c["components"])) for c in data["colourings"]
        ),
        clipping_planes=tuple(ClippingPlane(location=_vec(p[0]), direction=_vec(p[1])) for p in data["clipping_planes"]),
        lines=tuple(Line(start=_vec(s), end=_vec(e)) for s, e in data["lines"]),
        spaces_visible=bool(data["spaces_visible"]),
        openings_visible=bool(data["openings_visible"]),
        snapshot_png=snapshot,
    )


def extras(data: dict) -> dict:
    """The BCF-only extras stored with a viewpoint: has_camera, space_boundaries_visible, originating_systems."""
    return {
        "has_camera": bool(data.get("has_camera", True)),
        "space_boundaries_visible": bool(data.get("space_boundaries_visible", False)),
        "originating_systems": tuple(tuple(p) for p in data.get("originating_systems", ())),
    }
