"""JUnit XML of an IDS or rule-set run, for CI servers: one test suite per model, one test
case per specification or built-in rule on that model (failed, passed, or skipped when it
targets another schema or cannot run there). A rule's failure type is its kind (ids,
builtin) and its message starts with the severity."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from bim.i18n import _, ngettext
from checks.ids.results import IdsRunResult, ModelSpecificationResult, SpecificationResult
from checks.reports.common import atomic_write, rules_by_specification, skip_note

_MAX_LISTED = 200  # failing elements written in a failure's body; CI pages choke on more


def _failure_text(m: ModelSpecificationResult) -> str:
    lines = [m.message] if m.message else []
    by_element = m.reasons_by_element()
    for element in m.failing[:_MAX_LISTED]:
        reasons = by_element.get(element.step_id) or []
        text = "; ".join(reason.text for _r, reason in reasons) or m.message
        storey = f" [{element.storey}]" if element.storey else ""
        lines.append(f"{element.label}{storey}: {text}")
    if len(m.failing) > _MAX_LISTED:
        lines.append(_("… and {n} more").format(n=len(m.failing) - _MAX_LISTED))
    return "\n".join(lines)


def _testcase(suite, spec: SpecificationResult, model_name: str, m: ModelSpecificationResult | None,
              rule=None) -> None:
    name = spec.name + (f" [{spec.identifier}]" if spec.identifier else "")
    case = etree.SubElement(suite, "testcase", classname=model_name, name=name, time="0")
    if m is None:
        etree.SubElement(case, "skipped", message=skip_note(spec))
    elif m.status.value == "fail":
        message = m.message or ngettext(
            "{failing} of {applicable} applicable element fails",
            "{failing} of {applicable} applicable elements fail",
            m.applicable_count,
        ).format(failing=m.failing_count, applicable=m.applicable_count)
        if rule is not None:
            message = f"[{rule.severity.label}] {message}"
        failure = etree.SubElement(case, "failure", message=message, type=rule.source if rule else "ids")
        failure.text = _failure_text(m)


def render_junit(result: IdsRunResult) -> bytes:
    """The JUnit XML document as UTF-8 bytes."""
    root = etree.Element("testsuites", name=result.ids_title, time=f"{result.duration_s:.3f}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    rules = rules_by_specification(result)
    for model in result.models:
        suite = etree.SubElement(root, "testsuite", name=model.name, timestamp=result.started_at)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for spec in result.specifications:
            m = next((r for r in spec.models if r.model_id == model.model_id), None)
            _testcase(suite, spec, model.name, m, rules.get(id(spec)))
            counts["tests"] += 1
            counts["skipped"] += m is None
            counts["failures"] += m is not None and m.status.value == "fail"
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_junit(result: IdsRunResult, path: Path | str) -> Path:
    """Write the JUnit XML to ``path``."""
    return atomic_write(path, render_junit(result))
