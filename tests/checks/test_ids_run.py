"""Running an IDS on models: results per specification, model, requirement and element, in words."""

from __future__ import annotations

import pytest

from bim.progress import Cancelled
from checks.ids import Cardinality, Status, load_ids_text, run_ids
from tests.checks.builders import ModelBuilder
from tests.checks.test_ids_loading import ids_text

WALLS = """    <specification name="Walls" ifcVersion="IFC2X3 IFC4" identifier="W">
      <applicability minOccurs="1" maxOccurs="unbounded">
        <entity><name><simpleValue>IFCWALL</simpleValue></name></entity>
      </applicability>
      <requirements>
        <attribute><name><simpleValue>Name</simpleValue></name></attribute>
        <property dataType="IFCLABEL">
          <propertySet><simpleValue>Pset_WallCommon</simpleValue></propertySet>
          <baseName><simpleValue>FireRating</simpleValue></baseName>
          <value><xs:restriction base="xs:string"><xs:enumeration value="REI60"/><xs:enumeration value="REI120"/></xs:restriction></value>
        </property>
      </requirements>
    </specification>"""

NO_PROXIES = """    <specification name="No proxies" ifcVersion="IFC4">
      <applicability minOccurs="0" maxOccurs="0">
        <entity><name><simpleValue>IFCBUILDINGELEMENTPROXY</simpleValue></name></entity>
      </applicability>
    </specification>"""

IFC2X3_ONLY = WALLS.replace('ifcVersion="IFC2X3 IFC4"', 'ifcVersion="IFC2X3"').replace('name="Walls"', 'name="Old walls"')


def fire(rating: str) -> dict:
    return {"Pset_WallCommon": {"FireRating": rating}}


@pytest.fixture
def walls_model():
    builder = ModelBuilder()
    builder.wall("Good wall", psets=fire("REI60"))
    builder.wall("Weak wall", psets=fire("EI30"))
    builder.wall(None, psets=fire("REI120"))
    return builder


def test_results_name_each_failing_element_with_its_class_name_storey_and_model(walls_model):
    result = run_ids([walls_model.checked("walls.ifc", "Walls model")], load_ids_text(ids_text(WALLS)))
    spec = result.specifications[0]
    on_model = spec.models[0]
    assert (result.status, spec.status, spec.cardinality) == (Status.FAIL, Status.FAIL, Cardinality.REQUIRED)
    assert (on_model.applicable_count, on_model.passing_count, on_model.failing_count) == (3, 1, 2)
    weak = next(e for e in on_model.failing if e.name == "Weak wall")
    assert (weak.ifc_class, weak.storey, weak.model_id) == ("IfcWall", "Level 1", "walls.ifc")
    assert weak.global_id in spec.failing_global_ids


def test_each_failure_says_what_was_expected_what_was_found_and_where(walls_model):
    result = run_ids([walls_model.checked()], load_ids_text(ids_text(WALLS)))
    name_requirement, fire_requirement = result.specifications[0].models[0].requirements
    assert [c.element.name for c in fire_requirement.failures] == ["Weak wall"]
    reason = fire_requirement.failures[0].reason
    assert reason.expected == 'one of "REI60", "REI120"'
    assert reason.found == '"EI30"'
    assert "Pset_WallCommon.FireRating" in reason.looked_in
    assert "EI30" in reason.text and "REI60" in reason.text
    assert name_requirement.failures[0].reason.found == "an empty value"
    assert fire_requirement.description.startswith("property Pset_WallCommon.FireRating")


def test_a_required_specification_fails_when_nothing_is_applicable():
    empty = ModelBuilder()
    spec = run_ids([empty.checked()], load_ids_text(ids_text(WALLS))).specifications[0]
    assert spec.status is Status.FAIL
    assert spec.models[0].message


