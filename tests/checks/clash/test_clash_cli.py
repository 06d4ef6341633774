"""``synthese clash``: exit 0 without clash, 1 with clashes, 2 on bad input; reports read back; no re-tessellation."""

from __future__ import annotations

import argparse
import json

import openpyxl
import pytest

import bim.federation
import bim.tessellation
from checks.clash.commands import register


def clash(*argv: str) -> int:
    """Run ``synthese clash`` with these arguments, through the subcommand the app registers."""
    parser = argparse.ArgumentParser(prog="synthese")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["clash", *map(str, argv)])
    return args.func(args)


def test_a_duct_model_against_the_structure_exits_1_and_lists_the_clash(demo_project, capsys):
    assert clash(demo_project.paths["CVC"], demo_project.paths["STR"]) == 1
    out = capsys.readouterr().out
    assert "1 clashes (hard, tolerance 10 mm)" in out
    assert "IfcDuctSegment 'Gaine soufflage nord' (demo-CVC-hvac) × IfcBeam 'Poutre B1'" in out and "200 mm deep" in out


def test_models_that_only_touch_exit_0(demo_project, capsys):
    assert clash(demo_project.paths["ARC"], demo_project.paths["STR"]) == 0
    assert "0 clashes" in capsys.readouterr().out


def test_clearance_mode_and_filters_come_from_the_command_line(demo_project, capsys):
    ele, cvc = demo_project.paths["ELE"], demo_project.paths["CVC"]
    assert clash(ele, cvc, "--mode", "clearance", "-q") == 1
    assert clash(ele, cvc, "--mode", "clearance", "--clearance", "0.02", "-q") == 0
    assert clash(ele, cvc, "--mode", "clearance", "--a-filter", "class=IfcCableCarrierSegment;storey=R+1", "-q") == 0
    assert capsys.readouterr().out == ""


def test_a_model_against_itself_is_a_self_clash(demo_project):
    assert clash(demo_project.paths["ARC"], "-q") == 0


@pytest.mark.parametrize("make_argv, message", [
    (lambda p, d: [d / "missing.ifc", p["STR"]], "missing.ifc: the file does not exist"),
    (lambda p, d: [p["CVC"], p["STR"], "--a-filter", "colour=red"], "bad filter clause"),
    (lambda p, d: [p["CVC"], p["STR"], "--b-filter", "class=IfcBeem"], "unknown IFC class 'IfcBeem'"),
    (lambda p, d: [p["CVC"], p["STR"], "--report", d / "out.bcf"], "BCF export of clashes is not available yet"),
    (lambda p, d: [p["CVC"], p["STR"], "--report", d / "out.pdf"], "unknown report format"),
    (lambda p, d: [p["CVC"], p["STR"], "--previous", d / "nothing.json"], "nothing.json"),
    (lambda p, d: [p["CVC"], p["STR"], "--tolerance", "-1"], "tolerance must be a distance"),
    (lambda p, d: [p["CVC"], p["STR"], "--no-exclusion", "doors"], "unknown exclusion 'doors'"),
])
def test_bad_input_exits_2_with_one_line_naming_the_problem(demo_project, tmp_path, capsys, make_argv, message):
    assert clash(*make_argv(demo_project.paths, tmp_path)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_file_that_is_not_ifc_exits_2(demo_project, tmp_path, capsys):
    (tmp_path / "plan.ifc").write_text("%PDF-1.4 not a model")
    assert clash(tmp_path / "plan.ifc", demo_project.paths["STR"]) == 2
    assert "plan.ifc: not an IFC file" in capsys.readouterr().err


def test_the_json_report_reads_back_with_counts_clashes_and_groups(demo_project, tmp_path):
    report = tmp_path / "clashes.json"
    assert clash(demo_project.paths["ELE"], demo_project.paths["STR"], "--report", report, "-q") == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["format"] == "synthese-clash-report" and data["counts"]["clashes"] == 1
    assert data["test"]["name"] == "demo-ELE-electrical vs demo-STR-structure"
    (entry,) = data["clashes"]
    assert (entry["a"]["name"], entry["b"]["name"], entry["status"]) == ("Chemin de câbles file C", "Poteau C3", "new")
    assert entry["depth"] == pytest.approx(0.10, abs=0.002) and len(entry["point"]) == 3
    assert data["groups"]["types"][0]["label"] == "IfcCableCarrierSegment × IfcColumn"
    assert set(entry["groups"]) == {"types", "storey", "system", "trades", "proximity"}


def test_the_xlsx_report_has_a_summary_and_a_clash_list_with_frozen_headers(demo_project, tmp_path):
    report = tmp_path / "clashes.xlsx"
    assert clash(demo_project.paths["PLB"], demo_project.paths["ARC"], "--report", report, "-q") == 1
    book = openpyxl.load_workbook(report)
    summary, clashes = book["Summary"], book["Clashes"]
    assert summary["A1"].value == "Clash test" and summary["B8"].value == 1
    assert clashes.freeze_panes == "A2" and clashes["A1"].value == "Id"
    row = {clashes.cell(1, c).value: clashes.cell(2, c).value for c in range(1, clashes.max_column + 1)}
    assert row["A Name"] == "Alimentation EF traversante" and row["B Class"] == "IfcWall"
    assert row["Depth (mm)"] == pytest.approx(63, abs=2) and row["Status"] == "new"


def test_a_previous_report_turns_clashes_active(demo_project, tmp_path, capsys):
    first = tmp_path / "first.json"
    clash(demo_project.paths["CVC"], demo_project.paths["STR"], "--report", first, "-q")
    assert clash(demo_project.paths["CVC"], demo_project.paths["STR"], "--previous", first) == 1
    assert "[active]" in capsys.readouterr().out


def test_a_second_run_reuses_the_cached_geometry_and_tessellates_nothing(demo_project, monkeypatch):
    assert clash(demo_project.paths["CVC"], demo_project.paths["STR"], "-q") == 1  # cache warm now

    def no_tessellation(*args, **kwargs):
        raise AssertionError("clash detection tessellated again")

    monkeypatch.setattr(bim.tessellation, "tessellate", no_tessellation)
    monkeypatch.setattr(bim.federation, "tessellate", no_tessellation)
    assert clash(demo_project.paths["CVC"], demo_project.paths["STR"], "-q") == 1
