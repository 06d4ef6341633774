"""Writing a whole file at once: readers see the old file or the new one, never half of one.

Reports, rule sets and exports are written this way, so a failed or cancelled
write leaves what was there before (or nothing) instead of a truncated file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | Path, data: bytes, *, make_folder: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder; returns the path.

    ``make_folder`` creates the missing folders first; without it a missing folder
    is an error (:class:`FileNotFoundError`): the user probably mistyped the path.
    The file gets the usual permissions (0644): a report is meant to be shared.
    """
    path = Path(path)
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
