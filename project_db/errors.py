"""Errors raised by the project database, each with a message a user can act on.

Every error names the database (or the file) it is about, so a message shown in
a dialog or printed by the CLI is enough to understand what went wrong.
"""

from __future__ import annotations

from typing import Any

from bim.i18n import N_, _


class ProjectDbError(Exception):
    """Base class of every project database error."""


class ProjectNotFound(ProjectDbError):
    """The SQLite file or the PostgreSQL database does not exist (and creation was not asked)."""

    def __init__(self, database: str):
        self.database = database
        super().__init__(_("No project database at {database}.").format(database=database))


class NotAProject(ProjectDbError):
    """The database exists but holds no Synthese project."""

    def __init__(self, database: str, reason: str = "", empty: bool = False):
        self.database = database
        self.empty = empty  # nothing at all there yet: it can become a project
        message = _("{database} is not a Synthese project database.").format(database=database)
        super().__init__(f"{message} {reason}".strip())


class SchemaTooNew(ProjectDbError):
    """The database was written by a newer Synthese than this one."""

    def __init__(self, database: str, revision: str):
        self.database = database
        self.revision = revision
        super().__init__(
            _(
                "The project database {database} was written by a newer version of Synthese "
                "(schema revision {revision}). Update Synthese to open it."
            ).format(database=database, revision=revision)
        )


class DatabaseUnavailable(ProjectDbError):
    """The database cannot be reached now (server down, network cut, file locked).

    Nothing was written by the failed call: the caller keeps its data and may retry.
    """

    def __init__(self, database: str, reason: str = ""):
        self.database = database
        self.reason = reason
        message = _("The project database {database} is unavailable; nothing was written. Retry when it is back.")
        text = message.format(database=database)
        super().__init__(f"{text} ({reason})" if reason else text)


class DatabaseBusy(DatabaseUnavailable):
    """Another program holds a write lock on the (SQLite) database for too long."""


class ConflictError(ProjectDbError):
    """Someone else saved the same record first (optimistic locking).

    ``mine`` is what the caller tried to save, ``theirs`` what the database holds now
    (with its newer ``version``); the caller can reload or merge, then save again.
    """

    def __init__(self, database: str, mine: Any, theirs: Any):
        self.database = database
        self.mine = mine
        self.theirs = theirs
        who = getattr(theirs, "modified_author", None) or getattr(theirs, "updated_by", None) or _("another user")
        super().__init__(
            _(
                "This record was changed by {who} in {database} since you opened it "
                "(your version {mine}, now version {theirs}). Reload or merge, then save again."
            ).format(
                who=who,
                database=database,
                mine=getattr(mine, "version", "?"),
                theirs=getattr(theirs, "version", "?"),
            )
        )


# What NotFound says it looked for, in the user's language (``what`` stays the English key).
RECORD_NAMES = {
    "check run": N_("check run"), "comment": N_("comment"), "document": N_("document"), "issue": N_("issue"),
    "meeting": N_("meeting"), "minutes": N_("minutes"), "model version": N_("model version"), "model": N_("model"),
    "trade": N_("trade"), "user": N_("user"), "viewpoint": N_("viewpoint"), "clash test": N_("clash test"),
    "rule set": N_("rule set"), "take-off template": N_("take-off template"), "type": N_("issue type"),
    "status": N_("status"), "priority": N_("priority"), "label": N_("label"), "stage": N_("stage"),
}


class NotFound(ProjectDbError):
    """A record asked for by id or guid does not exist."""

    def __init__(self, what: str, key: Any):
        self.what = what
        self.key = key
        shown = _(RECORD_NAMES[what]) if what in RECORD_NAMES else what
        super().__init__(_("No {what} {key} in this project.").format(what=shown, key=key))


class InvalidValue(ProjectDbError):
    """A value is not allowed by the project settings (unknown trade, status …)."""

    def __init__(self, field: str, value: Any, allowed: Any = None):
        self.field = field
        self.value = value
        message = _("Invalid value {value!r} for {field}.").format(value=value, field=field)
        if allowed:
            message += " " + _("Allowed: {allowed}.").format(allowed=", ".join(map(str, allowed)))
        super().__init__(message)


class ModelFileCorrupt(ProjectDbError):
    """A stored model file does not match its recorded hash."""

    def __init__(self, database: str, filename: str, expected: str, actual: str):
        self.database = database
        super().__init__(
            _("The stored model {filename} in {database} is corrupt (hash {actual}, expected {expected}).").format(
                filename=filename, database=database, actual=actual, expected=expected
            )
        )
