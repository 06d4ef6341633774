"""The result of running a rule set: IDS specifications and built-in rules side by side.

Each rule's outcome is a :class:`~checks.ids.results.SpecificationResult` (the
shape IDS results have: rule → model → failing elements with reasons), wrapped
in a :class:`RuleResult` with where it came from, its severity and parameters.
:class:`RulesetRunResult` also answers to every attribute reports read from an
:class:`~checks.ids.results.IdsRunResult`, so the same reports serve both.

Every failing element gets a fingerprint stable across runs: a hash of the rule
(its source and id) and the element (model id and GlobalId), never of the
reason or the parameters, so a re-run recognises the failure an issue was made
from even when the door is now 0.81 m instead of 0.80 m. It relies on model ids
being stable: the project's model id, or on the command line the file name.

The whole result converts to plain JSON data and back (:meth:`RulesetRunResult.to_dict`,
:meth:`RulesetRunResult.from_dict`) for the project database's check runs.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.elements import ElementRef
from checks.ids.results import CheckedModelInfo, Reason, SpecificationResult, Status
from checks.rules.severity import Severity

SOURCE_IDS = "ids"
SOURCE_BUILTIN = "builtin"
RESULT_FORMAT = "synthese-check-run"
RESULT_FORMAT_VERSION = 1
_FINGERPRINT_SALT = "synthese-finding/1"


def element_key(element: ElementRef) -> str:
    """What identifies an element across model versions: its GlobalId (class and STEP id when it has none)."""
    return element.global_id or f"{element.ifc_class}#{element.step_id}"


def fingerprint(rule_key: str, element: ElementRef) -> str:
    """The stable fingerprint of ``element`` failing the rule ``rule_key`` (``ids:MQ-03``, ``builtin:SPACE-AREA``)."""
    text = "\x1f".join((_FINGERPRINT_SALT, rule_key, element.model_id, element_key(element)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Finding:
    """One element failing one rule: what an issue is made from."""

    fingerprint: str
    rule_key: str
    rule_id: str
    rule_name: str
    severity: Severity
    element: ElementRef
    model_name: str
    reasons: tuple[Reason, ...]

    @property
    def text(self) -> str:
        """Every reason, one sentence each."""
        return "; ".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class RuleResult:
    """One rule of the set on the federation: an IDS specification or a built-in rule.

    ``rule_id`` is the built-in rule's id or the specification's identifier
    (its name when it has none); ``origin`` the IDS title for IDS rules.
    """

    rule_id: str
    source: str  # SOURCE_IDS or SOURCE_BUILTIN
    severity: Severity
    specification: SpecificationResult
    parameters: tuple[tuple[str, Any], ...] = ()
    origin: str = ""

    @property
    def key(self) -> str:
        """``source:rule_id``: unique in a run, and what fingerprints hash."""
        return f"{self.source}:{self.rule_id}"

    @property
    def name(self) -> str:
        """The rule's title (the specification's name)."""
        return self.specification.name

    @property
    def status(self) -> Status:
        """FAIL if any element fails, SKIPPED if it could run on no model, else PASS."""
        return self.specification.status

    def fingerprint(self, element: ElementRef) -> str:
        """The stable fingerprint of ``element`` failing this rule."""
        return fingerprint(self.key, element)

    def findings(self) -> list[Finding]:
        """Every failing element with all its reasons, model by model."""
        found = []
        for model in self.specification.models:
            reasons = model.reasons_by_element()
            for element in model.failing:
                why = tuple(r for _req, r in reasons.get(element.step_id, []))
                if not why and model.message:
                    why = (Reason(model.message, "", ""),)
                found.append(Finding(self.fingerprint(element), self.key, self.rule_id, self.name, self.severity,
                                     element, model.model_name, why))
        return found


@dataclass(frozen=True)
class RulesetInfo:
    """The rule set a run used: its key, title, version and a hash of its content (IDS files included)."""

    key: str
    title: str
    version: str
    path: str | None
    content_hash: str


@dataclass(frozen=True)
class RulesetRunResult:
    """Everything one run of a rule set on a federation produced, with who ran it, when, on what."""

    ruleset: RulesetInfo
    models: tuple[CheckedModelInfo, ...]
    rules: tuple[RuleResult, ...]
    started_at: str  # ISO 8601, UTC
    duration_s: float
    run_by: str
    synthese_version: str

    # -- what reports read from an IdsRunResult ----------------------------------

    @property
    def ids_title(self) -> str:
        """The rule set's title (reports call it the IDS title)."""
        return self.ruleset.title

    @property
    def ids_path(self) -> str | None:
        """The rule set's file."""
        return self.ruleset.path

    @property
    def ids_info(self) -> tuple[tuple[str, str], ...]:
        """The rule set's identity as (key, value) pairs."""
        return (("title", self.ruleset.title), ("version", self.ruleset.version), ("key", self.ruleset.key))

    @property
    def specifications(self) -> tuple[SpecificationResult, ...]:
        """Each rule's result in the IDS shape, in rule-set order."""
        return tuple(r.specification for r in self.rules)

    @property
    def status(self) -> Status:
        """FAIL if any rule fails, else PASS (also when some were skipped)."""
        return Status.FAIL if any(r.status is Status.FAIL for r in self.rules) else Status.PASS

    def count(self, status: Status) -> int:
        """How many rules ended with ``status``."""
        return sum(1 for r in self.rules if r.status is status)

    def model(self, model_id: str) -> CheckedModelInfo | None:
        """The model of the run with this id."""
        return next((m for m in self.models if m.model_id == model_id), None)

    # -- for issues and stored runs ---------------------------------------------------

    def rule(self, rule_id: str) -> RuleResult | None:
        """The result of the rule ``rule_id`` (a built-in id or an IDS identifier)."""
        return next((r for r in self.rules if r.rule_id == rule_id), None)

    def rule_of(self, specification: SpecificationResult) -> RuleResult | None:
        """The rule a specification result of :attr:`specifications` belongs to."""
        return next((r for r in self.rules if r.specification is specification), None)

    def findings(self) -> list[Finding]:
        """Every (rule, failing element), most severe first, in rule-set order within a severity."""
        found = [f for r in self.rules for f in r.findings()]
        return sorted(found, key=lambda f: f.severity.rank)

    def summary(self) -> dict:
        """Counts for dashboards and the stored run: rules by status, findings by severity and by model."""
        findings = self.findings()
        by_model: dict[str, int] = {}
        for f in findings:
            by_model[f.element.model_id] = by_model.get(f.element.model_id, 0) + 1
        return {
            "status": self.status.value,
            "rules": len(self.rules),
            "passed": self.count(Status.PASS),
            "failed": self.count(Status.FAIL),
            "skipped": self.count(Status.SKIPPED),
            "findings": len(findings),
            "findings_by_severity": {s.value: sum(1 for f in findings if f.severity is s) for s in Severity},
            "failed_rules_by_severity": {
                s.value: sum(1 for r in self.rules if r.severity is s and r.status is Status.FAIL) for s in Severity},
            "findings_by_model": {m.model_id: by_model.get(m.model_id, 0) for m in self.models},
        }

    def to_dict(self) -> dict:
        """The whole run as JSON-ready data (see :meth:`from_dict`)."""
        return {"format": RESULT_FORMAT, "format_version": RESULT_FORMAT_VERSION, "summary": self.summary(),
                **_dump(self)}

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, data: dict) -> "RulesetRunResult":
        """A run back from :meth:`to_dict`'s data (ValueError if it is not a stored run)."""
        if data.get("format") != RESULT_FORMAT:
            raise ValueError("not a Synthese check run")
        return _load(cls, data)


# -- plain data and back --------------------------------------------------------------------


def _dump(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _thaw(value):
    """JSON arrays back to tuples, recursively (parameter values are kept frozen)."""
    return tuple(_thaw(v) for v in value) if isinstance(value, list) else value


def _load(tp, data):
    if tp is Any:
        return _thaw(data)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return _load(options[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], d) for d in data)
        return tuple(_load(a, d) for a, d in zip(args, data))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _load(hints[f.name], data[f.name])
                     for f in dataclasses.fields(tp) if f.init and f.name in data})
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is float and isinstance(data, int):
        return float(data)
    return data
