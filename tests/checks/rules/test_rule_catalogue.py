"""The built-in rules as a catalogue: stable ids, documented with an example, parameters with checked defaults."""

from __future__ import annotations

import pytest

from checks.rules import BUILTIN_RULES, RuleParameterError, Severity, builtin_rule
from checks.rules.registry import UnknownRuleError

STABLE_IDS = [
    "GLOBALID-DUPLICATE", "ELEMENT-CONTAINMENT", "GEOMETRY-MISSING", "ELEMENT-DUPLICATE", "ELEMENT-MATERIAL",
    "SPACE-NAME", "SPACE-AREA", "STOREY-CONSISTENCY", "FEDERATION-ALIGNMENT", "FR-ERP-DOOR-WIDTH",
]


def test_the_rule_ids_are_the_stable_ones_rule_sets_and_issues_refer_to():
    assert list(BUILTIN_RULES) == STABLE_IDS


def test_the_demo_deliberate_violations_name_built_in_rules_where_ids_cannot_express_them(demo_project):
    # WALL-FIRE-RATING is a property requirement: IDS (trade-architecture ARC-01) expresses it.
    violated = {v.rule_id for v in demo_project.expected_violations}
    assert violated - set(BUILTIN_RULES) == {"WALL-FIRE-RATING"}


@pytest.mark.parametrize("rule_id", STABLE_IDS)
def test_each_rule_documents_itself_with_an_example_and_its_parameters(rule_id):
    rule = BUILTIN_RULES[rule_id]
    documentation = rule.describe()
    assert "Example" in documentation and f'"rule": "{rule_id}"' in documentation
    assert "not IDS" in documentation  # says why it is code
    for parameter in rule.parameters:
        assert f"``{parameter.name}``" in documentation, parameter.name
        assert parameter.description
    assert isinstance(rule.default_severity, Severity) and rule.summary()


@pytest.mark.parametrize("rule_id", STABLE_IDS)
def test_each_rule_default_is_a_valid_value_of_its_parameter(rule_id):
    defaults = BUILTIN_RULES[rule_id].defaults()
    assert set(defaults) == {p.name for p in BUILTIN_RULES[rule_id].parameters}


def test_the_door_rule_defaults_to_the_arrete_of_20_april_2017():
    rule = builtin_rule("FR-ERP-DOOR-WIDTH")
    assert rule.defaults()["min_clear_width"] == 0.83 and rule.defaults()["frame_allowance"] == 0.07
    assert "arrêté du 20 avril 2017" in rule.describe() and "article 10" in rule.describe()


@pytest.mark.parametrize("given, problem", [
    ({"min_clear_width": "wide"}, "is not a valid float"),
    ({"min_clear_width": -1}, "below the minimum"),
    ({"doors": "some"}, "is not one of"),
    ({"clear_width_properties": "Pset.Prop"}, "is not a valid list"),
    ({"width": 0.9}, "no parameter named width"),
])
def test_wrong_parameters_are_refused_with_the_reason(given, problem):
    with pytest.raises(RuleParameterError, match=problem):
        builtin_rule("FR-ERP-DOOR-WIDTH").resolve(given)


def test_an_unknown_rule_id_lists_the_known_ones():
    with pytest.raises(UnknownRuleError) as caught:
        builtin_rule("DOOR-WIDTH")
    assert "no built-in rule DOOR-WIDTH" in str(caught.value) and "FR-ERP-DOOR-WIDTH" in str(caught.value)
