"""IDS facets and failures in words, in the user's language.

ifctester's own texts are English-only and say neither what was expected nor
where it was looked for; these are built from the facet and from the reason
ifctester's check returns (its ``Result.reason`` dictionary).
"""

from __future__ import annotations

from ifctester import facet as tf

from bim.i18n import _
from checks.ids.results import Reason
from checks.ids.values import IdsRestriction, SimpleValue, restriction_options

_MAX_LISTED = 8


def value_words(value) -> str:
    """An IDS value or restriction in words: ``"REI60"``, ``one of "A", "B"``, ``≥ 0.9``."""
    if value is None:
        return _("any value")
    if isinstance(value, (str, SimpleValue)):
        return f'"{value}"'
    if isinstance(value, IdsRestriction) or isinstance(value, tf.Restriction):
        parts = []
        for kind, values in restriction_options(value).items():
            if kind == "enumeration":
                parts.append(_("one of {values}").format(values=", ".join(f'"{v}"' for v in values)))
            elif kind == "pattern":
                parts.append(_("matching {patterns}").format(patterns=" | ".join(f'"{v}"' for v in values)))
            elif kind in _BOUND_SYMBOLS:
                parts.append(f"{_BOUND_SYMBOLS[kind]} {values[0]}")
            elif kind == "length":
                parts.append(_("exactly {n} characters long").format(n=values[0]))
            elif kind == "minLength":
                parts.append(_("at least {n} characters long").format(n=values[0]))
            elif kind == "maxLength":
                parts.append(_("at most {n} characters long").format(n=values[0]))
            else:
                parts.append(f"{kind} {', '.join(values)}")
        return _(" and ").join(parts) or _("any value")
    return str(value)


_BOUND_SYMBOLS = {"minInclusive": "≥", "minExclusive": ">", "maxInclusive": "≤", "maxExclusive": "<"}


def _name_words(value) -> str:
    return str(value) if isinstance(value, (str, SimpleValue)) else value_words(value)


def found_words(actual) -> str:
    """A value found in the model, in words."""
    if actual is None:
        return _("nothing")
    if isinstance(actual, bool):
        return "true" if actual else "false"
    if isinstance(actual, str):
        return f'"{actual}"'
    if isinstance(actual, (list, tuple, set, frozenset)):
        items = sorted((found_words(a) for a in actual if a is not None), key=str)
        if not items:
            return _("nothing")
        shown = ", ".join(items[:_MAX_LISTED])
        return shown + (" …" if len(items) > _MAX_LISTED else "")
    if hasattr(actual, "is_a"):
        return actual.is_a()
    return repr(actual) if isinstance(actual, float) else str(actual)


def subject(facet: tf.Facet) -> str:
    """What a facet looks at: ``property Pset_WallCommon.FireRating (IFCLABEL)``, ``attribute Name``…"""
    if isinstance(facet, tf.Entity):
        text = _("class {name}").format(name=_name_words(facet.name))
        if facet.predefinedType is not None:
            text += " " + _("with predefined type {type}").format(type=_name_words(facet.predefinedType))
        return text
    if isinstance(facet, tf.Attribute):
        return _("attribute {name}").format(name=_name_words(facet.name))
    if isinstance(facet, tf.Property):
        text = _("property {pset}.{name}").format(pset=_name_words(facet.propertySet), name=_name_words(facet.baseName))
        return text + (f" ({facet.dataType})" if facet.dataType else "")
    if isinstance(facet, tf.Classification):
        if facet.system is not None:
            return _("classification in {system}").format(system=_name_words(facet.system))
        return _("classification")
    if isinstance(facet, tf.Material):
        return _("material")
    if isinstance(facet, tf.PartOf):
        whole = _name_words(facet.name)
        if facet.predefinedType is not None:
            whole += " " + _("with predefined type {type}").format(type=_name_words(facet.predefinedType))
        if facet.relation:
            return _("part of {whole} through {relation}").format(whole=whole, relation=_relation(facet.relation))
        return _("part of {whole}").format(whole=whole)
    return type(facet).__name__


def _relation(relation: str) -> str:
    names = {
        "IFCRELAGGREGATES": "IfcRelAggregates",
        "IFCRELASSIGNSTOGROUP": "IfcRelAssignsToGroup",
        "IFCRELCONTAINEDINSPATIALSTRUCTURE": "IfcRelContainedInSpatialStructure",
        "IFCRELNESTS": "IfcRelNests",
        "IFCRELVOIDSELEMENT IFCRELFILLSELEMENT": "IfcRelVoidsElement/IfcRelFillsElement",
    }
    return names.get(relation, relation)


