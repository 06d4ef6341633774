"""Built-in exclusions (switchable), side filters, and relations read once per file version."""

from __future__ import annotations

import shutil

import pytest

from bim.federation import load_model
from checks.clash import ClashDefinitionError, ClashTest, Exclusions, Mode, Selection, run_clash_test
from checks.clash.relations import model_relations
from tests.checks.clash.builders import BoxModel
from tests.checks.clash.conftest import pair


def arc_clearance(exclusions: Exclusions) -> ClashTest:
    arc = Selection(trades=("ARC",))
    return ClashTest("ARC clearance", a=arc, b=arc, mode=Mode.CLEARANCE, exclusions=exclusions)


def test_a_door_is_never_a_clash_with_the_wall_it_fills(demo_project, demo_models):
    door, wall = demo_project.global_id("ARC", "RDC/door-D01"), demo_project.global_id("ARC", "RDC/wall-P1")
    found = {pair(c) for c in run_clash_test(arc_clearance(Exclusions()), demo_models).clashes}
    assert frozenset((door, wall)) not in found


def test_switching_the_fillings_exclusion_off_reports_the_door_against_its_wall(demo_project, demo_models):
    door, wall = demo_project.global_id("ARC", "RDC/door-D01"), demo_project.global_id("ARC", "RDC/wall-P1")
    run = run_clash_test(arc_clearance(Exclusions(fillings=False)), demo_models)
    assert frozenset((door, wall)) in {pair(c) for c in run.clashes}


@pytest.fixture(scope="module")
def related(tmp_path_factory):
    """Overlapping boxes that are related: assembly parts, a stair and its flight, a filled opening."""
    m = BoxModel()
    plate = m.box("IfcPlate", "Platine", (0, 0, 0), (1, 1, 0.02))
    post = m.box("IfcMember", "Montant", (0.4, 0.4, -0.5), (0.6, 0.6, 1.0))
    m.assembly("Poteau acier", plate, post)
    stair = m.box("IfcStair", "Escalier", (3, 0, 0), (4, 2, 3))
    flight = m.box("IfcStairFlight", "Volée", (3.2, 0.2, 0), (3.8, 1.8, 2.5))
    m.part_of(stair, flight)
    wall = m.box("IfcWall", "Mur", (6, 0, 0), (10, 0.2, 3))
    frame = m.box("IfcWindow", "Fenêtre", (6.95, -0.02, 0.95), (8.05, 0.22, 2.05))  # frame into the wall
    m.fill(wall, frame, (7, -0.05, 1), (8, 0.25, 2))
    duct = m.box("IfcDuctSegment", "Gaine", (6.5, -1, 2.5), (6.8, 1, 2.8))  # through the wall
    m.system("Soufflage RDC", duct)
    m.pset(wall, "Pset_WallCommon", IsExternal=True)
    path = m.save(tmp_path_factory.mktemp("related") / "related.ifc")
    return load_model(path, trade="ARC")


def names(run) -> set[frozenset]:
    return {frozenset((c.a.name, c.b.name)) for c in run.clashes}


def test_related_elements_are_excluded_by_default_and_only_the_duct_clashes(related):
    run = run_clash_test(ClashTest("self"), [related])
    assert names(run) == {frozenset(("Mur", "Gaine"))}
    assert run.stats.excluded_pairs == 3


@pytest.mark.parametrize("switch, revealed", [
    ("assemblies", ("Platine", "Montant")),
    ("aggregates", ("Escalier", "Volée")),
    ("fillings", ("Mur", "Fenêtre")),
])
def test_each_exclusion_switched_off_reveals_its_pair(related, switch, revealed):
    run = run_clash_test(ClashTest("self", exclusions=Exclusions(**{switch: False})), [related])
    assert names(run) == {frozenset(("Mur", "Gaine")), frozenset(revealed)}


def test_the_same_element_in_two_models_is_not_a_clash_unless_asked(related, tmp_path):
    copy = load_model(shutil.copy(related.path, tmp_path / "copy.ifc"), model_id="copy", trade="STR")
    test = ClashTest("twins", a=Selection(models=(related.model_id,)), b=Selection(models=("copy",)))
    def twins(run):
        return [c for c in run.clashes if c.a.global_id == c.b.global_id]

    assert twins(run_clash_test(test, [related, copy])) == []
    revealed = twins(run_clash_test(test.with_changes(exclusions=Exclusions(same_element=False)), [related, copy]))
    assert len(revealed) == 7  # every element with a body meets its copy


def test_elements_of_one_model_can_be_left_out_of_each_other(related):
    assert run_clash_test(ClashTest("self", exclusions=Exclusions(same_model=True)), [related]).clashes == ()


def test_a_side_can_be_narrowed_by_class_with_its_subclasses(related):
    test = ClashTest("walls vs ducts", a=Selection(classes=("IfcBuildingElement",)),
                     b=Selection(classes=("IfcFlowSegment",)))
    assert names(run_clash_test(test, [related])) == {frozenset(("Mur", "Gaine"))}
    assert run_clash_test(test.with_changes(b=Selection(classes=("IfcPipeSegment",))), [related]).clashes == ()


def test_a_side_can_be_narrowed_by_storey_and_by_property(related):
    external = Selection(properties=(), storeys=("level 1",))
    from checks.clash import parse_selection
    test = ClashTest("external walls", a=parse_selection("Pset_WallCommon.IsExternal=true"), b=external)
    assert names(run_clash_test(test, [related])) == {frozenset(("Mur", "Gaine"))}
    internal = parse_selection("Pset_WallCommon.IsExternal=False")
    assert run_clash_test(test.with_changes(a=internal), [related]).clashes == ()
    elsewhere = test.with_changes(b=Selection(storeys=("R+1",)))
    assert run_clash_test(elsewhere, [related]).clashes == ()


def test_a_misspelt_class_in_a_filter_is_an_error_not_an_empty_result(related):
    with pytest.raises(ClashDefinitionError, match="IfcWal"):
        run_clash_test(ClashTest("typo", a=Selection(classes=("IfcWal",))), [related])


def test_the_clash_names_the_system_of_the_duct(related):
    clash = run_clash_test(ClashTest("self"), [related]).clashes[0]
    duct = clash.a if clash.a.name == "Gaine" else clash.b
    assert duct.systems == ("Soufflage RDC",)


def test_relations_are_read_once_per_file_version_then_come_from_the_cache(related, monkeypatch):
    model_relations(related)
    fresh = load_model(related.path, trade="ARC")
    monkeypatch.setattr(type(fresh), "ifc", lambda self: pytest.fail("the file was parsed again"))
    assert model_relations(fresh).systems
    assert run_clash_test(ClashTest("self"), [fresh]).clashes
