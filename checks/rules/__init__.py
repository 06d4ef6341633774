"""Built-in rules (model quality, federation, accessibility) and the rule-set runner.

Public API::

    from checks.rules import run_ruleset, RuleModel, BUILTIN_RULES
    from checks.rulesets import find_ruleset

    result = run_ruleset([RuleModel.from_loaded(m) for m in federation], find_ruleset("model-quality-basics"),
                         progress=None, cancel=None)
    result.status, result.summary(), [f.fingerprint for f in result.findings()]
    result.to_dict()  # JSON-ready, RulesetRunResult.from_dict() reads it back

Each rule's docstring documents it with an example; ``BUILTIN_RULES`` lists them by id.
Names are imported on first use: :mod:`checks.rulesets` imports the registry,
and the runner imports :mod:`checks.rulesets`.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "BUILTIN_RULES": "checks.rules.registry",
    "UnknownRuleError": "checks.rules.registry",
    "builtin_rule": "checks.rules.registry",
    "BuiltinRule": "checks.rules.base",
    "ModelFindings": "checks.rules.base",
    "Parameter": "checks.rules.base",
    "RuleModel": "checks.rules.base",
    "RuleParameterError": "checks.rules.base",
    "Severity": "checks.rules.severity",
    "Finding": "checks.rules.results",
    "RuleResult": "checks.rules.results",
    "RulesetInfo": "checks.rules.results",
    "RulesetRunResult": "checks.rules.results",
    "fingerprint": "checks.rules.results",
    "run_ruleset": "checks.rules.runner",
    "rule_models": "checks.rules.runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checks.rules' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
