"""A BCF project's allowed values: ``extensions.xml`` (3.0) or an ``extensions.xsd`` (2.1).

In 2.1 the values are enumerations in an ``xs:redefine`` of markup.xsd's simple
types; in 3.0 they are plain lists. Both are read to the same :class:`BcfExtensions`.
"""

from __future__ import annotations

from lxml import etree

from project_db.bcf.model import BcfExtensions
from project_db.bcf.xmlutil import children, parse_keeping_namespaces, sub, text

# BcfExtensions field, 3.0 list element, 3.0 item element, 2.1 simple type
_KINDS = (
    ("topic_types", "TopicTypes", "TopicType", "TopicType"),
    ("topic_statuses", "TopicStatuses", "TopicStatus", "TopicStatus"),
    ("priorities", "Priorities", "Priority", "Priority"),
    ("topic_labels", "TopicLabels", "TopicLabel", "TopicLabel"),
    ("users", "Users", "User", "UserIdType"),
    ("snippet_types", "SnippetTypes", "SnippetType", "SnippetType"),
    ("stages", "Stages", "Stage", "Stage"),
)
_XS = "http://www.w3.org/2001/XMLSchema"


def read_xml(root: etree._Element) -> BcfExtensions:
    """The values of a 3.0 ``extensions.xml``."""
    values = {}
    for field_name, holder, item, _simple in _KINDS:
        values[field_name] = tuple(dict.fromkeys(filter(None, (text(n) for n in children(root, holder, item)))))
    return BcfExtensions(**values)


def read_xsd(data: bytes) -> BcfExtensions:
    """The enumerations of a 2.1 ``extensions.xsd`` (its namespaces kept, unlike other BCF files)."""
    root = parse_keeping_namespaces(data)
    values: dict[str, list[str]] = {name: [] for name, *_ in _KINDS}
    by_type = {simple: name for name, _h, _i, simple in _KINDS}
    for simple in root.iter(f"{{{_XS}}}simpleType"):
        field_name = by_type.get(simple.get("name", ""))
        if field_name is None:
            continue
        for enumeration in simple.iter(f"{{{_XS}}}enumeration"):
            value = (enumeration.get("value") or "").strip()
            if value and value not in values[field_name]:
                values[field_name].append(value)
    return BcfExtensions(**{k: tuple(v) for k, v in values.items()})


def build_xml(extensions: BcfExtensions) -> etree._Element:
    """A 3.0 ``extensions.xml``."""
    root = etree.Element("Extensions")
    for field_name, holder, item, _simple in _KINDS:
        values = [v for v in getattr(extensions, field_name) if v.strip()]
        node = sub(root, holder)
        for value in values:
            sub(node, item, value)
    return root


def build_xsd(extensions: BcfExtensions) -> etree._Element:
    """A 2.1 ``extensions.xsd`` restricting markup.xsd's types to the project's values.

    SnippetType is not a named type in 2.1's markup.xsd, so it cannot be redefined:
    it is declared as a type of its own, which keeps the schema valid and the values.
    """
    root = etree.Element(f"{{{_XS}}}schema", nsmap={"xs": _XS})
    redefine = etree.SubElement(root, f"{{{_XS}}}redefine", schemaLocation="markup.xsd")
    for field_name, _holder, _item, simple in _KINDS:
        values = [v for v in getattr(extensions, field_name) if v.strip()]
        if not values:
            continue
        own = simple == "SnippetType"
        simple_type = etree.SubElement(root if own else redefine, f"{{{_XS}}}simpleType", name=simple)
        restriction = etree.SubElement(simple_type, f"{{{_XS}}}restriction", base="xs:string" if own else simple)
        for value in values:
            etree.SubElement(restriction, f"{{{_XS}}}enumeration", value=value)
    return root
