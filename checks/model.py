"""The model a check runs on: an opened IFC file with the identity the results refer to.

``bim`` will own loading and federation; checks only need this small record,
so they run on any opened ``ifcopenshell.file`` (a test's, the GUI's, the CLI's).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import ifcopenshell

from bim.i18n import _
SUPPORTED_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3")


def ids_version_of(schema_identifier: str) -> str | None:
    """The IDS ``ifcVersion`` a schema identifier belongs to (IFC4X3, IFC4X3_ADD2 → IFC4X3_ADD2), or None."""
    ident = schema_identifier.upper()
    if ident.startswith("IFC4X3"):
        return "IFC4X3_ADD2"
    if ident in ("IFC2X3", "IFC4"):
        return ident
    return None


@dataclass(frozen=True)
class CheckedModel:
    """One model of the federation as checks see it.

    ``model_id`` is stable across runs (the project's model id, or the file
    name on the command line); ``name`` is what users read; ``trade`` is the
    trade code (ARC, STR, CVC…) when known.
    """

    model_id: str
    name: str
    ifc_file: ifcopenshell.file = field(compare=False, repr=False)
    trade: str | None = None
    path: Path | None = None

    @property
    def schema(self) -> str:
        """The model's schema identifier as written in the file (IFC2X3, IFC4, IFC4X3_ADD2…)."""
        return self.ifc_file.schema_identifier

    @property
    def ids_version(self) -> str | None:
        """The IDS ``ifcVersion`` this model answers to, or None for an unsupported schema."""
        return ids_version_of(self.schema)


class ModelError(Exception):
    """A model file cannot be checked; ``str()`` names the file and the problem in one line."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(_("{file}: {reason}").format(file=self.path, reason=reason))


def _step_header_problem(path: Path) -> str | None:
    """Why a STEP (.ifc) file cannot be an IFC model we check, read from its first and last bytes."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
        handle.seek(max(0, path.stat().st_size - 4096))
        tail = handle.read()
    if not head.lstrip().startswith(b"ISO-10303-21"):
        return _("not an IFC file (no ISO-10303-21 header)")
    match = re.search(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'", head)
    if match is None:
        return _("the header has no FILE_SCHEMA: the file is damaged")
    schema = match.group(1).decode("ascii", "replace").strip()
    if ids_version_of(schema) is None:
        return _("unsupported schema {schema} (supported: {supported})").format(
            schema=schema or "?", supported=", ".join(SUPPORTED_SCHEMAS)
        )
    # ifcopenshell opens a truncated file without complaint and checks what is left.
    if b"END-ISO-10303-21" not in tail:
        return _("the file is truncated (no END-ISO-10303-21 at its end)")
    return None


def open_checked_model(path: Path | str, model_id: str | None = None, trade: str | None = None) -> CheckedModel:
    """Open an IFC file for checking, raising :class:`ModelError` if it is missing, not IFC,
    truncated or of an unsupported schema."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(path, _("the file does not exist") if not path.exists() else _("not a file"))
    if path.stat().st_size == 0:
        raise ModelError(path, _("the file is empty"))
    if not zipfile.is_zipfile(path) and path.suffix.lower() not in (".ifcxml", ".xml"):
        problem = _step_header_problem(path)
        if problem:
            raise ModelError(path, problem)
    try:
        ifc_file = ifcopenshell.open(str(path))
    except Exception as exc:  # ifcopenshell raises several types for unreadable files
        raise ModelError(path, _("cannot be read as IFC: {why}").format(why=str(exc) or type(exc).__name__)) from exc
    if ids_version_of(ifc_file.schema_identifier) is None:
        raise ModelError(
            path,
            _("unsupported schema {schema} (supported: {supported})").format(
                schema=ifc_file.schema_identifier, supported=", ".join(SUPPORTED_SCHEMAS)
            ),
        )
    return CheckedModel(model_id or path.name, path.stem, ifc_file, trade, path)
