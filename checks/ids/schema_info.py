"""What the IFC schemas say about classes, attributes and data types, for auditing an IDS.

Answers come from ifcopenshell's compiled schemas and are cached: an IDS names
a handful of classes, but each question is asked once per facet and schema.
"""

from __future__ import annotations

from functools import lru_cache

import ifcopenshell.ifcopenshell_wrapper as wrapper

# The ifcVersion values of IDS 1.0, which are also the names ifcopenshell knows the schemas by.
IDS_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")


@lru_cache(maxsize=None)
def _schema(version: str):
    return wrapper.schema_by_name(version)


@lru_cache(maxsize=None)
def entity_names(version: str) -> frozenset[str]:
    """Upper-case names of every entity of a schema."""
    return frozenset(e.name().upper() for e in _schema(version).entities())


@lru_cache(maxsize=None)
def _declarations(version: str) -> dict:
    return {decl.name().upper(): decl for decl in _schema(version).declarations()}


def declaration(version: str, name: str):
    """The schema declaration named ``name`` (any case), or None."""
    return _declarations(version).get(name.upper())


@lru_cache(maxsize=None)
def attributes(version: str, entity: str) -> dict[str, tuple[str, str | None]]:
    """Explicit attributes of an entity: ``{name: (value kind, declared type name)}``.

    Attributes that a subtype re-declares as derived are left out: no file can
    hold a value for them.
    """
    decl = declaration(version, entity)
    if decl is None or not hasattr(decl, "all_attributes"):
        return {}
    found = {}
    for attribute, derived in zip(decl.all_attributes(), decl.derived()):
        if not derived:
            found[attribute.name()] = type_kind(attribute.type_of_attribute())
    return found


@lru_cache(maxsize=None)
def inverse_attribute_names(version: str, entity: str) -> frozenset[str]:
    """Names of an entity's inverse attributes (which IDS cannot check)."""
    decl = declaration(version, entity)
    if decl is None or not hasattr(decl, "all_inverse_attributes"):
        return frozenset()
    return frozenset(a.name() for a in decl.all_inverse_attributes())


_SIMPLE_KINDS = {
    "integer": "integer",
    "real": "real",
    "number": "real",
    "boolean": "boolean",
    "logical": "logical",
    "string": "string",
    "binary": "binary",
}


def type_kind(parameter_type) -> tuple[str, str | None]:
    """(kind, defined type name) of an attribute or data type.

    Kinds: integer, real, boolean, logical, string, binary, enumeration,
    entity, select, aggregate.
    """
    name = None
    current = parameter_type
    for _ in range(16):  # defined types nest a few levels at most
        if isinstance(current, wrapper.named_type):
            current = current.declared_type()
            if name is None and isinstance(current, wrapper.type_declaration):
                name = current.name()
            continue
        if isinstance(current, wrapper.type_declaration):
            current = current.declared_type()
            continue
        if isinstance(current, wrapper.simple_type):
            return _SIMPLE_KINDS.get(current.declared_type(), "string"), name
        if isinstance(current, wrapper.enumeration_type):
            return "enumeration", name
        if isinstance(current, wrapper.select_type):
            return "select", name
        if isinstance(current, wrapper.entity):
            return "entity", name
        if isinstance(current, wrapper.aggregation_type):
            return "aggregate", name
        break
    return "string", name


def data_type_kind(version: str, data_type: str) -> str | None:
    """The value kind of a property ``dataType`` (IFCLABEL → string), or None if the schema lacks it."""
    decl = declaration(version, data_type)
    if decl is None or isinstance(decl, wrapper.entity):
        return None
    return type_kind(decl)[0]


@lru_cache(maxsize=None)
def has_predefined_type(version: str, entity: str) -> bool:
    """Whether an entity, or the type object its occurrences take it from, has a PredefinedType."""
    for candidate in (entity, entity + "TYPE", entity + "STYLE"):
        if "PredefinedType" in attributes(version, candidate):
            return True
    return False
