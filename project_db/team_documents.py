"""Named JSON documents shared with the team: project rule sets and take-off templates (clash tests too).

Each document is stored whole as JSON, with its name, version, last author and date.
Saving is optimistically locked: pass the ``version`` you loaded as ``expected_version``
and a document someone else saved meanwhile raises :class:`ConflictError` (``None``
overwrites whatever is there; ``0`` creates a document that must not exist yet).
Deleting is soft: the row stays, the history says who did it, saving again restores it.
Every write stamps the change counter of its kind, so other workstations notice.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from project_db import history
from project_db.changes import next_seq
from project_db.errors import ConflictError, InvalidValue, NotFound
from project_db.records import StoredRuleSet, StoredTemplate
from project_db.schema import DbTeamDocument, utcnow

if TYPE_CHECKING:
    from project_db.connection import Project

NAME_MAX = 255


def plain_document(document: Any, field: str = "document") -> dict:
    """``document`` as JSON-ready data (a copy: later edits of the caller's dict do not leak in)."""
    if not isinstance(document, dict):
        raise InvalidValue(field, type(document).__name__)
    return history.to_plain(document)


def check_name(name: Any, field: str = "name") -> str:
    """``name`` if it is a usable document name (non-empty text of at most 255 characters)."""
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
        raise InvalidValue(field, name)
    return name


def digest(document: dict) -> str:
    """A short fingerprint of a document for the history (which does not copy whole documents)."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class DocumentStore:
    """The documents of one ``kind`` in ``team_documents``; the repositories below wrap it."""

    def __init__(self, project: "Project", kind: str, scope: str, entity: str, record: Callable[[DbTeamDocument], Any],
                 what: str):
        self.project = project
        self.kind = kind  # stored in the row
        self.scope = scope  # the change counter (see project_db.changes)
        self.entity = entity  # the history's entity name
        self.record = record  # row -> frozen record
        self.what = what  # how NotFound names it

    def list(self, include_deleted: bool = False) -> list:
        """The documents' records, by name."""
        with self.project.transaction() as session:
            query = select(DbTeamDocument).where(DbTeamDocument.kind == self.kind).order_by(DbTeamDocument.name)
            if not include_deleted:
                query = query.where(DbTeamDocument.deleted.is_(False))
            return [self.record(row) for row in session.execute(query).scalars()]

    def info(self, name: str) -> Any:
        """The record of one document (:class:`NotFound` if missing or deleted)."""
        with self.project.transaction() as session:
            return self.record(self._live_row(session, name))

    def get(self, name: str) -> dict:
        """The stored document (:class:`NotFound` if missing or deleted)."""
        with self.project.transaction() as session:
            return self._live_row(session, name).payload

    def save(self, name: str, document: dict, author: str, expected_version: int | None = None,
             title: str | None = None) -> Any:
        """Create or replace a document; returns its record with the new version."""
        check_name(name)
        payload = plain_document(document)
        with self.project.transaction() as session:
            next_seq(session, self.scope)
            row = self._row(session, name)
            current = 0 if row is None or row.deleted else row.version
            if expected_version is not None and expected_version != current:
                self._conflict(row, name, author, expected_version)
            now = utcnow()
            if row is None:
                row = DbTeamDocument(kind=self.kind, name=name, version=0, deleted=False)
                session.add(row)
                field, old = "created", None
            else:
                field = "restored" if row.deleted else "saved"
                old = {"version": row.version, "sha256": digest(row.payload)}
            row.title = (title or "")[:NAME_MAX] or None
            row.payload = payload
            row.version += 1
            row.deleted = False
            row.updated_at, row.updated_by = now, author
            session.flush()
            history.record(session, author=author, entity=self.entity, entity_id=row.id, issue_id=None,
                           field=field, old=old, new={"name": name, "version": row.version,
                                                      "sha256": digest(payload)}, at=now)
            return self.record(row)

    def delete(self, name: str, author: str, expected_version: int | None = None) -> None:
        """Soft-delete a document (:class:`NotFound` if missing; deleting it again does nothing)."""
        with self.project.transaction() as session:
            next_seq(session, self.scope)
            row = self._row(session, name)
            if row is None:
                raise NotFound(self.what, name)
            if row.deleted:
                return
            if expected_version is not None and expected_version != row.version:
                self._conflict(row, name, author, expected_version)
            now = utcnow()
            row.deleted = True
            row.version += 1
            row.updated_at, row.updated_by = now, author
            session.flush()
            history.record(session, author=author, entity=self.entity, entity_id=row.id, issue_id=None,
                           field="deleted", old=False, new=True, at=now)

    def history(self, name: str) -> tuple:
        """Who created, saved, deleted the document, oldest first."""
        with self.project.transaction() as session:
            row = self._row(session, name)
            if row is None:
                raise NotFound(self.what, name)
            return history.entity_history(session, self.entity, row.id)

    # -- helpers -------------------------------------------------------------------------

    def _row(self, session: Session, name: str) -> DbTeamDocument | None:
        return session.execute(
            select(DbTeamDocument).where(DbTeamDocument.kind == self.kind, DbTeamDocument.name == name)
        ).scalar_one_or_none()

    def _live_row(self, session: Session, name: str) -> DbTeamDocument:
        row = self._row(session, name)
        if row is None or row.deleted:
            raise NotFound(self.what, name)
        return row

    def _conflict(self, row: DbTeamDocument | None, name: str, author: str, expected_version: int) -> None:
        now = utcnow()
        mine = DbTeamDocument(kind=self.kind, name=name, title=None, version=expected_version, payload={},
                              updated_at=now, updated_by=author, deleted=False)
        if row is None:
            theirs = DbTeamDocument(kind=self.kind, name=name, title=None, version=0, payload={}, updated_at=now,
                                    updated_by="", deleted=True)
        else:
            theirs = row
        raise ConflictError(self.project.database, self.record(mine), self.record(theirs))


def _rule_set(row: DbTeamDocument) -> StoredRuleSet:
    return StoredRuleSet(key=row.name, title=row.title or row.name, version=row.version, updated_at=row.updated_at,
                         updated_by=row.updated_by, deleted=row.deleted)


def _template(row: DbTeamDocument) -> StoredTemplate:
    return StoredTemplate(name=row.name, updated_at=row.updated_at, updated_by=row.updated_by, version=row.version,
                          deleted=row.deleted)


class RuleSetRepository:
    """Project rule sets shared with the team; each call is its own transaction.

    A payload is ``{"ruleset": <the rule set's dict>, "ids_files": {file name: IDS XML text}}``.
    """

    def __init__(self, project: "Project"):
        self.project = project
        self._store = DocumentStore(project, "rule_set", "rule_sets", "rule_set", _rule_set, "rule set")

    def list(self, include_deleted: bool = False) -> list[StoredRuleSet]:
        """The project's rule sets, by key (deleted ones too if asked)."""
        return self._store.list(include_deleted)

    def info(self, key: str) -> StoredRuleSet:
        """One rule set's record (:class:`NotFound` if missing or deleted)."""
        return self._store.info(key)

    def get(self, key: str) -> dict:
        """The stored payload ``{"ruleset": dict, "ids_files": {name: xml}}`` (:class:`NotFound` if missing)."""
        return self._store.get(key)

    def save(self, key: str, payload: dict, author: str, expected_version: int | None = None) -> StoredRuleSet:
        """Create or replace a rule set; :class:`ConflictError` if ``expected_version`` is stale."""
        payload = plain_document(payload, "payload")
        ruleset = payload.get("ruleset")
        if not isinstance(ruleset, dict):
            raise InvalidValue("ruleset", type(ruleset).__name__)
        ids_files = payload.setdefault("ids_files", {})
        if not isinstance(ids_files, dict) or not all(isinstance(v, str) for v in ids_files.values()):
            raise InvalidValue("ids_files", type(ids_files).__name__)
        title = ruleset.get("title")
        return self._store.save(key, payload, author, expected_version, title if isinstance(title, str) else None)

    def delete(self, key: str, author: str, expected_version: int | None = None) -> None:
        """Soft-delete a rule set (recorded in the history)."""
        self._store.delete(key, author, expected_version)

    def history(self, key: str) -> tuple:
        """The rule set's history entries, oldest first."""
        return self._store.history(key)


class TakeoffTemplateRepository:
    """Take-off templates shared with the team; each call is its own transaction."""

    def __init__(self, project: "Project"):
        self.project = project
        self._store = DocumentStore(project, "takeoff_template", "templates", "takeoff_template", _template,
                                    "take-off template")

    def list(self, include_deleted: bool = False) -> list[StoredTemplate]:
        """The project's templates, by name."""
        return self._store.list(include_deleted)

    def info(self, name: str) -> StoredTemplate:
        """One template's record (:class:`NotFound` if missing or deleted)."""
        return self._store.info(name)

    def get(self, name: str) -> dict:
        """The stored template (:class:`NotFound` if missing or deleted)."""
        return self._store.get(name)

    def save(self, name: str, template: dict, author: str, expected_version: int | None = None) -> StoredTemplate:
        """Create or replace a template; :class:`ConflictError` if ``expected_version`` is stale."""
        return self._store.save(name, template, author, expected_version)

    def delete(self, name: str, author: str, expected_version: int | None = None) -> None:
        """Soft-delete a template (recorded in the history)."""
        self._store.delete(name, author, expected_version)

    def history(self, name: str) -> tuple:
        """The template's history entries, oldest first."""
        return self._store.history(name)
