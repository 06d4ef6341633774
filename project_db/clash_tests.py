"""Clash tests shared with the team, their stored runs, and the coordinators' marks on clashes.

A test and a run are the clash engine's documents (``ClashTest.to_dict()``,
``ClashRun.to_dict()``), stored whole; this package never imports the engine.
Runs and marks refer to their test by name. A mark is a coordinator's decision on
a clash ("approved" or "ignored") or the manual group it was put in; clearing one
(``None``) removes it. Every write stamps the clash change counter and the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from project_db import history
from project_db.changes import next_seq
from project_db.errors import InvalidValue
from project_db.records import CLASH_DECISIONS, ClashRunInfo, StoredClashTest
from project_db.schema import DbClashMark, DbClashRun, DbTeamDocument, utcnow
from project_db.team_documents import NAME_MAX, DocumentStore, check_name, plain_document

if TYPE_CHECKING:
    from project_db.connection import Project

DECISION = "decision"
GROUP = "group"


def _clash_test(row: DbTeamDocument) -> StoredClashTest:
    return StoredClashTest(name=row.name, updated_at=row.updated_at, updated_by=row.updated_by, version=row.version,
                           deleted=row.deleted)


class ClashRepository:
    """Clash tests, runs, decisions and manual groups of one project; each call is its own transaction."""

    def __init__(self, project: "Project"):
        self.project = project
        self._tests = DocumentStore(project, "clash_test", "clashes", "clash_test", _clash_test, "clash test")

    # -- tests ---------------------------------------------------------------------------

    def list_tests(self, include_deleted: bool = False) -> list[StoredClashTest]:
        """The project's clash tests, by name."""
        return self._tests.list(include_deleted)

    def test_info(self, name: str) -> StoredClashTest:
        """One test's record (:class:`NotFound` if missing or deleted)."""
        return self._tests.info(name)

    def get_test(self, name: str) -> dict:
        """The stored test document (:class:`NotFound` if missing or deleted)."""
        return self._tests.get(name)

    def save_test(self, name: str, test: dict, author: str, expected_version: int | None = None) -> StoredClashTest:
        """Create or replace a test; :class:`ConflictError` if ``expected_version`` is stale."""
        return self._tests.save(name, test, author, expected_version)

    def delete_test(self, name: str, author: str, expected_version: int | None = None) -> None:
        """Soft-delete a test; its runs and marks are kept."""
        self._tests.delete(name, author, expected_version)

    def test_history(self, name: str) -> tuple:
        """The test's history entries, oldest first."""
        return self._tests.history(name)

    # -- runs ----------------------------------------------------------------------------

    def save_run(self, test_name: str, run: dict, author: str) -> int:
        """Store a run document of ``test_name``; returns the run's id."""
        check_name(test_name, "test_name")
        payload = plain_document(run, "run")
        now = utcnow()
        with self.project.transaction() as session:
            next_seq(session, "clashes")
            row = DbClashRun(test_name=test_name, created_at=now, author=author, clash_count=_clash_count(payload),
                             payload=payload)
            session.add(row)
            session.flush()
            history.record(session, author=author, entity="clash_run", entity_id=row.id, issue_id=None,
                           field="created", new={"test": test_name, "clashes": row.clash_count}, at=now)
            return row.id

    def latest_run(self, test_name: str) -> dict | None:
        """The newest stored run document of ``test_name`` (None if it never ran)."""
        with self.project.transaction() as session:
            return session.execute(
                select(DbClashRun.payload).where(DbClashRun.test_name == test_name)
                .order_by(DbClashRun.created_at.desc(), DbClashRun.id.desc()).limit(1)
            ).scalar_one_or_none()

    def get_run(self, run_id: int) -> dict | None:
        """One stored run document by id (None if there is no such run)."""
        with self.project.transaction() as session:
            return session.execute(select(DbClashRun.payload).where(DbClashRun.id == run_id)).scalar_one_or_none()

    def runs(self, test_name: str) -> list[ClashRunInfo]:
        """The stored runs of ``test_name``, newest first, as ``(id, created_at, author, clash_count)``."""
        with self.project.transaction() as session:
            rows = session.execute(
                select(DbClashRun.id, DbClashRun.created_at, DbClashRun.author, DbClashRun.clash_count)
                .where(DbClashRun.test_name == test_name)
                .order_by(DbClashRun.created_at.desc(), DbClashRun.id.desc())
            )
            return [ClashRunInfo(*row) for row in rows]

    # -- decisions and manual groups -----------------------------------------------------

    def decisions(self, test_name: str) -> dict[str, str]:
        """Clash id → "approved" or "ignored", for the clashes of ``test_name`` a coordinator decided on."""
        return self._marks(test_name, DECISION)

    def set_decision(self, test_name: str, clash_id: str, decision: str | None, author: str) -> None:
        """Approve or ignore a clash (``None``: back to undecided)."""
        if decision is not None and decision not in CLASH_DECISIONS:
            raise InvalidValue("decision", decision, CLASH_DECISIONS)
        self._set_mark(test_name, clash_id, DECISION, decision, author)

    def manual_groups(self, test_name: str) -> dict[str, str]:
        """Clash id → group name, for the clashes of ``test_name`` put in a group by hand."""
        return self._marks(test_name, GROUP)

    def set_manual_group(self, test_name: str, clash_id: str, group: str | None, author: str) -> None:
        """Put a clash in a manual group (``None`` or "": take it out)."""
        if group is not None and (not isinstance(group, str) or len(group) > NAME_MAX):
            raise InvalidValue("group", group)
        self._set_mark(test_name, clash_id, GROUP, group or None, author)

    def _marks(self, test_name: str, kind: str) -> dict[str, str]:
        with self.project.transaction() as session:
            return dict(session.execute(
                select(DbClashMark.clash_id, DbClashMark.value)
                .where(DbClashMark.test_name == test_name, DbClashMark.kind == kind)
                .order_by(DbClashMark.clash_id)
            ).all())

    def _set_mark(self, test_name: str, clash_id: str, kind: str, value: str | None, author: str) -> None:
        check_name(test_name, "test_name")
        check_name(clash_id, "clash_id")
        with self.project.transaction() as session:
            next_seq(session, "clashes")
            row = session.get(DbClashMark, (test_name, kind, clash_id))
            old = row.value if row is not None else None
            if old == value:
                return
            now = utcnow()
            if value is None:
                session.delete(row)
            elif row is None:
                session.add(DbClashMark(test_name=test_name, kind=kind, clash_id=clash_id, value=value,
                                        updated_at=now, updated_by=author))
            else:
                row.value, row.updated_at, row.updated_by = value, now, author
            session.flush()
            history.record(session, author=author, entity=f"clash_{kind}", entity_id=None, issue_id=None,
                           field=kind, old={"test": test_name, "clash": clash_id, kind: old},
                           new={"test": test_name, "clash": clash_id, kind: value}, at=now)


def _clash_count(run: dict) -> int:
    """How many clashes a run document holds: ``clash_count`` if given, else its ``clashes`` list's length."""
    count: Any = run.get("clash_count")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    clashes = run.get("clashes")
    return len(clashes) if isinstance(clashes, list) else 0
