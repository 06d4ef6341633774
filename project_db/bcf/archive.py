"""Reading a BCF zip defensively: the archive is checked whole before anything is read.

Refused outright (with the offending entry named): paths that are absolute or climb
out with ``..``, links, encrypted entries, duplicate names, too many entries, and
sizes or compression ratios that announce a zip bomb. Sizes announced in the zip
directory are not trusted: reading stops as soon as an entry yields more than it
claimed. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from bim.i18n import _
from project_db.bcf.errors import HostileArchive, NotBcf

MAX_ENTRIES = 50_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # XML compresses ~10–30×; far beyond that is a bomb
RATIO_FLOOR_BYTES = 1024 * 1024  # small entries may compress well without harm


def normalise_name(name: str) -> str | None:
    """The archive-relative POSIX path of ``name``, or None if it is unsafe."""
    if "\x00" in name:
        return None
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class SafeArchive:
    """A checked, read-only view of a BCF zip. Use as a context manager."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.file = str(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise NotBcf(self.file, _("not a zip archive ({error}).").format(error=error)) from error
        try:
            self._members = self._check()
        except BaseException:
            self._zip.close()
            raise

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise HostileArchive(self.file, _("too many entries ({count}).").format(count=len(infos)))
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = normalise_name(info.filename)
            if name is None:
                raise HostileArchive(self.file, _("unsafe path in the archive."), info.filename)
            if info.is_dir() or not name:
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise HostileArchive(self.file, _("symbolic link in the archive."), info.filename)
            if info.flag_bits & 0x1:
                raise HostileArchive(self.file, _("encrypted entry."), info.filename)
            key = name.lower()
            if key in members:
                raise HostileArchive(self.file, _("entry present twice."), info.filename)
            if info.file_size > MAX_ENTRY_BYTES:
                raise HostileArchive(self.file, _("entry too large once uncompressed ({size} bytes).").format(
                    size=info.file_size), info.filename)
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise HostileArchive(self.file, _("compression ratio of a zip bomb."), info.filename)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise HostileArchive(self.file, _("archive too large once uncompressed."))
            members[key] = info
        return members

    def names(self) -> list[str]:
        """Every file entry, as normalised archive paths."""
        return [normalise_name(i.filename) for i in self._members.values()]

    def exists(self, name: str) -> bool:
        """True if the archive holds ``name`` (case-insensitive, as Windows tools write them)."""
        key = normalise_name(name)
        return key is not None and key.lower() in self._members

    def read(self, name: str) -> bytes:
        """The content of ``name``, never more than the size its header announced."""
        key = normalise_name(name)
        info = self._members.get(key.lower()) if key is not None else None
        if info is None:
            raise KeyError(name)
        limit = info.file_size
        chunks, size = [], 0
        try:
            with self._zip.open(info) as handle:
                while True:
                    block = handle.read(min(1024 * 1024, limit - size + 1))
                    if not block:
                        break
                    size += len(block)
                    if size > limit:
                        raise HostileArchive(self.file, _("entry larger than announced."), info.filename)
                    chunks.append(block)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise NotBcf(self.file, _("corrupt entry ({error}).").format(error=error), info.filename) from error
        return b"".join(chunks)

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def __enter__(self) -> "SafeArchive":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
