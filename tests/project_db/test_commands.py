"""The headless CLI: ``synthese project|bcf|issues …`` and its exit codes."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from project_db import commands
from tests.project_db import bcf_samples as samples

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str) -> int:
    """Run the project_db subcommands as app.py wires them."""
    parser = argparse.ArgumentParser(prog="synthese")
    commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_creating_a_project_then_creating_it_again_is_refused(tmp_path, capsys):
    target = tmp_path / "chantier.synthese"
    assert run("project", "create", str(target), "--name", "Chantier") == 0
    assert "Chantier" in capsys.readouterr().out
    assert run("project", "create", str(target)) == 2
    assert "already exists" in capsys.readouterr().err


def test_importing_listing_and_exporting_bcf(project_location, tmp_path, capsys, backend):
    sample = samples.bcf_30(tmp_path / "in.bcf")
    assert run("bcf", "import", str(sample), "--project", project_location, "--author", "alice") == 0
    assert "2 issues created" in capsys.readouterr().out
    assert run("issues", "list", "--project", project_location, "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["responsible_trade"] for r in rows} == {"CVC", None}
    assert run("issues", "list", "--project", project_location, "--trade", "CVC", "--csv") == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["title"] == "Gaine CVC sous la poutre P12" and row["labels"] == "Openings;Coordination"
    assert run("issues", "list", "--project", project_location, "--status", "Closed,Open") == 0
    assert "2 issues" in capsys.readouterr().out
    out = tmp_path / "cvc.bcf"
    assert run("bcf", "export", str(out), "--project", project_location, "--version", "2.1", "--trade", "CVC") == 0
    assert "1 topics written (BCF 2.1)" in capsys.readouterr().out and out.exists()


def test_a_file_with_a_broken_topic_imports_the_rest_and_exits_1(project_location, tmp_path, capsys):
    broken = "9b9b9b9b-0000-4000-8000-000000000000"
    sample = samples.bcf_30(tmp_path / "in.bcf", {f"{broken}/markup.bcf": "<oops"})
    assert run("bcf", "import", str(sample), "--project", project_location) == 1
    captured = capsys.readouterr()
    assert f"{broken}/markup.bcf" in captured.err and "1 topics left out" in captured.out


@pytest.mark.parametrize("argv, message", [
    (("bcf", "import", "missing.bcf", "--project", "{project}"), "missing.bcf"),
    (("bcf", "import", "{hostile}", "--project", "{project}"), "hostile.bcf"),
    (("bcf", "export", "{tmp}/no/such/folder/x.bcf", "--project", "{project}"), "does not exist"),
    (("bcf", "export", "{tmp}/x.bcf", "--project", "{project}", "--trade", "ZZZ"), "ZZZ"),
    (("issues", "list", "--project", "{tmp}/nowhere.synthese"), "nowhere.synthese"),
    (("issues", "list", "--project", "{project}", "--status", "Perdu"), "Perdu"),
    (("issues", "list", "--project", "postgresql://postgres@127.0.0.1:1/gone"), "127.0.0.1:1/gone"),
])
def test_bad_input_exits_2_with_a_message_naming_it(project_location, tmp_path, capsys, argv, message):
    hostile = tmp_path / "hostile.bcf"
    import zipfile

    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../evil", "x")
    values = {"project": project_location, "tmp": str(tmp_path), "hostile": str(hostile)}
    assert run(*(a.format(**values) for a in argv)) == 2
    assert message in capsys.readouterr().err


def test_the_cli_never_imports_qt(tmp_path):
    code = (
        "import sys, argparse; from project_db import commands;"
        "p = argparse.ArgumentParser(); commands.register(p.add_subparsers(dest='c'));"
        f"a = p.parse_args(['project', 'create', r'{tmp_path / 'p.synthese'}']); a.func(a);"
        "bad = [m for m in sys.modules if m.split('.')[0] in"
        " ('PySide6', 'shiboken6', 'vtk', 'vtkmodules', 'ui', 'viewer', 'checks')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
