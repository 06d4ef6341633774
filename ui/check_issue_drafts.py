"""Issue drafts from check results: one per failing element, or one per rule with all its elements.

Qt-free: :func:`plan_issues` turns picked results into :class:`PlannedIssue` records
(the draft, its fingerprint and the elements its viewpoint shows); the filing
workflow (:mod:`ui.check_issues`) takes snapshots and writes them.

Fingerprints make re-running harmless: a per-element issue takes the finding's own
fingerprint (rule + model id + GlobalId, see :mod:`checks.rules.results`), a
per-rule issue a fingerprint of the rule and the ids of the models checked. The
rule's key (``builtin:ELEMENT-MATERIAL``) is kept in ``origin_detail``, which is how
a later run recognises issues whose elements now pass.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from bim.i18n import _, ngettext
from project_db.records import Issue, LinkedElement
from ui.check_keys import rule_keys

PER_ELEMENT, PER_RULE = "element", "rule"
PRIORITY_BY_SEVERITY = {"error": "High", "warning": "Normal", "info": "Low"}
# Per-rule descriptions list this many elements; the rest is counted (the linked elements have them all).
DESCRIBED_ELEMENTS = 40
_RULE_SALT = "synthese-rule-issue/1"


@dataclass(frozen=True)
class IssueContext:
    """What drafts need from the window and the project.

    ``trades``: model id → trade code; ``model_names``: model id → the project's name
    for the model (what linked elements name); ``known_trades``, ``priorities`` and
    ``types``: codes the project accepts; ``due``: ``(trade, priority) -> datetime | None``.
    """

    trades: dict
    model_names: dict
    known_trades: frozenset = frozenset()
    priorities: frozenset = frozenset()
    types: frozenset = frozenset()
    due: object = None


@dataclass(frozen=True)
class PlannedIssue:
    """An issue to file: its draft, and the element keys its viewpoint shows failing and passing."""

    draft: Issue
    failing: frozenset
    passing: frozenset

    @property
    def fingerprint(self) -> str:
        return self.draft.fingerprint


def rule_fingerprint(rule_key: str, model_ids: Iterable[str]) -> str:
    """The fingerprint of one issue for the whole rule ``rule_key`` on these models."""
    text = "\x1f".join((_RULE_SALT, rule_key, *sorted(set(model_ids))))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def picked_findings(result, nodes) -> list:
    """The findings the picked tree nodes cover (no node: every finding), in tree order, once each."""
    rules = {rule.key: rule for rule in result.rules}
    chosen, seen = [], set()

    def add(findings):
        for finding in findings:
            if finding.fingerprint not in seen:
                seen.add(finding.fingerprint)
                chosen.append(finding)

    for node in nodes or [None]:
        if node is None or node.kind == "ruleset":
            add(result.findings())
        elif node.rule_key in rules:
            findings = rules[node.rule_key].findings()
            add(f for f in findings if node.kind == "rule" or f.fingerprint == node.fingerprint)
    return chosen


def plan_issues(result, nodes, mode: str, context: IssueContext) -> list[PlannedIssue]:
    """The issues to file for the picked ``nodes`` of ``result`` (``mode``: PER_ELEMENT or PER_RULE)."""
    findings = [f for f in picked_findings(result, nodes) if f.element.global_id]
    rules = {rule.key: rule for rule in result.rules}
    planned = []
    if mode == PER_RULE:
        by_rule: dict[str, list] = {}
        for finding in findings:
            by_rule.setdefault(finding.rule_key, []).append(finding)
        model_ids = [m.model_id for m in result.models]
        for rule_key, group in by_rule.items():
            rule = rules[rule_key]
            # The whole rule: an issue "per rule" names all its failing elements, whatever was picked.
            group = [f for f in rule.findings() if f.element.global_id]
            _failing, passing = rule_keys(rule)
            draft = _rule_draft(result, rule, group, rule_fingerprint(rule_key, model_ids), context)
            planned.append(PlannedIssue(draft, frozenset(_key(f) for f in group), frozenset(passing)))
    else:
        for finding in findings:
            _failing, passing = rule_keys(rules[finding.rule_key])
            draft = _element_draft(result, rules[finding.rule_key], finding, context)
            planned.append(PlannedIssue(draft, frozenset([_key(finding)]), frozenset(passing)))
    return planned


def _key(finding) -> tuple[str, str]:
    return finding.element.model_id, finding.element.global_id


def _element_text(element) -> str:
    return f"{element.ifc_class.removeprefix('Ifc')} {element.name or element.global_id}".strip()


def _ran(result) -> str:
    return _("Found by the check run of {when} by {who}.").format(when=result.started_at.replace("T", " "),
                                                                  who=result.run_by or "?")


def _rule_lines(result, rule) -> list[str]:
    lines = [_("Rule set: {title} ({version})").format(title=result.ruleset.title, version=result.ruleset.version),
             _("Rule: {name} [{rule_id}], severity {severity}").format(name=rule.name, rule_id=rule.rule_id,
                                                                      severity=rule.severity.label)]
    if rule.specification.description:
        lines.append(rule.specification.description)
    return lines


def _element_line(finding, context: IssueContext) -> str:
    element = finding.element
    return _("{element} — storey {storey}, model {model}: {reason}").format(
        element=element.label, storey=element.storey or "—",
        model=context.model_names.get(element.model_id, finding.model_name), reason=finding.text or "—")


def _fields(context: IssueContext, severity: str, trades: Counter) -> dict:
    known = Counter({code: n for code, n in trades.items() if code in context.known_trades})
    responsible = known.most_common(1)[0][0] if known else None
    priority = PRIORITY_BY_SEVERITY.get(severity)
    priority = priority if priority in context.priorities else None
    topic_type = "Issue" if "Issue" in context.types or not context.types else sorted(context.types)[0]
    return dict(responsible_trade=responsible, involved_trades=tuple(sorted(c for c in known if c != responsible)),
                priority=priority, topic_type=topic_type,
                due_date=context.due(responsible, priority) if context.due else None)


def _element_draft(result, rule, finding, context: IssueContext) -> Issue:
    element = finding.element
    trades = Counter([context.trades.get(element.model_id)])
    model = context.model_names.get(element.model_id, finding.model_name)
    description = "\n".join([*_rule_lines(result, rule), _element_line(finding, context), "", _ran(result)])
    return Issue(
        title=_("{rule}: {element}").format(rule=rule.name, element=_element_text(element)),
        description=description,
        location_model=model,
        location_storey=element.storey,
        linked_elements=(LinkedElement(element.global_id, model),),
        origin="rule",
        origin_detail=rule.key,
        fingerprint=finding.fingerprint,
        **_fields(context, rule.severity.value, trades),
    )


def _rule_draft(result, rule, findings, fingerprint: str, context: IssueContext) -> Issue:
    trades = Counter(context.trades.get(f.element.model_id) for f in findings)
    storeys = Counter(f.element.storey for f in findings if f.element.storey)
    models = Counter(f.element.model_id for f in findings)
    lines = [_element_line(f, context) for f in findings[:DESCRIBED_ELEMENTS]]
    if len(findings) > DESCRIBED_ELEMENTS:
        more = len(findings) - DESCRIBED_ELEMENTS
        lines.append(ngettext("… and {n} more element", "… and {n} more elements", more).format(n=more))
    description = "\n".join([*_rule_lines(result, rule), "", *lines, "", _ran(result)])
    main_model = models.most_common(1)[0][0] if models else None
    return Issue(
        title=ngettext("{rule}: {n} element", "{rule}: {n} elements", len(findings)).format(
            rule=rule.name, n=len(findings)),
        description=description,
        location_model=context.model_names.get(main_model, main_model) if main_model else None,
        location_storey=storeys.most_common(1)[0][0] if len(storeys) == 1 else None,
        linked_elements=tuple(LinkedElement(f.element.global_id, context.model_names.get(f.element.model_id,
                                                                                        f.model_name))
                              for f in findings),
        origin="rule",
        origin_detail=rule.key,
        fingerprint=fingerprint,
        **_fields(context, rule.severity.value, trades),
    )
