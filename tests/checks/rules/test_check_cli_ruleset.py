"""``synthese check --ruleset``: the same exit codes (0 pass, 1 fail, 2 bad input), reports with built-in rules."""

from __future__ import annotations

import json

import openpyxl
from lxml import etree

from tests.checks.builders import ModelBuilder
from tests.checks.shared_data import RULESETS
from tests.checks.test_check_cli import check


def demo_files(demo_project) -> list[str]:
    return [str(p) for p in demo_project.files]


def test_the_demo_breaks_the_quality_basics_and_exits_1(demo_project, capsys):
    assert check(*demo_files(demo_project), "--ruleset", "model-quality-basics") == 1
    out = capsys.readouterr().out
    assert "FAIL  [ELEMENT-CONTAINMENT] Elements are placed in a storey (error) — demo-ELE-electrical: " \
           "8 applicable, 1 failing" in out
    assert "PASS  [FEDERATION-ALIGNMENT]" in out and "3 failing elements" in out


def test_the_demo_meets_the_structure_rules_and_exits_0(demo_project):
    assert check(*demo_files(demo_project), "--ruleset", "trade-structure", "-q") == 0


def test_ids_is_optional_with_a_rule_set_and_added_to_it_when_given(demo_project, capsys):
    assert check(*demo_files(demo_project), "--ruleset", "trade-structure",
                 "--ids", str(RULESETS / "accessibility-erp.ids")) == 1
    assert "FAIL  [ACC-02]" in capsys.readouterr().out


def test_a_rule_set_given_as_a_file_or_an_ids_file_runs_too(tmp_path, demo_project):
    assert check(*demo_files(demo_project), "--ruleset", str(RULESETS / "trade-structure.ruleset.json"), "-q") == 0
    assert check(*demo_files(demo_project), "--ruleset", str(RULESETS / "accessibility-erp.ids"), "-q") == 1


def test_reports_hold_the_built_in_rules_with_kind_severity_and_fingerprints(demo_project, tmp_path):
    out = tmp_path / "reports"
    tray = demo_project.global_id("ELE", "R+1/tray-B")
    code = check(*demo_files(demo_project), "--ruleset", "model-quality-basics", "-q",
                 "--report", str(out / "r.json"), "--report", str(out / "r.html"),
                 "--report", str(out / "r.xlsx"), "--junit", str(out / "r.xml"))
    assert code == 1

    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert report["ruleset"]["key"] == "model-quality-basics" and report["summary"]["findings"] == 3
    containment = next(s for s in report["specifications"] if s["rule_id"] == "ELEMENT-CONTAINMENT")
    assert (containment["kind"], containment["severity"], containment["failing_global_ids"]) == (
        "builtin", "error", [tray])
    failure = next(m for m in containment["models"] if m["failing"])["requirements"][0]["failures"][0]
    assert failure["found"] == "no spatial element" and len(failure["fingerprint"]) == 32
    assert all(m["file_hash"] for m in report["models"])

    html = (out / "r.html").read_text(encoding="utf-8")
    assert tray in html and "built-in rule · severity: error" in html
    assert html.index("Summary") < html.index("Details")

    details = openpyxl.load_workbook(out / "r.xlsx").worksheets[1]
    header = [c.value for c in details[1]]
    assert header[-3:] == ["Kind", "Severity", "Fingerprint"]
    row = next(r for r in details.iter_rows(min_row=2, values_only=True) if r[3] == tray)
    assert row[-3:-1] == ("built-in rule", "error") and row[-1] == failure["fingerprint"]

    junit = etree.parse(str(out / "r.xml")).getroot()
    builtin = [f for f in junit.iter("failure") if f.get("type") == "builtin"]
    assert len(builtin) == 2 and builtin[0].get("message").startswith("[")


def test_no_rules_at_all_exits_2(tmp_path, capsys):
    model = ModelBuilder().save(tmp_path / "arch.ifc")
    assert check(str(model)) == 2
    assert "--ids RULES.ids or --ruleset NAME|FILE" in capsys.readouterr().err


def test_an_unknown_rule_set_exits_2_naming_the_shipped_ones(tmp_path, capsys):
    model = ModelBuilder().save(tmp_path / "arch.ifc")
    assert check(str(model), "--ruleset", "quality") == 2
    assert "no rule set named quality" in capsys.readouterr().err


def test_a_broken_rule_set_file_exits_2_naming_it(tmp_path, capsys):
    model = ModelBuilder().save(tmp_path / "arch.ifc")
    broken = tmp_path / "project.ruleset.json"
    broken.write_text(json.dumps({"format": "synthese-ruleset", "rules": [{"rule": "NOPE"}]}), encoding="utf-8")
    assert check(str(model), "--ruleset", str(broken)) == 2
    err = capsys.readouterr().err
    assert "project.ruleset.json" in err and "no built-in rule NOPE" in err and len(err.splitlines()) == 1


def test_a_rule_set_with_an_invalid_ids_exits_2_with_its_line(tmp_path, capsys):
    model = ModelBuilder().save(tmp_path / "arch.ifc")
    (tmp_path / "rules.ids").write_text(
        (RULESETS / "model-quality-basics.ids").read_text(encoding="utf-8").replace("IFCPROJECT", "IFCPROJEKT"),
        encoding="utf-8")
    ruleset = tmp_path / "project.ruleset.json"
    ruleset.write_text(json.dumps({"format": "synthese-ruleset", "ids": [{"file": "rules.ids"}]}), encoding="utf-8")
    assert check(str(model), "--ruleset", str(ruleset)) == 2
    assert "rules.ids:15: IFCPROJEKT is not an IFC class" in capsys.readouterr().err


def test_an_unreadable_model_exits_2_even_when_geometry_is_loaded(tmp_path, capsys):
    bad = tmp_path / "delivery.ifc"
    bad.write_bytes(b"%PDF-1.7 not a model")
    assert check(str(bad), "--ruleset", "model-quality-basics") == 2
    err = capsys.readouterr().err.strip()
    assert "delivery.ifc" in err and "not an IFC file" in err and "Traceback" not in err
