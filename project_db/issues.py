"""The issue repository: create, read, list, save (optimistically locked), soft-delete,
comment and attach viewpoints. Each call is one transaction and returns frozen records.

Saving takes the edited copy of an issue the caller read earlier; if someone saved
the issue in between, :class:`ConflictError` carries both versions so the caller can
reload or merge (:func:`merge`), then save again. A save retried after a lost
connection is safe: an identical save that already went through is not a conflict.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bim.viewpoint import Viewpoint
from project_db import comments as comment_store
from project_db import history
from project_db import viewpoints as viewpoint_store
from project_db.changes import next_seq
from project_db.errors import ConflictError, InvalidValue, NotFound
from project_db.issue_fields import changed_fields, load_issue, load_issues, same_content, validate, write_fields
from project_db.issue_list import list_rows
from project_db.records import (
    EDITABLE_ISSUE_FIELDS,
    Comment,
    Document,
    HistoryEntry,
    Issue,
    IssueDetail,
    IssueFilter,
    IssueRow,
    ViewpointBitmap,
    ViewpointRecord,
    new_guid,
)
from project_db.schema import DbComment, DbDocument, DbIssue, DbProjectState, utcnow

if TYPE_CHECKING:
    from project_db.connection import Project


class DuplicateFingerprint(InvalidValue):
    """An issue with this fingerprint already exists (a rule or clash result is filed once)."""

    def __init__(self, fingerprint: str, existing_id: int):
        super().__init__("fingerprint", fingerprint)
        self.existing_id = existing_id


class IssueRepository:
    """Issues of one project. Every method is its own transaction."""

    def __init__(self, project: "Project"):
        self.project = project

    # -- reading -----------------------------------------------------------------------

    def list_rows(self, flt: IssueFilter = IssueFilter()) -> list[IssueRow]:
        """The issues panel's rows matching ``flt``, in one query."""
        with self.project.transaction() as session:
            return list_rows(session, flt)

    def get(self, issue_id: int) -> Issue:
        """One issue (deleted ones too: check ``deleted``)."""
        with self.project.transaction() as session:
            return load_issue(session, _row(session, issue_id))

    def get_many(self, issue_ids: list[int] | None = None, include_deleted: bool = False) -> list[Issue]:
        """Several issues by id (None: all), by number."""
        with self.project.transaction() as session:
            query = select(DbIssue).order_by(DbIssue.number)
            if issue_ids is not None:
                query = query.where(DbIssue.id.in_(issue_ids))
            if not include_deleted:
                query = query.where(DbIssue.deleted.is_(False))
            return load_issues(session, session.execute(query).scalars().all())

    def by_guid(self, guid: str) -> Issue | None:
        """The issue with this BCF guid, if any."""
        with self.project.transaction() as session:
            row = session.execute(select(DbIssue).where(DbIssue.guid == guid.lower())).scalar_one_or_none()
            return load_issue(session, row) if row else None

    def by_fingerprint(self, fingerprint: str) -> Issue | None:
        """The issue filed for this rule/clash fingerprint, if any."""
        with self.project.transaction() as session:
            row = session.execute(select(DbIssue).where(DbIssue.fingerprint == fingerprint)).scalar_one_or_none()
            return load_issue(session, row) if row else None

    def detail(self, issue_id: int, include_deleted: bool = False) -> IssueDetail:
        """The issue with its comments, viewpoints and history, read together."""
        with self.project.transaction() as session:
            issue = load_issue(session, _row(session, issue_id))
            return IssueDetail(
                issue=issue,
                comments=tuple(comment_store.for_issues(session, [issue_id], include_deleted)[issue_id]),
                viewpoints=tuple(viewpoint_store.for_issues(session, [issue_id], include_deleted)[issue_id]),
                history=history.issue_history(session, issue_id),
            )

    def history(self, issue_id: int) -> tuple[HistoryEntry, ...]:
        """The issue's timeline, oldest first."""
        with self.project.transaction() as session:
            return history.issue_history(session, issue_id)

    # -- writing -----------------------------------------------------------------------

    def create(self, draft: Issue, author: str) -> Issue:
        """Store a new issue built from ``draft``; returns it with its id, number and version.

        Retrying with the same draft (same guid) after a failed call returns the stored issue.
        """
        with self.project.transaction() as session:
            seq = next_seq(session)
            existing = session.execute(select(DbIssue).where(DbIssue.guid == draft.guid)).scalar_one_or_none()
            if existing is not None:
                stored = load_issue(session, existing)
                if same_content(stored, draft):
                    return stored
                raise InvalidValue("guid", draft.guid)
            trade_ids = validate(session, draft)
            _check_fingerprint(session, draft.fingerprint, None)
            row = insert_issue(session, seq, draft, author, trade_ids)
            history.record(session, author=author, entity="issue", entity_id=row.id, issue_id=row.id,
                           field="created", new=draft.title, at=row.creation_date)
            return load_issue(session, row)

    def save(self, edited: Issue, author: str) -> Issue:
        """Save an edited copy of an issue; raises :class:`ConflictError` if it changed meanwhile."""
        try:
            with self.project.transaction() as session:
                seq = next_seq(session)
                row = _row(session, edited.id)
                current = load_issue(session, row)
                if row.version != edited.version:
                    if same_content(current, edited):
                        return current  # a retried save that had gone through
                    raise ConflictError(self.project.database, mine=edited, theirs=current)
                if not apply_edit(session, seq, row, current, edited, author):
                    return current
                return load_issue(session, row)
        except StaleDataError:
            raise ConflictError(self.project.database, mine=edited, theirs=self.get(edited.id)) from None

    def delete(self, issue: Issue, author: str) -> Issue:
        """Soft-delete an issue (it stays, marked deleted, with a history entry)."""
        return self._set_deleted(issue, True, author)

    def restore(self, issue: Issue, author: str) -> Issue:
        """Bring back a soft-deleted issue."""
        return self._set_deleted(issue, False, author)

    def _set_deleted(self, issue: Issue, deleted: bool, author: str) -> Issue:
        try:
            with self.project.transaction() as session:
                seq = next_seq(session)
                row = _row(session, issue.id)
                if row.version != issue.version:
                    raise ConflictError(self.project.database, mine=issue, theirs=load_issue(session, row))
                if row.deleted == deleted:
                    return load_issue(session, row)
                now = utcnow()
                history.record(session, author=author, entity="issue", entity_id=row.id, issue_id=row.id,
                               field="deleted", old=row.deleted, new=deleted, at=now)
                row.deleted, row.deleted_at, row.deleted_by = deleted, now if deleted else None, author
                row.change_seq = seq
                session.flush()
                return load_issue(session, row)
        except StaleDataError:
            raise ConflictError(self.project.database, mine=issue, theirs=self.get(issue.id)) from None

    # -- comments ----------------------------------------------------------------------

    def add_comment(self, issue_id: int, text: str, author: str, viewpoint_guid: str | None = None,
                    guid: str | None = None) -> Comment:
        """Add a comment to an issue. Pass a ``guid`` you made to make a retry safe."""
        with self.project.transaction() as session:
            return comment_store.add(session, next_seq(session), issue_id, text, author,
                                     viewpoint_guid=viewpoint_guid, guid=guid)

    def edit_comment(self, edited: Comment, author: str) -> Comment:
        """Save an edited copy of a comment; :class:`ConflictError` if it changed meanwhile."""
        try:
            with self.project.transaction() as session:
                row = comment_store.edit(session, next_seq(session), edited, author)
                if row.version != edited.version:
                    theirs = comment_store.comment(row)
                    if (theirs.text, theirs.viewpoint_guid) == (edited.text, edited.viewpoint_guid):
                        return theirs
                    raise ConflictError(self.project.database, mine=edited, theirs=theirs)
                session.flush()
                return comment_store.comment(row)
        except StaleDataError:
            raise ConflictError(self.project.database, mine=edited, theirs=self.comment(edited.id)) from None

    def delete_comment(self, comment_id: int, author: str) -> Comment:
        """Hide a comment (kept, with a history entry)."""
        with self.project.transaction() as session:
            return comment_store.set_deleted(session, next_seq(session), comment_id, True, author)

    def comment(self, comment_id: int) -> Comment:
        """One comment by id."""
        with self.project.transaction() as session:
            row = session.get(DbComment, comment_id)
            if row is None:
                raise NotFound("comment", comment_id)
            return comment_store.comment(row)

    # -- documents ---------------------------------------------------------------------

    def store_document(self, filename: str, data: bytes, author: str, description: str | None = None,
                       guid: str | None = None) -> Document:
        """Keep a document in the project so issues can reference it (BCF document references)."""
        with self.project.transaction() as session:
            next_seq(session)
            if guid is not None:
                existing = session.execute(select(DbDocument).where(DbDocument.guid == guid)).scalar_one_or_none()
                if existing is not None:
                    return _document(existing)
            row = DbDocument(guid=guid or new_guid(), filename=filename, description=description, data=data,
                             created_at=utcnow())
            session.add(row)
            session.flush()
            history.record(session, author=author, entity="document", entity_id=row.id, issue_id=None,
                           field="created", new={"filename": filename, "guid": row.guid})
            return _document(row)

    def document(self, guid: str) -> Document:
        """A stored document by guid (with its content)."""
        with self.project.transaction() as session:
            row = session.execute(select(DbDocument).where(DbDocument.guid == guid)).scalar_one_or_none()
            if row is None:
                raise NotFound("document", guid)
            return _document(row)

    # -- viewpoints --------------------------------------------------------------------

    def add_viewpoint(self, issue_id: int, viewpoint: Viewpoint, author: str, *, guid: str | None = None,
                      index: int | None = None, bitmaps: tuple[ViewpointBitmap, ...] = ()) -> ViewpointRecord:
        """Attach a viewpoint (camera, visibility, selection, colours, planes, lines, snapshot) to an issue."""
        with self.project.transaction() as session:
            return viewpoint_store.add(session, next_seq(session), issue_id, viewpoint, author, guid=guid,
                                       index=index, bitmaps=bitmaps)

    def delete_viewpoint(self, viewpoint_id: int, author: str) -> None:
        """Hide a viewpoint (kept, with a history entry)."""
        with self.project.transaction() as session:
            viewpoint_store.set_deleted(session, next_seq(session), viewpoint_id, True, author)


