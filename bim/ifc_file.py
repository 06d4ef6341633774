"""Open IFC files and turn every way they can be wrong into a clear message.

A user who drops a PDF, a truncated download or an IFC2X_FINAL file on the app
must read which file is wrong and why, never a traceback.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import ifcopenshell

from bim.i18n import _

SUPPORTED_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3")


class ModelError(Exception):
    """A model file could not be used; ``str()`` names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(_("{file}: {reason}").format(file=self.path, reason=reason))


def schema_family(schema_identifier: str) -> str | None:
    """Map a file's schema identifier (e.g. IFC4X3_ADD2) to a supported family, or None."""
    ident = schema_identifier.upper()
    for family in sorted(SUPPORTED_SCHEMAS, key=len, reverse=True):
        if ident == family or ident.startswith(family + "_"):
            return family
    return None


def _read_header_schema(path: Path) -> str:
    """The FILE_SCHEMA of a STEP file, read from its header without parsing the body."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError as exc:  # no permission, locked by another program, a share gone away
        raise ModelError(path, _("the file cannot be read: {detail}").format(detail=exc.strerror or exc)) from exc
    if not head.lstrip().startswith(b"ISO-10303-21"):
        raise ModelError(path, _("not an IFC file (no ISO-10303-21 STEP header)"))
    marker = head.find(b"FILE_SCHEMA")
    if marker < 0:
        raise ModelError(path, _("the header has no FILE_SCHEMA: the file is damaged"))
    start, end = head.find(b"'", marker), -1
    if start >= 0:
        end = head.find(b"'", start + 1)
    if start < 0 or end < 0:
        raise ModelError(path, _("the header's FILE_SCHEMA cannot be read: the file is damaged"))
    return head[start + 1 : end].decode("ascii", "replace").strip()


def open_ifc(path: Path | str) -> ifcopenshell.file:
    """Open an IFC (or IFC-ZIP) file, raising :class:`ModelError` with a clear reason."""
    path = Path(path)
    if not path.exists():
        raise ModelError(path, _("the file does not exist"))
    if not path.is_file():
        raise ModelError(path, _("not a file"))
    if path.stat().st_size == 0:
        raise ModelError(path, _("the file is empty"))
    if zipfile.is_zipfile(path):
        return _open_checked(path)
    schema = _read_header_schema(path)
    if schema_family(schema) is None:
        raise ModelError(
            path,
            _("unsupported schema {schema} (supported: {supported})").format(
                schema=schema or "?", supported=", ".join(SUPPORTED_SCHEMAS)
            ),
        )
    if not _ends_properly(path):
        raise ModelError(path, _("the file is truncated (no END-ISO-10303-21 at its end)"))
    return _open_checked(path)


def _ends_properly(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 4096))
        tail = fh.read()
    return b"END-ISO-10303-21" in tail


def _open_checked(path: Path) -> ifcopenshell.file:
    try:
        model = ifcopenshell.open(str(path))
    except Exception as exc:  # ifcopenshell raises several types for a bad body
        raise ModelError(path, _("the file cannot be read: {detail}").format(detail=exc)) from exc
    if schema_family(model.schema_identifier if hasattr(model, "schema_identifier") else model.schema) is None:
        raise ModelError(path, _("unsupported schema {schema}").format(schema=model.schema))
    if not model.by_type("IfcProject"):
        raise ModelError(path, _("the model has no IfcProject"))
    return model


def file_sha256(path: Path | str, chunk: int = 4 * 1024 * 1024) -> str:
    """Hex SHA-256 of a file's content (the key of caches and stored model versions)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
