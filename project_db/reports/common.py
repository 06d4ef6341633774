"""What every project report shares: names for codes, dates as users read them, output formats.

Codes (trades, statuses, priorities, labels, BCF user ids) are turned into the names
a reader knows with one :class:`NameBook`, read once per report. Dates are stored
in UTC; reports show them in the machine's local time. The XLSX cells and the
atomic file writing are those of every report (:mod:`bim.spreadsheet`,
:mod:`bim.atomic_file`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bim.i18n import _, current_language
from project_db.records import Trade, User, VocabularyItem


class UnknownReportFormat(ValueError):
    """An output file whose extension names no format the report can write."""

    def __init__(self, path: str | Path, allowed: Sequence[str]):
        self.path = str(path)
        self.allowed = tuple(allowed)
        super().__init__(_("{file}: unknown report format (use {formats}).").format(
            file=path, formats=", ".join(f".{f}" for f in allowed)))


def format_of(path: str | Path, allowed: Sequence[str]) -> str:
    """The format (``"pdf"``, ``"xlsx"`` …) ``path``'s extension asks for, or :class:`UnknownReportFormat`."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise UnknownReportFormat(path, allowed)
    return suffix


# -- names ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameBook:
    """The project's codes and the names a reader knows them by, in one ``language``."""

    language: str
    trades: dict[str, Trade] = field(default_factory=dict)
    statuses: dict[str, VocabularyItem] = field(default_factory=dict)
    priorities: dict[str, VocabularyItem] = field(default_factory=dict)
    labels: dict[str, VocabularyItem] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # by BCF id (email, else name)

    def trade(self, code: str | None) -> str:
        """A trade's name ("" for none; the code itself when the project does not know it)."""
        if not code:
            return ""
        trade = self.trades.get(code)
        return trade.name(self.language) if trade else code

    def status(self, code: str | None) -> str:
        """A status's name."""
        return _vocabulary_name(self.statuses, code, self.language)

    def priority(self, code: str | None) -> str:
        """A priority's name."""
        return _vocabulary_name(self.priorities, code, self.language)

    def label(self, code: str | None) -> str:
        """A label's name."""
        return _vocabulary_name(self.labels, code, self.language)

    def user(self, bcf_id: str | None) -> str:
        """A user's name from their BCF id (the id itself for someone the project does not list)."""
        if not bcf_id:
            return ""
        user = self.users.get(bcf_id)
        return user.name if user else bcf_id

    def is_closed(self, status: str | None) -> bool:
        """Whether ``status`` is a closed one (the issue counts as done)."""
        item = self.statuses.get(status or "")
        return bool(item and item.is_closed)

    def trade_order(self, code: str | None) -> tuple:
        """A sort key putting trades in the project's order, unknown ones after and no trade last."""
        trade = self.trades.get(code or "")
        if trade is not None:
            return (0, trade.sort_order, trade.code)
        return (1 if code else 2, 0, code or "")


def load_names(project, language: str | None = None) -> NameBook:
    """The project's trades, vocabularies and users (inactive ones too: old issues still name them)."""
    settings = project.settings
    return NameBook(
        language=language or current_language(),
        trades={t.code: t for t in settings.trades(include_inactive=True)},
        statuses={v.code: v for v in settings.vocabulary("status", include_inactive=True)},
        priorities={v.code: v for v in settings.vocabulary("priority", include_inactive=True)},
        labels={v.code: v for v in settings.vocabulary("label", include_inactive=True)},
        users={u.bcf_id: u for u in settings.users(include_inactive=True)},
    )


def _vocabulary_name(items: dict[str, VocabularyItem], code: str | None, language: str) -> str:
    if not code:
        return ""
    item = items.get(code)
    return item.name(language) if item else code


# -- dates ---------------------------------------------------------------------------------


def local_time(moment: datetime | None) -> datetime | None:
    """``moment`` in the machine's local time, without time zone (what a reader and Excel expect)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.replace(tzinfo=None)


def format_date(moment: datetime | None, language: str | None = None) -> str:
    """A date as the reader writes it: 14/03/2026 in French, 2026-03-14 otherwise ("" for none)."""
    moment = local_time(moment)
    if moment is None:
        return ""
    return moment.strftime("%d/%m/%Y" if (language or current_language()) == "fr" else "%Y-%m-%d")


def format_datetime(moment: datetime | None, language: str | None = None) -> str:
    """A date and time (to the minute) as the reader writes it."""
    moment = local_time(moment)
    if moment is None:
        return ""
    return f"{format_date(moment, language)} {moment:%H:%M}"


# -- images --------------------------------------------------------------------------------


def image_mime(data: bytes | None) -> str | None:
    """The MIME type of a PNG or JPEG snapshot, None for anything else."""
    if not data:
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None
