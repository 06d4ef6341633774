"""``synthese takeoff``: writes the sheet and exits 0; exits 2 with one line naming the file on bad input."""

from __future__ import annotations

import argparse
import json

import pytest

from checks.takeoff.commands import register


def takeoff(*argv: str) -> int:
    """Run ``synthese takeoff`` with these arguments, through the subcommand the app registers."""
    parser = argparse.ArgumentParser(prog="synthese")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["takeoff", *argv])
    return args.func(args)


def test_a_federation_is_taken_off_into_one_json_file(demo_project, tmp_path, capsys):
    out = tmp_path / "q.json"
    assert takeoff(*map(str, demo_project.files), "--group-by", "storey,class", "--group-by", "material",
                   "-o", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["models"]) == 5 and [g["fields"] for g in data["groupings"]] == [["storey", "class"],
                                                                                     ["material"]]
    assert "q.json: 84 elements" in capsys.readouterr().out


def test_a_named_template_picks_its_elements(demo_project, tmp_path):
    out = tmp_path / "doors.csv"
    assert takeoff(str(demo_project.paths["ARC"]), "--template", "openings", "-o", str(out), "-q") == 0
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 5 + 13  # header, doors, windows


@pytest.mark.parametrize("content, problem", [
    (b"", "the file is empty"),
    (b"%PDF-1.7 not a model", "not an IFC file"),
], ids=["empty", "not-ifc"])
def test_an_unusable_model_exits_2_with_one_line_naming_the_file(tmp_path, capsys, content, problem):
    path = tmp_path / "delivery.ifc"
    path.write_bytes(content)
    assert takeoff(str(path), "-o", str(tmp_path / "q.xlsx")) == 2
    err = capsys.readouterr().err.strip()
    assert "delivery.ifc" in err and problem in err and len(err.splitlines()) == 1
    assert not (tmp_path / "q.xlsx").exists()


@pytest.mark.parametrize("extra, problem", [
    (("-o", "q.pdf"), "q.pdf: unknown output format"),
    (("-o", "q.xlsx", "--template", "nothing"), "no template named 'nothing'"),
    (("-o", "q.xlsx", "--group-by", "floor"), "unknown grouping 'floor'"),
], ids=["format", "template", "grouping"])
def test_bad_options_exit_2_with_one_line(demo_project, tmp_path, capsys, extra, problem):
    extra = tuple(str(tmp_path / e) if e.startswith("q.") else e for e in extra)
    assert takeoff(str(demo_project.paths["STR"]), *extra) == 2
    err = capsys.readouterr().err.strip()
    assert problem in err and len(err.splitlines()) == 1


def test_the_app_offers_the_takeoff_subcommand():
    import app

    assert "takeoff" in app.build_parser()._subparsers._group_actions[0].choices