def merge(base: Issue, mine: Issue, theirs: Issue) -> tuple[Issue, tuple[str, ...]]:
    """Three-way merge after a :class:`ConflictError`: my edits applied on their version.

    ``base`` is what I started editing from. Returns the merged issue (carrying their
    version, so it can be saved) and the fields both sides changed differently, where
    mine was kept; show those to the user before saving.
    """
    merged = theirs
    conflicts = []
    for name in EDITABLE_ISSUE_FIELDS:
        b, m, t = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        if m == b:
            continue
        if t != b and t != m:
            conflicts.append(name)
        merged = replace(merged, **{name: m})
    return merged, tuple(conflicts)


def apply_edit(session: Session, seq: int, row: DbIssue, current: Issue, edited: Issue, author: str) -> list[str]:
    """Write the fields of ``edited`` that differ from ``current`` onto ``row``, one history entry each.

    The caller holds the transaction and checked ``row``'s version; returns the fields
    written (none: nothing was done). Shared by :meth:`IssueRepository.save` and the
    meetings' recorded decisions, so both leave the same trail.
    """
    fields = changed_fields(current, edited)
    if not fields:
        return fields
    trade_ids = validate(session, edited, before=current)
    if "fingerprint" in fields:
        _check_fingerprint(session, edited.fingerprint, row.id)
    now = utcnow()
    row.modified_date, row.modified_author, row.change_seq = now, author, seq
    write_fields(session, row, edited, trade_ids, fields)  # flushes: UPDATE … WHERE version = ?
    for name in fields:
        history.record(session, author=author, entity="issue", entity_id=row.id, issue_id=row.id,
                       field=name, old=getattr(current, name), new=getattr(edited, name), at=now)
    return fields


