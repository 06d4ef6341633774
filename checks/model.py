"""The model a check runs on: an opened IFC file with the identity the results refer to.

``bim`` will own loading and federation; checks only need this small record,
so they run on any opened ``ifcopenshell.file`` (a test's, the GUI's, the CLI's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import ifcopenshell

from bim.ifc_file import SUPPORTED_SCHEMAS, ModelError, open_ifc  # noqa: F401  (re-exported for checks)


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


def open_checked_model(path: Path | str, model_id: str | None = None, trade: str | None = None) -> CheckedModel:
    """Open an IFC file for checking, raising :class:`ModelError` if it is missing, not IFC,
    truncated or of an unsupported schema."""
    path = Path(path)
    return CheckedModel(model_id or path.name, path.stem, open_ifc(path), trade, path)
