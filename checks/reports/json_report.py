"""JSON report of an IDS or rule-set run: overall status, then per specification (or
built-in rule) and model the counts, the failing GlobalIds and each failure's reason.
Keys are English and stable (for scripts and CI); texts meant for people are in the
user's language. A rule-set run adds the rule set, the run (who, when, model file
hashes), and per rule its id, kind, severity, parameters and each failure's fingerprint;
an IDS run's report is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from checks.elements import ElementRef
from checks.ids.results import IdsRunResult, ModelSpecificationResult, SpecificationResult
from checks.reports.common import atomic_write, rules_by_specification

FORMAT_NAME = "synthese-ids-report"
FORMAT_VERSION = 1


def _element(e: ElementRef) -> dict:
    return {"global_id": e.global_id, "ifc_class": e.ifc_class, "name": e.name, "storey": e.storey,
            "step_id": e.step_id}


def _model_result(m: ModelSpecificationResult, rule=None) -> dict:
    found = {
        "model_id": m.model_id,
        "model_name": m.model_name,
        "status": m.status.value,
        "message": m.message,
        "applicable": m.applicable_count,
        "passing": m.passing_count,
        "failing": m.failing_count,
        "failing_global_ids": [e.global_id for e in m.failing if e.global_id],
        "failing_elements": [_element(e) for e in m.failing],
        "requirements": [
            {
                "index": r.index,
                "facet": r.facet,
                "description": r.description,
                "cardinality": r.cardinality,
                "instructions": r.instructions,
                "status": r.status.value,
                "passed": r.passed_count,
                "failed": r.failed_count,
                "failures": [
                    {**_element(c.element),
                     "reason": c.reason.text if c.reason else "",
                     "expected": c.reason.expected if c.reason else "",
                     "found": c.reason.found if c.reason else "",
                     "looked_in": c.reason.looked_in if c.reason else ""}
                    for c in r.failures
                ],
            }
            for r in m.requirements
        ],
    }
    if rule is not None:
        found["fingerprints"] = {e.global_id or f"#{e.step_id}": rule.fingerprint(e) for e in m.failing}
        for requirement, source in zip(found["requirements"], m.requirements):
            for failure, check in zip(requirement["failures"], source.failures):
                failure["fingerprint"] = rule.fingerprint(check.element)
    return found


def _specification(s: SpecificationResult, rule=None) -> dict:
    found = {
        "index": s.index,
        "name": s.name,
        "identifier": s.identifier,
        "description": s.description,
        "instructions": s.instructions,
        "ifc_versions": list(s.ifc_versions),
        "cardinality": s.cardinality.value,
        "status": s.status.value,
        "applicability": list(s.applicability),
        "requirements": list(s.requirements),
        "applicable": s.applicable_count,
        "passing": s.passing_count,
        "failing": s.failing_count,
        "failing_global_ids": list(s.failing_global_ids),
        "skipped_models": list(s.skipped_models),
        "models": [_model_result(m, rule) for m in s.models],
    }
    if rule is not None:
        found.update({"rule_id": rule.rule_id, "kind": rule.source, "severity": rule.severity.value,
                      "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in rule.parameters},
                      "origin": rule.origin, "skip_reason": s.skip_reason})
    return found


def report_dict(result: IdsRunResult) -> dict:
    """The report as JSON-ready data."""
    specs = result.specifications
    rules = rules_by_specification(result)
    report = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "status": result.status.value,
        "ids": {"title": result.ids_title, "path": result.ids_path, "info": dict(result.ids_info)},
        "started_at": result.started_at,
        "duration_s": round(result.duration_s, 3),
        "models": [
            {"model_id": m.model_id, "name": m.name, "schema": m.schema, "trade": m.trade, "path": m.path,
             "file_hash": getattr(m, "file_hash", None)}
            for m in result.models
        ],
        "summary": {
            "specifications": len(specs),
            "passed": sum(1 for s in specs if s.status.value == "pass"),
            "failed": sum(1 for s in specs if s.status.value == "fail"),
            "skipped": sum(1 for s in specs if s.status.value == "skipped"),
            "applicable": sum(s.applicable_count for s in specs),
            "passing": sum(s.passing_count for s in specs),
            "failing": sum(s.failing_count for s in specs),
        },
        "specifications": [_specification(s, rules.get(id(s))) for s in specs],
    }
    if rules:
        run = result.summary()
        report["summary"].update({"findings": run["findings"], "findings_by_severity": run["findings_by_severity"],
                                  "failed_rules_by_severity": run["failed_rules_by_severity"]})
        report["ruleset"] = {"key": result.ruleset.key, "title": result.ruleset.title,
                             "version": result.ruleset.version, "path": result.ruleset.path,
                             "content_hash": result.ruleset.content_hash}
        report["run"] = {"started_at": result.started_at, "run_by": result.run_by,
                         "synthese_version": result.synthese_version}
    return report


def render_json(result: IdsRunResult) -> str:
    """The report as JSON text (UTF-8, indented)."""
    return json.dumps(report_dict(result), ensure_ascii=False, indent=2)


def write_json(result: IdsRunResult, path: Path | str) -> Path:
    """Write the JSON report to ``path``."""
    return atomic_write(path, render_json(result).encode("utf-8"))
