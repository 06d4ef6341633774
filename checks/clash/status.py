"""Status of clashes across runs: new, active, resolved, or as a coordinator decided.

A run is compared with the previous run of the same test by clash id (stable
across model versions): a clash found now and before is active, found only now
is new, found only before is resolved. A coordinator's decision (approved or
ignored) sticks to the clash id, so the clash stays approved or ignored on every
re-run for as long as it is still found.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Mapping

from bim.i18n import N_, _
from checks.clash.results import Clash, ClashRun


class ClashStatus(str, Enum):
    NEW = "new"
    ACTIVE = "active"
    RESOLVED = "resolved"
    APPROVED = "approved"
    IGNORED = "ignored"


class Decision(str, Enum):
    """What a coordinator decided about a clash."""

    APPROVED = "approved"
    IGNORED = "ignored"


STATUS_LABELS = {ClashStatus.NEW: N_("new"), ClashStatus.ACTIVE: N_("active"), ClashStatus.RESOLVED: N_("resolved"),
                 ClashStatus.APPROVED: N_("approved"), ClashStatus.IGNORED: N_("ignored")}


def status_label(status: ClashStatus) -> str:
    """A status in the user's language."""
    return _(STATUS_LABELS[status])


@dataclass(frozen=True)
class TrackedClash:
    """A clash and its status; a resolved clash is the one from the previous run."""

    clash: Clash
    status: ClashStatus


@dataclass(frozen=True)
class StatusReport:
    """Every clash of the current run and every resolved one, with their status."""

    tracked: tuple[TrackedClash, ...]

    def status_of(self) -> dict[str, ClashStatus]:
        return {t.clash.id: t.status for t in self.tracked}

    def counts(self) -> dict[ClashStatus, int]:
        counted = Counter(t.status for t in self.tracked)
        return {status: counted.get(status, 0) for status in ClashStatus}

    def with_status(self, *statuses: ClashStatus) -> list[Clash]:
        return [t.clash for t in self.tracked if t.status in statuses]


def compare_runs(current: ClashRun, previous: ClashRun | None = None,
                 decisions: Mapping[str, Decision | str] | None = None) -> StatusReport:
    """The status of each clash of ``current`` against ``previous``, with the coordinator's ``decisions``."""
    decisions = {k: Decision(v) for k, v in (decisions or {}).items()}
    before = previous.by_id() if previous is not None else {}
    tracked = []
    for clash in current.clashes:
        decision = decisions.get(clash.id)
        if decision is not None:
            status = ClashStatus(decision.value)
        else:
            status = ClashStatus.ACTIVE if clash.id in before else ClashStatus.NEW
        tracked.append(TrackedClash(clash, status))
    now = {c.id for c in current.clashes}
    tracked.extend(TrackedClash(c, ClashStatus.RESOLVED) for c in before.values() if c.id not in now)
    return StatusReport(tuple(tracked))
