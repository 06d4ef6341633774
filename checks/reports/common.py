"""What every check report shows, as plain rows, and a safe way to write report files.

HTML and XLSX show the same summary and details; building the rows once keeps
them consistent and keeps each writer about layout only. A report is of an IDS
run (:class:`~checks.ids.results.IdsRunResult`) or of a rule-set run
(:class:`~checks.rules.results.RulesetRunResult`, which answers to the same
attributes and adds each rule's kind and severity).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bim.atomic_file import write_atomically
from bim.i18n import N_, _
from checks.ids.results import IdsRunResult, Status

STATUS_LABELS = {Status.PASS: N_("pass"), Status.FAIL: N_("fail"), Status.SKIPPED: N_("skipped")}
CARDINALITY_LABELS = {"required": N_("required"), "optional": N_("optional"), "prohibited": N_("prohibited")}


def status_label(status: Status) -> str:
    """A status in the user's language."""
    return _(STATUS_LABELS[status])


def cardinality_label(cardinality) -> str:
    """A cardinality (required/optional/prohibited) in the user's language."""
    return _(CARDINALITY_LABELS.get(str(cardinality), str(cardinality)))


@dataclass(frozen=True)
class SummaryRow:
    """One specification on one model (or skipped for it)."""

    specification: str
    identifier: str
    cardinality: str
    model: str
    status: Status
    applicable: int | None
    passing: int | None
    failing: int | None
    message: str
    severity: str = ""  # rule-set runs only, as the other two
    kind: str = ""  # "IDS" or "built-in rule"


@dataclass(frozen=True)
class DetailRow:
    """One failing element of one requirement (or of a prohibited specification)."""

    specification: str
    model: str
    requirement: str
    global_id: str
    ifc_class: str
    name: str
    storey: str
    expected: str
    found: str
    looked_in: str
    reason: str
    severity: str = ""
    kind: str = ""
    fingerprint: str = ""


def rules_by_specification(result) -> dict:
    """For a rule-set run, each specification result's rule (keyed by ``id()``); empty for an IDS run."""
    return {id(r.specification): r for r in getattr(result, "rules", None) or ()}


def is_ruleset_run(result) -> bool:
    """Whether the result is of a rule set (it has rules with kinds and severities)."""
    return bool(getattr(result, "rules", None))


def kind_label(rule) -> str:
    """"IDS" or "built-in rule", in the user's language."""
    return _("IDS") if rule.source == "ids" else _("built-in rule")


def skip_note(spec) -> str:
    """Why a specification or rule did not run on some models."""
    return getattr(spec, "skip_reason", "") or skipped_message(spec.ifc_versions)


def summary_rows(result: IdsRunResult) -> list[SummaryRow]:
    """Every specification × model pair, skipped pairs included, in IDS order."""
    names = {m.model_id: m.name for m in result.models}
    rules = rules_by_specification(result)
    rows = []
    for spec in result.specifications:
        rule = rules.get(id(spec))
        extra = (rule.severity.label, kind_label(rule)) if rule else ("", "")
        for m in spec.models:
            rows.append(SummaryRow(spec.name, spec.identifier or "", cardinality_label(spec.cardinality),
                                   m.model_name, m.status, m.applicable_count, m.passing_count, m.failing_count,
                                   m.message, *extra))
        for model_id in spec.skipped_models:
            rows.append(SummaryRow(spec.name, spec.identifier or "", cardinality_label(spec.cardinality),
                                   names.get(model_id, model_id), Status.SKIPPED, None, None, None,
                                   skip_note(spec), *extra))
    return rows


def skipped_message(ifc_versions) -> str:
    """Why a specification was not run on a model."""
    return _("the specification targets {versions} only").format(versions=", ".join(ifc_versions))


def detail_rows(result: IdsRunResult) -> list[DetailRow]:
    """Every failure: element, requirement and reason, in IDS then model then element order."""
    rules = rules_by_specification(result)
    rows = []
    for spec in result.specifications:
        rule = rules.get(id(spec))

        def extra(e, rule=rule) -> tuple[str, str, str]:
            return (rule.severity.label, kind_label(rule), rule.fingerprint(e)) if rule else ("", "", "")

        for m in spec.models:
            if not m.requirements and m.failing:  # prohibited: matching is the failure
                for e in m.failing:
                    rows.append(DetailRow(spec.name, m.model_name, _("prohibited specification"),
                                          e.global_id or f"#{e.step_id}", e.ifc_class, e.name or "", e.storey or "",
                                          _("no element matching the applicability"), _("this element"), "",
                                          m.message, *extra(e)))
            for requirement in m.requirements:
                for check in requirement.failures:
                    e, reason = check.element, check.reason
                    rows.append(DetailRow(
                        spec.name, m.model_name, requirement.description, e.global_id or f"#{e.step_id}",
                        e.ifc_class, e.name or "", e.storey or "",
                        reason.expected if reason else "", reason.found if reason else "",
                        reason.looked_in if reason else "", reason.text if reason else "", *extra(e),
                    ))
    return rows


def atomic_write(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` (creating its folder) so that a failed write never leaves half a report."""
    return write_atomically(path, data, make_folder=True)
