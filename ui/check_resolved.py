"""Issues a new check run shows as probably resolved: every element they link now passes their rule.

Qt-free; :func:`flag_resolved` runs on the database threads. A rule issue names its
rule in ``origin_detail`` (see :mod:`ui.check_issue_drafts`). When the run checked
that rule and each linked element is applicable and passing (and none fails), the
issue gets the label :data:`PROBABLY_RESOLVED` through a normal save, so the
history says who flagged it and when; nobody is told it is closed, a person decides.
An issue so labelled whose element fails again loses the label the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from project_db.errors import ConflictError
from project_db.records import IssueFilter

# A label code, stored in the project like the other labels (shown as is where the project has no name for it).
PROBABLY_RESOLVED = "Probably resolved"


@dataclass(frozen=True)
class ResolvedIssue:
    """A rule issue flagged probably resolved, as the Checks panel lists it."""

    id: int
    number: int
    title: str
    responsible_trade: str | None


@dataclass(frozen=True)
class ResolutionReport:
    """What a run changed: issues newly flagged, issues that fail again, and all those now flagged."""

    flagged: tuple[ResolvedIssue, ...]
    failing_again: tuple[ResolvedIssue, ...]
    listed: tuple[ResolvedIssue, ...]


def rule_evidence(result) -> dict[str, tuple[set, set]]:
    """For each rule of the run: (GlobalIds applicable and passing, GlobalIds failing)."""
    evidence = {}
    for rule in result.rules:
        passing, failing = set(), set()
        for model in rule.specification.models:
            failing.update(e.global_id for e in model.failing if e.global_id)
            passing.update(e.global_id for e in model.passing if e.global_id)
        evidence[rule.key] = (passing - failing, failing)
    return evidence


def _resolved(issue) -> ResolvedIssue:
    return ResolvedIssue(issue.id, issue.number, issue.title, issue.responsible_trade)


def flag_resolved(project, result, author: str) -> ResolutionReport:
    """Label the open rule issues whose elements all pass now; unlabel those failing again."""
    evidence = rule_evidence(result)
    rows = project.issues.list_rows(IssueFilter(origins=("rule",), open_only=True))
    flagged, again, listed = [], [], []
    for issue in project.issues.get_many([row.id for row in rows]) if rows else []:
        labelled = PROBABLY_RESOLVED in issue.labels
        gids = {element.global_id for element in issue.linked_elements}
        if issue.origin_detail in evidence and gids:
            passing, failing = evidence[issue.origin_detail]
            passes = gids <= passing
            fails = bool(gids & failing)
            try:
                if passes and not labelled:
                    issue = project.issues.save(replace(issue, labels=issue.labels + (PROBABLY_RESOLVED,)), author)
                    labelled = True
                    flagged.append(_resolved(issue))
                elif fails and labelled:
                    labels = tuple(label for label in issue.labels if label != PROBABLY_RESOLVED)
                    issue = project.issues.save(replace(issue, labels=labels), author)
                    labelled = False
                    again.append(_resolved(issue))
            except ConflictError:
                pass  # someone is editing it right now: the next run will flag it
        if labelled:
            listed.append(_resolved(issue))
    return ResolutionReport(tuple(flagged), tuple(again), tuple(listed))


def resolved_issues(project) -> tuple[ResolvedIssue, ...]:
    """The open rule issues flagged probably resolved (to list them when a project opens)."""
    rows = project.issues.list_rows(IssueFilter(origins=("rule",), open_only=True, labels=(PROBABLY_RESOLVED,)))
    return tuple(ResolvedIssue(r.id, r.number, r.title, r.responsible_trade) for r in rows)
