"""Run core functions off the UI thread and get their results back on it.

A :class:`Task` wraps a callable that takes ``progress`` and ``cancel`` (the
core's contract) and runs it on Qt's thread pool; its signals arrive on the
main thread through queued connections, so slots may touch widgets and VTK.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from shiboken6 import isValid

from bim.progress import Cancelled


class _Nothing:
    """Stands for a ``None`` result: PySide6 miscounts references of ``None`` sent
    through ``Signal(object)`` across threads, which crashes the interpreter later."""


NOTHING = _Nothing()
# Tasks stay referenced until their last signal has reached the main thread:
# a task collected earlier would take its connections with it while queued
# deliveries still point at them.
_LIVE: set["Task"] = set()


def guarded(owner: QObject, slot: Callable[..., Any]) -> Callable[..., Any]:
    """``slot`` called only while ``owner`` (a window, a panel) still exists: results of
    background work may arrive after the user closed what asked for them."""

    def call(*args):
        if isValid(owner):
            return slot(*(None if a is NOTHING else a for a in args))
        return None

    return call


class Task(QObject):
    """One background job. ``fn(progress=..., cancel=..., emit_partial=...)`` runs in a worker
    thread; ``finished``/``failed``/``cancelled`` fire once on the main thread."""

    progress = Signal(int, int, str)
    partial = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], *, wants_partial: bool = False):
        # No Qt parent: the task must outlive a window closed while it runs; the
        # runner keeps it alive and slots are wrapped with :func:`guarded`.
        super().__init__()
        self._fn = fn
        self._wants_partial = wants_partial
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None) -> "Task":
        """Queue the job on ``pool`` (the global pool by default)."""
        _LIVE.add(self)
        for signal in (self.finished, self.failed, self.cancelled):
            signal.connect(self._release)
        (pool or QThreadPool.globalInstance()).start(_Runner(self))
        return self

    def _release(self, *_args) -> None:
        # Let every other slot of this delivery run first.
        QTimer.singleShot(0, lambda: _LIVE.discard(self))

    def _run(self) -> None:
        kwargs = {"progress": lambda d, t, m="": self.progress.emit(int(d), int(t), m),
                  "cancel": self._cancel.is_set}
        if self._wants_partial:
            kwargs["emit_partial"] = self.partial.emit
        try:
            result = self._fn(**kwargs)
        except Cancelled:
            self._emit(self.cancelled)
        except Exception as exc:  # reported to the user by the window, with the file's name
            exc.traceback_text = traceback.format_exc()
            self._emit(self.failed, exc)
        else:
            if self._cancel.is_set():
                self._emit(self.cancelled)
            else:
                self._emit(self.finished, NOTHING if result is None else result)
        finally:
            self.done.set()

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the application is shutting down
            pass


class _Runner(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None] | None = None, *, owner: QObject) -> Task:
    """Run a plain ``fn()`` in the pool and call ``on_done(result)`` on the main thread,
    unless ``owner`` is gone by then."""
    task = Task(lambda progress, cancel: fn())
    task.finished.connect(guarded(owner, on_done))
    if on_error is not None:
        task.failed.connect(guarded(owner, on_error))
    return task.start()