def insert_issue(session: Session, seq: int, draft: Issue, author: str, trade_ids: dict[str, int]) -> DbIssue:
    """Insert ``draft`` with the next issue number (no history; callers record their own)."""
    number = session.execute(
        update(DbProjectState)
        .where(DbProjectState.id == 1)
        .values(next_issue_number=DbProjectState.next_issue_number + 1)
        .returning(DbProjectState.next_issue_number)
    ).scalar_one() - 1
    row = DbIssue(
        guid=draft.guid.lower(), number=number, creation_date=draft.creation_date or utcnow(),
        creation_author=draft.creation_author or author, modified_date=draft.modified_date,
        modified_author=draft.modified_author, deleted=False, change_seq=seq,
    )
    write_fields(session, row, draft, trade_ids)
    return row


def _document(row: DbDocument) -> Document:
    return Document(guid=row.guid, filename=row.filename, description=row.description, data=row.data)


def _row(session: Session, issue_id: int | None) -> DbIssue:
    row = session.get(DbIssue, issue_id) if issue_id is not None else None
    if row is None:
        raise NotFound("issue", issue_id)
    return row


def _check_fingerprint(session: Session, fingerprint: str | None, own_id: int | None) -> None:
    if not fingerprint:
        return
    other = session.execute(select(DbIssue.id).where(DbIssue.fingerprint == fingerprint)).scalar_one_or_none()
    if other is not None and other != own_id:
        raise DuplicateFingerprint(fingerprint, other)

