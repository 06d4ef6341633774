"""Progress on a terminal for headless commands, and Ctrl+C as cancel."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise.

    Use as ``progress`` callable for core functions; ``cancel`` turns true after
    Ctrl+C so the task stops cleanly instead of dying mid-write.
    """

    def __init__(self, label: str, stream=None, min_interval: float = 0.1):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.min_interval = min_interval
        self._last = 0.0
        self.cancelled = False

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        width = 30
        filled = int(width * done / total) if total else 0
        text = f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {message}"[:120]
        self.stream.write(text.ljust(100))
        self.stream.flush()

    def cancel(self) -> bool:
        return self.cancelled

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
