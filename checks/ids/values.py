"""How IDS values compare with IFC values: typed casting, the IDS tolerance, restrictions.

ifctester compares an IDS ``simpleValue`` with a relative tolerance only and its
range bounds with none, so values next to zero or at a bound come out wrong
(18 cases of the buildingSMART suite). The IDS 1.0 rule, checked against those
cases, is:

    x equals v  when  v - (|v|·ε + ε)  ≤  x  ≤  v + (|v|·ε + ε),   ε = 1e-6

and the same slack widens inclusive bounds and narrows exclusive ones
(``minInclusive 0`` accepts -0.000001, ``minExclusive 0`` rejects 0.0000009).

:class:`SimpleValue` and :class:`IdsRestriction` replace the strings and
``Restriction`` objects ifctester parses into facets: its facets compare with
``==``/``!=``, so Python hands the comparison to these objects (reflected
operators) and the rule above applies without copying ifctester's code.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import ifcopenshell
from ifctester.facet import Restriction
from ifctester.facet import translate_pattern  # XSD regex → Python, as ifctester reads patterns

EPSILON = 1e-6

# Lexical spaces of the XSD types IDS values are written in (XML Schema part 2).
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DOUBLE = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN")
_BOOLEAN = ("true", "false", "1", "0")

NUMERIC_KINDS = ("integer", "real")


def is_lexical(text: str, kind: str) -> bool:
    """Whether ``text`` is a valid IDS literal for a value of ``kind`` (integer, real, boolean…)."""
    text = text.strip()
    if kind == "integer":
        return _INTEGER.fullmatch(text) is not None
    if kind == "real":
        return _DOUBLE.fullmatch(text) is not None
    if kind == "decimal":
        return _DECIMAL.fullmatch(text) is not None
    if kind == "boolean":
        return text in _BOOLEAN
    if kind == "logical":
        return text in (*_BOOLEAN, "unknown")
    return True


def tolerance(expected: float) -> float:
    """The IDS comparison slack around ``expected``: |v|·1e-6 + 1e-6."""
    return abs(expected) * EPSILON + EPSILON


def _ulp_slack(*values: float) -> float:
    # The suite puts values exactly on the tolerance bound (1 → 0.999998); a few
    # ulps of slack keep those on the right side despite binary rounding.
    return 4 * max(math.ulp(v) for v in values)


def floats_equal(found: float, expected: float) -> bool:
    """IDS equality of two real numbers, with the IDS tolerance."""
    slack = tolerance(expected)
    return abs(found - expected) <= slack + _ulp_slack(found, expected, slack)


def _as_number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def matches_simple(text: str, found) -> bool:
    """Whether an IFC value ``found`` equals the IDS literal ``text``, cast to the IFC value's type.

    Booleans accept the XSD spellings, integers must be equal exactly, reals
    within the IDS tolerance, strings exactly (case sensitive). Entities and
    lists never match a literal.
    """
    if isinstance(found, bool):
        if text in ("true", "1"):
            return found is True
        if text in ("false", "0"):
            return found is False
        return False
    if isinstance(found, int):
        number = _as_number(text)
        return number is not None and number == found
    if isinstance(found, float):
        number = _as_number(text)
        return number is not None and floats_equal(found, number)
    if isinstance(found, str):
        return found == text
    return False


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(translate_pattern(pattern, back_references=False, lazy_quantifiers=False, anchors=False))


class SimpleValue:
    """An IDS ``simpleValue`` that compares with IFC values the IDS way (see :func:`matches_simple`)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __eq__(self, other) -> bool:
        if isinstance(other, SimpleValue):
            return other.text == self.text
        return matches_simple(self.text, other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # compared by meaning, not identity; never a dict key

    def __bool__(self) -> bool:
        return bool(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"SimpleValue({self.text!r})"


class IdsRestriction(Restriction):
    """An ``xs:restriction`` with the IDS tolerance on numbers and XSD semantics for patterns.

    Several ``xs:pattern`` facets of one restriction are alternatives (XSD ORs
    them); every other kind of facet must hold.
    """

    def __eq__(self, other) -> bool:
        if other is None or isinstance(other, ifcopenshell.entity_instance):
            return False
        for constraint, value in self.options.items():
            values = value if isinstance(value, list) else [value]
            if constraint == "enumeration" and isinstance(other, str):
                # The common case (class names, labels): plain membership, no casting.
                if other not in values:
                    return False
            elif not _CHECKS.get(constraint, _always)(values, other):
                return False
        return True

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = None


def _always(values, other) -> bool:
    return True


def _enumeration(values, other) -> bool:
    return any(matches_simple(str(v), other) for v in values)


def _pattern(values, other) -> bool:
    if not isinstance(other, str):
        return False
    return any(_compiled(str(p)).fullmatch(other) is not None for p in values)


def _bound(test):
    def check(values, other) -> bool:
        found = _as_number(other)
        if found is None:
            return False
        for v in values:
            bound = _as_number(v)
            if bound is None or not test(found, bound, tolerance(bound) + _ulp_slack(found, bound)):
                return False
        return True

    return check


def _length(test):
    def check(values, other) -> bool:
        size = len(str(other))
        return all(test(size, int(v)) for v in values)

    return check


_CHECKS = {
    "enumeration": _enumeration,
    "pattern": _pattern,
    "minInclusive": _bound(lambda x, b, t: x >= b - t),
    "maxInclusive": _bound(lambda x, b, t: x <= b + t),
    "minExclusive": _bound(lambda x, b, t: x > b + t),
    "maxExclusive": _bound(lambda x, b, t: x < b - t),
    "length": _length(lambda n, v: n == v),
    "minLength": _length(lambda n, v: n >= v),
    "maxLength": _length(lambda n, v: n <= v),
}


def restriction_options(restriction: Restriction) -> dict[str, list[str]]:
    """A restriction's facets as ``{kind: [values as written]}``."""
    return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in restriction.options.items()}
