"""Opening, creating and migrating projects on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from project_db import migrate
from project_db.connection import engine_for, open_project
from project_db.errors import DatabaseUnavailable, NotAProject, ProjectNotFound, SchemaTooNew
from project_db.schema import Base
from tests.project_db.conftest import drop_pg_database, pg_url


def test_a_new_project_is_at_the_newest_schema_revision(project):
    assert project.info().revision == migrate.head_revision()


def test_the_migrations_build_exactly_the_schema_the_models_describe(project):
    with project.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == []


def test_opening_a_missing_sqlite_file_without_create_names_it(tmp_path):
    missing = tmp_path / "nope.synthese"
    with pytest.raises(ProjectNotFound, match="nope.synthese"):
        open_project(missing)
    assert not missing.exists()


def test_opening_a_missing_postgresql_database_without_create_names_it(pg_server):
    name = f"synthese_test_missing_{uuid.uuid4().hex[:8]}"
    with pytest.raises(ProjectNotFound, match=name):
        open_project(pg_url(name))


def test_creating_a_postgresql_project_creates_the_database(pg_server):
    name = f"synthese_test_new_{uuid.uuid4().hex[:8]}"
    try:
        with open_project(pg_url(name), create=True, name="Hôpital Nord") as project:
            assert project.info().name == "Hôpital Nord"
    finally:
        drop_pg_database(name)


def test_a_file_that_is_something_else_is_not_taken_for_a_project(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE stuff (x INTEGER)")
    with pytest.raises(NotAProject, match="other.sqlite"):
        open_project(other)


def test_a_project_written_by_a_newer_synthese_is_refused_with_its_name(project_location):
    engine = engine_for(project_location)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew) as error:
        open_project(project_location)
    message = str(error.value)
    assert "9999_future" in message
    assert (project_location.rsplit("/", 1)[-1]) in message


def test_an_unreachable_server_is_reported_as_unavailable_naming_the_database():
    with pytest.raises(DatabaseUnavailable, match="127.0.0.1:1/far_away"):
        open_project("postgresql://postgres@127.0.0.1:1/far_away")


def _project_at_first_revision(location: str) -> None:
    """Build a project as the first released schema made it, with an issue in it."""
    engine = engine_for(location)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project_state (id, project_id, name, created_at, change_seq, settings_seq, models_seq,"
            " next_issue_number) VALUES (1, 'p-1', 'Old', '2024-01-01 00:00:00', 1, 0, 0, 2)"))
        conn.execute(text(
            "INSERT INTO issues (guid, number, title, topic_type, status, reference_links, related_topics,"
            " header_files, creation_date, creation_author, linked_elements, origin, deleted, change_seq, version)"
            " VALUES ('0b9cc7a6-63a4-4c0e-b5a1-9a7e1e6a2f11', 1, 'Réservation manquante', 'Issue', 'Open', '[]',"
            " '[]', '[]', '2024-01-01 00:00:00', 'alice', '[]', 'manual', false, 1, 1)"))
        conn.execute(text("INSERT INTO issue_labels (issue_id, label, ordinal) VALUES (1, 'Openings', 0)"))
        conn.execute(text(
            "INSERT INTO comments (guid, issue_id, date, author, text, deleted, version) VALUES"
            " ('c0000000-0000-4000-8000-000000000001', 1, '2024-01-02 00:00:00', 'bob', 'vu', false, 1)"))
    engine.dispose()


def test_opening_a_sqlite_project_at_the_first_revision_backs_it_up_then_migrates_it(tmp_path):
    path = tmp_path / "old.synthese"
    _project_at_first_revision(str(path))
    with open_project(path) as project:
        assert project.info().revision == migrate.head_revision()
        assert project.backup_path is not None and project.backup_path.exists()
        (row,) = project.issues.list_rows()
        assert (row.title, row.labels, row.comment_count) == ("Réservation manquante", ("Openings",), 1)
        assert "CVC" in [t.code for t in project.settings.trades()]
    with sqlite3.connect(project.backup_path) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_opening_a_postgresql_project_at_the_first_revision_migrates_it(pg_database):
    name, engine, _seed = pg_database
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _project_at_first_revision(pg_url(name))
    with open_project(pg_url(name)) as project:
        assert project.info().revision == migrate.head_revision()
        (row,) = project.issues.list_rows()
        assert (row.title, row.labels, row.comment_count) == ("Réservation manquante", ("Openings",), 1)
        assert len(project.settings.statuses()) == 4


def test_a_migration_that_fails_halfway_leaves_the_database_at_its_old_revision(tmp_path, monkeypatch):
    path = tmp_path / "old.synthese"
    _project_at_first_revision(str(path))
    from alembic import op

    real_bulk_insert = op.bulk_insert
    calls = []

    def insert_then_fail(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:  # trades are in, their delays are not
            raise RuntimeError("disk full")
        return real_bulk_insert(*args, **kwargs)

    monkeypatch.setattr(op, "bulk_insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        open_project(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM trades").fetchone() == (0,)


def _project_at_revision_0004(location: str) -> None:
    """Build a project as revision 0004 left it: an issue with a comment, a change counter at 9."""
    engine = engine_for(location)
    migrate.upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project_state (id, project_id, name, created_at, change_seq, settings_seq, models_seq,"
            " next_issue_number, checks_seq, rule_sets_seq, clashes_seq, templates_seq)"
            " VALUES (1, 'p-4', 'Old', '2024-06-01 00:00:00', 9, 3, 0, 2, 5, 0, 9, 0)"))
        conn.execute(text(
            "INSERT INTO issues (guid, number, title, topic_type, status, reference_links, related_topics,"
            " header_files, creation_date, creation_author, linked_elements, origin, deleted, change_seq, version,"
            " comment_count, viewpoint_count) VALUES ('0b9cc7a6-63a4-4c0e-b5a1-9a7e1e6a2f11', 1, 'Réservation',"
            " 'Issue', 'Open', '[]', '[]', '[]', '2024-06-01 00:00:00', 'alice', '[]', 'manual', false, 8, 1, 1, 0)"))
        conn.execute(text(
            "INSERT INTO comments (guid, issue_id, date, author, text, deleted, version) VALUES"
            " ('c0000000-0000-4000-8000-000000000001', 1, '2024-06-02 00:00:00', 'bob', 'vu', false, 1)"))
    engine.dispose()


def _check_meetings_work_after_migrating(project) -> None:
    from datetime import datetime, timezone

    from project_db.records import Meeting, MeetingItem

    assert project.info().revision == migrate.head_revision()
    (row,) = project.issues.list_rows()
    assert (row.title, row.comment_count) == ("Réservation", 1)
    changes = project.changes_since(0)
    assert changes.token == 9 and changes.clashes_changed and not changes.meetings_changed
    held = datetime(2025, 3, 10, tzinfo=timezone.utc)
    meeting = project.meetings.create(Meeting(title="Première réunion", held_at=held, items=(MeetingItem(row.id, 0),)),
                                      "alice")
    item, issue = project.meetings.record(meeting.id, row.id, "alice", decision="ok", status="Resolved")
    assert (meeting.number, item.status_before, issue.status) == (1, "Open", "Resolved")
    changes = project.changes_since(9)
    assert changes.meetings_changed and not changes.clashes_changed


def test_opening_a_sqlite_project_at_revision_0004_backs_it_up_and_adds_meetings(tmp_path):
    path = tmp_path / "old.synthese"
    _project_at_revision_0004(str(path))
    with open_project(path) as project:
        assert project.backup_path is not None
        _check_meetings_work_after_migrating(project)
    with sqlite3.connect(project.backup_path) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)


def test_opening_a_postgresql_project_at_revision_0004_adds_meetings(pg_database):
    name, engine, _seed = pg_database
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _project_at_revision_0004(pg_url(name))
    with open_project(pg_url(name)) as project:
        _check_meetings_work_after_migrating(project)
