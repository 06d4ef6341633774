"""Which elements picked check results are about: failing, passing, and the picked findings themselves.

Qt-free, so issue drafts and tests use it as the 3D view does. Elements without a
GlobalId cannot be shown or linked and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PickedKeys:
    """Element keys of picked results: failing, passing (applicable and passing), and picked findings."""

    failing: set = field(default_factory=set)
    passing: set = field(default_factory=set)
    findings: set = field(default_factory=set)

    @property
    def shown(self) -> set:
        """Every element the pick is about (the others are x-rayed)."""
        return self.failing | self.passing

    @property
    def framed(self) -> set:
        """What the camera frames: the picked findings, else the failing elements, else the passing ones."""
        return self.findings or self.failing or self.passing


def _key(element) -> tuple[str, str] | None:
    return (element.model_id, element.global_id) if element.global_id else None


def rule_keys(rule) -> tuple[set, set]:
    """(failing, passing) element keys of one rule result; elements without GlobalId cannot be shown."""
    failing, passing = set(), set()
    for model in rule.specification.models:
        failing.update(k for k in map(_key, model.failing) if k)
        passing.update(k for k in map(_key, model.passing) if k)
    return failing, passing - failing


def keys_for_nodes(result, nodes) -> PickedKeys:
    """The keys the picked ``nodes`` (:class:`ui.check_results_tree.CheckNode`) of ``result`` are about."""
    picked = PickedKeys()
    if result is None:
        return picked
    rules = {rule.key: rule for rule in result.rules}
    wanted: set[str] = set()
    for node in nodes:
        if node.kind == "ruleset":
            wanted.update(rules)
        elif node.rule_key in rules:
            wanted.add(node.rule_key)
            if node.kind == "finding":
                finding = next((f for f in rules[node.rule_key].findings() if f.fingerprint == node.fingerprint),
                               None)
                key = _key(finding.element) if finding else None
                if key:
                    picked.findings.add(key)
    for rule_key in wanted:
        failing, passing = rule_keys(rules[rule_key])
        picked.failing |= failing
        picked.passing |= passing
    # An element failing one picked rule and passing another is shown failing.
    picked.passing -= picked.failing
    return picked
