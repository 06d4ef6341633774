"""Load models as the app does, run one built-in rule, and read what failed in a form tests can compare."""

from __future__ import annotations

from pathlib import Path

from bim.federation import LoadedModel, load_model
from checks.ids.results import SpecificationResult
from checks.rules import BUILTIN_RULES, RuleModel


def load(path: Path, model_id: str | None = None) -> LoadedModel:
    """A model loaded as the app loads it, in this process (the demo files are small)."""
    return load_model(path, model_id=model_id or Path(path).stem, workers=1)


def replaced(models: dict[str, LoadedModel], **by_trade: LoadedModel) -> list[RuleModel]:
    """The demo federation with some models replaced by edited copies."""
    return [RuleModel.from_loaded(by_trade.get(trade, model)) for trade, model in models.items()]


def run_rule(rule_id: str, models, **parameters) -> SpecificationResult:
    """The result of the built-in rule ``rule_id`` on ``models`` with these parameters."""
    return BUILTIN_RULES[rule_id]().run(models, parameters)


def failing_ids(result: SpecificationResult) -> list[str]:
    """GlobalIds of the failing elements, every model, sorted."""
    return sorted(e.global_id for m in result.models for e in m.failing)


def reasons(result: SpecificationResult) -> list[str]:
    """Every failure's reason as one sentence, in model then element order."""
    return [c.reason.text for m in result.models for r in m.requirements for c in r.failures]
