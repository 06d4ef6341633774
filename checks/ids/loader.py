"""Read an IDS file: well-formed XML, valid against the IDS 1.0 XSD, meaningful rules.

Every problem is reported with its line, so a user can open the file at the
right place. The XSD is the official IDS 1.0 schema that ifctester ships
(``ifctester/ids.xsd``, version 1.0.0); xmlschema validates against it with
local copies of the W3C schemas it imports, so nothing is fetched from the
network. Parsing itself is ifctester's, then the facets are adopted
(:mod:`checks.ids.facets`) and audited (:mod:`checks.ids.audit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ifctester import ids as tids
from lxml import etree

from bim.i18n import _
from checks.ids.audit import audit_ids
from checks.ids.errors import IdsError, IdsProblem
from checks.ids.facets import adopt_ids

IDS_NAMESPACE = "http://standards.buildingsmart.org/IDS"
_FACET_TAGS = ("entity", "partOf", "classification", "attribute", "property", "material")
_MAX_SCHEMA_PROBLEMS = 50


@dataclass(frozen=True)
class IdsDocument:
    """A loaded, valid IDS: ifctester's object model (with Synthese facets) and where each part was written."""

    ids: tids.Ids = field(compare=False)
    path: Path | None = None
    lines: dict[int, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        """The IDS title (``info/title``)."""
        return self.ids.info.get("title") or (self.path.stem if self.path else _("Untitled"))

    @property
    def info(self) -> dict[str, str]:
        """The ``info`` block: title, copyright, version, description, author, date, purpose, milestone."""
        return {k: str(v) for k, v in self.ids.info.items()}

    @property
    def specifications(self) -> list:
        """ifctester ``Specification`` objects, in file order."""
        return self.ids.specifications

    def line_of(self, part: object) -> int | None:
        """The line where a specification or facet of this document starts."""
        return self.lines.get(id(part))


def load_ids(path: Path | str, *, audit: bool = True) -> IdsDocument:
    """Load an IDS file, raising :class:`IdsError` (with file name and line numbers) if it is invalid.

    ``audit=False`` skips the semantic audit and keeps only the XML and XSD checks.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IdsError(path, [IdsProblem(None, _("cannot read the file: {why}").format(why=exc.strerror or exc), "xml")]) from exc
    return _load(data, path, audit)


def load_ids_text(text: str | bytes, *, audit: bool = True) -> IdsDocument:
    """Load an IDS given as XML text (an editor's buffer, a database field)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return _load(data, None, audit)


def _load(data: bytes, path: Path | None, audit: bool) -> IdsDocument:
    tree = _parse_xml(data, path)
    schema = tids.get_schema()
    # One "lax" pass validates and decodes together (ifctester validates, then decodes).
    decoded, errors = schema.decode(tree, validation="lax", strip_namespaces=True, namespaces={"": IDS_NAMESPACE})
    if errors:
        raise IdsError(
            path, [IdsProblem(e.sourceline, _schema_message(e), "schema") for e in errors[:_MAX_SCHEMA_PROBLEMS]]
        )
    try:
        ids = tids.Ids().parse(decoded)
    except Exception as exc:  # schema-valid files that ifctester still cannot read
        raise IdsError(path, [IdsProblem(None, _("cannot be read: {why}").format(why=exc), "schema")]) from exc
    adopt_ids(ids)
    document = IdsDocument(ids=ids, path=path, lines=_annotate(tree, ids))
    if audit:
        semantic = audit_ids(ids, document.line_of)
        if semantic:
            raise IdsError(path, semantic)
    return document


def _parse_xml(data: bytes, path: Path | None) -> etree._ElementTree:
    # No entity expansion and no network: an IDS comes from anyone, it must not read files or URLs.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (exc.lineno, None))
        # lxml repeats the position at the end of its message; it is already in the location.
        why = re.sub(r",? line \d+, column \d+$", "", exc.msg or "")
        message = _("not well-formed XML: {why}").format(why=why)
        raise IdsError(path, [IdsProblem(line, message, "xml", column)]) from exc
    return etree.ElementTree(root)


def _schema_message(error) -> str:
    reason = (error.reason or str(error.message)).strip().replace("{" + IDS_NAMESPACE + "}", "")
    where = error.path or ""
    tag = where.rsplit("/", 1)[-1] if where else ""
    return _("IDS schema: {reason} (in <{tag}>)").format(reason=reason, tag=tag) if tag else reason


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _annotate(tree: etree._ElementTree, ids: tids.Ids) -> dict[int, int]:
    """Map ``id()`` of each parsed specification and facet to the line it starts at.

    ifctester groups the facets of a clause by type, in the order each type
    first appears; the XML elements are regrouped the same way to pair them.
    It also does not read a specification's ``identifier``, restored here.
    """
    lines: dict[int, int] = {}
    specs = [el for el in tree.getroot().iter(f"{{{IDS_NAMESPACE}}}specification")]
    for spec, element in zip(ids.specifications, specs):
        lines[id(spec)] = element.sourceline
        spec.identifier = element.get("identifier") or spec.identifier
        for clause_name, facets in (("applicability", spec.applicability), ("requirements", spec.requirements)):
            clause = element.find(f"{{{IDS_NAMESPACE}}}{clause_name}")
            if clause is None:
                continue
            by_type: dict[str, list] = {}
            for child in clause:
                if _local(child.tag) in _FACET_TAGS:
                    by_type.setdefault(_local(child.tag), []).append(child)
            ordered = [child for children in by_type.values() for child in children]
            if len(ordered) == len(facets):
                for facet, child in zip(facets, ordered):
                    lines[id(facet)] = child.sourceline
    return lines
