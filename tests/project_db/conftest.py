"""Fixtures: every project test runs on SQLite and on the real PostgreSQL server.

PostgreSQL is reached at ``SYNTHESE_TEST_PG_URL`` (default: the local server, user
postgres). Without a server the PostgreSQL half is skipped with the reason, except
under ``CI=true`` where a missing server fails the run. Each test gets a fresh
project: a copied SQLite file, or the session's PostgreSQL database emptied back
to a new project's state, which keeps the suite fast.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from sqlalchemy import Integer, select, text

from project_db import migrate
from project_db.connection import engine_for, open_project
from project_db.schema import Base

# SQLite commits wait for the disk; a RAM disk, when there is one, keeps the suite fast.
_RAM_DISK = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
PG_URL = os.environ.get("SYNTHESE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _connect():
    url = make_url(PG_URL)
    conn = psycopg2.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                            dbname=url.database or "postgres", connect_timeout=3)
    conn.autocommit = True
    return conn


def admin_sql(statement: str) -> None:
    """Run one statement on the server's maintenance database, outside any transaction."""
    conn = _connect()
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def pg_url(database: str) -> str:
    """The test server's URL for ``database``."""
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def drop_pg_database(name: str) -> None:
    """Drop a test database, disconnecting whoever still uses it."""
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server():
    """Check the PostgreSQL server answers (skip, or fail under CI=true, if not)."""
    try:
        _connect().close()
    except psycopg2.OperationalError as error:
        reason = f"PostgreSQL unavailable at {PG_URL}: {str(error).strip()}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database(pg_server):
    """One migrated test database for the session, and the rows a new project starts with.

    Creating a database per test costs about a second on PostgreSQL (it is written
    through the WAL), so tests share this one and :func:`reset_pg_database` empties it.
    """
    name = f"synthese_test_{uuid.uuid4().hex[:10]}"
    open_project(pg_url(name), create=True, name="test").close()
    # this test database only: commits need not wait for the disk (the server's settings are untouched)
    admin_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    engine = engine_for(pg_url(name))
    with engine.connect() as conn:
        seed = {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in Base.metadata.sorted_tables}
    yield name, engine, {k: v for k, v in seed.items() if v}
    engine.dispose()
    drop_pg_database(name)


def reset_pg_database(engine, seed: dict) -> None:
    """Bring the shared test database back to a new project's state (schema untouched)."""
    tables = Base.metadata.sorted_tables
    with engine.begin() as conn:
        # DELETE, not TRUNCATE: on these few rows it is one commit instead of a file swap per table
        for table in reversed(tables):
            conn.execute(table.delete())
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": migrate.head_revision()})
        for table in tables:
            if table.name in seed:
                conn.execute(table.insert(), seed[table.name])
            if "id" in table.c and isinstance(table.c.id.type, Integer) and table.name != "project_state":
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                  f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite project to copy for each test."""
    path = tmp_path_factory.mktemp("template") / "template.synthese"
    open_project(path, create=True, name="test").close()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    """The database kind under test."""
    return request.param


@pytest.fixture
def project_location(backend, request, tmp_path):
    """Where a fresh, migrated, empty project lives: a file path or a PostgreSQL URL."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(dir=_RAM_DISK)) if _RAM_DISK else tmp_path
        target = folder / "project.synthese"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield str(target)
        if _RAM_DISK:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name, engine, seed = request.getfixturevalue("pg_database")
    reset_pg_database(engine, seed)
    yield pg_url(name)


@pytest.fixture
def pg_project_location(pg_database) -> str:
    """A fresh project on the PostgreSQL server only (for server-side failures)."""
    name, engine, seed = pg_database
    reset_pg_database(engine, seed)
    return pg_url(name)


@pytest.fixture
def project(project_location):
    """The open project (closed after the test)."""
    project = open_project(project_location)
    yield project
    project.close()


@pytest.fixture
def second_workstation(project_location):
    """The same project opened a second time, as another workstation would."""
    project = open_project(project_location)
    yield project
    project.close()


@pytest.fixture
def fresh_project(backend, request, tmp_path):
    """Make another empty project on the same backend (on PostgreSQL it replaces the previous one's data)."""
    opened = []

    def make():
        for earlier in opened:
            earlier.close()
        if backend == "sqlite":
            target = tmp_path / f"fresh-{len(opened)}.synthese"
            shutil.copy(request.getfixturevalue("sqlite_template"), target)
            opened.append(open_project(target))
        else:
            name, engine, seed = request.getfixturevalue("pg_database")
            reset_pg_database(engine, seed)
            opened.append(open_project(pg_url(name)))
        return opened[-1]

    yield make
    for project in opened:
        project.close()
