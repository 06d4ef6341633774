"""Sorting clashes into groups a coordinator can work through.

By element types, storey, system, trade pair, or proximity (clash points chained
within a distance, single linkage: two clashes 0.8 m apart share a group, and so
does a third 0.8 m further on). Groups a coordinator made by hand — a mapping
from clash id to group name — take precedence; since clash ids are stable, the
same mapping keeps working on every re-run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

import numpy as np

from bim.i18n import _
from checks.clash.results import Clash

DEFAULT_PROXIMITY = 1.0


class GroupBy(str, Enum):
    """What clashes are grouped by."""

    TYPES = "types"
    STOREY = "storey"
    SYSTEM = "system"
    TRADES = "trades"
    PROXIMITY = "proximity"
    MANUAL = "manual"


@dataclass(frozen=True)
class ClashGroup:
    """A group: a stable ``key``, the ``label`` shown, and its clashes' ids."""

    key: str
    label: str
    clash_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.clash_ids)

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "count": self.count, "clash_ids": list(self.clash_ids)}


def _pair_label(first: str, second: str) -> str:
    # Unordered: in a self-clash either element may be "A", and both orders are the same group.
    return " × ".join(sorted([first or "?", second or "?"]))


def _storey(clash: Clash) -> tuple[str, str]:
    storey = clash.a.storey or clash.b.storey
    return (f"storey:{storey}", storey) if storey else ("storey:", _("no storey"))


def _system(clash: Clash) -> tuple[str, str]:
    systems = sorted(set(clash.a.systems) | set(clash.b.systems))
    if not systems:
        return "system:", _("no system")
    label = " / ".join(systems)
    return f"system:{label}", label


def _key_of(clash: Clash, by: GroupBy) -> tuple[str, str]:
    if by is GroupBy.TYPES:
        label = _pair_label(clash.a.ifc_class, clash.b.ifc_class)
        return f"types:{label}", label
    if by is GroupBy.TRADES:
        label = _pair_label(clash.a.trade, clash.b.trade)
        return f"trades:{label}", label
    if by is GroupBy.STOREY:
        return _storey(clash)
    if by is GroupBy.SYSTEM:
        return _system(clash)
    return "manual:", _("Ungrouped")


def proximity_clusters(points: np.ndarray, distance: float) -> np.ndarray:
    """Cluster labels (0..k-1) of points chained within ``distance`` (single linkage).

    Points are hashed into cubes of side ``distance``; two points closer than
    that lie in the same or adjacent cubes, so only those are compared.
    """
    n = len(points)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n and distance > 0:
        cells: dict[tuple, list[int]] = defaultdict(list)
        keys = np.floor(points / distance).astype(np.int64)
        for i, key in enumerate(map(tuple, keys.tolist())):
            cells[key].append(i)
        offsets = [(dx, dy, dz) for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)]
        for key, members in cells.items():
            others = [j for d in offsets for j in cells.get((key[0] + d[0], key[1] + d[1], key[2] + d[2]), ())]
            mine, theirs = np.array(members), np.array(others)
            close = np.linalg.norm(points[mine][:, None] - points[theirs][None], axis=2) <= distance
            for a, b in zip(*np.nonzero(close)):
                ra, rb = find(int(mine[a])), find(int(theirs[b]))
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(i) for i in range(n)], np.int64)
    _, labels = np.unique(roots, return_inverse=True)
    return labels.reshape(-1)


def _proximity_groups(clashes: list[Clash], distance: float) -> list[ClashGroup]:
    points = np.array([c.point for c in clashes], np.float64).reshape(-1, 3)
    labels = proximity_clusters(points, distance)
    members: dict[int, list[str]] = defaultdict(list)
    for clash, label in zip(clashes, labels.tolist()):
        members[label].append(clash.id)
    ordered = sorted(members.values(), key=lambda ids: (-len(ids), min(ids)))
    # Keyed by the smallest clash id it holds: the group keeps its key while that clash persists.
    return [ClashGroup(f"zone:{min(ids)}", _("Zone {number}").format(number=n), tuple(sorted(ids)))
            for n, ids in enumerate(ordered, start=1)]


def group_clashes(clashes: Iterable[Clash], by: GroupBy | str, *, distance: float = DEFAULT_PROXIMITY,
                  manual: Mapping[str, str] | None = None) -> list[ClashGroup]:
    """Group ``clashes`` by ``by``; clashes named in ``manual`` (clash id → group name) go to those groups.

    Groups come largest first. With ``by=GroupBy.MANUAL``, clashes in no
    manual group end in one "Ungrouped" group.
    """
    by = GroupBy(by)
    manual = manual or {}
    clashes = list(clashes)
    by_hand: dict[str, list[str]] = defaultdict(list)
    rest: list[Clash] = []
    for clash in clashes:
        name = manual.get(clash.id)
        if name:
            by_hand[name].append(clash.id)
        else:
            rest.append(clash)
    groups = [ClashGroup(f"manual:{name}", name, tuple(sorted(ids))) for name, ids in by_hand.items()]
    if by is GroupBy.PROXIMITY:
        groups.extend(_proximity_groups(rest, distance))
    else:
        found: dict[str, tuple[str, list[str]]] = {}
        for clash in rest:
            key, label = _key_of(clash, by)
            found.setdefault(key, (label, []))[1].append(clash.id)
        groups.extend(ClashGroup(key, label, tuple(sorted(ids))) for key, (label, ids) in found.items())
    return sorted(groups, key=lambda g: (-g.count, g.label, g.key))
