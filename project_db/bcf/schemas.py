"""The buildingSMART XML schemas exports are validated against (``resources/bcf/<version>``)."""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from bim.i18n import _
from project_db.bcf.errors import BcfValidationError

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "resources" / "bcf"


@lru_cache(maxsize=None)
def schema(version: str, name: str) -> etree.XMLSchema:
    """The compiled schema ``name`` ("markup", "visinfo", "project", "version", "extensions",
    "documents") of BCF ``version``."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / version / f"{name}.xsd")))


def extended_markup_schema(extensions_xsd: bytes) -> etree.XMLSchema:
    """BCF 2.1's markup schema as restricted by an export's own extensions.xsd."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(SCHEMA_DIR / "2.1" / "markup.xsd", folder)
        path = Path(folder) / "extensions.xsd"
        path.write_bytes(extensions_xsd)
        return etree.XMLSchema(etree.parse(str(path)))


def check(compiled: etree.XMLSchema, root: etree._Element, file: str, entry: str) -> None:
    """Raise :class:`BcfValidationError` naming ``entry`` if ``root`` does not validate."""
    if not compiled.validate(root):
        error = compiled.error_log.last_error
        raise BcfValidationError(file, _("does not validate against the BCF schema: {error}").format(
            error=error.message if error else "?"), entry)
