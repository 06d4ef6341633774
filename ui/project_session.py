"""The open project of a window: opening and switching in the background, recent projects,
the project's vocabulary, and polling for other users' changes.

The :class:`ProjectSession` owns the :class:`project_db.Project` (a thread-safe engine);
every database call goes through :meth:`ProjectSession.run`, which runs it in the
thread pool (each call opens its own short session) and drops results that arrive
after the user switched to another project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QSettings, QThreadPool, QTimer, Signal

from bim.author import author_name
from bim.i18n import _
from ui.tasks import Task, guarded

RECENT_KEY = "projects/recent"
MAX_RECENT = 8
POLL_INTERVAL_MS = 3000
# Database calls get threads of their own: in the global pool they would queue behind
# minutes of IFC parsing, and the issues panel would freeze while models load.
DB_THREADS = 3


def current_author() -> str:
    """The name recorded in the history for this workstation's user (as the CLI does)."""
    return author_name()


def recent_projects() -> list[str]:
    """Recently opened projects (paths or URLs without password), newest first."""
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a one-item list back as a plain string
        value = [value]
    return [str(v) for v in (value or []) if v]


def remember_project(target: str) -> None:
    """Put ``target`` first in the recent projects."""
    items = [target] + [p for p in recent_projects() if p != target]
    QSettings().setValue(RECENT_KEY, items[:MAX_RECENT])


def forget_project(target: str) -> None:
    """Remove ``target`` from the recent projects (it moved or was deleted)."""
    QSettings().setValue(RECENT_KEY, [p for p in recent_projects() if p != target])


def shown_target(target: str) -> str:
    """A project target as it may be shown and remembered: a URL without its password."""
    from project_db.connection import display_target

    return display_target(target)


@dataclass(frozen=True)
class Vocabulary:
    """What the issue editors offer: the project's trades, users and allowed values."""

    trades: tuple = ()
    types: tuple = ()
    statuses: tuple = ()
    priorities: tuple = ()
    labels: tuple = ()
    stages: tuple = ()
    users: tuple = ()
    names: dict = field(default_factory=dict)  # (kind, code) -> name in the current language

    def name(self, kind: str, code: str | None) -> str:
        """The display name of a code (the code itself if the project does not know it)."""
        if code is None:
            return ""
        return self.names.get((kind, code), code)

    def trade(self, code: str | None):
        """The project's :class:`project_db.records.Trade` for ``code``, or None."""
        return next((t for t in self.trades if t.code == code), None)


def load_vocabulary(project) -> Vocabulary:
    """Read the vocabulary of ``project`` (in the calling thread)."""
    settings = project.settings
    trades = settings.trades()
    kinds = {kind: settings.vocabulary(kind) for kind in ("type", "status", "priority", "label", "stage")}
    names = {("trade", t.code): t.name() for t in trades}
    for kind, items in kinds.items():
        names.update({(kind, item.code): item.name() for item in items})
    return Vocabulary(trades=trades, types=kinds["type"], statuses=kinds["status"], priorities=kinds["priority"],
                      labels=kinds["label"], stages=kinds["stage"], users=settings.users(), names=names)


@dataclass(frozen=True)
class _Opened:
    project: Any
    target: str
    vocabulary: Vocabulary
    token: int


def _open(target: str, create: bool, author: str) -> _Opened:
    """Open (or create) the project and read what the window needs first; runs in a worker."""
    from project_db import open_project
    from project_db.records import User

    project = open_project(target, create=create)
    try:
        if not any(author in (u.name, u.email) for u in project.settings.users(include_inactive=True)):
            project.settings.save_user(User(name=author), author)
        token = project.changes_since(0).token
        return _Opened(project, target, load_vocabulary(project), token)
    except BaseException:
        project.close()
        raise


