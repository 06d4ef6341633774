"""Rule-set files: the shipped ones load, a file round-trips, and the IDS we write is IDS other tools read."""

from __future__ import annotations

import json

import ifctester.ids
import pytest

from checks.ids import load_ids
from checks.rules import Severity
from checks.rulesets import (
    RULESETS_DIR,
    IdsReference,
    RuleEntry,
    RuleSet,
    RulesetError,
    SpecificationSetting,
    bundled_rule_sets,
    bundled_rulesets,
    export_ids,
    export_ruleset,
    find_ruleset,
    load_ruleset,
    save_ruleset,
)


def test_there_are_rule_sets_for_quality_accessibility_and_each_trade():
    assert [r.key for r in bundled_rule_sets()] == [
        "accessibility-erp", "model-quality-basics", "trade-architecture", "trade-mep", "trade-structure"]


@pytest.mark.parametrize("ruleset", bundled_rule_sets(), ids=lambda r: r.key)
def test_each_shipped_rule_set_wires_its_ids_and_built_in_rules_and_documents_itself(ruleset):
    assert [r.path.name for r in ruleset.ids] == [f"{ruleset.key}.ids"]
    assert ruleset.rules and len(ruleset.description) > 80
    for entry in ruleset.rules:
        entry.effective_parameters()  # valid


def test_the_shipped_ids_files_are_still_listed_on_their_own():
    assert [b.key for b in bundled_rulesets()] == [r.key for r in bundled_rule_sets()]


def test_a_rule_set_is_found_by_name_or_by_file_and_an_ids_file_is_a_rule_set_of_its_own():
    assert find_ruleset("accessibility-erp").rules[0].rule_id == "FR-ERP-DOOR-WIDTH"
    by_file = find_ruleset(RULESETS_DIR / "accessibility-erp.ruleset.json")
    assert by_file == find_ruleset("accessibility-erp")
    only_ids = find_ruleset(str(RULESETS_DIR / "trade-mep.ids"))
    assert (only_ids.title, only_ids.rules, len(only_ids.ids)) == ("Synthese — MEP model information", (), 1)


def project_rule_set(tmp_path) -> RuleSet:
    own = tmp_path / "own" / "project-rules.ids"
    own.parent.mkdir()
    own.write_bytes((RULESETS_DIR / "trade-architecture.ids").read_bytes())
    return RuleSet(
        key="projet-lycee", title="Lycée Jean Moulin — contrôle DCE", version="3", description="Règles du projet",
        author="BIM manager",
        ids=(IdsReference((RULESETS_DIR / "model-quality-basics.ids").resolve(), Severity.WARNING,
                          specifications=(SpecificationSetting("MQ-07", enabled=False),
                                          SpecificationSetting("MQ-01", Severity.INFO))),
             IdsReference(own.resolve(), Severity.ERROR)),
        rules=(RuleEntry("FR-ERP-DOOR-WIDTH", Severity.ERROR, parameters=(("min_clear_width", 0.9),)),
               RuleEntry("ELEMENT-MATERIAL", enabled=False, parameters=(("classes", ("IfcWall", "IfcSlab")),)),
               RuleEntry("STOREY-CONSISTENCY")),
    )


def test_a_rule_set_saved_and_loaded_again_is_the_same(tmp_path):
    original = project_rule_set(tmp_path)
    path = save_ruleset(original, tmp_path / "sets" / "projet.ruleset.json")
    again = load_ruleset(path)
    assert again == original and again.path == path.resolve()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["ids"][0] == {"bundled": "model-quality-basics", "severity": "warning",
                              "specifications": {"MQ-07": {"enabled": False}, "MQ-01": {"severity": "info"}}}
    assert data["ids"][1]["file"] == "../own/project-rules.ids"
    assert data["rules"][1] == {"rule": "ELEMENT-MATERIAL", "enabled": False,
                                "parameters": {"classes": ["IfcWall", "IfcSlab"]}}
    assert save_ruleset(again, tmp_path / "copy.ruleset.json").read_text(encoding="utf-8") == \
        save_ruleset(original, tmp_path / "copy2.ruleset.json").read_text(encoding="utf-8")


def test_an_exported_rule_set_is_a_folder_any_ids_tool_opens(tmp_path):
    original = project_rule_set(tmp_path)
    exported = export_ruleset(original, tmp_path / "export")
    assert sorted(p.name for p in exported.parent.iterdir()) == [
        "model-quality-basics.ids", "project-rules.ids", "projet-lycee.ruleset.json"]
    imported = load_ruleset(exported)
    assert (imported.rules, imported.title) == (original.rules, original.title)
    assert [r.specifications for r in imported.ids] == [r.specifications for r in original.ids]
    for reference in imported.ids:
        assert reference.path.parent == exported.parent
        assert len(ifctester.ids.open(str(reference.path), validate=True).specifications) > 0
    assert imported.content_hash() == original.content_hash()


def test_the_ids_part_exported_as_one_file_is_valid_ids_for_ifctester_and_for_us(tmp_path):
    original = project_rule_set(tmp_path)
    path = export_ids(original, tmp_path / "projet.ids")
    theirs = ifctester.ids.open(str(path), validate=True)
    ours = load_ids(path)
    identifiers = [s.identifier for s in ours.specifications]
    # MQ-07 is turned off in the rule set: it is not exported.
    assert identifiers == ["MQ-01", "MQ-02", "MQ-03", "MQ-04", "MQ-05", "MQ-06",
                           "ARC-01", "ARC-02", "ARC-03", "ARC-04"]
    assert len(theirs.specifications) == len(identifiers)
    assert theirs.info["title"] == "Lycée Jean Moulin — contrôle DCE"


@pytest.mark.parametrize("ruleset", bundled_rule_sets(), ids=lambda r: r.key)
def test_each_shipped_rule_set_exports_ids_that_ifctester_loads(ruleset, tmp_path):
    path = export_ids(ruleset, tmp_path / f"{ruleset.key}.ids")
    assert ifctester.ids.open(str(path), validate=True).specifications


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["rules"].append({"rule": "DOOR-WIDTH"}), "rule DOOR-WIDTH: no built-in rule DOOR-WIDTH"),
    (lambda d: d["rules"].append({"rule": "SPACE-AREA", "parameters": {"min_area": "big"}}),
     "rule SPACE-AREA: parameter min_area: 'big' is not a valid float"),
    (lambda d: d["rules"].append({"rule": "SPACE-AREA", "severity": "fatal"}), "unknown severity 'fatal'"),
    (lambda d: d["ids"].append({"file": "missing.ids"}), "the IDS file"),
    (lambda d: d["ids"].append({"bundled": "nothing"}), "no shipped IDS named nothing"),
    (lambda d: d.update(format="something-else"), "not a Synthese rule set"),
])
def test_a_wrong_rule_set_file_is_refused_naming_the_file_and_the_problem(tmp_path, change, problem):
    data = json.loads((RULESETS_DIR / "accessibility-erp.ruleset.json").read_text(encoding="utf-8"))
    data["ids"][0] = {"bundled": "accessibility-erp"}
    change(data)
    path = tmp_path / "broken.ruleset.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    assert str(caught.value).startswith(str(path)) and problem in str(caught.value)


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "broken.ruleset.json"
    path.write_text('{\n  "format": "synthese-ruleset",\n  oops\n}', encoding="utf-8")
    with pytest.raises(RulesetError, match="not valid JSON: line 3"):
        load_ruleset(path)


def test_an_unknown_rule_set_name_lists_the_shipped_ones():
    with pytest.raises(RulesetError, match="no rule set named quality .*model-quality-basics"):
        find_ruleset("quality")
