"""How serious a failed rule is: the one vocabulary shared by rule sets, results and reports."""

from __future__ import annotations

from enum import Enum

from bim.i18n import N_, _


class Severity(str, Enum):
    """Severity of a rule's failures, from blocking to informative.

    ``ERROR``: the model cannot be accepted as delivered (coordination or
    regulation at stake); ``WARNING``: to fix before the next milestone;
    ``INFO``: worth knowing, nobody is asked to act.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The severity in the user's language."""
        return _(_LABELS[self])

    @property
    def rank(self) -> int:
        """0 for the most serious: sort by it."""
        return _RANKS[self]


_LABELS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.INFO: N_("info")}
_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
