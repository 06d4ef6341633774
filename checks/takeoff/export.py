"""Write a takeoff in the format its file name asks for (.xlsx, .csv, .json)."""

from __future__ import annotations

from pathlib import Path

from bim.i18n import _
from checks.takeoff.engine import TakeoffResult
from checks.takeoff.export_flat import write_csv, write_json
from checks.takeoff.export_xlsx import write_xlsx

WRITERS = {".xlsx": write_xlsx, ".csv": write_csv, ".json": write_json}


class ExportFormatError(ValueError):
    """The output file's extension names no format we write."""


def write_takeoff(result: TakeoffResult, path: Path | str) -> Path:
    """Write ``result`` to ``path``; the extension picks the format."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ExportFormatError(_("{file}: unknown output format (use {formats})").format(
            file=path, formats=", ".join(WRITERS)))
    return writer(result, path)
