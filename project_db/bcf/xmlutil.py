"""Small XML helpers shared by the BCF readers and writers (lxml, no namespaces).

Parsing never resolves entities, loads DTDs or touches the network, so a hostile
document cannot read local files or expand into gigabytes.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import datetime, timezone

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=True)
_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse(data: bytes) -> etree._Element:
    """The root element of ``data``, with namespaces stripped (some tools add them)."""
    root = etree.fromstring(data, _PARSER)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    return root


def parse_keeping_namespaces(data: bytes) -> etree._Element:
    """The root element of ``data`` as written (for XML Schema documents)."""
    return etree.fromstring(data, _PARSER)


def child(parent: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element at ``path`` below ``parent`` (None if any step is missing)."""
    node = parent
    for name in path:
        if node is None:
            return None
        node = node.find(name)
    return node


def children(parent: etree._Element | None, *path: str) -> list[etree._Element]:
    """Every element named by the last step of ``path`` below ``parent``."""
    if parent is None:
        return []
    *head, last = path
    node = child(parent, *head) if head else parent
    return [] if node is None else node.findall(last)


def text(parent: etree._Element | None, *path: str) -> str | None:
    """The stripped text at ``path`` (None when missing or blank)."""
    node = child(parent, *path)
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None


def raw_text(parent: etree._Element | None, *path: str) -> str | None:
    """The text at ``path`` as written (None when the element is missing)."""
    node = child(parent, *path)
    if node is None:
        return None
    return node.text or ""


def boolean(value: str | None, default: bool) -> bool:
    """An xs:boolean attribute value ("true"/"1"), ``default`` when absent."""
    if value is None:
        return default
    return value.strip().lower() in ("true", "1")


def number(parent: etree._Element | None, *path: str) -> float | None:
    """An xs:double at ``path`` (None when missing or unreadable)."""
    value = text(parent, *path)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def integer(parent: etree._Element | None, *path: str) -> int | None:
    """An xs:int at ``path`` (None when missing or unreadable)."""
    value = text(parent, *path)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def vector(parent: etree._Element | None, *path: str) -> tuple[float, float, float] | None:
    """A BCF Point/Direction (X, Y, Z children) at ``path``."""
    node = child(parent, *path)
    if node is None:
        return None
    values = (number(node, "X"), number(node, "Y"), number(node, "Z"))
    if any(v is None for v in values):
        return None
    return values  # type: ignore[return-value]


def date(value: str | None) -> datetime | None:
    """An xs:dateTime as an aware datetime (UTC when the file gave no zone)."""
    if not value:
        return None
    value = _FRACTION.sub(r"\1", value.strip())
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def guid(value: str | None) -> str | None:
    """``value`` as a canonical lower-case UUID; a non-UUID id maps to a stable UUID of its own."""
    if not value or not value.strip():
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "bcf:" + value.strip()))


# -- writing ------------------------------------------------------------------------


def sub(parent: etree._Element, name: str, value: object = None, **attributes: object) -> etree._Element:
    """Append element ``name`` with text ``value`` and the attributes that are not None."""
    element = etree.SubElement(parent, name)
    for key, attr in attributes.items():
        if attr is not None:
            element.set(key, _xml_value(attr))
    if value is not None:
        element.text = _xml_value(value)
    return element


def opt(parent: etree._Element, name: str, value: object) -> etree._Element | None:
    """Append ``name`` only if ``value`` is not None or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return sub(parent, name, value)


def point(parent: etree._Element, name: str, xyz: tuple[float, float, float]) -> None:
    """Append a BCF Point/Direction element."""
    element = sub(parent, name)
    for axis, value in zip("XYZ", xyz):
        sub(element, axis, value)


def _xml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.isoformat()
    return str(value)


def serialise(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
