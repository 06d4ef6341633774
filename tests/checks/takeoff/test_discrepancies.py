"""Rows whose declared and computed values differ beyond the tolerance are flagged with both values."""

from __future__ import annotations

import pytest

from bim.federation import load_model
from checks.takeoff import TakeoffTemplate, run_takeoff
from checks.takeoff.compare import differs
from tests.checks.takeoff.builders import TinyModel


@pytest.fixture(scope="module")
def declared_wrong(tmp_path_factory):
    model = TinyModel(millimetres=False)
    # 5 × 0.2 × 3 m = 3 m³, declared 3.3 m³ (10 % too much) and a length within 0.5 %.
    model.wall("W", 5.0, 0.2, 3.0, qto={"NetVolume": 3.3, "Length": 5.02})
    path = model.save(tmp_path_factory.mktemp("wrong") / "w.ifc")
    return run_takeoff([load_model(path, workers=1)], TakeoffTemplate(quantities=("net_volume", "length")))


def test_a_volume_declared_ten_percent_too_large_is_flagged_with_both_values(declared_wrong):
    row = declared_wrong.elements[0]
    flag = row.flagged("net_volume")
    assert flag is not None
    assert flag.declared.value == pytest.approx(3.3) and flag.declared.origin == "Qto_WallBaseQuantities.NetVolume"
    assert flag.computed.value == pytest.approx(3.0) and flag.computed.definition
    assert flag.relative == pytest.approx(0.3 / 3.3)
    assert declared_wrong.flagged_rows == [row]


def test_a_length_within_one_percent_is_not_flagged(declared_wrong):
    assert declared_wrong.elements[0].flagged("length") is None


def test_a_tighter_tolerance_flags_the_hall_whose_declared_floor_area_deducts_the_columns(demo_models, demo_project):
    tight = run_takeoff(demo_models, TakeoffTemplate(quantities=("net_footprint_area",), tolerance=0.001,
                                                     classes=("IfcSpace",)))
    hall = demo_project.global_id("ARC", "RDC/space-HALL")
    flagged = {r.global_id for r in tight.flagged_rows}
    assert hall in flagged
    row = tight.element(("demo-ARC-architecture", hall))
    flag = row.flagged("net_footprint_area")
    assert flag.computed.value - flag.declared.value == pytest.approx(3 * 0.09)  # three 30 × 30 columns


@pytest.mark.parametrize("declared, computed, dimension, expected", [
    (10.0, 10.05, "volume", False),
    (10.0, 10.2, "volume", True),
    (0.0, 0.0000005, "volume", False),  # under a cubic centimetre: noise
    (0.0, 0.01, "volume", True),
    (1.0, 1.0009, "length", False),
])
def test_differs_uses_a_relative_tolerance_above_an_absolute_floor(declared, computed, dimension, expected):
    assert differs(declared, computed, dimension) is expected
