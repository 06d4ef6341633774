"""One search over the federation's elements and the project's issues, results grouped by kind.

The search box shows one group per kind; the group holding the strongest match comes
first (a GlobalId or issue number typed whole, then a whole name or title, a start, a
word, anything else: :data:`bim.search.IDENTIFIER` …), elements before issues on a
tie. The two searches are independent, so a window can run them in parallel and
:func:`combine` whatever has arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bim.search import ELSEWHERE, ElementIndex, ElementResults
from project_db.issue_search import DEFAULT_LIMIT, IssueResults, search_issues

if TYPE_CHECKING:
    from project_db.connection import Project

ELEMENTS, ISSUES = "elements", "issues"
_KIND_ORDER = (ELEMENTS, ISSUES)


@dataclass(frozen=True)
class ResultGroup:
    """The hits of one kind (``ELEMENTS``: :class:`bim.search.SearchHit`, ``ISSUES``:
    :class:`project_db.issue_search.IssueHit`), best first, and how many matched in all."""

    kind: str
    hits: tuple
    total: int

    @property
    def more(self) -> int:
        """Matches not among ``hits``."""
        return self.total - len(self.hits)

    @property
    def strength(self) -> int:
        """The strength of its best hit (lower is stronger); past :data:`ELSEWHERE` when empty."""
        return min((h.strength for h in self.hits), default=ELSEWHERE + 1)


@dataclass(frozen=True)
class GlobalResults:
    """What one search found: its groups, the one with the strongest match first."""

    text: str
    groups: tuple[ResultGroup, ...]

    def group(self, kind: str) -> ResultGroup | None:
        """The group of ``kind``, if that kind was searched."""
        return next((g for g in self.groups if g.kind == kind), None)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def combine(text: str, elements: ElementResults | None, issues: IssueResults | None) -> GlobalResults:
    """Group the results that are there (None: that kind was not searched, or not yet)."""
    groups = []
    if elements is not None:
        groups.append(ResultGroup(ELEMENTS, tuple(elements.hits), elements.total))
    if issues is not None:
        groups.append(ResultGroup(ISSUES, tuple(issues.hits), issues.total))
    groups.sort(key=lambda g: (g.strength, _KIND_ORDER.index(g.kind)))
    return GlobalResults(text, tuple(groups))


def search_everything(project: "Project | None", index: ElementIndex | None, text: str,
                      limit: int = DEFAULT_LIMIT) -> GlobalResults:
    """Search ``index`` and ``project`` (either may be None) one after the other, and combine."""
    elements = index.search(text, limit) if index is not None else None
    issues = search_issues(project, text, limit) if project is not None else None
    return combine(text, elements, issues)
