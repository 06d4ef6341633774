"""A background task behind a window-modal progress dialog whose Cancel button cancels it.

Exports, imports and minutes all run this way: the dialog follows the task's
progress and is gone before the caller hears how the task ended.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import QProgressDialog, QWidget

from bim.i18n import _
from ui.tasks import Task, guarded


def start_with_progress(owner: QObject, parent: QWidget, fn: Callable[..., Any], *, label: str, title: str,
                        done: Callable[[Any], None], failed: Callable[[Exception], None],
                        cancelled: Callable[[], None], pool: QThreadPool | None = None,
                        minimum_duration: int = 300, show_messages: bool = False) -> Task:
    """Run ``fn(progress, cancel)`` as a :class:`Task` in ``pool`` behind a progress dialog on ``parent``.

    The dialog shows ``label`` (and under it the task's messages with ``show_messages``)
    once the task has run ``minimum_duration`` ms. When the task ends the dialog closes,
    then ``done(result)``, ``failed(exception)`` or ``cancelled()`` is called on the main
    thread, only while ``owner`` still exists. Returns the started task.
    """
    dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(minimum_duration)
    task = Task(fn)

    def on_progress(count, total, message):
        dialog.setRange(0, max(total, 1))
        dialog.setValue(min(count, max(total, 1)))
        if show_messages and message:
            dialog.setLabelText(f"{label}\n{message}")

    def closing_first(then):
        def slot(*args):
            dialog.reset()
            dialog.deleteLater()
            then(*args)
        return slot

    task.progress.connect(guarded(owner, on_progress))
    task.finished.connect(guarded(owner, closing_first(done)))
    task.failed.connect(guarded(owner, closing_first(failed)))
    task.cancelled.connect(guarded(owner, closing_first(cancelled)))
    dialog.canceled.connect(task.cancel)
    return task.start(pool)
