"""Layered walls and slabs are measured per material layer: thickness × the element's net area."""

from __future__ import annotations

import pytest

from bim.federation import load_model
from checks.takeoff import Quantity, TakeoffTemplate, run_takeoff
from tests.checks.takeoff.builders import TinyModel


def test_an_external_wall_has_one_row_per_layer_in_layer_order(demo_row):
    wall = demo_row("ARC", "RDC/wall-S")
    assert [(l.position, l.material, round(l.thickness, 6)) for l in wall.layers] == [
        (1, "Béton C25/30", 0.2), (2, "Laine minérale", 0.1)]


def test_layer_volumes_are_thickness_times_the_net_side_area_and_add_up_to_the_net_volume(demo_row, demo_project):
    wall = demo_row("ARC", "RDC/wall-S")
    exact = demo_project.element(wall.global_id).quantities
    concrete, insulation = wall.layers
    assert concrete.area == pytest.approx(exact.net_side_area)
    assert concrete.volume == pytest.approx(0.2 * exact.net_side_area)
    assert insulation.volume == pytest.approx(0.1 * exact.net_side_area)
    assert concrete.volume + insulation.volume == pytest.approx(exact.net_volume)
    assert "net side area" in concrete.definition


def test_a_partition_has_its_single_plaster_layer(demo_row, demo_project):
    partition = demo_row("ARC", "RDC/wall-P1")
    exact = demo_project.element(partition.global_id).quantities
    assert len(partition.layers) == 1 and partition.layers[0].material == "Plaque de plâtre"
    assert partition.layers[0].volume == pytest.approx(exact.net_volume)


def test_elements_without_a_layer_set_have_no_layers(demo_row):
    assert demo_row("STR", "RDC/col-C1").layers == ()


def test_layers_with_densities_give_the_wall_s_weight(tmp_path):
    model = TinyModel(millimetres=False)
    model.wall("Heavy", 4.0, 0.3, 2.5, layers=(("Concrete", 0.2, 2400.0), ("Mineral wool", 0.1, 30.0)))
    model.wall("Unknown", 4.0, 0.3, 2.5, x_m=10.0, layers=(("Concrete", 0.2, 2400.0), ("Brick", 0.1, None)))
    rows = {r.name: r for r in run_takeoff([load_model(model.save(tmp_path / "w.ifc"), workers=1)],
                                           TakeoffTemplate(quantities=("net_weight", "gross_weight"))).elements}
    side = 4.0 * 2.5
    heavy = rows["Heavy"]
    assert [l.weight for l in heavy.layers] == pytest.approx([0.2 * side * 2400.0, 0.1 * side * 30.0])
    assert isinstance(heavy.computed["net_weight"], Quantity)
    assert heavy.computed["net_weight"].value == pytest.approx(side * (0.2 * 2400.0 + 0.1 * 30.0))
    assert heavy.computed["gross_weight"].value == pytest.approx(side * (0.2 * 2400.0 + 0.1 * 30.0))
    missing = rows["Unknown"].computed["net_weight"]
    assert not isinstance(missing, Quantity) and "Brick" in missing.reason and "density" in missing.reason
