"""The heat-map: colour the elements of the 3D view by how many issues their place has.

Counts go through a yellow → orange → red ramp (after ColorBrewer's YlOrRd, which
reads in order for colour-blind eyes and in greyscale); the place with the most
issues gets the hottest colour. Elements of places without issues are not in the
mapping, so the scene draws them in its neutral colour-by grey and the hot spots
stand out. :class:`HeatMap` applies a colouring through
:meth:`viewer.scene.Scene.colour_by` (nothing is re-tessellated) and puts back
whatever colouring the scene had before when it is switched off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bim.i18n import _, ngettext
from bim.places import place_key

from viewer import colours
from viewer.types import ElementKey

RGB = tuple[int, int, int]

#: The ramp's stops, coolest first: light yellow, orange, red, deep red.
RAMP: tuple[RGB, ...] = ((255, 224, 120), (253, 150, 60), (232, 52, 38), (177, 0, 38))
#: Legend entries at most: above this many different counts, counts are grouped in ranges.
LEGEND_STEPS = 6


def heat_colour(count: int, max_count: int) -> RGB | None:
    """The colour of ``count`` issues when the hottest place has ``max_count`` (None for none)."""
    if count <= 0 or max_count <= 0:
        return None
    t = 1.0 if max_count == 1 else min(1.0, (count - 1) / (max_count - 1))
    return ramp(t)


def ramp(t: float) -> RGB:
    """The ramp's colour at ``t`` in [0, 1] (0 coolest, 1 hottest)."""
    t = min(1.0, max(0.0, float(t)))
    span = t * (len(RAMP) - 1)
    i = min(int(span), len(RAMP) - 2)
    f = span - i
    a, b = RAMP[i], RAMP[i + 1]
    return tuple(round(a[c] + (b[c] - a[c]) * f) for c in range(3))


def heat_legend(counts: Iterable[int]) -> list[tuple[str, RGB]]:
    """Legend entries for the places' ``counts``, hottest first, ending with "no issues" in the neutral grey.

    Each count that occurs gets its entry; with more than :data:`LEGEND_STEPS`
    different counts, the range 1…max is cut in equal ranges and those holding a
    count are listed.
    """
    present = sorted({int(c) for c in counts if c > 0}, reverse=True)
    max_count = present[0] if present else 0
    entries: list[tuple[str, RGB]] = []
    if len(present) <= LEGEND_STEPS:
        for n in present:
            entries.append((ngettext("{n} issue", "{n} issues", n).format(n=n), heat_colour(n, max_count)))
    else:
        edges = [round(1 + (max_count - 1) * k / LEGEND_STEPS) for k in range(LEGEND_STEPS + 1)]
        ranges = [(edges[k] + (1 if k else 0), edges[k + 1]) for k in range(LEGEND_STEPS)]
        for low, high in reversed(ranges):
            if low > high or not any(low <= n <= high for n in present):
                continue
            label = (ngettext("{n} issue", "{n} issues", high).format(n=high) if low == high
                     else _("{low}–{high} issues").format(low=low, high=high))
            entries.append((label, heat_colour(high, max_count)))
    entries.append((_("no issues"), colours.NEUTRAL))
    return entries


def heat_mapping(level: str, counts: Mapping[str, int],
                 places: Iterable[tuple[ElementKey, object]]) -> dict[ElementKey, RGB]:
    """Each element's colour from the count of its place at ``level`` (elements of places without issues left out).

    ``places`` pairs each element key with its :class:`bim.places.ElementPlace`.
    """
    max_count = max(counts.values(), default=0)
    mapping: dict[ElementKey, RGB] = {}
    for key, place in places:
        colour = heat_colour(counts.get(place_key(level, place), 0), max_count)
        if colour is not None:
            mapping[tuple(key)] = colour
    return mapping


def place_elements(level: str, place: str, places: Iterable[tuple[ElementKey, object]]) -> list[ElementKey]:
    """The elements of one place (a storey's elements, a space's content and the space itself …)."""
    return [tuple(key) for key, record in places if place_key(level, record) == place]


class HeatMap:
    """Shows a heat colouring on a scene and takes it off again, restoring the colouring it replaced."""

    def __init__(self, scene):
        self.scene = scene
        self._saved: tuple[dict, list] | None = None  # the colouring before (None: the models' own)
        self._saved_xray = False
        self._see_through = False
        self._active = False
        self._legend: list = []

    @property
    def active(self) -> bool:
        """Whether the heat colouring is what the scene shows (see :meth:`still_shown`)."""
        return self._active

    def show(self, mapping: Mapping[ElementKey, RGB], legend: list[tuple[str, RGB]],
             see_through: bool = False) -> None:
        """Colour the scene (again, with new counts, while it is on).

        ``see_through`` ghosts the elements without issues (the scene's x-ray, keeping
        the coloured ones), so hot spots inside the building show from outside.
        """
        scene = self.scene
        with scene.batch():
            if not self._active:
                self._saved = (scene.colour_mapping, scene.legend) if scene.colouring_active else None
                self._saved_xray = scene.xray
            scene.colour_by(mapping, legend)
            if see_through:
                scene.set_xray(True, mapping.keys())
            elif self._see_through:
                scene.set_xray(self._saved_xray)
        self._see_through = see_through
        self._legend = scene.legend
        self._active = True

    def hide(self) -> None:
        """Take the heat colouring off: back to the previous colour-by (or the models' own colours) and x-ray."""
        if not self._active:
            return
        scene = self.scene
        with scene.batch():
            if self._saved is None:
                scene.reset_colours()
            else:
                scene.colour_by(*self._saved)
            if self._see_through:
                scene.set_xray(self._saved_xray)
        self.forget()

    def forget(self) -> None:
        """Stop tracking without touching the scene (something else recoloured it meanwhile)."""
        self._active = False
        self._saved = None
        self._see_through = False
        self._legend = []

    def still_shown(self) -> bool:
        """Whether the scene still shows this heat colouring (a viewpoint or a colour-by may have replaced it)."""
        return self._active and self.scene.colouring_active and self.scene.legend == self._legend
