"""A save that fails (connection dropped, file locked) writes nothing, says why, and can be retried."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from sqlalchemy import event

from project_db import connection
from project_db.connection import Project, engine_for, open_project
from project_db.errors import DatabaseBusy, DatabaseUnavailable
from project_db.records import Issue
from tests.project_db.conftest import _connect


def _cut_connection_before_history_is_written(project):
    """Make the server drop this workstation's connection in the middle of the next save."""
    fired = []

    def cut(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.startswith("INSERT INTO history"):
            fired.append(True)
            pid = conn.connection.dbapi_connection.get_backend_pid()
            admin = _connect()
            try:
                with admin.cursor() as cur:
                    cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
            finally:
                admin.close()

    event.listen(project.engine, "before_cursor_execute", cut)
    return lambda: event.remove(project.engine, "before_cursor_execute", cut)


@pytest.mark.postgres
def test_a_save_cut_by_a_dropped_connection_writes_nothing_and_can_be_retried(pg_project_location):
    project = open_project(pg_project_location)
    try:
        issue = project.issues.create(Issue(title="Avant coupure"), "alice")
        edited = replace(issue, title="Après coupure", status="Resolved")
        restore = _cut_connection_before_history_is_written(project)
        with pytest.raises(DatabaseUnavailable) as error:
            project.issues.save(edited, "alice")
        restore()
        assert project.database in str(error.value)
        stored = project.issues.get(issue.id)  # the pool reconnects by itself
        assert (stored.title, stored.status, stored.version) == ("Avant coupure", "Open", 1)
        assert [h.field for h in project.issues.history(issue.id)] == ["created"]
        assert edited.title == "Après coupure"  # the caller still has what the user typed
        retried = project.issues.save(edited, "alice")
        assert (retried.title, retried.version) == ("Après coupure", 2)
    finally:
        project.close()


@pytest.mark.postgres
def test_a_comment_cut_by_a_dropped_connection_is_stored_once_on_retry(pg_project_location):
    project = open_project(pg_project_location)
    try:
        issue = project.issues.create(Issue(title="Fuite"), "alice")
        restore = _cut_connection_before_history_is_written(project)
        guid = "c0ffee00-0000-4000-8000-000000000001"
        with pytest.raises(DatabaseUnavailable):
            project.issues.add_comment(issue.id, "Réparé", "bob", guid=guid)
        restore()
        assert project.issues.detail(issue.id).comments == ()
        project.issues.add_comment(issue.id, "Réparé", "bob", guid=guid)
        project.issues.add_comment(issue.id, "Réparé", "bob", guid=guid)
        assert [c.text for c in project.issues.detail(issue.id).comments] == ["Réparé"]
    finally:
        project.close()


def test_a_save_while_another_program_locks_the_sqlite_file_fails_cleanly(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "locked.synthese"
    project = open_project(path, create=True)
    try:
        issue = project.issues.create(Issue(title="Verrou"), "alice")
        edited = replace(issue, title="Modifié")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(DatabaseBusy) as error:
            project.issues.save(edited, "alice")
        assert str(path) in str(error.value)
        other.execute("ROLLBACK")
        other.close()
        assert project.issues.get(issue.id).title == "Verrou"
        assert project.issues.save(edited, "alice").title == "Modifié"
    finally:
        project.close()


def test_a_retried_save_that_had_in_fact_gone_through_is_not_a_conflict(project):
    issue = project.issues.create(Issue(title="Commit perdu ?"), "alice")
    edited = replace(issue, status="Resolved")
    first = project.issues.save(edited, "alice")
    assert project.issues.save(edited, "alice") == first


def test_a_retried_create_returns_the_issue_already_stored(project):
    draft = Issue(title="Créée deux fois ?")
    first = project.issues.create(draft, "alice")
    assert project.issues.create(draft, "alice") == first
    assert len(project.issues.list_rows()) == 1


def test_when_the_server_is_gone_every_call_raises_unavailable_and_ping_says_no():
    project = Project(engine_for("postgresql://postgres@127.0.0.1:1/gone"), "postgresql://127.0.0.1:1/gone")
    try:
        assert not project.ping()
        with pytest.raises(DatabaseUnavailable, match="127.0.0.1:1/gone"):
            project.issues.create(Issue(title="x"), "alice")
        with pytest.raises(DatabaseUnavailable):
            project.changes_since(0)
    finally:
        project.close()
