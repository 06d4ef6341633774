"""Reading and saving the project settings edited in :mod:`ui.project_settings`.

These functions run in a worker thread (never on the UI thread). Saving is
optimistic: the dialog remembers what it loaded (the *baseline*); before a record
is written, it is compared with what the database holds now, and a record that
another user changed (or created) meanwhile is left as they saved it and
reported as a conflict, instead of being silently overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bim.i18n import _
from project_db.records import Trade, User, VocabularyItem

VOCABULARY_TABS = ("type", "status", "priority", "label", "stage")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_valid_email(text: str) -> bool:
    """Whether ``text`` is empty (no e-mail) or looks like an e-mail address."""
    return not text or bool(EMAIL_PATTERN.match(text))


@dataclass(frozen=True)
class SettingsSnapshot:
    """Every trade, user and vocabulary value of a project, inactive ones included."""

    trades: tuple[Trade, ...] = ()
    users: tuple[User, ...] = ()
    vocabularies: dict = field(default_factory=dict)  # kind -> tuple[VocabularyItem, ...]

    def find(self, record):
        """The record of this snapshot with the same identity as ``record``, or None."""
        if isinstance(record, Trade):
            return next((t for t in self.trades if t.code == record.code), None)
        if isinstance(record, User):
            return next((u for u in self.users if record.id is not None and u.id == record.id), None)
        return next((v for v in self.vocabularies.get(record.kind, ()) if v.code == record.code), None)


@dataclass(frozen=True)
class SaveReport:
    """What a save did: how many records were written, and those left alone because of a conflict."""

    saved: int
    conflicts: tuple[str, ...] = ()


def load_snapshot(project) -> SettingsSnapshot:
    """Read every setting of ``project`` (in the calling thread)."""
    settings = project.settings
    return SettingsSnapshot(
        trades=settings.trades(include_inactive=True),
        users=settings.users(include_inactive=True),
        vocabularies={kind: settings.vocabulary(kind, include_inactive=True) for kind in VOCABULARY_TABS},
    )


def describe(record) -> str:
    """A short name for a record in messages."""
    if isinstance(record, Trade):
        return _("trade {code}").format(code=record.code)
    if isinstance(record, User):
        return _("user {name}").format(name=record.name)
    return _("value {code} ({kind})").format(code=record.code, kind=record.kind)


def save_edits(project, baseline: SettingsSnapshot, edits, author: str) -> SaveReport:
    """Save ``edits`` (changed or new records) unless someone changed them since ``baseline``."""
    current = load_snapshot(project)
    settings = project.settings
    saved, conflicts = 0, []
    for record in edits:
        before, now = baseline.find(record), current.find(record)
        if now != before:  # changed, created or deleted by someone else since the dialog loaded
            conflicts.append(describe(record))
            continue
        if isinstance(record, Trade):
            settings.save_trade(record, author)
        elif isinstance(record, User):
            settings.save_user(record, author)
        elif isinstance(record, VocabularyItem):
            settings.save_vocabulary(record, author)
        saved += 1
    return SaveReport(saved, tuple(conflicts))
