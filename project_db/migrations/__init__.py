"""Alembic migrations of the project database, run programmatically by :mod:`project_db.migrate`."""
