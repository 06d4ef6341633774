"""Templates are frozen values that survive JSON, and say clearly what is wrong with a bad one."""

from __future__ import annotations

import dataclasses

import pytest

from checks.takeoff import BUILTIN_TEMPLATES, TakeoffTemplate, TemplateError, load_template


def test_every_built_in_template_round_trips_through_json():
    for template in BUILTIN_TEMPLATES.values():
        assert TakeoffTemplate.from_json(template.to_json()) == template


def test_a_template_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        TakeoffTemplate().name = "mine"


def test_units_and_rounding_convert_si_values_for_display():
    template = TakeoffTemplate.from_dict({"units": {"length": "cm", "volume": "L", "area": "m2"},
                                          "decimals": {"length": 0, "volume": 1}})
    assert template.display("length", 1.2345) == 123
    assert template.display("volume", 0.01234) == 12.3
    assert template.unit("area") == "m²"


@pytest.mark.parametrize("data, problem", [
    ({"quantities": ["volume"]}, "unknown quantity 'volume'"),
    ({"groupings": [["floor"]]}, "unknown grouping 'floor'"),
    ({"units": {"length": "furlong"}}, "unknown unit 'furlong'"),
    ({"prefer": "mine"}, "'prefer' must be one of"),
    ({"tolerance": 5}, "'tolerance' must be a fraction"),
    ({"colour": "red"}, "unknown template keys: colour"),
])
def test_a_bad_template_names_what_is_wrong(data, problem):
    with pytest.raises(TemplateError, match=problem):
        TakeoffTemplate.from_dict(data)


def test_a_template_file_is_loaded_by_path_and_errors_name_the_file(tmp_path):
    good = tmp_path / "mine.json"
    good.write_text(TakeoffTemplate(name="mine", groupings=(("material",),)).to_json(), encoding="utf-8")
    assert load_template(good).groupings == (("material",),)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(TemplateError, match="bad.json: not valid JSON"):
        load_template(bad)
    with pytest.raises(TemplateError, match="no template named 'nothing'"):
        load_template("nothing")
