"""Opening a project: a SQLite file path or a PostgreSQL URL, migrated on open.

``open_project`` returns a :class:`Project`, which owns the engine and hands out one
short session per repository call (``project.transaction()``); nothing else in the
application holds a session. Database failures come out as :class:`DatabaseUnavailable`
naming the database, after the transaction was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, exc, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from bim.i18n import _
from project_db import migrate
from project_db.errors import DatabaseBusy, DatabaseUnavailable, NotAProject, ProjectNotFound
from project_db.records import ProjectInfo, new_guid
from project_db.schema import DbProjectState, utcnow

if TYPE_CHECKING:
    from project_db.changes import Changes
    from project_db.check_runs import CheckRunRepository
    from project_db.clash_tests import ClashRepository
    from project_db.issues import IssueRepository
    from project_db.meetings import MeetingRepository
    from project_db.model_files import ModelStore
    from project_db.settings import SettingsRepository
    from project_db.team_documents import RuleSetRepository, TakeoffTemplateRepository

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 5.0
PG_CONNECT_TIMEOUT_S = 5


def is_url(path_or_url: str | Path) -> bool:
    """True for a database URL (``postgresql://…``, ``sqlite:///…``), False for a file path."""
    return "://" in str(path_or_url)


def display_target(path_or_url: str | Path) -> str:
    """A project's path or URL as it may be shown and remembered: a URL without its password."""
    target = str(path_or_url)
    if not is_url(target):
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as typed; opening it reports the problem
        return target


def open_project(path_or_url: str | Path, create: bool = False, name: str | None = None) -> "Project":
    """Open the project at a SQLite file path or a PostgreSQL URL.

    With ``create`` a missing project is created (and, on PostgreSQL, a missing
    database too). An older schema is migrated, after a backup copy for SQLite; a
    schema newer than this code is refused with :class:`SchemaTooNew`.
    """
    url, database, sqlite_path = _resolve(path_or_url)
    if sqlite_path is not None and not sqlite_path.exists():
        if not create:
            raise ProjectNotFound(database)
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "postgresql" and create:
        _create_pg_database_if_missing(url, database)
    engine = _make_engine(url)
    try:
        project = Project(engine, database)
        project._prepare(create=create, name=name or _default_name(path_or_url, url), sqlite_path=sqlite_path)
    except BaseException:
        engine.dispose()
        raise
    return project


class Project:
    """An open project database. Use its repositories; close it when done (or use ``with``)."""

    def __init__(self, engine: Engine, database: str):
        self.engine = engine
        self.database = database
        self.backend = engine.dialect.name
        self.backup_path: Path | None = None  # set when opening migrated a SQLite project
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    # -- repositories ------------------------------------------------------------------

    @property
    def settings(self) -> "SettingsRepository":
        """Trades, users, issue types, statuses, priorities, labels and stages."""
        from project_db.settings import SettingsRepository

        return SettingsRepository(self)

    @property
    def issues(self) -> "IssueRepository":
        """Issues, their comments, viewpoints and history."""
        from project_db.issues import IssueRepository

        return IssueRepository(self)

    @property
    def models(self) -> "ModelStore":
        """The trades' IFC model versions stored in the project."""
        from project_db.model_files import ModelStore

        return ModelStore(self)

    @property
    def check_runs(self) -> "CheckRunRepository":
        """Stored rule-set runs (the checks engine's run documents)."""
        from project_db.check_runs import CheckRunRepository

        return CheckRunRepository(self)

    @property
    def rule_sets(self) -> "RuleSetRepository":
        """Project rule sets shared with the team (with their IDS files)."""
        from project_db.team_documents import RuleSetRepository

        return RuleSetRepository(self)

    @property
    def clash_tests(self) -> "ClashRepository":
        """Clash tests, their runs, and the coordinators' decisions and manual groups."""
        from project_db.clash_tests import ClashRepository

        return ClashRepository(self)

    @property
    def takeoff_templates(self) -> "TakeoffTemplateRepository":
        """Take-off templates shared with the team."""
        from project_db.team_documents import TakeoffTemplateRepository

        return TakeoffTemplateRepository(self)

    @property
    def meetings(self) -> "MeetingRepository":
        """Coordination meetings: agenda, recorded decisions and stored minutes."""
        from project_db.meetings import MeetingRepository

        return MeetingRepository(self)

    def changes_since(self, token: int) -> "Changes":
        """What other users changed since ``token`` (0: everything); cheap enough to poll every few seconds."""
        from project_db.changes import changes_since

        return changes_since(self, token)

    def info(self) -> ProjectInfo:
        """The project's identity and schema revision."""
        with self.transaction() as session:
            state = session.get(DbProjectState, 1)
            revision = migrate.current_revision(session.connection())
        return ProjectInfo(
            project_id=state.project_id,
            name=state.name,
            database=self.database,
            backend=self.backend,
            revision=revision or "",
            created_at=state.created_at,
        )

    # -- sessions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session and one transaction: committed at the end, rolled back on any error.

        A lost or refused connection is re-raised as :class:`DatabaseUnavailable`.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except exc.DBAPIError as error:
            raise self.translate(error) from error

    def translate(self, error: exc.DBAPIError) -> Exception:
        """The project error for a driver error: unavailable/busy, or the error itself."""
        message = str(getattr(error, "orig", error)).strip().splitlines()[0] if str(error) else ""
        if self.backend == "sqlite" and isinstance(error, exc.OperationalError) and (
            "locked" in message or "busy" in message
        ):
            return DatabaseBusy(self.database, message)
        if error.connection_invalidated or isinstance(error, (exc.OperationalError, exc.InterfaceError)):
            return DatabaseUnavailable(self.database, message)
        return error

    def ping(self) -> bool:
        """True if the database answers now (lets a "retry" button know when to try again)."""
        try:
            with self.transaction() as session:
                session.execute(select(1))
            return True
        except DatabaseUnavailable:
            return False

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({self.database!r})"

    # -- opening -----------------------------------------------------------------------

    def _prepare(self, create: bool, name: str, sqlite_path: Path | None) -> None:
        try:
            revision = migrate.check_revision(self.engine, self.database)
            if revision is None:
                if not create:
                    raise NotAProject(self.database, _("It is empty."), empty=True)
                migrate.upgrade(self.engine)
            elif revision != migrate.head_revision():
                if sqlite_path is not None:
                    self.backup_path = migrate.backup_sqlite(sqlite_path, revision)
                    log.info("Backed up %s to %s before migrating", self.database, self.backup_path)
                migrate.upgrade(self.engine)
            with self.transaction() as session:
                if session.get(DbProjectState, 1) is None:
                    session.add(
                        DbProjectState(
                            id=1, project_id=new_guid(), name=name, created_at=utcnow(),
                            change_seq=0, settings_seq=0, models_seq=0, next_issue_number=1,
                        )
                    )
        except exc.DBAPIError as error:
            if self.backend == "postgresql" and "does not exist" in str(error.orig):
                raise ProjectNotFound(self.database) from error
            raise self.translate(error) from error


def _resolve(path_or_url: str | Path) -> tuple[URL, str, Path | None]:
    """The SQLAlchemy URL, the name shown to users, and the SQLite file (if any)."""
    if is_url(path_or_url):
        try:
            url = make_url(str(path_or_url))
        except exc.ArgumentError as error:
            raise DatabaseUnavailable(str(path_or_url), str(error)) from error
        if url.get_backend_name() == "sqlite":
            path = Path(url.database or "").expanduser().resolve()
            return url, str(path), path
        shown = url.render_as_string(hide_password=True)
        if url.drivername in ("postgresql", "postgres"):
            # SQLAlchemy 2.1 picks psycopg 3 for a bare postgresql://; Synthese ships psycopg2.
            url = url.set(drivername="postgresql+psycopg2")
        return url, shown, None
    path = Path(path_or_url).expanduser().resolve()
    return URL.create("sqlite", database=str(path)), str(path), path


def engine_for(path_or_url: str | Path) -> Engine:
    """An engine set up the way projects use it, without opening (or migrating) a project: for tools and tests."""
    return _make_engine(_resolve(path_or_url)[0])


def _default_name(path_or_url: str | Path, url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return Path(url.database or "project").stem
    return url.database or "project"


def _make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        )  # timeout: how long a write waits for another program's lock before DatabaseBusy
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a connection dropped while idle is replaced, not handed out
        connect_args={
            "connect_timeout": PG_CONNECT_TIMEOUT_S,
            "application_name": "synthese",
            # Synthese's queries are short: JIT compilation would cost more than it saves
            # and timestamps come back in UTC, ready to use (see schema.UTCDateTime)
            "options": "-c jit=off -c timezone=UTC",
            # notice a network cut within ~30 s instead of waiting for TCP's minutes
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        },
    )


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _sqlite_on_begin),
    # so reads are transactional too and a failed write rolls back entirely.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _create_pg_database_if_missing(url: URL, database: str) -> None:
    """Create the PostgreSQL database named in ``url`` if the server lacks it."""
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S})
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).scalar()
            if not exists:
                quoted = admin.dialect.identifier_preparer.quote(url.database)
                conn.exec_driver_sql(f"CREATE DATABASE {quoted} ENCODING 'UTF8'")
    except exc.DBAPIError as error:
        raise DatabaseUnavailable(database, str(error.orig).strip().splitlines()[0]) from error
    finally:
        admin.dispose()

