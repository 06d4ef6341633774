"""Comments of an issue: add, edit (optimistically locked), soft-delete, read.

These functions work inside a transaction the caller opened; the issue repository
wraps each of them in its own. Every change is stamped on the issue's change number
(without touching the issue's version, so commenting never conflicts with an edit
of the issue's fields) and recorded in the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from project_db import history
from project_db.changes import touch_issue
from project_db.errors import NotFound
from project_db.records import Comment, new_guid
from project_db.schema import DbComment, DbIssue, utcnow


def comment(row: DbComment) -> Comment:
    """The record of a comment row."""
    return Comment(id=row.id, guid=row.guid, issue_id=row.issue_id, date=row.date, author=row.author, text=row.text,
                   viewpoint_guid=row.viewpoint_guid, modified_date=row.modified_date,
                   modified_author=row.modified_author, version=row.version, deleted=row.deleted)


def add(session: Session, seq: int, issue_id: int, text: str, author: str, *, viewpoint_guid: str | None = None,
        guid: str | None = None, date: datetime | None = None, modified_date: datetime | None = None,
        modified_author: str | None = None, recorded_by: str | None = None) -> Comment:
    """Add a comment; a ``guid`` that already exists on this issue returns that comment (safe retry).

    ``recorded_by`` is who the history names (the importing user for a BCF comment; default ``author``).
    """
    if session.get(DbIssue, issue_id) is None:
        raise NotFound("issue", issue_id)
    if guid is not None:
        existing = session.execute(select(DbComment).where(DbComment.guid == guid)).scalar_one_or_none()
        if existing is not None and existing.issue_id == issue_id:
            return comment(existing)
        if existing is not None:
            guid = None  # the same guid under another issue: a copy, give it its own identity
    row = DbComment(guid=guid or new_guid(), issue_id=issue_id, date=date or utcnow(), author=author, text=text,
                    viewpoint_guid=viewpoint_guid, modified_date=modified_date, modified_author=modified_author,
                    deleted=False)
    session.add(row)
    session.flush()
    touch_issue(session, issue_id, seq, comments=1)
    history.record(session, author=recorded_by or author, entity="comment", entity_id=row.id, issue_id=issue_id,
                   field="comment added", new=text)
    return comment(row)


def edit(session: Session, seq: int, edited: Comment, author: str) -> DbComment:
    """Apply an edited comment's text and viewpoint link; the caller flushes to check the version."""
    row = session.get(DbComment, edited.id)
    if row is None:
        raise NotFound("comment", edited.id)
    if row.version != edited.version:
        return row  # the caller compares versions and reports the conflict
    for name in ("text", "viewpoint_guid"):
        old, new = getattr(row, name), getattr(edited, name)
        if old != new:
            history.record(session, author=author, entity="comment", entity_id=row.id, issue_id=row.issue_id,
                           field=f"comment {name}", old=old, new=new)
            setattr(row, name, new)
    row.modified_date = utcnow()
    row.modified_author = author
    touch_issue(session, row.issue_id, seq)
    return row


def set_deleted(session: Session, seq: int, comment_id: int, deleted: bool, author: str) -> Comment:
    """Hide (or bring back) a comment; it stays in the database and the history says who did it."""
    row = session.get(DbComment, comment_id)
    if row is None:
        raise NotFound("comment", comment_id)
    if row.deleted != deleted:
        history.record(session, author=author, entity="comment", entity_id=row.id, issue_id=row.issue_id,
                       field="comment deleted", old=row.deleted, new=deleted)
        row.deleted = deleted
        session.flush()
        touch_issue(session, row.issue_id, seq, comments=-1 if deleted else 1)
    return comment(row)


def for_issues(session: Session, issue_ids: Iterable[int], include_deleted: bool = False) -> dict[int, list[Comment]]:
    """Comments of several issues, oldest first, keyed by issue id."""
    ids = list(issue_ids)
    result: dict[int, list[Comment]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        query = select(DbComment).where(DbComment.issue_id.in_(ids[start:start + 500]))
        if not include_deleted:
            query = query.where(DbComment.deleted.is_(False))
        for row in session.execute(query.order_by(DbComment.date, DbComment.id)).scalars():
            result[row.issue_id].append(comment(row))
    return result
