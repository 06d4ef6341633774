"""Semantic audit of a schema-valid IDS: rules that no IFC model could ever satisfy.

The buildingSMART suite calls such files ``invalid-`` (its audit tool rejects
them whatever the model): an IFC class that does not exist or is not written
in upper case, a requirement on a class the applicability excludes, an
attribute the class does not have (or an inverse or derived one), a value given
for an attribute that holds an object, a list or a select, a literal that is
not a valid number or boolean for its data type (``42.0`` for an integer,
``FALSE`` for a boolean, ``42,3`` for a real), a pattern on a number, a
predefined type on a class that has none, or requirements on a prohibited
specification.

The checks stay lenient where IDS allows a choice: a class only needs to
exist in one of the specification's IFC versions, and a value only needs to
fit one of the attributes a name pattern matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from ifctester import facet as tf

from bim.i18n import N_, _
from checks.ids import schema_info
from checks.ids.errors import IdsProblem
from checks.ids.values import NUMERIC_KINDS, IdsRestriction, SimpleValue, is_lexical

LineOf = Callable[[object], "int | None"]


def audit_ids(ids, line_of: LineOf) -> list[IdsProblem]:
    """Every semantic problem of a parsed (and adopted) IDS, located by ``line_of(spec or facet)``."""
    problems: list[IdsProblem] = []
    for spec in ids.specifications:
        problems.extend(_audit_specification(spec, line_of))
    return problems


def _problem(line_of: LineOf, obj, message: str) -> IdsProblem:
    return IdsProblem(line_of(obj), message, kind="semantic")


def _versions(spec) -> list[str]:
    versions = spec.ifcVersion if isinstance(spec.ifcVersion, list) else [spec.ifcVersion]
    return [v for v in versions if v in schema_info.IDS_SCHEMAS]


def _audit_specification(spec, line_of: LineOf) -> Iterable[IdsProblem]:
    versions = _versions(spec)
    max_occurs = spec.maxOccurs
    if max_occurs != "unbounded" and int(max_occurs) < int(spec.minOccurs):
        yield _problem(line_of, spec, _("minOccurs is greater than maxOccurs"))
    if max_occurs == 0 and spec.requirements:
        yield _problem(
            line_of, spec, _("a prohibited specification (maxOccurs=0) must not have requirements")
        )
    applicable_classes = None
    for facet in spec.applicability:
        if isinstance(facet, tf.Entity):
            yield from _audit_entity(facet, versions, line_of)
            # An unknown class is reported once, above; the facets after it are audited as if
            # any class applied, rather than failing again for the same mistake.
            applicable_classes = _class_names(facet.name, versions) or None
    clauses = [("applicability", f) for f in spec.applicability] + [("requirements", f) for f in spec.requirements]
    for clause, facet in clauses:
        if isinstance(facet, tf.Entity):
            if clause == "applicability":
                continue  # audited above, before the requirements that refer to it
            yield from _audit_entity(facet, versions, line_of)
            required = _class_names(facet.name, versions)
            if applicable_classes is not None and required and not (required & applicable_classes):
                yield _problem(
                    line_of,
                    facet,
                    _("the required class {required} can never match the applicable class {applicable}").format(
                        required=_listed(required), applicable=_listed(applicable_classes)
                    ),
                )
        elif isinstance(facet, tf.PartOf):
            yield from _audit_entity(facet, versions, line_of)
        elif isinstance(facet, tf.Attribute):
            yield from _audit_attribute(facet, versions, applicable_classes, line_of)
        elif isinstance(facet, tf.Property):
            yield from _audit_property(facet, versions, line_of)


def _listed(names: set[str]) -> str:
    shown = sorted(names)
    return ", ".join(shown[:5]) + (" …" if len(shown) > 5 else "")


def _all_classes(versions: list[str]) -> frozenset[str]:
    """Classes an entity facet may name: the schemas' entities, plus (IFC2X3) the occurrence
    classes that only exist through their type (IFCDUCTSEGMENT from IFCDUCTSEGMENTTYPE),
    which ifctester matches by the element's type."""
    return _classes_of(tuple(versions))


