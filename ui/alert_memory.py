"""What this workstation remembers about deadline alerts, per project, in QSettings.

The trades its user works for ("I work for"), the alerts already shown as desktop
notifications (never twice for the same issue and state, across restarts) and the
alerts read in the list. Keys are ``"<issue id>:<state>"`` (:attr:`Alert.key`).
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QSettings

MAX_REMEMBERED = 5000  # old keys are dropped past this: enough for years of alerts on one project


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # QSettings gives a one-item list back as a plain string
        return [value] if value else []
    return [str(v) for v in value if v]


class AlertMemory:
    """The alert settings of one project (``project_key``: its BCF ProjectId, or where it lives)."""

    def __init__(self, project_key: str):
        digest = hashlib.sha1(project_key.encode("utf-8")).hexdigest()[:16]
        self.group = f"alerts/{digest}"

    def _get(self, name: str) -> list[str]:
        return _list(QSettings().value(f"{self.group}/{name}", []))

    def _set(self, name: str, values) -> None:
        QSettings().setValue(f"{self.group}/{name}", list(values)[-MAX_REMEMBERED:])

    @property
    def my_trades(self) -> set[str]:
        """The trades this workstation's user declared theirs."""
        return set(self._get("my_trades"))

    @my_trades.setter
    def my_trades(self, codes) -> None:
        self._set("my_trades", sorted(codes))

    @property
    def notified(self) -> set[str]:
        """Keys of the alerts already shown as desktop notifications."""
        return set(self._get("notified"))

    def add_notified(self, keys) -> None:
        """Remember that these alerts were notified."""
        self._set("notified", _append(self._get("notified"), keys))

    @property
    def read(self) -> set[str]:
        """Keys of the alerts the user has seen in the list."""
        return set(self._get("read"))

    def mark_read(self, keys) -> None:
        """Remember these alerts as read."""
        self._set("read", _append(self._get("read"), keys))


def _append(existing: list[str], keys) -> list[str]:
    known = set(existing)
    return existing + [k for k in dict.fromkeys(keys) if k not in known]
