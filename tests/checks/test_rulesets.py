"""The bundled IDS rule sets: valid for us and for ifctester, documented, and right on purpose-built models."""

from __future__ import annotations

import ifcopenshell.api.system
import ifctester.ids
import pytest

from checks.ids import Status, load_ids, run_ids
from checks.rulesets import bundled_rulesets
from tests.checks.builders import ModelBuilder
from tests.checks.shared_data import RULESETS

RULESET_FILES = sorted(RULESETS.glob("*.ids"))


def failing_names(builder: ModelBuilder, ruleset: str, identifier: str) -> list[str | None]:
    result = run_ids([builder.checked()], load_ids(RULESETS / f"{ruleset}.ids"))
    spec = next(s for s in result.specifications if s.identifier == identifier)
    return sorted((e.name for m in spec.models for e in m.failing), key=str)


def test_there_are_rule_sets_for_quality_accessibility_and_each_trade():
    assert [r.key for r in bundled_rulesets()] == [
        "accessibility-erp", "model-quality-basics", "trade-architecture", "trade-mep", "trade-structure"]


@pytest.mark.parametrize("path", RULESET_FILES, ids=[p.stem for p in RULESET_FILES])
def test_each_rule_set_is_valid_ids_that_ifctester_also_loads(path):
    ours = load_ids(path)
    theirs = ifctester.ids.open(str(path), validate=True)
    assert len(ours.specifications) == len(theirs.specifications) > 0


@pytest.mark.parametrize("path", RULESET_FILES, ids=[p.stem for p in RULESET_FILES])
def test_each_rule_set_documents_itself_and_each_specification(path):
    document = load_ids(path)
    assert len(document.info.get("description", "")) > 80
    for spec in document.specifications:
        assert spec.identifier and spec.description and spec.instructions, spec.name


def test_accessible_doors_narrower_than_90_cm_fail_whatever_the_unit():
    builder = ModelBuilder(millimetres=True)
    builder.door("narrow accessible", width_mm=830, accessible=True)
    builder.door("wide accessible", width_mm=900, accessible=True)
    builder.door("narrow service door", width_mm=700, accessible=False)
    assert failing_names(builder, "accessibility-erp", "ACC-02") == ["narrow accessible"]


def test_doors_must_say_whether_they_are_on_an_accessible_route():
    builder = ModelBuilder()
    builder.door("flagged", accessible=False)
    builder.door("unflagged")
    assert failing_names(builder, "accessibility-erp", "ACC-01") == ["unflagged"]


def test_walls_and_spaces_need_their_basic_names():
    builder = ModelBuilder()
    builder.wall("named")
    builder.wall("no material", material=None)
    builder.element("IfcSpace", "101", contained=False, LongName="Bureau")
    builder.element("IfcSpace", "102", contained=False)
    assert failing_names(builder, "model-quality-basics", "MQ-03") == ["no material"]
    assert failing_names(builder, "model-quality-basics", "MQ-06") == ["102"]


def test_walls_outside_any_storey_are_found():
    builder = ModelBuilder()
    builder.wall("placed")
    builder.wall("floating", contained=False)
    assert failing_names(builder, "model-quality-basics", "MQ-07") == ["floating"]


def test_architecture_walls_need_external_load_bearing_and_fire_rating():
    builder = ModelBuilder()
    complete = {"IsExternal": True, "LoadBearing": False, "FireRating": "EI60"}
    builder.wall("complete", psets={"Pset_WallCommon": complete})
    builder.wall("no fire rating", psets={"Pset_WallCommon": {"IsExternal": True, "LoadBearing": False}})
    assert failing_names(builder, "trade-architecture", "ARC-01") == ["no fire rating"]


def test_structural_members_need_a_material():
    builder = ModelBuilder()
    builder.element("IfcBeam", "steel beam", "S355")
    builder.element("IfcColumn", "bare column")
    assert failing_names(builder, "trade-structure", "STR-01") == ["bare column"]


def test_mep_segments_must_belong_to_a_system():
    builder = ModelBuilder()
    in_system = builder.element("IfcPipeSegment", "cold water pipe")
    builder.element("IfcPipeSegment", "orphan pipe")
    system = ifcopenshell.api.system.add_system(builder.file, ifc_class="IfcDistributionSystem")
    ifcopenshell.api.system.assign_system(builder.file, products=[in_system], system=system)
    assert failing_names(builder, "trade-mep", "MEP-01") == ["orphan pipe"]


def test_a_model_meeting_the_basics_passes_them():
    builder = ModelBuilder()
    builder.wall("Wall")
    builder.element("IfcSlab", "Slab", "Concrete")
    result = run_ids([builder.checked()], load_ids(RULESETS / "model-quality-basics.ids"))
    assert result.status is Status.PASS
