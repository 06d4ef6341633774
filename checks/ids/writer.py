"""Write IDS 1.0 XML from the plain data of :mod:`checks.ids.authoring`.

What comes out follows the official XSD (``ifctester/ids.xsd``): the ``info``
block in its fixed order, applicability facets in the order the schema
requires (entity, partOf, classification, attribute, property, material),
requirement facets in the user's order (the schema repeats its sequence there),
cardinality only where IDS 1.0 allows it. :func:`ids_xml` refuses data that
:func:`checks.ids.authoring.problems` finds incomplete, so a half-filled form
never becomes a file; the semantic audit (unknown classes, values that can
never match) is :func:`checks.ids.load_ids_text`'s job on the written text.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from lxml import etree

from bim.i18n import _
from checks.ids.authoring import Facet, IdsFile, IdsValue, Specification, problems

IDS_NAMESPACE = "http://standards.buildingsmart.org/IDS"
XS_NAMESPACE = "http://www.w3.org/2001/XMLSchema"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{IDS_NAMESPACE} http://standards.buildingsmart.org/IDS/1.0/ids.xsd"
# The XSD's own patterns for info/author and the lexical form of xs:date.
_AUTHOR = re.compile(r"[^@]+@[^\.]+\..+")
_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")
_INFO_FIELDS = ("title", "copyright", "version", "description", "author", "date", "purpose", "milestone")


class IdsWriteError(ValueError):
    """The data cannot be written as IDS; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__("; ".join(problems))


def _ids(tag: str) -> str:
    return f"{{{IDS_NAMESPACE}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _ids(tag))
    if text is not None:
        element.text = text
    return element


def value_element(parent: etree._Element, tag: str, value: IdsValue) -> etree._Element:
    """Append ``<tag>`` holding ``value`` as ``simpleValue`` or ``xs:restriction`` to ``parent``."""
    holder = _sub(parent, tag)
    if value.simple is not None:
        _sub(holder, "simpleValue", value.simple)
        return holder
    restriction = etree.SubElement(holder, f"{{{XS_NAMESPACE}}}restriction", base=f"xs:{value.base}")
    facets = [("enumeration", v) for v in value.enumeration] + [("pattern", p) for p in value.patterns] \
        + list(value.bounds) + list(value.lengths)
    for name, text in facets:
        etree.SubElement(restriction, f"{{{XS_NAMESPACE}}}{name}", value=text)
    return holder


def _entity_content(element: etree._Element, facet: Facet) -> None:
    value_element(element, "name", facet.name)
    if facet.predefined_type is not None:
        value_element(element, "predefinedType", facet.predefined_type)


def facet_element(parent: etree._Element, facet: Facet, clause: str) -> etree._Element:
    """Append the IDS element of ``facet`` (in ``applicability`` or ``requirements``) to ``parent``."""
    element = _sub(parent, facet.kind)
    if facet.kind == "entity":
        _entity_content(element, facet)
    elif facet.kind == "partOf":
        if facet.relation:
            element.set("relation", facet.relation)
        _entity_content(_sub(element, "entity"), facet)
    elif facet.kind == "classification":
        if facet.value is not None:
            value_element(element, "value", facet.value)
        value_element(element, "system", facet.system)
    elif facet.kind == "attribute":
        value_element(element, "name", facet.name)
        if facet.value is not None:
            value_element(element, "value", facet.value)
    elif facet.kind == "property":
        if facet.data_type:
            element.set("dataType", facet.data_type)
        value_element(element, "propertySet", facet.property_set)
        value_element(element, "baseName", facet.name)
        if facet.value is not None:
            value_element(element, "value", facet.value)
    elif facet.kind == "material" and facet.value is not None:
        value_element(element, "value", facet.value)
    if clause == "requirements":
        # uri exists on requirement facets only; entity requirements carry no cardinality in IDS 1.0.
        if facet.uri and facet.kind in ("classification", "property", "material"):
            element.set("uri", facet.uri)
        if facet.kind != "entity":
            element.set("cardinality", facet.cardinality)
        if facet.instructions:
            element.set("instructions", facet.instructions)
    return element


def specification_element(parent: etree._Element, spec: Specification) -> etree._Element:
    """Append ``<specification>`` for ``spec`` to ``parent``."""
    element = _sub(parent, "specification")
    element.set("name", spec.name)
    element.set("ifcVersion", " ".join(spec.ifc_versions))
    for attribute, text in (("identifier", spec.identifier), ("description", spec.description),
                            ("instructions", spec.instructions)):
        if text:
            element.set(attribute, text)
    applicability = _sub(element, "applicability")
    applicability.set("minOccurs", str(spec.min_occurs))
    applicability.set("maxOccurs", str(spec.max_occurs))
    for facet in spec.in_schema_order().applicability:
        facet_element(applicability, facet, "applicability")
    if spec.requirements:
        requirements = _sub(element, "requirements")
        if spec.requirements_description:
            requirements.set("description", spec.requirements_description)
        for facet in spec.requirements:
            facet_element(requirements, facet, "requirements")
    return element


def ids_problems(document: IdsFile) -> list[str]:
    """What keeps ``document`` from being written, each line naming its specification."""
    found = []
    if not document.title.strip():
        found.append(_("the IDS needs a title"))
    if not document.specifications:
        found.append(_("the IDS needs at least one specification"))
    if document.author and not _AUTHOR.fullmatch(document.author):
        found.append(_("the IDS author must be an e-mail address ({author})").format(author=document.author))
    if document.date and not _DATE.fullmatch(document.date):
        found.append(_("the IDS date must be written YYYY-MM-DD ({date})").format(date=document.date))
    for n, spec in enumerate(document.specifications, start=1):
        name = spec.name or _("specification {n}").format(n=n)
        found += [f"{name}: {problem}" for problem in problems(spec)]
    return found


def ids_xml(document: IdsFile) -> bytes:
    """The IDS 1.0 XML of ``document`` (UTF-8, with declaration), or :class:`IdsWriteError`."""
    found = ids_problems(document)
    if found:
        raise IdsWriteError(found)
    root = etree.Element(_ids("ids"), nsmap={None: IDS_NAMESPACE, "xs": XS_NAMESPACE, "xsi": XSI_NAMESPACE})
    root.set(f"{{{XSI_NAMESPACE}}}schemaLocation", SCHEMA_LOCATION)
    info = _sub(root, "info")
    for name in _INFO_FIELDS:
        text = getattr(document, name)
        if text or name == "title":
            _sub(info, name, text)
    specifications = _sub(root, "specifications")
    for spec in document.specifications:
        specification_element(specifications, spec)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def ids_text(document: IdsFile) -> str:
    """:func:`ids_xml` as text, the way a project stores IDS files."""
    return ids_xml(document).decode("utf-8")


def write_ids_file(document: IdsFile, path: Path | str) -> Path:
    """Write ``document`` to ``path`` at once (a temporary file renamed), so a failed write leaves no half file."""
    path = Path(path)
    data = ids_xml(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an IDS is meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
