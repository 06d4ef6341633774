"""Capture and restore :class:`bim.viewpoint.Viewpoint` from a scene.

Everything goes in model coordinates. Visibility is written the slim BCF way
(a default plus the shorter list of exceptions), colours grouped by colour,
clipping planes as section planes then the box's six. A capture, restore and
capture again gives an equal viewpoint (the snapshot bytes aside).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bim.viewpoint import Colouring, ComponentRef, Line, Viewpoint

from viewer.colours import from_hex, to_hex
from viewer.sections import SectionState
from viewer.types import ElementKey

if TYPE_CHECKING:
    from viewer.scene import Scene


def _refs(keys) -> tuple[ComponentRef, ...]:
    return tuple(ComponentRef(global_id=gid, model_id=mid) for mid, gid in sorted(keys))


def capture_viewpoint(scene: Scene, with_snapshot: bool = True) -> Viewpoint:
    """The scene's camera, visibility, selection, colours, sections and measurements."""
    default_visible, exceptions = scene.visibility_exceptions()
    by_colour: dict[str, list[ElementKey]] = defaultdict(list)
    for key, rgb in scene.colour_mapping.items():
        by_colour[to_hex(rgb)].append(key)
    colourings = tuple(Colouring(color=c, components=_refs(keys)) for c, keys in sorted(by_colour.items()))
    snapshot = None
    if with_snapshot and scene.render_window is not None:
        snapshot = scene.snapshot_png()
    return Viewpoint(
        camera=scene.camera_state(),
        default_visibility=default_visible,
        exceptions=_refs(exceptions),
        selection=_refs(scene.selection),
        colourings=colourings,
        clipping_planes=scene.sections.clipping_planes(),
        lines=tuple(Line(start=start, end=end) for start, end, _d in scene.measurements),
        spaces_visible=scene.spaces_visible,
        openings_visible=scene.openings_visible,
        snapshot_png=snapshot,
    )


def _keys(scene: Scene, refs) -> list[ElementKey]:
    """Keys of component refs; a ref without model goes to the first model having its GlobalId."""
    out = []
    for ref in refs:
        key = scene.resolve(ref.global_id, ref.model_id)
        if key is not None:
            out.append(key)
    return out


def restore_viewpoint(scene: Scene, viewpoint: Viewpoint) -> None:
    """Bring the scene back to ``viewpoint`` (x-ray is switched off: BCF has none)."""
    with scene.batch():
        scene.set_xray(False)
        scene.set_spaces_visible(viewpoint.spaces_visible)
        scene.set_openings_visible(viewpoint.openings_visible)
        scene.set_visibility(viewpoint.default_visibility, _keys(scene, viewpoint.exceptions))
        scene.select(_keys(scene, viewpoint.selection))
        if viewpoint.colourings:
            mapping = {}
            legend = []
            for colouring in viewpoint.colourings:
                rgb = from_hex(colouring.color)
                legend.append((to_hex(rgb), rgb))
                for key in _keys(scene, colouring.components):
                    mapping[key] = rgb
            scene.colour_by(mapping, legend)
        else:
            scene.reset_colours()
        scene.set_sections(SectionState.from_clipping_planes(viewpoint.clipping_planes))
        scene.clear_measurements()
        for line in viewpoint.lines:
            scene.measure(line.start, line.end)
    scene.set_camera_state(viewpoint.camera)
