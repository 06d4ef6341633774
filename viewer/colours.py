"""Colours of the scene and categorical colourings (by class, by trade, by property value).

Display colours are plain ``(r, g, b)`` tuples of ints 0-255; viewpoints store them
as ``#RRGGBB`` strings, converted here.
"""

from __future__ import annotations

import colorsys
from collections import Counter
from collections.abc import Mapping

from bim.i18n import _

from viewer.types import ElementKey

RGB = tuple[int, int, int]

#: Selected elements: a bright cyan-blue nobody uses for a building material.
HIGHLIGHT: RGB = (0, 174, 255)
#: Elements left out of a colour-by mapping: neutral light grey, so the coloured ones stand out.
NEUTRAL: RGB = (214, 214, 214)
#: X-rayed (ghosted) elements: grey and mostly transparent.
GHOST_RGBA: tuple[int, int, int, int] = (190, 196, 204, 40)
#: "No value" entries in categorical colourings: a darker grey than NEUTRAL, so
#: "has no value" reads differently from "not part of this colouring".
NO_VALUE: RGB = (128, 128, 128)
#: Background gradient: white at the top, light blue at the bottom.
BACKGROUND_TOP = (1.0, 1.0, 1.0)
BACKGROUND_BOTTOM = (0.80, 0.87, 0.95)

# Colour-blind-friendly hues first (Okabe-Ito), then Kelly's colours of maximum contrast,
# without white, black, greys and the highlight's cyan-blue: the first few (given to
# the largest categories) are the most distinct from each other.
PALETTE: tuple[RGB, ...] = (
    (230, 159, 0),
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (240, 228, 66),
    (148, 103, 189),
    (166, 30, 77),
    (129, 112, 102),
    (0, 125, 52),
    (246, 118, 142),
    (83, 55, 122),
    (255, 122, 92),
    (179, 40, 81),
    (244, 200, 0),
    (127, 24, 13),
    (147, 170, 0),
    (89, 51, 21),
    (241, 58, 19),
    (35, 44, 22),
)


def palette_colour(index: int) -> RGB:
    """The ``index``-th categorical colour; past the fixed palette, golden-ratio hues."""
    if index < len(PALETTE):
        return PALETTE[index]
    # Golden-ratio hue steps stay well apart for any count, alternating
    # lightness so neighbours differ in more than hue.
    hue = (index * 0.618033988749895) % 1.0
    light = 0.45 if index % 2 else 0.62
    r, g, b = colorsys.hls_to_rgb(hue, light, 0.75)
    return (round(r * 255), round(g * 255), round(b * 255))


def categorical_colouring(
    values: Mapping[ElementKey, str | None],
) -> tuple[dict[ElementKey, RGB], list[tuple[str, RGB]]]:
    """Give every distinct value its own colour; elements without a value share "no value".

    Returns ``(mapping, legend)`` for :meth:`viewer.scene.Scene.colour_by`. The largest
    categories get the first (most distinct) palette colours; the legend lists
    categories by decreasing count, then name, with "no value" last.
    """
    counts = Counter(v for v in values.values() if v is not None and v != "")
    ordered = sorted(counts, key=lambda v: (-counts[v], str(v)))
    colour_of = {value: palette_colour(i) for i, value in enumerate(ordered)}
    mapping: dict[ElementKey, RGB] = {}
    missing = False
    for key, value in values.items():
        if value is None or value == "":
            mapping[key] = NO_VALUE
            missing = True
        else:
            mapping[key] = colour_of[value]
    legend = [(str(value), colour_of[value]) for value in ordered]
    if missing:
        legend.append((_("no value"), NO_VALUE))
    return mapping, legend


def to_hex(rgb: RGB) -> str:
    """``(r, g, b)`` as ``#RRGGBB`` (the BCF colour form)."""
    return "#{:02X}{:02X}{:02X}".format(*(int(c) for c in rgb[:3]))


def from_hex(text: str) -> RGB:
    """``#RRGGBB`` or ``#AARRGGBB`` (BCF) as ``(r, g, b)``; the alpha is ignored."""
    digits = text.strip().lstrip("#")
    if len(digits) == 8:
        digits = digits[2:]
    if len(digits) != 6:
        raise ValueError(_("not a #RRGGBB colour: {text}").format(text=repr(text)))
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
