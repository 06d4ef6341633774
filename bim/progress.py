"""Progress reporting and cancellation shared by every long core task.

Core functions take ``progress(done, total, message)`` and ``cancel() -> bool``
callables; they never know about threads or Qt. A task that sees ``cancel()``
return True raises :class:`Cancelled` and leaves nothing half-written.
"""

from __future__ import annotations

from typing import Callable, Optional

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled a long task."""


def report(progress: Optional[ProgressFn], done: int, total: int, message: str = "") -> None:
    """Call ``progress`` if there is one."""
    if progress is not None:
        progress(done, total, message)


def check_cancelled(cancel: Optional[CancelFn]) -> None:
    """Raise :class:`Cancelled` if the user asked to stop."""
    if cancel is not None and cancel():
        raise Cancelled()