@lru_cache(maxsize=None)
def _classes_of(versions: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for version in versions:
        names = schema_info.entity_names(version)
        found |= names
        if version == "IFC2X3":
            found |= {n.removesuffix("TYPE") for n in names if n.endswith("TYPE")}
            found |= {n.removesuffix("STYLE") for n in names if n.endswith("STYLE")}
    return frozenset(found)


def _matching(value, universe: Iterable[str]) -> set[str]:
    if isinstance(value, IdsRestriction):
        return {name for name in universe if value == name}
    return {str(value)} & set(universe)


def _class_names(value, versions: list[str]) -> set[str]:
    return _matching(value, _all_classes(versions))


def _audit_entity(facet, versions: list[str], line_of: LineOf) -> Iterable[IdsProblem]:
    if facet.name is None:
        return
    known = _all_classes(versions)
    names = [facet.name] if isinstance(facet.name, str) else facet.name.options.get("enumeration") or []
    for name in names if isinstance(names, list) else [names]:
        name = str(name)
        if name in known:
            continue
        if name.upper() in known:
            yield _problem(
                line_of, facet, _("IFC class {name} must be written in upper case ({upper})").format(
                    name=name, upper=name.upper()
                )
            )
        else:
            yield _problem(
                line_of, facet, _("{name} is not an IFC class of {versions}").format(
                    name=name, versions=", ".join(versions)
                )
            )
    if isinstance(facet.name, IdsRestriction) and not _matching(facet.name, known):
        yield _problem(line_of, facet, _("the class restriction matches no IFC class"))
    if facet.predefinedType is not None and isinstance(facet.name, str):
        for version in versions:
            if facet.name in _all_classes([version]) and not schema_info.has_predefined_type(
                version, facet.name
            ):
                yield _problem(
                    line_of, facet, _("{name} has no predefined type in {version}").format(
                        name=facet.name, version=version
                    )
                )


def _audit_attribute(facet, versions, applicable_classes, line_of: LineOf) -> Iterable[IdsProblem]:
    pairs: list[tuple[str, str]] = []  # (kind, attribute name) of every attribute the facet may mean
    inverse = False
    for version in versions:
        classes = applicable_classes if applicable_classes is not None else schema_info.entity_names(version)
        for cls in classes:
            attributes = schema_info.attributes(version, cls)
            for name in _matching(facet.name, attributes):
                pairs.append((attributes[name][0], name))
            if _matching(facet.name, schema_info.inverse_attribute_names(version, cls)):
                inverse = True
    if not pairs:
        where = _listed(applicable_classes) if applicable_classes else _("any IFC class")
        if inverse:
            message = _("{name} is an inverse attribute of {where}: IDS can only check direct attributes")
        else:
            message = _("{name} is not an attribute of {where}")
        yield _problem(line_of, facet, message.format(name=facet.name, where=where))
        return
    if facet.value is None:
        return
    messages = [_value_problem(kind, facet.value, name) for kind, name in pairs]
    if all(messages):
        yield _problem(line_of, facet, messages[0])


def _audit_property(facet, versions, line_of: LineOf) -> Iterable[IdsProblem]:
    if not facet.dataType:
        return
    kinds = [k for k in (schema_info.data_type_kind(v, facet.dataType) for v in versions) if k]
    if not kinds:
        yield _problem(
            line_of, facet, _("{type} is not an IFC data type of {versions}").format(
                type=facet.dataType, versions=", ".join(versions)
            )
        )
        return
    if facet.value is not None:
        messages = [_value_problem(kind, facet.value, facet.baseName) for kind in kinds]
        if all(messages):
            yield _problem(line_of, facet, messages[0])


_KIND_WORDS = {
    "integer": N_("an integer"),
    "real": N_("a number"),
    "boolean": N_("a boolean (true or false)"),
    "logical": N_("a logical (true, false or unknown)"),
}


def _value_problem(kind: str, value, name) -> str | None:
    """Why ``value`` can never match a value of ``kind``, or None if it can."""
    if kind in ("entity", "select", "aggregate"):
        return _("{name} holds an object, a list or a choice of types: a value cannot be required").format(
            name=name
        )
    if isinstance(value, SimpleValue):
        if not is_lexical(value.text, kind):
            return _("{value} is not {kind}, as {name} requires").format(
                value=repr(value.text), kind=_(_KIND_WORDS.get(kind, kind)), name=name
            )
        return None
    if isinstance(value, IdsRestriction):
        options = value.options
        if kind in (*NUMERIC_KINDS, "boolean"):
            if "pattern" in options:
                return _("a pattern applies to text only, but {name} is {kind}").format(
                    name=name, kind=_(_KIND_WORDS[kind])
                )
            if kind in NUMERIC_KINDS and value.base == "string":
                return _("a restriction on text (xs:string) cannot apply to {name}, which is {kind}").format(
                    name=name, kind=_(_KIND_WORDS[kind])
                )
        enumeration = options.get("enumeration") or []
        for item in enumeration if isinstance(enumeration, list) else [enumeration]:
            if not is_lexical(str(item), kind):
                return _("{value} is not {kind}, as {name} requires").format(
                    value=repr(str(item)), kind=_(_KIND_WORDS.get(kind, kind)), name=name
                )
        if kind in NUMERIC_KINDS:
            for bound in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
                if bound in options and not is_lexical(str(options[bound]), "real"):
                    return _("the bound {bound}={value} is not a number").format(
                        bound=bound, value=options[bound]
                    )
    return None
