"""Flag quantities whose declared and computed values disagree.

A relative tolerance (1 % by default) decides; tiny absolute differences
(under a millimetre, a square centimetre, a cubic centimetre, a gram) never
flag, or every sliver of rounding in a small element would.
"""

from __future__ import annotations

from typing import Mapping

from checks.takeoff.kinds import KIND_BY_KEY
from checks.takeoff.values import Discrepancy, Quantity, Value

DEFAULT_TOLERANCE = 0.01
ABSOLUTE_FLOOR = {"count": 0.5, "length": 1e-3, "area": 1e-4, "volume": 1e-6, "mass": 1e-3}


def differs(declared: float, computed: float, dimension: str, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether ``computed`` differs from ``declared`` by more than ``tolerance`` × |declared| and the floor."""
    difference = abs(computed - declared)
    if difference <= ABSOLUTE_FLOOR.get(dimension, 0.0):
        return False
    return difference > tolerance * abs(declared)


def discrepancies(declared: Mapping[str, Quantity], computed: Mapping[str, Value],
                  tolerance: float = DEFAULT_TOLERANCE) -> tuple[Discrepancy, ...]:
    """Every kind declared and computed whose values differ (see :func:`differs`)."""
    found = []
    for key, d in declared.items():
        c = computed.get(key)
        if isinstance(c, Quantity) and differs(d.value, c.value, KIND_BY_KEY[key].dimension, tolerance):
            found.append(Discrepancy(key, d, c))
    return tuple(found)
