"""Schema revisions: which one a database is at, upgrading it, and the SQLite backup first.

Alembic runs programmatically from the packaged ``project_db/migrations`` folder;
no alembic.ini in the working directory is involved.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from project_db.errors import NotAProject, SchemaTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any fixed number: PostgreSQL advisory lock taken while migrating, so two
# workstations opening an old project at once do not both upgrade it.
_MIGRATION_LOCK_KEY = 0x53594E54


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest schema revision this code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every schema revision this code knows."""
    return frozenset({rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()})


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for a database without Synthese tables)."""
    return MigrationContext.configure(connection).get_current_revision()


def check_revision(engine: Engine, database: str) -> str | None:
    """The database's revision, refusing one written by a newer Synthese or holding something else.

    Returns None for an empty database (nothing there yet).
    """
    with engine.connect() as conn:
        revision = current_revision(conn)
        if revision is None:
            tables = set(inspect(conn).get_table_names())
            if tables:
                raise NotAProject(database)
            return None
    if revision not in known_revisions():
        raise SchemaTooNew(database, revision)
    return revision


def upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade the database to ``target`` in one transaction (all or nothing)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")
            if current_revision(conn) == head_revision() and target == "head":
                return  # another workstation migrated it while we waited
        command.upgrade(alembic_config(conn), target)


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the SQLite project next to itself before migrating; returns the copy's path.

    SQLite's online backup API gives a consistent copy even if a journal is pending.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.backup-{revision}-{stamp}-{n}")
        n += 1
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target
