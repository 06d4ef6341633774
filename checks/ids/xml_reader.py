"""Read IDS 1.0 XML into the plain data of :mod:`checks.ids.authoring`, to edit it in forms.

The reader is faithful rather than forgiving: values stay text as written,
restrictions keep their base type and every facet, and anything it does not
understand is an :class:`IdsReadError` naming the line, so that writing the
data back (:mod:`checks.ids.writer`) never drops part of a colleague's file
silently. Comments and layout are not kept. Validity is not judged here:
:func:`checks.ids.load_ids_text` does that (XSD and audit) before a file is
offered for editing.
"""

from __future__ import annotations

from lxml import etree

from bim.i18n import _
from checks.ids.authoring import BOUND_NAMES, FACET_KINDS, LENGTH_NAMES, Facet, IdsFile, IdsValue, Specification
from checks.ids.writer import IDS_NAMESPACE, XS_NAMESPACE

_INFO_FIELDS = ("title", "copyright", "version", "description", "author", "date", "purpose", "milestone")


class IdsReadError(ValueError):
    """Part of an IDS file cannot be represented for editing; ``line`` says where."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(_("line {line}: {message}").format(line=line, message=message) if line else message)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element) -> list[etree._Element]:
    # Comments and processing instructions are not part of the IDS.
    return [child for child in element if isinstance(child.tag, str)]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(f"{{{IDS_NAMESPACE}}}{name}")


def _text(element: etree._Element | None) -> str:
    return (element.text or "") if element is not None else ""


def read_value(holder: etree._Element | None) -> IdsValue | None:
    """The value inside ``<name>``, ``<value>``… (``simpleValue`` or ``xs:restriction``), None if absent."""
    if holder is None:
        return None
    content = _children(holder)
    if len(content) != 1:
        raise IdsReadError(holder.sourceline, _("<{tag}> must hold one value").format(tag=_local(holder)))
    inner = content[0]
    if etree.QName(inner).namespace == IDS_NAMESPACE and _local(inner) == "simpleValue":
        return IdsValue.of(inner.text or "")
    if etree.QName(inner).namespace != XS_NAMESPACE or _local(inner) != "restriction":
        raise IdsReadError(inner.sourceline, _("unexpected <{tag}>").format(tag=_local(inner)))
    base = inner.get("base", "xs:string")
    prefix, _sep, local = base.rpartition(":")
    if inner.nsmap.get(prefix or None) != XS_NAMESPACE:
        raise IdsReadError(inner.sourceline, _("the restriction base {base} is not an XML Schema type").format(
            base=base))
    enumeration, patterns, bounds, lengths = [], [], [], []
    for facet in _children(inner):
        name, value = _local(facet), facet.get("value", "")
        if name == "enumeration":
            enumeration.append(value)
        elif name == "pattern":
            patterns.append(value)
        elif name in BOUND_NAMES:
            bounds.append((name, value))
        elif name in LENGTH_NAMES:
            lengths.append((name, value))
        elif name != "annotation":
            raise IdsReadError(facet.sourceline, _("the restriction facet {name} is not supported").format(
                name=name))
    return IdsValue(base=local, enumeration=tuple(enumeration), patterns=tuple(patterns), bounds=tuple(bounds),
                    lengths=tuple(lengths))


def read_facet(element: etree._Element, clause: str) -> Facet:
    """One facet element of an applicability or requirements clause."""
    kind = _local(element)
    if kind not in FACET_KINDS:
        raise IdsReadError(element.sourceline, _("unknown facet <{tag}>").format(tag=kind))
    fields: dict = {"kind": kind}
    if kind == "entity":
        fields.update(name=read_value(_child(element, "name")),
                      predefined_type=read_value(_child(element, "predefinedType")))
    elif kind == "partOf":
        entity = _child(element, "entity")
        if entity is None:
            raise IdsReadError(element.sourceline, _("<partOf> needs an <entity>"))
        fields.update(name=read_value(_child(entity, "name")),
                      predefined_type=read_value(_child(entity, "predefinedType")),
                      relation=element.get("relation", ""))
    elif kind == "classification":
        fields.update(system=read_value(_child(element, "system")), value=read_value(_child(element, "value")))
    elif kind == "attribute":
        fields.update(name=read_value(_child(element, "name")), value=read_value(_child(element, "value")))
    elif kind == "property":
        fields.update(property_set=read_value(_child(element, "propertySet")),
                      name=read_value(_child(element, "baseName")), value=read_value(_child(element, "value")),
                      data_type=element.get("dataType", ""))
    else:
        fields.update(value=read_value(_child(element, "value")))
    if clause == "requirements":
        fields.update(uri=element.get("uri", ""), cardinality=element.get("cardinality", "required"),
                      instructions=element.get("instructions", ""))
    return Facet(**fields)


def read_specification(element: etree._Element) -> Specification:
    """One ``<specification>`` element."""
    applicability = _child(element, "applicability")
    if applicability is None:
        raise IdsReadError(element.sourceline, _("the specification has no <applicability>"))
    requirements = _child(element, "requirements")
    return Specification(
        name=element.get("name", ""),
        ifc_versions=tuple(element.get("ifcVersion", "").split()),
        identifier=element.get("identifier", ""),
        description=element.get("description", ""),
        instructions=element.get("instructions", ""),
        min_occurs=int(applicability.get("minOccurs", "1")),
        max_occurs=applicability.get("maxOccurs", "unbounded"),
        applicability=tuple(read_facet(f, "applicability") for f in _children(applicability)),
        requirements=tuple(read_facet(f, "requirements") for f in _children(requirements))
        if requirements is not None else (),
        requirements_description=requirements.get("description", "") if requirements is not None else "",
    )


def read_ids_xml(text: str | bytes) -> IdsFile:
    """An IDS document from its XML text, or :class:`IdsReadError` (malformed XML included)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IdsReadError(exc.lineno, _("not well-formed XML: {why}").format(why=exc.msg)) from exc
    if etree.QName(root).namespace != IDS_NAMESPACE or _local(root) != "ids":
        raise IdsReadError(root.sourceline, _("not an IDS document"))
    info = _child(root, "info")
    fields = {name: _text(_child(info, name)) if info is not None else "" for name in _INFO_FIELDS}
    specifications = _child(root, "specifications")
    specs = tuple(read_specification(s) for s in _children(specifications)) if specifications is not None else ()
    return IdsFile(specifications=specs, **fields)
