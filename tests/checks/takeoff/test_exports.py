"""Quantity sheets read back: XLSX with formulas, frozen headers and a cover; CSV and JSON complete."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from checks.takeoff import TakeoffTemplate, run_takeoff
from checks.takeoff.export import ExportFormatError, write_takeoff


@pytest.fixture(scope="module")
def sheet_result(demo_models):
    template = TakeoffTemplate(groupings=(("storey", "class"), ("material",)),
                               quantities=("count", "length", "net_side_area", "net_volume", "height"))
    return run_takeoff(demo_models, template, project="Démo")


@pytest.fixture(scope="module")
def workbook(sheet_result, tmp_path_factory):
    path = write_takeoff(sheet_result, tmp_path_factory.mktemp("xlsx") / "quantities.xlsx")
    return openpyxl.load_workbook(path)


def test_the_workbook_has_a_cover_a_sheet_per_grouping_layers_problems_and_sources(workbook):
    assert workbook.sheetnames == ["Cover", "By Storey › Class", "By Material", "Layers by material", "Problems",
                                   "Sources"]


def test_the_cover_names_the_project_the_models_with_their_hash_and_the_template(workbook, demo_models):
    text = [str(c) for row in workbook["Cover"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Démo" in text and "default" in " ".join(text)
    for model in demo_models:
        assert model.file_hash in text and model.path.name in text
    assert any('"groupings"' in t for t in text)


def test_grouped_sheets_have_frozen_headers_and_subtotal_formulas(workbook):
    sheet = workbook["By Storey › Class"]
    assert sheet.freeze_panes == "B5"
    formulas = [c.value for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=SUBTOTAL(9,")]
    assert len(formulas) > 20
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0].startswith("Total (") and last[8] == f"=SUBTOTAL(9,I5:I{sheet.max_row - 1})"


def test_values_carry_their_unit_in_the_number_format(workbook):
    sheet = workbook["By Storey › Class"]
    header = [c.value for c in sheet[4]]
    volume_column = header.index("Net volume (m³)") + 1
    numbers = [sheet.cell(row=r, column=volume_column) for r in range(5, sheet.max_row + 1)
               if isinstance(sheet.cell(row=r, column=volume_column).value, float)]
    assert numbers and all(c.number_format == '#,##0.000 "m³"' for c in numbers)
    assert sheet.cell(row=4, column=volume_column + 1).value == "src"


def test_the_subtotal_of_a_group_adds_up_its_rows(workbook, sheet_result):
    sheet = workbook["By Storey › Class"]
    header = [c.value for c in sheet[4]]
    count_column = header.index("Count (u)") + 1
    ones = sum(1 for r in range(5, sheet.max_row) if sheet.cell(row=r, column=count_column).value == 1)
    assert ones == len(sheet_result.elements)


def test_the_layers_sheet_subtotals_volumes_by_material(workbook):
    sheet = workbook["Layers by material"]
    materials = [r[0] for r in sheet.iter_rows(min_row=5, values_only=True)
                 if r[0] and r[1] is None and not str(r[0]).startswith(("Subtotal", "Total"))]
    assert materials == ["Béton C25/30", "Laine minérale", "Plaque de plâtre"]
    assert any(str(c.value).startswith("=SUBTOTAL(9,I") for row in sheet.iter_rows() for c in row)


def test_csv_is_one_flat_table_with_values_sources_and_both_origins(sheet_result, tmp_path):
    path = write_takeoff(sheet_result, tmp_path / "q.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(sheet_result.elements)
    wall = next(r for r in rows if r["name"] == "Mur extérieur S" and r["storey"] == "RDC")
    assert float(wall["net_volume (m³)"]) == pytest.approx(8.556)
    assert wall["net_volume source"] == "declared"
    assert float(wall["net_volume computed (m³)"]) == pytest.approx(8.556)


def test_json_holds_si_values_with_provenance_and_grouped_totals(sheet_result, tmp_path):
    data = json.loads(write_takeoff(sheet_result, tmp_path / "q.json").read_text(encoding="utf-8"))
    assert data["format"] == "synthese-takeoff/1" and data["units"]["volume"] == "m³"
    wall = next(e for e in data["elements"] if e["name"] == "Mur extérieur S" and e["storey"] == "RDC")
    assert wall["computed"]["net_volume"]["source"] == "geometry"
    assert wall["declared"]["net_volume"]["origin"] == "Qto_WallBaseQuantities.NetVolume"
    assert [l["material"] for l in wall["layers"]] == ["Béton C25/30", "Laine minérale"]
    assert data["groupings"][0]["total"]["count"] == len(sheet_result.elements)


def test_an_unknown_extension_is_refused(sheet_result, tmp_path):
    with pytest.raises(ExportFormatError, match="q.pdf"):
        write_takeoff(sheet_result, tmp_path / "q.pdf")
