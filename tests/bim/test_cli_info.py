"""``synthese info`` and ``synthese demo``: headless, scriptable, and free of Qt and VTK."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import app
from tests.bim.builders import rewrite_schema

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = app.main(["--lang", "en", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_info_json_prints_the_schema_storeys_and_counts(demo_project, capsys):
    code, out, err = run(capsys, "info", demo_project.paths["ARC"], "--json")
    assert code == 0 and err == ""
    summary = json.loads(out)
    assert summary["schema"] == "IFC4"
    assert [(s["name"], s["elevation"]) for s in summary["storeys"]] == [("RDC", 0.0), ("R+1", 3.0)]
    expected = {}
    for spec in demo_project.by_trade("ARC"):
        expected[spec.ifc_class] = expected.get(spec.ifc_class, 0) + 1
    assert summary["element_counts"] == expected
    assert summary["element_total"] == len(demo_project.by_trade("ARC"))
    assert summary["project"] == "Synthese demo"
    assert summary["authoring_application"]


def test_info_prints_a_readable_summary(demo_project, capsys):
    code, out, _err = run(capsys, "info", demo_project.paths["STR"])
    assert code == 0
    lines = out.splitlines()
    assert "Schema: IFC4" in lines
    assert any(line.split() == ["RDC", "0.000", "m"] for line in lines)
    assert any(line.split() == ["R+1", "3.000", "m"] for line in lines)
    assert f"Elements: {len(demo_project.by_trade('STR'))}" in lines
    assert any(line.split() == ["IfcColumn", "6"] for line in lines)


@pytest.mark.parametrize("name, schema", [("duplex-electrical", "IFC2X3"), ("samplehouse-ifc4", "IFC4")])
def test_info_reads_real_models_of_each_schema(corpus_model, capsys, name, schema):
    code, out, _err = run(capsys, "info", corpus_model(name), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["schema"] == schema
    assert summary["storeys"] and summary["element_total"] > 50


@pytest.mark.parametrize("schema", ["IFC2X3", "IFC4X3"])
def test_info_names_the_schema_the_demo_was_written_in(demo_in_schema, capsys, schema):
    code, out, _err = run(capsys, "info", demo_in_schema(schema).paths["ELE"], "--json")
    summary = json.loads(out)
    assert code == 0 and summary["schema"].startswith(schema)
    assert [s["name"] for s in summary["storeys"]] == ["RDC", "R+1"]


def _bad(tmp_path, demo_project, kind):
    path = tmp_path / f"{kind}.ifc"
    if kind == "truncated":
        data = demo_project.paths["ARC"].read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "pdf":
        path.write_bytes(b"%PDF-1.4\n\x00\xff\xfe binary")
    elif kind == "old-schema":
        rewrite_schema(demo_project.paths["ARC"], path, "IFC2X_FINAL")
    elif kind == "empty":
        path.write_bytes(b"")
    return path  # "missing": never written


@pytest.mark.parametrize("kind", ["truncated", "pdf", "old-schema", "empty", "missing"])
def test_info_on_a_bad_file_exits_2_with_one_line_and_no_traceback(tmp_path, demo_project, capsys, kind):
    path = _bad(tmp_path, demo_project, kind)
    code, out, err = run(capsys, "info", path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ") and path.name in err and "Traceback" not in err


def test_the_demo_command_writes_one_file_per_trade_and_lists_them(tmp_path, capsys):
    code, out, _err = run(capsys, "demo", tmp_path / "demo", "--schema", "IFC2X3")
    assert code == 0
    listed = dict(line.split("\t") for line in out.splitlines())
    assert list(listed) == ["ARC", "STR", "CVC", "PLB", "ELE"]
    assert all(Path(p).is_file() and Path(p).parent == tmp_path / "demo" for p in listed.values())
    code, out, _err = run(capsys, "info", listed["STR"], "--json")
    assert json.loads(out)["schema"] == "IFC2X3"


_WRAPPER = """
import json, sys
import app
code = app.main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "vtk", "vtkmodules", "pyvista"))
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize("good", [True, False], ids=["good file", "bad file"])
def test_info_in_a_subprocess_never_imports_qt_or_vtk(demo_project, tmp_path, good):
    path = demo_project.paths["CVC"] if good else _bad(tmp_path, demo_project, "pdf")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", _WRAPPER, "--lang", "en", "info", str(path), "--json"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    last = (result.stderr.strip().splitlines() or [""])[-1]
    assert last.startswith("{"), result.stderr
    assert json.loads(last) == {"code": 0 if good else 2, "heavy": []}, result.stderr
