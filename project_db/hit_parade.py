"""The hit parade: storeys, spaces, element types and elements ranked by their issues.

:func:`rank` is pure: it counts, for every place at every level (see
:data:`bim.places.LEVELS`), its open issues, all its issues and its recurring ones,
with a breakdown by responsible trade. :func:`hit_parade` reads what it needs from
a project (issues, the closed statuses, reopenings from the history) and ranks.

Where an issue is counted:

* an issue linked to elements counts for each of them, their types, their storeys
  and their spaces (known from the loaded models' element places);
* the issue's own ``location_storey`` / ``location_space`` count when its linked
  elements give none at that level (no elements, elements of models not loaded, or
  elements in no storey or space). Every writer in Synthese stores the storey's
  *name*; a space is matched by GlobalId, else by name;
* each issue counts once per place, however many of its elements lie there.

Recurring: an issue that was closed and reopened at least once (its history shows
a status change from a closed status to an open one), whatever its status now.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from bim.i18n import _
from bim.places import LEVELS, SPACE_CLASS, place_key
from project_db.records import Issue
from project_db.schema import DbHistory

MEASURES = ("open", "total", "recurring")
NO_TRADE = ""  # by_trade's key for issues without a responsible trade


@dataclass(frozen=True)
class PlaceRow:
    """One place of the ranking and the issues counted there (ids by issue number order)."""

    level: str
    key: str
    label: str
    open: int
    total: int
    recurring: int
    by_trade: Mapping[str, int]  # responsible trade code ("" none) -> number of issues
    issue_ids: tuple[int, ...]
    open_ids: tuple[int, ...] = ()
    recurring_ids: tuple[int, ...] = ()

    def count(self, measure: str) -> int:
        """How many issues ``measure`` ("open", "total", "recurring") counts here."""
        return len(self.ids(measure))

    def ids(self, measure: str) -> tuple[int, ...]:
        """The issues ``measure`` counts here."""
        if measure == "open":
            return self.open_ids
        if measure == "total":
            return self.issue_ids
        if measure == "recurring":
            return self.recurring_ids
        raise ValueError(f"unknown measure {measure!r}; expected one of {MEASURES}")


@dataclass(frozen=True)
class HitParade:
    """The rankings of every level, and each counted issue's responsible trade."""

    levels: Mapping[str, tuple[PlaceRow, ...]] = field(default_factory=dict)
    trades: tuple[str, ...] = ()  # the trades found, sorted ("" last: issues without one)
    trade_of: Mapping[int, str] = field(default_factory=dict)  # issue id -> responsible trade ("" none)
    issue_count: int = 0
    open_count: int = 0
    recurring_count: int = 0

    def rows(self, level: str) -> tuple[PlaceRow, ...]:
        """The ranking of ``level``: open issues first, then all issues, then by label."""
        return self.levels.get(level, ())

    def row(self, level: str, key: str | None) -> PlaceRow | None:
        """The row of one place, if it has issues."""
        return next((r for r in self.rows(level) if r.key == key), None) if key is not None else None

    def breakdown(self, row: PlaceRow, measure: str) -> dict[str, int]:
        """The issues ``measure`` counts at ``row``, per responsible trade."""
        counts: dict[str, int] = {}
        for issue_id in row.ids(measure):
            trade = self.trade_of.get(issue_id, NO_TRADE)
            counts[trade] = counts.get(trade, 0) + 1
        return counts