def test_a_prohibited_specification_fails_on_each_matching_element():
    builder = ModelBuilder()
    proxy = builder.element("IfcBuildingElementProxy", "Mystery box")
    spec = run_ids([builder.checked()], load_ids_text(ids_text(NO_PROXIES))).specifications[0]
    assert (spec.status, spec.cardinality) == (Status.FAIL, Cardinality.PROHIBITED)
    assert spec.failing_global_ids == (proxy.GlobalId,)
    assert run_ids([ModelBuilder().checked()], load_ids_text(ids_text(NO_PROXIES))).status is Status.PASS


def test_a_specification_runs_only_on_models_of_the_schemas_it_targets(walls_model):
    ifc2x3 = ModelBuilder(schema="IFC2X3")
    ifc2x3.wall("Old wall", psets=fire("REI60"))
    models = [walls_model.checked("new.ifc", "new"), ifc2x3.checked("old.ifc", "old")]
    result = run_ids(models, load_ids_text(ids_text(IFC2X3_ONLY)))
    spec = result.specifications[0]
    assert [m.model_id for m in spec.models] == ["old.ifc"]
    assert spec.skipped_models == ("new.ifc",)
    assert result.status is Status.PASS


def test_a_specification_for_no_loaded_schema_is_skipped_and_does_not_fail_the_run(walls_model):
    result = run_ids([walls_model.checked()], load_ids_text(ids_text(IFC2X3_ONLY)))
    assert result.specifications[0].status is Status.SKIPPED
    assert result.status is Status.PASS


def test_lengths_are_compared_in_metres_whatever_the_model_unit():
    spec = """    <specification name="Wide doors" ifcVersion="IFC4">
      <applicability minOccurs="0" maxOccurs="unbounded"><entity><name><simpleValue>IFCDOOR</simpleValue></name></entity></applicability>
      <requirements><attribute><name><simpleValue>OverallWidth</simpleValue></name>
        <value><xs:restriction base="xs:double"><xs:minInclusive value="0.9"/></xs:restriction></value></attribute></requirements>
    </specification>"""
    document = load_ids_text(ids_text(spec))
    in_mm, in_m = ModelBuilder(millimetres=True), ModelBuilder(millimetres=False)
    in_mm.door("narrow", width_mm=800)
    in_mm.door("wide", width_mm=900)
    in_m.door("narrow", width_mm=0.8)
    for builder in (in_mm, in_m):
        failing = run_ids([builder.checked()], document).specifications[0].models[0].failing
        assert [e.name for e in failing] == ["narrow"]


def test_progress_counts_specification_model_pairs_up_to_the_total(walls_model):
    calls = []
    models = [walls_model.checked("a", "a"), walls_model.checked("b", "b")]
    run_ids(models, load_ids_text(ids_text(WALLS + "\n" + NO_PROXIES)), progress=lambda *a: calls.append(a))
    assert [(done, total) for done, total, _m in calls] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert "Walls" in calls[0][2]


def test_cancel_stops_the_run_with_cancelled(walls_model):
    with pytest.raises(Cancelled):
        run_ids([walls_model.checked()], load_ids_text(ids_text(WALLS)), cancel=lambda: True)


def test_cancel_is_heard_inside_a_large_model_not_only_between_specifications():
    builder = ModelBuilder()
    for i in range(300):
        builder.wall(f"Wall {i}", psets=fire("REI60"))
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2  # let the run start, then stop it within the first specification

    with pytest.raises(Cancelled):
        run_ids([builder.checked()], load_ids_text(ids_text(WALLS)), cancel=cancel)
    assert len(asked) == 3


def test_results_are_frozen_and_outlive_the_model(walls_model):
    result = run_ids([walls_model.checked()], load_ids_text(ids_text(WALLS)))
    del walls_model
    with pytest.raises(AttributeError):
        result.specifications[0].name = "changed"  # type: ignore[misc]
    assert result.specifications[0].models[0].failing[0].label.startswith("IfcWall")
