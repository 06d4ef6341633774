"""IDS specifications as plain data, to build in forms and write back as IDS 1.0.

The engine reads IDS through ifctester's object model (:mod:`checks.ids.loader`);
an editor needs something simpler and complete: frozen dataclasses that hold
every part of an IDS 1.0 file as written (values as text, restrictions with
their base type, facets with their cardinality and instructions), so that
reading a file (:mod:`checks.ids.xml_reader`) and writing it
(:mod:`checks.ids.writer`) loses nothing but comments and layout.

:func:`problems` lists what a form left incomplete (a property facet without a
property set…) in words, before any XML is written; the XSD and the semantic
audit (:func:`checks.ids.load_ids_text`) then judge the written file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bim.i18n import N_, _
from checks.ids.values import is_lexical

IFC_VERSIONS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")
FACET_KINDS = ("entity", "partOf", "classification", "attribute", "property", "material")
CARDINALITIES = ("required", "optional", "prohibited")
# IDS 1.0 gives entity requirements no cardinality and partOf only these two.
PART_OF_CARDINALITIES = ("required", "prohibited")
PART_OF_RELATIONS = ("IFCRELAGGREGATES", "IFCRELASSIGNSTOGROUP", "IFCRELCONTAINEDINSPATIALSTRUCTURE",
                     "IFCRELNESTS", "IFCRELVOIDSELEMENT IFCRELFILLSELEMENT")
# The xs: base types a restriction is written with, as the forms offer them.
RESTRICTION_BASES = ("string", "integer", "double", "decimal", "boolean")
BOUND_NAMES = ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive")
LENGTH_NAMES = ("length", "minLength", "maxLength")
NUMERIC_BASES = ("integer", "double", "decimal")
# Which lexical rule of checks.ids.values a literal of each base type follows.
_LEXICAL_KINDS = {"integer": "integer", "double": "real", "decimal": "decimal", "boolean": "boolean"}
_DATA_TYPE = re.compile(r"[A-Z]+")  # the XSD's upperCaseName

FACET_LABELS = {
    "entity": N_("Entity"),
    "partOf": N_("Part of"),
    "classification": N_("Classification"),
    "attribute": N_("Attribute"),
    "property": N_("Property"),
    "material": N_("Material"),
}


@dataclass(frozen=True)
class IdsValue:
    """An IDS value: a ``simpleValue`` or an ``xs:restriction`` (enumeration, patterns, bounds, lengths).

    ``simple`` is set for a simple value; otherwise the restriction facets given
    all hold at once, except ``patterns``, which are alternatives (as in XSD).
    Numbers stay text, as written: ``"0.83"``, never a float that would print
    as ``0.8300000000000001``.
    """

    simple: str | None = None
    base: str = "string"
    enumeration: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    bounds: tuple[tuple[str, str], ...] = ()  # (minInclusive|minExclusive|maxInclusive|maxExclusive, value)
    lengths: tuple[tuple[str, str], ...] = ()  # (length|minLength|maxLength, value)

    @classmethod
    def of(cls, text: str) -> "IdsValue":
        """A simple value: ``IdsValue.of("IFCWALL")``."""
        return cls(simple=str(text))

    @classmethod
    def one_of(cls, values, base: str = "string") -> "IdsValue":
        """An enumeration: the value is one of ``values``."""
        return cls(base=base, enumeration=tuple(str(v) for v in values))

    @classmethod
    def matching(cls, *patterns: str) -> "IdsValue":
        """A pattern (XSD regular expression, whole value); several are alternatives."""
        return cls(patterns=tuple(patterns))

    @classmethod
    def between(cls, minimum=None, maximum=None, *, min_exclusive: bool = False, max_exclusive: bool = False,
                base: str = "double") -> "IdsValue":
        """A range: ``IdsValue.between(0.83)`` is "at least 0.83", bounds inclusive unless said otherwise."""
        bounds = []
        if minimum is not None and str(minimum) != "":
            bounds.append(("minExclusive" if min_exclusive else "minInclusive", str(minimum)))
        if maximum is not None and str(maximum) != "":
            bounds.append(("maxExclusive" if max_exclusive else "maxInclusive", str(maximum)))
        return cls(base=base, bounds=tuple(bounds))

    @property
    def is_restriction(self) -> bool:
        """Whether this is written as ``xs:restriction``."""
        return self.simple is None

    @property
    def kind(self) -> str:
        """What a form shows: ``simple``, ``enumeration``, ``pattern``, ``bounds``, or ``other`` for mixes."""
        if self.simple is not None:
            return "simple"
        present = [k for k, v in (("enumeration", self.enumeration), ("pattern", self.patterns),
                                  ("bounds", self.bounds), ("lengths", self.lengths)) if v]
        return present[0] if len(present) == 1 and present[0] != "lengths" else "other"

    def bound(self, name: str) -> str | None:
        """The value of the bound ``name`` (``minInclusive``…), if given."""
        return next((v for k, v in self.bounds if k == name), None)

    def describe(self) -> str:
        """The value in words, for lists and summaries."""
        if self.simple is not None:
            return self.simple
        parts = []
        if self.enumeration:
            parts.append(_("one of {values}").format(values=", ".join(self.enumeration)))
        if self.patterns:
            parts.append(_("matching {patterns}").format(patterns=" | ".join(self.patterns)))
        symbols = {"minInclusive": "≥", "minExclusive": ">", "maxInclusive": "≤", "maxExclusive": "<"}
        parts.extend(f"{symbols[k]} {v}" for k, v in self.bounds)
        parts.extend(f"{k} {v}" for k, v in self.lengths)
        return "; ".join(parts)


@dataclass(frozen=True)
class Facet:
    """One facet of an applicability or a requirements clause.

    ``kind`` is one of :data:`FACET_KINDS`; the fields used depend on it:

    * entity: ``name`` (the IFC class, upper case), ``predefined_type``;
    * partOf: ``name`` (the container's class), ``predefined_type``, ``relation``;
    * classification: ``system``, ``value``, ``uri``;
    * attribute: ``name``, ``value``;
    * property: ``property_set``, ``name`` (the baseName), ``value``, ``data_type``, ``uri``;
    * material: ``value``, ``uri``.

    ``cardinality`` and ``instructions`` matter in requirements only.
    """

    kind: str
    name: IdsValue | None = None
    predefined_type: IdsValue | None = None
    value: IdsValue | None = None
    property_set: IdsValue | None = None
    system: IdsValue | None = None
    data_type: str = ""
    relation: str = ""
    uri: str = ""
    cardinality: str = "required"
    instructions: str = ""

    @property
    def label(self) -> str:
        """The facet's kind in the user's language."""
        return _(FACET_LABELS[self.kind])


@dataclass(frozen=True)
class Specification:
    """One IDS specification: what it applies to, what it requires, and how often it must apply.

    ``min_occurs``/``max_occurs`` are the applicability's occurrence bounds:
    required (1, unbounded: at least one element must apply), optional (0,
    unbounded), prohibited (0, 0: no element may apply); see :attr:`usage`.
    """

    name: str
    ifc_versions: tuple[str, ...] = IFC_VERSIONS
    identifier: str = ""
    description: str = ""
    instructions: str = ""
    min_occurs: int = 0
    max_occurs: str = "unbounded"  # "unbounded" or a whole number as text
    applicability: tuple[Facet, ...] = ()
    requirements: tuple[Facet, ...] = ()
    requirements_description: str = ""

    @property
    def key(self) -> str:
        """How a rule set refers to it: its identifier, else its name."""
        return self.identifier or self.name

    @property
    def usage(self) -> str:
        """``required``, ``optional`` or ``prohibited`` (``custom`` for other occurrence bounds)."""
        if self.max_occurs == "0":
            return "prohibited"
        if self.max_occurs == "unbounded":
            return {0: "optional", 1: "required"}.get(self.min_occurs, "custom")
        return "custom"

    def in_schema_order(self) -> "Specification":
        """This specification with its applicability facets in the order IDS 1.0 writes them."""
        return replace(self, applicability=tuple(sorted(self.applicability, key=lambda f: FACET_KINDS.index(f.kind))))

    def with_usage(self, usage: str) -> "Specification":
        """This specification with the occurrence bounds of ``usage``."""
        bounds = {"required": (1, "unbounded"), "optional": (0, "unbounded"), "prohibited": (0, "0")}[usage]
        return replace(self, min_occurs=bounds[0], max_occurs=bounds[1])


@dataclass(frozen=True)
class IdsFile:
    """A whole IDS file: its ``info`` block and its specifications."""

    title: str
    specifications: tuple[Specification, ...] = ()
    copyright: str = ""
    version: str = ""
    description: str = ""
    author: str = ""  # an e-mail address (the XSD insists)
    date: str = ""  # YYYY-MM-DD
    purpose: str = ""
    milestone: str = ""

    def specification(self, key: str) -> Specification | None:
        """The specification with this identifier (or name)."""
        return next((s for s in self.specifications if s.key == key), None)


# -- what a form left incomplete ---------------------------------------------------------------


def value_problems(value: IdsValue | None, what: str, required: bool = False) -> list[str]:
    """Why ``value`` cannot be written (empty where it must not be, bounds that are no numbers…)."""
    if value is None:
        return [_("{what}: a value is needed").format(what=what)] if required else []
    found = []
    if value.simple is not None:
        if required and not value.simple.strip():
            found.append(_("{what}: a value is needed").format(what=what))
        return found
    if value.base not in RESTRICTION_BASES:
        found.append(_("{what}: unknown base type {base}").format(what=what, base=value.base))
    if not (value.enumeration or value.patterns or value.bounds or value.lengths):
        found.append(_("{what}: the restriction is empty").format(what=what))
    kind = _LEXICAL_KINDS.get(value.base)
    for item in value.enumeration:
        if kind and not is_lexical(item, kind):
            found.append(_("{what}: {value} is not a valid {base}").format(what=what, value=repr(item),
                                                                          base=value.base))
    if value.bounds and value.base not in NUMERIC_BASES:
        found.append(_("{what}: bounds need a number type (integer, double or decimal)").format(what=what))
    for name, bound in value.bounds:
        if name not in BOUND_NAMES:
            found.append(_("{what}: unknown bound {name}").format(what=what, name=name))
        elif not is_lexical(bound, kind if value.base in NUMERIC_BASES else "real"):
            found.append(_("{what}: the bound {value} is not a valid {base}").format(
                what=what, value=repr(bound), base=value.base))
    names = [n for n, _v in value.bounds]
    if len(set(names)) != len(names) or ({"minInclusive", "minExclusive"} <= set(names)) \
            or ({"maxInclusive", "maxExclusive"} <= set(names)):
        found.append(_("{what}: give at most one lower and one upper bound").format(what=what))
    for name, length in value.lengths:
        if name not in LENGTH_NAMES or not is_lexical(length, "integer") or int(length) < 0:
            found.append(_("{what}: {name} must be a whole number").format(what=what, name=name))
    for pattern in value.patterns:
        if not pattern:
            found.append(_("{what}: the pattern is empty").format(what=what))
    return found


def facet_problems(facet: Facet, clause: str) -> list[str]:
    """What is missing or wrong in one facet of ``clause`` (``applicability`` or ``requirements``)."""
    if facet.kind not in FACET_KINDS:
        return [_("unknown facet {kind}").format(kind=facet.kind)]
    label = facet.label
    found = []
    if facet.kind in ("entity", "partOf"):
        found += value_problems(facet.name, _("{facet}: IFC class").format(facet=label), required=True)
        found += value_problems(facet.predefined_type, _("{facet}: predefined type").format(facet=label))
    if facet.kind == "attribute":
        found += value_problems(facet.name, _("{facet}: name").format(facet=label), required=True)
    if facet.kind == "property":
        found += value_problems(facet.property_set, _("{facet}: property set").format(facet=label), required=True)
        found += value_problems(facet.name, _("{facet}: property name").format(facet=label), required=True)
        if facet.data_type and not _DATA_TYPE.fullmatch(facet.data_type):
            found.append(_("{facet}: the data type is an IFC type name in capitals (IFCLABEL)").format(facet=label))
    if facet.kind == "classification":
        found += value_problems(facet.system, _("{facet}: system").format(facet=label), required=True)
    if facet.kind != "entity":
        found += value_problems(facet.value, _("{facet}: value").format(facet=label))
    if facet.kind == "partOf" and facet.relation and facet.relation not in PART_OF_RELATIONS:
        found.append(_("{facet}: unknown relation {relation}").format(facet=label, relation=facet.relation))
    if clause == "requirements":
        allowed = () if facet.kind == "entity" else \
            PART_OF_CARDINALITIES if facet.kind == "partOf" else CARDINALITIES
        if facet.kind != "entity" and facet.cardinality not in allowed:
            found.append(_("{facet}: cardinality {cardinality} is not allowed here").format(
                facet=label, cardinality=facet.cardinality))
    return found


def problems(spec: Specification) -> list[str]:
    """What keeps ``spec`` from being written as IDS, in words (empty when it can be written)."""
    found = []
    if not spec.name.strip():
        found.append(_("the specification needs a name"))
    if not spec.ifc_versions:
        found.append(_("choose at least one IFC version"))
    found += [_("unknown IFC version {version}").format(version=v) for v in spec.ifc_versions
              if v not in IFC_VERSIONS]
    if not spec.applicability:
        found.append(_("the applicability needs at least one facet"))
    entities = [f for f in spec.applicability if f.kind == "entity"]
    if len(entities) > 1:
        found.append(_("the applicability takes at most one entity facet"))
    if spec.usage == "prohibited" and spec.requirements:
        found.append(_("a prohibited specification has no requirements"))
    for facet in spec.applicability:
        found += facet_problems(facet, "applicability")
    for facet in spec.requirements:
        found += facet_problems(facet, "requirements")
    return found
