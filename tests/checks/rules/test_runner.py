"""run_ruleset: IDS and built-in rules on the federation, one result with stable fingerprints and a run summary."""

from __future__ import annotations

import json

import pytest

from bim.demo import generate_demo
from bim.progress import Cancelled
from checks.model import CheckedModel
from checks.rules import RuleModel, RulesetRunResult, Severity, run_ruleset
from checks.rulesets import RuleEntry, RuleSet, find_ruleset
from tests.checks.rules.helpers import load

# The demo's deliberate violations, and the rule of each set that finds it.
EXPECTED = {
    "FR-ERP-DOOR-WIDTH": ("accessibility-erp", "builtin:FR-ERP-DOOR-WIDTH"),
    "WALL-FIRE-RATING": ("trade-architecture", "ids:ARC-01"),
    "SPACE-NAME": ("trade-architecture", "builtin:SPACE-NAME"),
    "ELEMENT-MATERIAL": ("model-quality-basics", "builtin:ELEMENT-MATERIAL"),
    "ELEMENT-CONTAINMENT": ("model-quality-basics", "builtin:ELEMENT-CONTAINMENT"),
}


@pytest.fixture(scope="module")
def runs(demo_models):
    """Each shipped rule set run once on the demo federation."""
    keys = ["model-quality-basics", "accessibility-erp", "trade-architecture", "trade-structure", "trade-mep"]
    return {key: run_ruleset(demo_models.values(), key, run_by="tester") for key in keys}


def test_each_deliberate_violation_of_the_demo_is_found_by_its_rule(demo_project, runs):
    for violation in demo_project.expected_violations:
        ruleset, rule_key = EXPECTED[violation.rule_id]
        failing = {f.element.global_id for f in runs[ruleset].findings() if f.rule_key == rule_key}
        assert violation.global_id in failing, violation


def test_the_quality_basics_find_nothing_else_on_the_demo(demo_project, runs):
    found = sorted((f.rule_key, f.element.global_id) for f in runs["model-quality-basics"].findings())
    assert found == sorted([
        ("ids:MQ-06", demo_project.global_id("ARC", "R+1/space-B")),
        ("builtin:ELEMENT-CONTAINMENT", demo_project.global_id("ELE", "R+1/tray-B")),
        ("builtin:ELEMENT-MATERIAL", demo_project.global_id("PLB", "R+1/pipe-A1")),
    ])


def test_ids_and_built_in_rules_come_out_alike_in_rule_set_order_with_their_severity(runs):
    result = runs["model-quality-basics"]
    assert [r.key for r in result.rules][:2] == ["ids:MQ-01", "ids:MQ-02"]
    assert "ids:MQ-07" not in [r.key for r in result.rules]  # turned off in the rule set
    assert [s.index for s in result.specifications] == list(range(len(result.rules)))
    assert result.rule("MQ-06").severity is Severity.WARNING
    assert result.rule("ELEMENT-CONTAINMENT").severity is Severity.ERROR
    assert result.rule("ELEMENT-CONTAINMENT").origin == "" and result.rule("MQ-06").origin.endswith("basics")
    assert result.findings()[0].severity is Severity.ERROR  # most severe first


def test_the_run_summary_says_who_when_on_which_model_versions_with_which_rule_set(demo_models, runs):
    result = runs["accessibility-erp"]
    assert result.run_by == "tester" and result.started_at.endswith("+00:00")
    assert [m.file_hash for m in result.models] == [m.file_hash for m in demo_models.values()]
    assert (result.ruleset.key, result.ruleset.version) == ("accessibility-erp", "1.0")
    assert result.ruleset.content_hash == find_ruleset("accessibility-erp").content_hash()
    assert result.summary() == {
        "status": "fail", "rules": 5, "passed": 3, "failed": 2, "skipped": 0, "findings": 2,
        "findings_by_severity": {"error": 2, "warning": 0, "info": 0},
        "failed_rules_by_severity": {"error": 2, "warning": 0, "info": 0},
        "findings_by_model": {"demo-ARC-architecture": 2, "demo-STR-structure": 0, "demo-CVC-hvac": 0,
                              "demo-PLB-plumbing": 0, "demo-ELE-electrical": 0},
    }


def test_fingerprints_are_the_same_on_every_run_and_differ_between_rules_and_elements(demo_models, runs):
    again = run_ruleset(demo_models.values(), "accessibility-erp")
    first = [f.fingerprint for f in runs["accessibility-erp"].findings()]
    assert first == [f.fingerprint for f in again.findings()]
    assert len(set(first)) == 2  # the same door fails two rules: two fingerprints


def test_a_fingerprint_does_not_change_with_the_parameters_or_the_reason(demo_models):
    strict = RuleSet("strict", "strict",
                     rules=(RuleEntry("FR-ERP-DOOR-WIDTH", parameters=(("min_clear_width", 0.87),)),))
    loose = RuleSet("loose", "loose", rules=(RuleEntry("FR-ERP-DOOR-WIDTH"),))
    d02 = {f.element.global_id: f.fingerprint for f in run_ruleset(demo_models.values(), loose).findings()}
    by_strict = {f.element.global_id: f.fingerprint for f in run_ruleset(demo_models.values(), strict).findings()}
    assert d02.items() <= by_strict.items() and len(by_strict) > len(d02)


def test_a_run_is_plain_json_and_reads_back_the_same(runs):
    result = runs["model-quality-basics"]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["summary"]["findings"] == 3 and data["format"] == "synthese-check-run"
    again = RulesetRunResult.from_dict(data)
    assert again == result
    assert [f.fingerprint for f in again.findings()] == [f.fingerprint for f in result.findings()]


def test_progress_reaches_the_total_and_cancel_stops_the_run(demo_models):
    seen = []
    run_ruleset(demo_models.values(), "accessibility-erp", progress=lambda d, t, m: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == 4 * 5 + 1  # 4 specifications × 5 models, 1 built-in rule
    assert all(d <= t for d, t in seen)
    with pytest.raises(Cancelled):
        run_ruleset(demo_models.values(), "model-quality-basics", cancel=lambda: True)


def test_models_without_geometry_run_every_rule_but_those_on_geometry(demo_models):
    only_data = [CheckedModel(m.model_id, m.path.stem, m.ifc(), m.trade, m.path) for m in demo_models.values()]
    result = run_ruleset(only_data, "model-quality-basics")
    skipped = [r.rule_id for r in result.rules if r.status.value == "skipped"]
    assert skipped == ["GEOMETRY-MISSING", "ELEMENT-DUPLICATE"]
    assert all(m.file_hash for m in result.models)  # hashed from the files


def test_rule_models_and_loaded_models_give_the_same_result(demo_models, runs):
    rule_models = [RuleModel.from_loaded(m) for m in demo_models.values()]
    result = run_ruleset(rule_models, "accessibility-erp", run_by="tester")
    assert [f.fingerprint for f in result.findings()] == [f.fingerprint for f in runs["accessibility-erp"].findings()]


def test_an_ifc2x3_demo_far_from_the_origin_breaks_the_same_rules(tmp_path):
    demo = generate_demo(tmp_path, schema="IFC2X3", origin=(650000.0, 6860000.0, 30.0))
    result = run_ruleset([load(p) for p in demo.files], "model-quality-basics")
    assert sorted(f.rule_key for f in result.findings()) == [
        "builtin:ELEMENT-CONTAINMENT", "builtin:ELEMENT-MATERIAL", "ids:MQ-06"]
