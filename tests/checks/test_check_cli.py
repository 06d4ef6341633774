"""``synthese check``: exit 0 when all passes, 1 on a failure, 2 on bad input; reports read back."""

from __future__ import annotations

import argparse
import json
import zipfile

import openpyxl
import pytest
from lxml import etree

from checks.commands import register
from tests.checks.builders import ModelBuilder
from tests.checks.shared_data import RULESETS

BASICS = RULESETS / "model-quality-basics.ids"


def check(*argv: str) -> int:
    """Run ``synthese check`` with these arguments, through the subcommand the app registers."""
    parser = argparse.ArgumentParser(prog="synthese")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check", *argv])
    return args.func(args)


def good_model(path):
    builder = ModelBuilder()
    builder.wall("Wall A")
    return builder.save(path)


def bad_model(path):
    builder = ModelBuilder()
    builder.wall("Wall A")
    unnamed = builder.wall(None, material=None)
    builder.save(path)
    return unnamed.GlobalId


def test_a_model_that_meets_every_rule_exits_0(tmp_path, capsys):
    assert check(str(good_model(tmp_path / "arch.ifc")), "--ids", str(BASICS)) == 0
    assert "PASS" in capsys.readouterr().out


def test_a_model_that_breaks_a_rule_exits_1_and_says_which(tmp_path, capsys):
    bad_model(tmp_path / "arch.ifc")
    assert check(str(tmp_path / "arch.ifc"), "--ids", str(BASICS)) == 1
    assert "FAIL  [MQ-03] Walls have a name and a material — arch: 2 applicable, 1 failing" in capsys.readouterr().out


def test_several_models_are_checked_together(tmp_path):
    good_model(tmp_path / "arch.ifc")
    bad_model(tmp_path / "struct.ifc")
    assert check(str(tmp_path / "arch.ifc"), str(tmp_path / "struct.ifc"), "--ids", str(BASICS), "-q") == 1


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "the file is empty"),
        (b"%PDF-1.7 not a model", "not an IFC file"),
        (b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC2X2_FINAL'));\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n",
         "unsupported schema IFC2X2_FINAL"),
    ],
    ids=["empty", "not-ifc", "unsupported-schema"],
)
def test_an_unusable_model_exits_2_with_one_line_naming_the_file(tmp_path, capsys, content, problem):
    path = tmp_path / "delivery.ifc"
    path.write_bytes(content)
    assert check(str(path), "--ids", str(BASICS)) == 2
    err = capsys.readouterr().err.strip()
    assert "delivery.ifc" in err and problem in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_truncated_model_exits_2(tmp_path, capsys):
    full = good_model(tmp_path / "full.ifc").read_bytes()
    (tmp_path / "cut.ifc").write_bytes(full[: len(full) // 2])
    assert check(str(tmp_path / "cut.ifc"), "--ids", str(BASICS)) == 2
    assert "truncated" in capsys.readouterr().err


def test_a_missing_model_exits_2(tmp_path, capsys):
    assert check(str(tmp_path / "nowhere.ifc"), "--ids", str(BASICS)) == 2
    assert "nowhere.ifc" in capsys.readouterr().err


def test_an_invalid_ids_exits_2_naming_the_file_and_line(tmp_path, capsys):
    rules = tmp_path / "rules.ids"
    rules.write_text(BASICS.read_text(encoding="utf-8").replace("IFCPROJECT", "IFCPROJEKT"), encoding="utf-8")
    assert check(str(good_model(tmp_path / "arch.ifc")), "--ids", str(rules)) == 2
    err = capsys.readouterr().err
    assert "rules.ids:15: IFCPROJEKT is not an IFC class" in err and "more problem" not in err


def test_an_unknown_report_format_exits_2_before_checking(tmp_path, capsys):
    assert check(str(good_model(tmp_path / "arch.ifc")), "--ids", str(BASICS), "--report", "out.pdf") == 2
    assert "out.pdf" in capsys.readouterr().err


def test_reports_of_every_format_are_written_and_read_back(tmp_path):
    failing_id = bad_model(tmp_path / "arch.ifc")
    out = tmp_path / "reports"
    code = check(str(tmp_path / "arch.ifc"), "--ids", str(BASICS), "-q",
                 "--report", str(out / "r.json"), "--report", str(out / "r.html"),
                 "--report", str(out / "r.xlsx"), "--junit", str(out / "r.xml"))
    assert code == 1

    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert report["status"] == "fail"
    walls = next(s for s in report["specifications"] if s["identifier"] == "MQ-03")
    assert (walls["applicable"], walls["failing"], walls["failing_global_ids"]) == (2, 1, [failing_id])

    html = (out / "r.html").read_text(encoding="utf-8")
    assert failing_id in html and html.index("Summary") < html.index("Details")

    workbook = openpyxl.load_workbook(out / "r.xlsx")
    summary, details = workbook.worksheets
    assert summary.freeze_panes == "A7" and details.freeze_panes == "A2"
    assert failing_id in [row[3] for row in details.iter_rows(min_row=2, values_only=True)]

    junit = etree.parse(str(out / "r.xml")).getroot()
    assert len(junit.findall(".//testcase")) == 7  # 7 specifications × 1 model
    assert junit.get("failures") == "1"
    assert failing_id in junit.find(".//failure").text


def test_reports_are_zip_and_xml_files_other_tools_open(tmp_path):
    bad_model(tmp_path / "arch.ifc")
    check(str(tmp_path / "arch.ifc"), "--ids", str(BASICS), "-q",
          "--report", str(tmp_path / "r.xlsx"), "--junit", str(tmp_path / "r.xml"))
    assert zipfile.is_zipfile(tmp_path / "r.xlsx")
    assert (tmp_path / "r.xml").read_bytes().startswith(b"<?xml")


def test_the_synthese_command_line_routes_check_to_this_subcommand(tmp_path):
    from app import main

    assert main(["check", str(good_model(tmp_path / "arch.ifc")), "--ids", str(BASICS), "-q"]) == 0
