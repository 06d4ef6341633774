"""Stored rule-set runs: the checks engine's run document, with what the runs list shows and filters by.

The payload is whatever ``RulesetRunResult.to_dict()`` produced (this package never
imports the engine); the rule set's key and version, the status, the summary and the
models' file hashes are copied out of it into columns, leniently: a key that is
missing leaves its column empty. Runs are never edited; each save is a new run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from project_db import history
from project_db.changes import next_seq
from project_db.errors import NotFound
from project_db.records import CheckRunRecord
from project_db.schema import DbCheckRun, utcnow
from project_db.team_documents import plain_document

if TYPE_CHECKING:
    from project_db.connection import Project


class CheckRunRepository:
    """The project's stored check runs; each call is its own transaction."""

    def __init__(self, project: "Project"):
        self.project = project

    def save_run(self, run: dict, author: str) -> CheckRunRecord:
        """Store a run document (as produced by the checks engine); returns its record."""
        payload = plain_document(run, "run")
        ruleset = payload.get("ruleset") if isinstance(payload.get("ruleset"), dict) else {}
        summary = payload.get("summary") if isinstance(payload.get("summary"), dict) else {}
        status = payload.get("status") or summary.get("status")
        now = utcnow()
        row = DbCheckRun(created_at=now, author=author, ruleset_key=_text(ruleset.get("key"), 255),
                         ruleset_version=_text(ruleset.get("version"), 64), status=_text(status, 32),
                         summary=summary, model_hashes=_model_hashes(payload), payload=payload)
        with self.project.transaction() as session:
            next_seq(session, "checks")
            session.add(row)
            session.flush()
            history.record(session, author=author, entity="check_run", entity_id=row.id, issue_id=None,
                           field="created", new={"ruleset": row.ruleset_key, "status": row.status}, at=now)
            return _record(row)

    def list_runs(self, limit: int | None = None, ruleset_key: str | None = None) -> list[CheckRunRecord]:
        """Stored runs, newest first, optionally of one rule set and at most ``limit`` of them."""
        query = select(DbCheckRun.id, DbCheckRun.created_at, DbCheckRun.author, DbCheckRun.ruleset_key,
                       DbCheckRun.ruleset_version, DbCheckRun.status, DbCheckRun.summary, DbCheckRun.model_hashes)
        if ruleset_key is not None:
            query = query.where(DbCheckRun.ruleset_key == ruleset_key)
        query = query.order_by(DbCheckRun.created_at.desc(), DbCheckRun.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.project.transaction() as session:
            return [CheckRunRecord(*row) for row in session.execute(query)]

    def get_run(self, run_id: int) -> dict:
        """The whole stored run document (:class:`NotFound` if there is no such run)."""
        with self.project.transaction() as session:
            payload = session.execute(select(DbCheckRun.payload).where(DbCheckRun.id == run_id)).scalar_one_or_none()
        if payload is None:
            raise NotFound("check run", run_id)
        return payload


def _text(value: Any, size: int) -> str | None:
    """``value`` as column text (None stays None), cut to the column's size."""
    return None if value is None or value == "" else str(value)[:size]


def _model_hashes(run: dict) -> dict:
    """Model id → file hash, from ``model_hashes`` if the run has it, else from its ``models`` list."""
    given = run.get("model_hashes")
    if isinstance(given, dict):
        return given
    hashes = {}
    for model in run.get("models") or ():
        if isinstance(model, dict) and model.get("model_id") is not None:
            hashes[str(model["model_id"])] = model.get("file_hash")
    return hashes


def _record(row: DbCheckRun) -> CheckRunRecord:
    return CheckRunRecord(id=row.id, created_at=row.created_at, author=row.author, ruleset_key=row.ruleset_key,
                          ruleset_version=row.ruleset_version, status=row.status, summary=row.summary,
                          model_hashes=row.model_hashes)