def _facet_value(facet: tf.Facet):
    if isinstance(facet, (tf.Entity, tf.PartOf)):
        return None  # their value is part of the subject
    return getattr(facet, "value", None)


def describe_applicability(facet: tf.Facet) -> str:
    """An applicability facet in words: ``elements with property … equal to "X"``."""
    value = _facet_value(facet)
    if isinstance(facet, tf.Entity):
        return _("elements of {subject}").format(subject=subject(facet))
    if isinstance(facet, tf.PartOf):
        return _("elements {subject}").format(subject=subject(facet))
    if value:
        return _("elements whose {subject} is {value}").format(subject=subject(facet), value=value_words(value))
    return _("elements with a {subject}").format(subject=subject(facet))


def describe_requirement(facet: tf.Facet) -> str:
    """A requirement facet in words, its cardinality included."""
    cardinality = getattr(facet, "cardinality", "required") or "required"
    value = _facet_value(facet)
    what = subject(facet)
    if isinstance(facet, tf.Entity):
        return _("must be of {subject}").format(subject=what)
    if isinstance(facet, tf.PartOf):
        if cardinality == "prohibited":
            return _("must not be {subject}").format(subject=what)
        return _("must be {subject}").format(subject=what)
    if cardinality == "prohibited":
        if value:
            return _("{subject} must not be {value}").format(subject=what, value=value_words(value))
        return _("{subject} must not be provided").format(subject=what)
    if cardinality == "optional":
        if value:
            return _("{subject}, if provided, must be {value}").format(subject=what, value=value_words(value))
        return _("{subject} may be provided").format(subject=what)
    if value:
        return _("{subject} must be {value}").format(subject=what, value=value_words(value))
    return _("{subject} must be provided").format(subject=what)


def failure_reason(facet: tf.Facet, reason: dict | None) -> Reason:
    """Why an element failed ``facet``, from ifctester's ``Result.reason``."""
    reason = reason or {}
    kind = reason.get("type")
    actual = reason.get("actual")
    what = subject(facet)
    value = _facet_value(facet)
    expected = value_words(value) if value else _("a value")
    if kind == "PROHIBITED":
        return Reason(_("no {subject}").format(subject=describe_requirement_core(facet)), _("it is present"), what)
    if isinstance(facet, tf.Entity):
        if kind == "PREDEFINEDTYPE":
            return Reason(value_words(facet.predefinedType), found_words(actual), _("predefined type"))
        return Reason(_name_words(facet.name), found_words(actual), _("class"))
    if isinstance(facet, tf.Attribute):
        found = {
            "NOVALUE": _("no such attribute on this class"),
            "FALSEY": _("an empty value"),
            "INVALID": _("an invalid attribute name"),
        }.get(kind) or found_words(actual)
        return Reason(expected, found, what)
    if isinstance(facet, tf.Property):
        if kind == "NOPSET":
            return Reason(expected, _("no property set {pset} on the element or its type").format(
                pset=_name_words(facet.propertySet)), what)
        if kind == "NOVALUE":
            return Reason(expected, _("no value (missing or empty)"), what)
        if kind == "DATATYPE":
            return Reason(_("data type {type}").format(type=reason.get("dataType")),
                          _("data type {type}").format(type=str(actual).upper()), what)
        return Reason(expected, found_words(actual), what)
    if isinstance(facet, tf.Classification):
        if kind == "NOVALUE":
            return Reason(expected, _("no classification"), what)
        if kind == "SYSTEM":
            return Reason(_name_words(facet.system), _("systems {systems}").format(systems=found_words(actual)), what)
        return Reason(expected, _("references {refs}").format(refs=found_words(actual)), what)
    if isinstance(facet, tf.Material):
        if kind == "NOVALUE":
            return Reason(expected, _("no material"), what)
        return Reason(expected, found_words(actual), what)
    if isinstance(facet, tf.PartOf):
        if kind == "NOVALUE":
            return Reason(_name_words(facet.name), _("no such relationship"), what)
        return Reason(_name_words(facet.name) if kind == "ENTITY" else value_words(facet.predefinedType),
                      found_words(actual), what)
    return Reason(expected, found_words(actual), what)


def describe_requirement_core(facet: tf.Facet) -> str:
    """The facet's subject and value, without cardinality: what a prohibited facet forbids."""
    value = _facet_value(facet)
    if value:
        return _("{subject} equal to {value}").format(subject=subject(facet), value=value_words(value))
    return subject(facet)
