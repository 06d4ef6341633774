"""The demo's deliberate clashes are all found, at their known depths, and nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from bim.demo.specs import box_depth
from bim.progress import Cancelled
from checks.clash import ClashTest, Mode, Selection, run_clash_test
from tests.checks.clash.conftest import MEP, pair

MEP_VS_ALL = ClashTest("MEP vs all", a=Selection(trades=MEP), b=Selection())
DEPTH_ACCURACY = 0.002  # tessellated round pipes are a polygon inside the circle


def expected_pairs(project, kind: str) -> set[frozenset]:
    return {frozenset((e.global_id_a, e.global_id_b)) for e in project.expected_clashes if e.kind == kind}


def test_mep_against_everything_finds_exactly_the_three_deliberate_hard_clashes(demo_project, demo_models):
    run = run_clash_test(MEP_VS_ALL, demo_models)
    assert {pair(c) for c in run.clashes} == expected_pairs(demo_project, "hard")


def test_every_model_against_every_model_finds_the_same_three_and_nothing_else(demo_project, demo_models):
    run = run_clash_test(ClashTest("everything"), demo_models)
    assert run.test.self_clash
    assert {pair(c) for c in run.clashes} == expected_pairs(demo_project, "hard")


def test_hard_clash_depths_are_the_known_overlaps_within_two_millimetres(demo_project, demo_models):
    for clash in run_clash_test(MEP_VS_ALL, demo_models).clashes:
        known = box_depth(demo_project.bounds(clash.a.global_id), demo_project.bounds(clash.b.global_id))
        assert clash.depth == pytest.approx(known, abs=DEPTH_ACCURACY), clash
    depths = sorted(round(c.depth, 2) for c in run_clash_test(MEP_VS_ALL, demo_models).clashes)
    assert depths == [0.06, 0.10, 0.20]


def test_the_clash_point_lies_inside_both_elements(demo_project, demo_models):
    for clash in run_clash_test(MEP_VS_ALL, demo_models).clashes:
        for element in (clash.a, clash.b):
            lo, hi = demo_project.bounds(element.global_id)
            assert np.all(np.array(clash.point) > np.array(lo)) and np.all(np.array(clash.point) < np.array(hi))


def test_architecture_and_structure_touch_everywhere_but_never_clash(demo_models):
    run = run_clash_test(ClashTest("ARC vs STR", a=Selection(trades=("ARC",)), b=Selection(trades=("STR",))),
                         demo_models)
    assert run.clashes == ()


def test_touching_becomes_a_clash_only_when_the_tolerance_is_below_zero_depth(demo_models):
    # With tolerance 0 a touching face is still depth 0, not a clash.
    test = ClashTest("ARC vs STR at 0", a=Selection(trades=("ARC",)), b=Selection(trades=("STR",)), tolerance=0.0)
    assert run_clash_test(test, demo_models).clashes == ()


def test_a_clash_reports_both_elements_as_the_coordinator_reads_them(demo_project, demo_models):
    duct = demo_project.global_id("CVC", "RDC/duct-N")
    clash = next(c for c in run_clash_test(MEP_VS_ALL, demo_models).clashes if c.a.global_id == duct)
    assert (clash.a.ifc_class, clash.a.name, clash.a.storey, clash.a.trade) == (
        "IfcDuctSegment", "Gaine soufflage nord", "RDC", "CVC")
    assert (clash.b.ifc_class, clash.b.name, clash.b.trade, clash.b.model_id) == (
        "IfcBeam", "Poutre B1", "STR", "demo-STR-structure")
    assert clash.mode is Mode.HARD and clash.distance is None


def test_clearance_at_50_mm_finds_the_tray_30_mm_under_the_duct(demo_project, demo_models):
    test = ClashTest("ELE vs CVC", a=Selection(trades=("ELE",)), b=Selection(trades=("CVC",)), mode="clearance")
    clashes = run_clash_test(test, demo_models).clashes
    assert {pair(c) for c in clashes} == expected_pairs(demo_project, "clearance")
    assert clashes[0].distance == pytest.approx(0.030, abs=1e-6)
    below, above = clashes[0].closest_points
    assert above[2] - below[2] == pytest.approx(0.030, abs=1e-6)


def test_clearance_at_20_mm_finds_nothing_between_tray_and_duct(demo_models):
    test = ClashTest("ELE vs CVC", a=Selection(trades=("ELE",)), b=Selection(trades=("CVC",)), mode="clearance",
                     clearance=0.020)
    assert run_clash_test(test, demo_models).clashes == ()


def test_clearance_counts_intersections_as_distance_zero(demo_project, demo_models):
    test = ClashTest("MEP clearance", a=Selection(trades=MEP), b=Selection(), mode="clearance")
    test = test.with_changes(exclusions=test.exclusions.__class__(same_model=True))
    clashes = run_clash_test(test, demo_models).clashes
    assert {pair(c) for c in clashes} == expected_pairs(demo_project, "hard") | expected_pairs(demo_project,
                                                                                                "clearance")
    assert sorted(round(c.distance, 3) for c in clashes) == [0.0, 0.0, 0.0, 0.03]


def test_four_building_copies_give_four_times_the_same_clashes(demo_x4):
    project, models = demo_x4
    run = run_clash_test(MEP_VS_ALL, models)
    assert {pair(c) for c in run.clashes} == expected_pairs(project, "hard")
    assert len(run.clashes) == 12
    assert run.stats.candidate_pairs < run.stats.elements_a * run.stats.elements_b / 50


def test_a_run_reports_its_progress_up_to_every_pair_tested(demo_models):
    seen = []
    run = run_clash_test(MEP_VS_ALL, demo_models, progress=lambda done, total, message: seen.append((done, total)))
    assert seen[-1] == (run.stats.tested_pairs, run.stats.tested_pairs)


def test_a_cancelled_run_stops_with_cancelled(demo_models):
    with pytest.raises(Cancelled):
        run_clash_test(MEP_VS_ALL, demo_models, cancel=lambda: True)
