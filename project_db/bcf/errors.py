"""Errors of BCF import and export, each naming the file (and the entry inside it)."""

from __future__ import annotations

from bim.i18n import _
from project_db.errors import ProjectDbError


class BcfError(ProjectDbError):
    """A BCF file cannot be read or written; ``file`` names it, ``entry`` the part inside."""

    def __init__(self, file: str, reason: str, entry: str | None = None):
        self.file = file
        self.entry = entry
        self.reason = reason
        where = f"{file} ({entry})" if entry else file
        super().__init__(_("BCF file {where}: {reason}").format(where=where, reason=reason))


class HostileArchive(BcfError):
    """The archive tries something dangerous (paths escaping it, a zip bomb, links …) and is refused whole."""


class NotBcf(BcfError):
    """The file is not a BCF archive (not a zip, no topic, unreadable root files)."""


class BcfValidationError(BcfError):
    """An exported XML document does not validate against the buildingSMART schema (nothing is written)."""