class ProjectSession(QObject):
    """The window's current project, and the background calls made on it."""

    opened = Signal(object)  # ProjectInfo-like: the Project itself
    open_failed = Signal(str, object)  # target, exception
    closed = Signal()
    changed = Signal(object)  # project_db.records.Changes seen by polling
    vocabulary_changed = Signal(object)  # Vocabulary
    unavailable = Signal(object)  # DatabaseUnavailable met while polling

    def __init__(self, parent: QObject | None = None, poll_interval_ms: int = POLL_INTERVAL_MS):
        super().__init__(parent)
        self.project = None
        self.target: str | None = None
        self.vocabulary = Vocabulary()
        self.author = current_author()
        self.token = 0
        self.opening = False
        self._polling = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(DB_THREADS)
        self._timer = QTimer(self, interval=poll_interval_ms)
        self._timer.timeout.connect(self.poll)

    @property
    def is_open(self) -> bool:
        return self.project is not None

    def set_poll_interval(self, milliseconds: int) -> None:
        """How often other users' changes are looked for (tests use a short one)."""
        self._timer.setInterval(milliseconds)

    # ------------------------------------------------------------------ opening

    def open(self, target: str | Path, create: bool = False) -> Task:
        """Open (``create``: or create) the project at a SQLite path or PostgreSQL URL, in the background."""
        target = str(target)
        self.opening = True
        author = self.author

        def failed(exc):
            self.opening = False
            self.open_failed.emit(target, exc)

        return self.background(lambda: _open(target, create, author), self._on_opened, failed)

    def _on_opened(self, opened: _Opened) -> None:
        self.opening = False
        self.close(emit=False)
        self.project, self.target = opened.project, opened.target
        self.vocabulary, self.token = opened.vocabulary, opened.token
        remember_project(shown_target(opened.target) if "://" in opened.target
                         else str(Path(opened.target).expanduser().resolve()))
        self._timer.start()
        self.opened.emit(opened.project)

    def close(self, emit: bool = True) -> None:
        """Forget the current project (its connections are released)."""
        self._timer.stop()
        project, self.project, self.target = self.project, None, None
        self._polling = False
        if project is not None:
            project.close()
            if emit:
                self.closed.emit()

    # ------------------------------------------------------------------ background calls

    def run(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
            on_error: Callable[[Exception], None] | None = None) -> Task | None:
        """Run ``fn(project)`` in the pool; the callbacks are skipped if the project was switched meanwhile."""
        project = self.project
        if project is None:
            return None

        def done(result):
            if self.project is project:
                on_done(result)

        def failed(exc):
            if self.project is project and on_error is not None:
                on_error(exc)

        return self.background(lambda: fn(project), done, failed)

    def background(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                   on_error: Callable[[Exception], None]) -> Task:
        """Run a plain ``fn()`` on the database threads; the callbacks run on the main thread."""
        task = Task(lambda progress, cancel: fn())
        task.finished.connect(guarded(self, on_done))
        task.failed.connect(guarded(self, on_error))
        return task.start(self.pool)

    def reload_vocabulary(self) -> None:
        """Read the settings again (another user changed them)."""
        def done(vocabulary):
            self.vocabulary = vocabulary
            self.vocabulary_changed.emit(vocabulary)

        self.run(load_vocabulary, done, lambda _exc: None)

    # ------------------------------------------------------------------ polling

    def poll(self) -> None:
        """Ask the database what changed since the last poll (one poll in flight at most)."""
        if self.project is None or self._polling:
            return
        self._polling = True
        token = self.token

        def done(changes):
            self._polling = False
            self.token = max(self.token, changes.token)
            if changes.settings_changed:
                self.reload_vocabulary()
            if changes.any:
                self.changed.emit(changes)

        def failed(exc):
            self._polling = False
            self.unavailable.emit(exc)

        if self.run(lambda project: project.changes_since(token), done, failed) is None:
            self._polling = False


def describe_open_error(target: str, exc: Exception) -> str:
    """The message shown when a project cannot be opened."""
    from project_db.errors import ProjectDbError

    if isinstance(exc, ProjectDbError):
        return str(exc)
    return _("Cannot open the project {target}: {error}").format(target=shown_target(target), error=exc)
