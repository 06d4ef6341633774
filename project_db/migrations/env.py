"""Alembic environment: migrates the connection handed over by :mod:`project_db.migrate`.

There is no alembic.ini: the caller builds the configuration and passes an open
connection (already inside a transaction) in ``config.attributes["connection"]``.
"""

from alembic import context

from project_db.schema import Base

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("Synthese migrations run online, through project_db.migrate only.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    # SQLite supports transactional DDL; the caller's transaction makes a migration all-or-nothing.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
