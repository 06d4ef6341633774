"""Checking BCF files the way a strict reader would: every XML document against the buildingSMART XSDs."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[2] / "resources" / "bcf"


def _schema(version: str, name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / version / f"{name}.xsd")))


def schema_errors(path: Path, version: str) -> list[str]:
    """Every validation error in the BCF file at ``path`` (empty when it is valid)."""
    errors = []
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as folder:
        names = archive.namelist()
        markup_schema = _schema(version, "markup")
        if version == "2.1" and "extensions.xsd" in names:
            # the file's own extensions.xsd redefines markup.xsd: every value used must be declared
            (Path(folder) / "markup.xsd").write_bytes((SCHEMAS / "2.1" / "markup.xsd").read_bytes())
            (Path(folder) / "extensions.xsd").write_bytes(archive.read("extensions.xsd"))
            markup_schema = etree.XMLSchema(etree.parse(str(Path(folder) / "extensions.xsd")))
        by_kind = {"bcf.version": _schema(version, "version"), "project.bcfp": _schema(version, "project")}
        if version == "3.0":
            by_kind["extensions.xml"] = _schema(version, "extensions")
            by_kind["documents.xml"] = _schema(version, "documents")
        for name in names:
            if name in by_kind:
                schema = by_kind[name]
            elif name.endswith("markup.bcf"):
                schema = markup_schema
            elif name.endswith(".bcfv"):
                schema = _schema(version, "visinfo")
            else:
                continue
            document = etree.fromstring(archive.read(name))
            if not schema.validate(document):
                errors += [f"{name}: {e.message}" for e in schema.error_log]
    return errors
