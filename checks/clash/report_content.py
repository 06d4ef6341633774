"""What every clash report holds, built once: counts, clashes with their status and groups.

JSON and XLSX show the same content; building it here keeps the writers about
layout only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from checks.clash.grouping import DEFAULT_PROXIMITY, ClashGroup, GroupBy, group_clashes
from checks.clash.results import Clash, ClashRun
from checks.clash.status import ClashStatus, StatusReport, compare_runs

REPORT_FORMAT = "synthese-clash-report"
REPORT_VERSION = 1
# Groupings every report carries; manual groups only when the caller gives some.
REPORT_GROUPINGS = (GroupBy.TYPES, GroupBy.STOREY, GroupBy.SYSTEM, GroupBy.TRADES, GroupBy.PROXIMITY)


@dataclass(frozen=True)
class ReportContent:
    """A run with the status of each clash and every grouping of the current clashes."""

    run: ClashRun
    statuses: StatusReport
    groups: dict[GroupBy, list[ClashGroup]] = field(default_factory=dict)

    def current(self) -> list[tuple[Clash, ClashStatus]]:
        return [(t.clash, t.status) for t in self.statuses.tracked if t.status is not ClashStatus.RESOLVED]

    def resolved(self) -> list[Clash]:
        return self.statuses.with_status(ClashStatus.RESOLVED)

    def group_of(self, by: GroupBy) -> dict[str, ClashGroup]:
        """Clash id → its group under ``by``."""
        return {cid: g for g in self.groups.get(by, []) for cid in g.clash_ids}


def build_content(run: ClashRun, statuses: StatusReport | None = None, *,
                  manual_groups: Mapping[str, str] | None = None,
                  proximity: float = DEFAULT_PROXIMITY) -> ReportContent:
    """Everything a report shows about ``run`` (statuses: all new when not given)."""
    statuses = statuses or compare_runs(run)
    clashes = [clash for clash, _ in ReportContent(run, statuses).current()]
    groups = {by: group_clashes(clashes, by, distance=proximity) for by in REPORT_GROUPINGS}
    if manual_groups:
        groups[GroupBy.MANUAL] = group_clashes(clashes, GroupBy.MANUAL, manual=manual_groups)
    return ReportContent(run, statuses, groups)


def content_dict(content: ReportContent) -> dict:
    """The JSON document of a report (also what ``ClashRun.from_dict`` reads back as a previous run)."""
    run = content.run
    group_maps = {by: content.group_of(by) for by in content.groups}

    def clash_entry(clash: Clash, status: ClashStatus) -> dict:
        entry = clash.to_dict()
        entry["status"] = status.value
        entry["groups"] = {by.value: group_maps[by][clash.id].key for by in group_maps if clash.id in group_maps[by]}
        return entry

    data = run.to_dict()
    data.update({
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "counts": {"clashes": len(run.clashes),
                   "by_status": {s.value: n for s, n in content.statuses.counts().items()}},
        "clashes": [clash_entry(c, s) for c, s in content.current()],
        "resolved": [clash_entry(c, ClashStatus.RESOLVED) for c in content.resolved()],
        "groups": {by.value: [g.to_dict() for g in groups] for by, groups in content.groups.items()},
    })
    return data
