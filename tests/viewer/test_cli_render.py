"""``synthese render``: an offscreen picture of a federation, from the command line, without Qt."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from vtkmodules.vtkIOImage import vtkPNGReader
from vtkmodules.util.numpy_support import vtk_to_numpy

from app import main


def _pixels(path) -> np.ndarray:
    reader = vtkPNGReader()
    reader.SetFileName(str(path))
    reader.Update()
    image = reader.GetOutput()
    w, h, _ = image.GetDimensions()
    return vtk_to_numpy(image.GetPointData().GetScalars()).reshape(h, w, -1)


def test_render_writes_a_picture_of_the_federation_that_is_not_blank(demo_project, tmp_path):
    out = tmp_path / "iso.png"
    code = main(["render", *map(str, demo_project.paths.values()), "-o", str(out), "--size", "400x300"])
    assert code == 0
    pixels = _pixels(out)
    assert pixels.shape[:2] == (300, 400)
    assert pixels.std() > 10


def test_the_top_and_front_views_give_different_pictures(demo_project, tmp_path):
    paths = [str(demo_project.paths["ARC"]), str(demo_project.paths["STR"])]
    main(["render", *paths, "-o", str(tmp_path / "top.png"), "--view", "top", "--size", "320x240"])
    main(["render", *paths, "-o", str(tmp_path / "front.png"), "--view", "front", "--size", "320x240"])
    top, front = _pixels(tmp_path / "top.png"), _pixels(tmp_path / "front.png")
    assert (np.abs(top.astype(int) - front.astype(int)).sum(axis=2) > 30).mean() > 0.1


def test_render_refuses_a_bad_file_with_exit_code_2_and_its_name(tmp_path, capsys):
    bad = tmp_path / "broken.ifc"
    bad.write_text("ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC2X_FINAL'));\nENDSEC;\n")
    assert main(["render", str(bad), "-o", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert "broken.ifc" in err and "IFC2X_FINAL" in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()


def test_render_never_imports_qt(demo_project, tmp_path):
    script = (
        "import sys, json; from app import main; "
        f"code = main(['render', {str(demo_project.paths['PLB'])!r}, '-o', {str(tmp_path / 'p.png')!r}, "
        "'--size', '200x150']); "
        "print(json.dumps({'code': code, 'qt': [m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))]}))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "qt": []}
