"""Nothing is silently empty: a quantity that cannot be had says why, and sheets count those rows."""

from __future__ import annotations

import openpyxl
import pytest

from bim.federation import load_model
from checks.takeoff import NotComputable, TakeoffTemplate, run_takeoff
from checks.takeoff.export_xlsx import render_xlsx
from tests.checks.takeoff.builders import TinyModel
import io


@pytest.fixture(scope="module")
def with_ghost(tmp_path_factory):
    model = TinyModel(millimetres=False)
    model.wall("Solid", 3.0, 0.2, 2.5)
    model.proxy_without_body("Ghost")
    path = model.save(tmp_path_factory.mktemp("ghost") / "g.ifc")
    return run_takeoff([load_model(path, workers=1)],
                       TakeoffTemplate(quantities=("count", "net_volume", "gross_volume", "height")))


def test_an_element_without_geometry_says_so_for_each_quantity(with_ghost):
    ghost = next(r for r in with_ghost.elements if r.name == "Ghost")
    for key in ("net_volume", "height"):
        value = ghost.computed[key]
        assert isinstance(value, NotComputable) and value.applies
        assert "no 3D body" in value.reason
    assert ghost.computed["count"].value == 1


def test_rows_with_a_quantity_not_computable_are_counted(with_ghost):
    assert [r.name for r in with_ghost.not_computable_rows] == ["Ghost"]


def test_the_problems_sheet_lists_them_and_every_sheet_counts_them(with_ghost):
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(with_ghost)))
    problems = workbook["Problems"]
    rows = [r for r in problems.iter_rows(min_row=4, values_only=True) if r[0]]
    assert {r[0] for r in rows} == {"not computable"}
    assert {r[4] for r in rows} == {"Ghost"} and len(rows) == 3
    assert all("no 3D body" in r[-1] for r in rows)
    grouped = workbook[workbook.sheetnames[1]]
    assert "1 with a quantity not computable" in grouped["A2"].value


def test_a_quantity_that_does_not_apply_is_not_counted_as_missing(demo_row):
    door = demo_row("ARC", "RDC/door-D01")
    assert door.computed["net_volume"].applies is False


def test_no_density_is_a_stated_reason(demo_row):
    weight = demo_row("STR", "RDC/col-C1").computed["net_weight"]
    assert isinstance(weight, NotComputable)
    assert "no density" in weight.reason and "Béton C30/37" in weight.reason
