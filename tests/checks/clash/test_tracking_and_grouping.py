"""Clash ids survive re-runs; statuses follow model versions and coordinator decisions; groups."""

from __future__ import annotations

import json

import ifcopenshell
import pytest

from bim.federation import load_model
from checks.clash import (
    ClashDefinitionError, ClashStatus, ClashTest, Decision, Exclusions, GroupBy, Mode, PropertyFilter, Selection,
    clash_id, compare_runs, group_clashes, parse_selection, run_clash_test,
)
from checks.clash.results import ClashRun
from tests.checks.clash.conftest import MEP

MEP_VS_ALL = ClashTest("MEP vs all", a=Selection(trades=MEP), b=Selection())


@pytest.fixture(scope="module")
def first_run(demo_models):
    return run_clash_test(MEP_VS_ALL, demo_models)


@pytest.fixture(scope="module")
def plumbing_fixed(demo_project, tmp_path_factory):
    """A new version of the plumbing model where the pipe through partition P1 was moved out of it."""
    model = ifcopenshell.open(str(demo_project.paths["PLB"]))
    pipe = model.by_guid(demo_project.global_id("PLB", "RDC/pipe-EF"))
    location = pipe.ObjectPlacement.RelativePlacement.Location
    x, y, z = location.Coordinates
    location.Coordinates = (x + 30.0, y, z)
    path = tmp_path_factory.mktemp("plb-v2") / demo_project.paths["PLB"].name
    model.write(str(path))
    return load_model(path, trade="PLB")


def second_run(demo_models, plumbing_fixed):
    models = [plumbing_fixed if m.model_id == plumbing_fixed.model_id else m for m in demo_models]
    return run_clash_test(MEP_VS_ALL, models)


def test_a_clash_keeps_its_id_on_every_run(first_run, demo_models):
    again = run_clash_test(MEP_VS_ALL, demo_models)
    assert [c.id for c in again.clashes] == [c.id for c in first_run.clashes]


def test_a_clash_id_depends_on_the_pair_and_the_test_not_on_the_order():
    assert clash_id("T", "m1", "A", "m2", "B") == clash_id("T", "m2", "B", "m1", "A")
    assert clash_id("T", "m1", "A", "m2", "B") != clash_id("U", "m1", "A", "m2", "B")


def test_the_first_run_finds_every_clash_new(first_run):
    assert set(compare_runs(first_run).status_of().values()) == {ClashStatus.NEW}


def test_a_clash_gone_in_the_new_version_is_resolved_and_the_others_stay_active(
        demo_project, demo_models, first_run, plumbing_fixed):
    report = compare_runs(second_run(demo_models, plumbing_fixed), first_run)
    pipe = demo_project.global_id("PLB", "RDC/pipe-EF")
    resolved = report.with_status(ClashStatus.RESOLVED)
    assert [{c.a.global_id, c.b.global_id} & {pipe} for c in resolved] == [{pipe}]
    assert report.counts()[ClashStatus.ACTIVE] == 2 and report.counts()[ClashStatus.NEW] == 0


def test_a_clash_found_only_now_is_new(demo_models, first_run, plumbing_fixed):
    report = compare_runs(first_run, second_run(demo_models, plumbing_fixed))
    assert report.counts()[ClashStatus.NEW] == 1 and report.counts()[ClashStatus.ACTIVE] == 2


def test_approved_and_ignored_clashes_keep_their_decision_on_a_re_run(demo_models, first_run):
    approved, ignored, _ = (c.id for c in first_run.clashes)
    decisions = {approved: Decision.APPROVED, ignored: "ignored"}
    report = compare_runs(run_clash_test(MEP_VS_ALL, demo_models), first_run, decisions)
    assert report.status_of()[approved] is ClashStatus.APPROVED
    assert report.status_of()[ignored] is ClashStatus.IGNORED
    assert report.counts()[ClashStatus.ACTIVE] == 1


def test_a_run_survives_a_trip_through_json(first_run):
    again = ClashRun.from_dict(json.loads(json.dumps(first_run.to_dict())))
    assert again == first_run


def test_a_clash_test_is_plain_json_and_comes_back_equal():
    test = ClashTest("CVC vs STR", a=parse_selection("trade=CVC;class=IfcDuctSegment;storey=RDC"),
                     b=Selection(trades=("STR",), properties=(PropertyFilter("Pset_BeamCommon", "LoadBearing",
                                                                             "True"),)),
                     mode=Mode.CLEARANCE, clearance=0.1, exclusions=Exclusions(fillings=False))
    assert ClashTest.from_json(test.to_json()) == test
    assert json.loads(test.to_json())["exclusions"]["fillings"] is False


@pytest.mark.parametrize("bad", ["class", "=IfcWall", "Weight>3", "colour=red"])
def test_a_malformed_filter_says_what_is_wrong(bad):
    with pytest.raises(ClashDefinitionError, match="bad filter clause"):
        parse_selection(bad)


@pytest.mark.parametrize("field, value", [("tolerance", -0.01), ("clearance", float("nan")), ("mode", "soft")])
def test_a_clash_test_with_impossible_settings_is_refused(field, value):
    with pytest.raises(ClashDefinitionError):
        ClashTest("bad", **{field: value})


def test_clashes_group_by_element_types_storey_and_trade_pair(first_run):
    types = {g.label: g.count for g in group_clashes(first_run.clashes, GroupBy.TYPES)}
    assert types == {"IfcBeam × IfcDuctSegment": 1, "IfcPipeSegment × IfcWall": 1,
                     "IfcCableCarrierSegment × IfcColumn": 1}
    assert [(g.label, g.count) for g in group_clashes(first_run.clashes, GroupBy.STOREY)] == [("RDC", 3)]
    trades = {g.label for g in group_clashes(first_run.clashes, GroupBy.TRADES)}
    assert trades == {"CVC × STR", "ARC × PLB", "ELE × STR"}


def test_clashes_without_a_system_share_the_no_system_group(first_run):
    assert [(g.label, g.count) for g in group_clashes(first_run.clashes, GroupBy.SYSTEM)] == [("no system", 3)]


def test_clashes_close_together_form_one_zone(first_run):
    # Duct/beam (10.4, 5.0) and tray/column (9.0, 5.0) are 1.4 m apart; the pipe is 4 m away.
    assert sorted(g.count for g in group_clashes(first_run.clashes, GroupBy.PROXIMITY, distance=1.0)) == [1, 1, 1]
    assert sorted(g.count for g in group_clashes(first_run.clashes, GroupBy.PROXIMITY, distance=1.5)) == [1, 2]


def test_groups_made_by_hand_take_precedence_and_survive_a_re_run(demo_models, first_run):
    by_hand = {first_run.clashes[0].id: "Réservations à demander"}
    again = run_clash_test(MEP_VS_ALL, demo_models)
    groups = group_clashes(again.clashes, GroupBy.TYPES, manual=by_hand)
    assert ("Réservations à demander", 1) in [(g.label, g.count) for g in groups]
    assert sum(g.count for g in groups) == 3
    manual_only = group_clashes(again.clashes, GroupBy.MANUAL, manual=by_hand)
    assert [(g.label, g.count) for g in manual_only] == [("Ungrouped", 2), ("Réservations à demander", 1)]