def rank(issues: Iterable[Issue], closed_statuses: Iterable[str], reopened_ids: Iterable[int],
         elements: Mapping[str, object]) -> HitParade:
    """Rank every place by its issues.

    ``elements`` maps a GlobalId to its :class:`bim.places.ElementPlace` (or any record
    with ``global_id``, ``ifc_class``, ``name``, ``storey``, ``type_name`` and an
    optional ``space``); linked elements it does not know still count at the element
    level. ``reopened_ids`` are the issues that were closed and reopened.
    """
    closed = set(closed_statuses)
    reopened = set(reopened_ids)
    spaces_by_name: dict[str, str] = {}
    for gid, record in elements.items():
        if record.ifc_class == SPACE_CLASS and record.name:
            spaces_by_name.setdefault(record.name, gid)
    places: dict[str, dict[str, list[Issue]]] = {level: {} for level in LEVELS}
    labels: dict[tuple[str, str], str] = {}
    issues = [i for i in issues if i.id is not None]
    for issue in issues:
        found: dict[str, set[str]] = {level: set() for level in LEVELS}
        for linked in issue.linked_elements:
            record = elements.get(linked.global_id)
            if record is None:
                found["element"].add(linked.global_id)
                labels.setdefault(("element", linked.global_id), linked.global_id)
                continue
            for level in LEVELS:
                key = place_key(level, record)
                if key is not None:
                    found[level].add(key)
                    labels.setdefault((level, key), place_label(level, key, record, elements))
        if not found["storey"] and issue.location_storey:
            found["storey"].add(issue.location_storey)
            labels.setdefault(("storey", issue.location_storey), issue.location_storey)
        if not found["space"] and issue.location_space:
            text = issue.location_space
            key = text if text in elements else spaces_by_name.get(text, text)
            found["space"].add(key)
            space = elements.get(key)
            labels.setdefault(("space", key),
                              place_label("space", key, space, elements) if space is not None else text)
        for level, keys in found.items():
            for key in keys:
                places[level].setdefault(key, []).append(issue)
    trade_of = {i.id: i.responsible_trade or NO_TRADE for i in issues}
    levels = {level: tuple(sorted((_row(level, key, labels.get((level, key), key), counted, closed, reopened)
                                   for key, counted in by_key.items()), key=_order))
              for level, by_key in places.items()}
    trades = sorted({t for t in trade_of.values() if t != NO_TRADE})
    if NO_TRADE in trade_of.values():
        trades.append(NO_TRADE)
    return HitParade(
        levels=levels, trades=tuple(trades), trade_of=trade_of, issue_count=len(issues),
        open_count=sum(1 for i in issues if i.status not in closed),
        recurring_count=sum(1 for i in issues if i.id in reopened),
    )


def _row(level: str, key: str, label: str, issues: list[Issue], closed: set[str], reopened: set[int]) -> PlaceRow:
    issues = sorted(issues, key=lambda i: (i.number or 0, i.id))
    ids = tuple(i.id for i in issues)
    open_ids = tuple(i.id for i in issues if i.status not in closed)
    recurring_ids = tuple(i.id for i in issues if i.id in reopened)
    by_trade: dict[str, int] = {}
    for issue in issues:
        trade = issue.responsible_trade or NO_TRADE
        by_trade[trade] = by_trade.get(trade, 0) + 1
    return PlaceRow(level, key, label, len(open_ids), len(ids), len(recurring_ids), by_trade, ids, open_ids,
                    recurring_ids)


def _order(row: PlaceRow):
    return (-row.open, -row.total, row.label.casefold(), row.key)


def place_label(level: str, key: str, record, elements: Mapping[str, object]) -> str:
    """What a place is called in the ranking: ``key`` at ``level``, found through the element ``record``
    (``elements``, by GlobalId, names the spaces)."""
    if level == "storey":
        return key
    if level == "type":
        return record.type_name or _("{ifc_class} without type").format(ifc_class=record.ifc_class)
    if level == "space":
        space = elements.get(key)
        if space is None:
            return key
        name = space.name or _("Unnamed space")
        return f"{name} · {space.storey}" if space.storey else name
    name = record.name or record.ifc_class
    return f"{name} · {record.storey}" if record.storey else name


# -- reading -----------------------------------------------------------------------------


def closed_status_codes(project) -> set[str]:
    """The status codes that count as done (inactive ones too: old issues may still carry them)."""
    return {s.code for s in project.settings.vocabulary("status", include_inactive=True) if s.is_closed}


def reopened_issue_ids(project, closed_statuses: Iterable[str]) -> set[int]:
    """The issues whose history shows a status change from a closed status to an open one (one query)."""
    closed = set(closed_statuses)
    with project.transaction() as session:
        changes = session.execute(
            select(DbHistory.issue_id, DbHistory.old_value, DbHistory.new_value)
            .where(DbHistory.entity == "issue", DbHistory.field == "status", DbHistory.issue_id.is_not(None))
        ).all()
    reopened = set()
    for issue_id, old, new in changes:
        before = json.loads(old) if old is not None else None
        after = json.loads(new) if new is not None else None
        if before in closed and after not in closed:
            reopened.add(issue_id)
    return reopened


def hit_parade(project, elements: Mapping[str, object]) -> HitParade:
    """Read the project's issues, closed statuses and reopenings, and :func:`rank` them over ``elements``."""
    closed = closed_status_codes(project)
    issues = project.issues.get_many()
    return rank(issues, closed, reopened_issue_ids(project, closed), elements)
