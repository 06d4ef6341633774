"""The change history: who changed which field of what, when, from what to what.

Values are stored as JSON text so any field (text, dates, lists, references) fits
one column; binary content is recorded by size and hash, never copied.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from project_db.records import HistoryEntry
from project_db.schema import DbHistory, utcnow


def to_plain(value: Any) -> Any:
    """``value`` as JSON-friendly data (dates as ISO text, records as dicts, bytes as a digest)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    return str(value)


def dump_value(value: Any) -> str | None:
    """``value`` as the JSON text the history stores."""
    return None if value is None else json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True)


def record(
    session: Session,
    *,
    author: str,
    entity: str,
    entity_id: int | None,
    issue_id: int | None,
    field: str,
    old: Any = None,
    new: Any = None,
    at: datetime | None = None,
) -> None:
    """Add one history entry to the current transaction."""
    session.add(
        DbHistory(
            at=at or utcnow(),
            author=author,
            entity=entity,
            entity_id=entity_id,
            issue_id=issue_id,
            field=field,
            old_value=dump_value(old),
            new_value=dump_value(new),
        )
    )


def entry(row: DbHistory) -> HistoryEntry:
    """The record for a history row."""
    return HistoryEntry(
        id=row.id,
        at=row.at,
        author=row.author,
        entity=row.entity,
        entity_id=row.entity_id,
        issue_id=row.issue_id,
        field=row.field,
        old=None if row.old_value is None else json.loads(row.old_value),
        new=None if row.new_value is None else json.loads(row.new_value),
    )


def issue_history(session: Session, issue_id: int) -> tuple[HistoryEntry, ...]:
    """The timeline of one issue, oldest first (its comments and viewpoints included)."""
    rows = session.execute(
        select(DbHistory).where(DbHistory.issue_id == issue_id).order_by(DbHistory.at, DbHistory.id)
    ).scalars()
    return tuple(entry(r) for r in rows)


def entity_history(session: Session, entity: str, entity_id: int) -> tuple[HistoryEntry, ...]:
    """The timeline of one settings record (a trade, a user …), oldest first."""
    rows = session.execute(
        select(DbHistory)
        .where(DbHistory.entity == entity, DbHistory.entity_id == entity_id)
        .order_by(DbHistory.at, DbHistory.id)
    ).scalars()
    return tuple(entry(r) for r in rows)
