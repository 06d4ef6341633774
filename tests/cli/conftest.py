"""Fixtures: the project-database fixtures of ``tests/project_db`` (SQLite, and PostgreSQL when it answers)."""

from tests.project_db.conftest import backend, pg_database, pg_server, project_location, sqlite_template  # noqa: F401
