"""Run core functions off the UI thread and get their results back on it.

A :class:`Task` wraps a callable that takes ``progress`` and ``cancel`` (the
core's contract) and runs it on Qt's thread pool; its signals arrive on the
main thread through queued connections, so slots may touch widgets and VTK.
"""

from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from bim.progress import Cancelled


class Task(QObject):
    """One background job. ``fn(progress=..., cancel=..., emit_partial=...)`` runs in a worker
    thread; ``finished``/``failed``/``cancelled`` fire once on the main thread."""

    progress = Signal(int, int, str)
    partial = Signal(object)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], *, wants_partial: bool = False, parent: QObject | None = None):
        super().__init__(parent)
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
        (pool or QThreadPool.globalInstance()).start(_Runner(self))
        return self

    def _run(self) -> None:
        kwargs = {"progress": lambda d, t, m="": self.progress.emit(int(d), int(t), m),
                  "cancel": self._cancel.is_set}
        if self._wants_partial:
            kwargs["emit_partial"] = self.partial.emit
        try:
            result = self._fn(**kwargs)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # reported to the user by the window, with the file's name
            exc.traceback_text = traceback.format_exc()
            self.failed.emit(exc)
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.finished.emit(result)
        finally:
            self.done.set()


class _Runner(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None] | None = None, parent: QObject | None = None) -> Task:
    """Run a plain ``fn()`` in the pool and call ``on_done(result)`` on the main thread."""
    task = Task(lambda progress, cancel: fn(), parent=parent)
    task.finished.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    return task.start()
