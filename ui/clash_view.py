"""Showing clashes in 3D: both elements in their trade colours, everything else x-rayed, the point marked.

The window's own view state (its colour-by, the x-ray switch) is put back by
:func:`leave_clash_view` when the coordinator stops looking at clashes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from bim.trades import TRADE_BY_CODE, trade_name
from checks.clash import Clash
from viewer import camera as cameras

UNKNOWN_TRADE_COLOUR = (128, 128, 128)
# Metres shown on each side of a clash point when it is framed.
FRAME_MARGIN = 1.5


def clash_keys(clashes: Iterable[Clash]) -> list[tuple[str, str]]:
    """The element keys (model id, GlobalId) of the clashes' two sides, without repeats."""
    keys: dict[tuple[str, str], None] = {}
    for clash in clashes:
        keys[(clash.a.model_id, clash.a.global_id)] = None
        keys[(clash.b.model_id, clash.b.global_id)] = None
    return list(keys)


def trade_colour(code: str) -> tuple[int, int, int]:
    """The colour a trade is drawn in."""
    trade = TRADE_BY_CODE.get(code)
    return trade.colour if trade else UNKNOWN_TRADE_COLOUR


def show_clashes(window, clashes: list[Clash]) -> None:
    """Frame the clash points, their elements in trade colours over an x-rayed model, the points marked."""
    scene = window.scene
    keys = [k for k in clash_keys(clashes) if scene.handle_for_key(k) is not None]
    known = set(keys)
    mapping, legend = {}, {}
    for clash in clashes:
        for side in (clash.a, clash.b):
            key = (side.model_id, side.global_id)
            if key in known:  # an element of a resolved clash may be gone from the new model version
                mapping[key] = legend[side.trade] = trade_colour(side.trade)
    # The selection highlight would hide the trade colours: the clash is shown unselected.
    if scene.selection:
        window.select([])
    with scene.batch():
        scene.show(keys)
        scene.colour_by(mapping, [(f"{code} – {trade_name(code)}", colour) for code, colour in sorted(legend.items())])
        scene.set_xray(True, keys)
    points = [clash.point for clash in clashes]
    scene.set_markers(points)
    if points:
        frame_points(scene, points)
    window.viewport.render()


def frame_points(scene, points) -> None:
    """Frame the clash points with room around them: a long beam must not shrink the clash to a dot."""
    model_points = np.asarray(points, np.float64).reshape(-1, 3)
    lo = model_points.min(axis=0) - FRAME_MARGIN - scene.origin
    hi = model_points.max(axis=0) + FRAME_MARGIN - scene.origin
    cameras.fit_bounds(scene.renderer, lo, hi)
    scene.renderer.ResetCameraClippingRange()  # keep the x-rayed context beyond the framed box drawn


def leave_clash_view(window) -> None:
    """Remove the marker and the clash colours, back to the window's own colouring and x-ray switch."""
    scene = window.scene
    scene.set_markers(())
    mode = window.colour_combo.currentData()
    scene.set_xray(window.xray_action.isChecked())
    if mode in ("none", "class", "trade", "model"):
        window.colour_by(mode)  # also redraws the legend and renders
    else:
        scene.reset_colours()
        window.viewport.render()
