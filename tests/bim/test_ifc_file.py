"""Opening IFC files: every supported schema opens, every broken file gets a ModelError
naming the file and the reason, and nothing else ever escapes."""

from __future__ import annotations

import hashlib
import shutil
import zipfile

import pytest

import bim.ifc_file
from bim.federation import load_model
from bim.ifc_file import SUPPORTED_SCHEMAS, ModelError, file_sha256, open_ifc, schema_family
from tests.bim.builders import rewrite_schema


@pytest.fixture
def ifc4x3_demo(demo_in_schema):
    return demo_in_schema("IFC4X3")


@pytest.mark.parametrize("identifier, family", [
    ("IFC2X3", "IFC2X3"), ("IFC2X3_TC1", "IFC2X3"), ("IFC4", "IFC4"), ("ifc4", "IFC4"), ("IFC4_ADD2_TC1", "IFC4"),
    ("IFC4X3", "IFC4X3"), ("IFC4X3_ADD2", "IFC4X3"), ("IFC2X_FINAL", None), ("IFC4X1", None), ("IFC4X2", None),
    ("", None), ("IFC5", None),
])
def test_a_schema_identifier_maps_to_its_supported_family_or_none(identifier, family):
    assert schema_family(identifier) == family


def test_the_demo_opens_as_an_ifc4_model_with_its_project(demo_project):
    model = open_ifc(demo_project.paths["ARC"])
    assert schema_family(model.schema_identifier) == "IFC4"
    assert model.by_type("IfcProject")[0].Name == "Synthese demo"


def test_the_demo_written_in_ifc4x3_opens_in_the_ifc4x3_family(ifc4x3_demo):
    model = open_ifc(ifc4x3_demo.paths["STR"])
    assert model.schema_identifier.startswith("IFC4X3")
    assert schema_family(model.schema_identifier) == "IFC4X3"
    assert len(model.by_type("IfcColumn")) == 6


@pytest.mark.parametrize("name, schema", [
    ("duplex-electrical", "IFC2X3"), ("schependomlaan-xella-bg", "IFC2X3"),
    ("samplehouse-ifc4", "IFC4"), ("fzk-haus-ifc4", "IFC4"),
])
def test_real_models_of_each_schema_open_in_their_family(corpus_model, name, schema):
    model = open_ifc(corpus_model(name))
    assert schema_family(model.schema_identifier) == schema
    assert model.by_type("IfcProject")
    assert model.by_type("IfcBuildingStorey")


def test_a_zipped_ifc_opens_like_the_plain_file(demo_project, tmp_path):
    archive = tmp_path / "structure.ifczip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(demo_project.paths["STR"], "structure.ifc")
    model = open_ifc(archive)
    assert len(model.by_type("IfcColumn")) == 6


# --- broken files: (how to make it, words the reason must contain) -----------------------

def _text(path, demo):
    path.write_text("Minutes of the site meeting\nnothing to see here\n", encoding="utf-8")


def _pdf(path, demo):
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8)


def _truncated(path, demo):
    data = demo.paths["ARC"].read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_with_a_forged_end(path, demo):
    data = demo.paths["ARC"].read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\nENDSEC;\nEND-ISO-10303-21;\n")


def _ifc2x_final(path, demo):
    rewrite_schema(demo.paths["ARC"], path, "IFC2X_FINAL")


def _empty(path, demo):
    path.write_bytes(b"")


def _missing(path, demo):
    pass


def _directory(path, demo):
    path.mkdir()


def _zip_of_junk(path, demo):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("model.ifc", "this is no STEP file")


def _header_without_schema(path, demo):
    path.write_bytes(b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((''),'2;1');\nENDSEC;\nDATA;\nENDSEC;\n"
                     b"END-ISO-10303-21;\n")


def _no_project(path, demo):
    path.write_bytes(b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((''),'2;1');\nFILE_NAME('','',(''),(''),'','','');\n"
                     b"FILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n#1=IFCCARTESIANPOINT((0.,0.,0.));\nENDSEC;\n"
                     b"END-ISO-10303-21;\n")


BROKEN = {
    "non-IFC text": ("notes.ifc", _text, "not an IFC file"),
    "PDF-like binary": ("drawing.ifc", _pdf, "not an IFC file"),
    "truncated IFC": ("half.ifc", _truncated, "truncated"),
    "truncated IFC with a forged end": ("forged.ifc", _truncated_with_a_forged_end, "cannot be read"),
    "unsupported schema IFC2X_FINAL": ("old.ifc", _ifc2x_final, "unsupported schema IFC2X_FINAL"),
    "empty file": ("empty.ifc", _empty, "empty"),
    "missing file": ("missing.ifc", _missing, "does not exist"),
    "folder": ("folder.ifc", _directory, "not a file"),
    "zip of junk": ("junk.ifczip", _zip_of_junk, "cannot be read"),
    "header without FILE_SCHEMA": ("noschema.ifc", _header_without_schema, "FILE_SCHEMA"),
    "model without IfcProject": ("noproject.ifc", _no_project, "no IfcProject"),
}


@pytest.fixture(params=list(BROKEN), ids=list(BROKEN))
def broken_file(request, tmp_path, demo_project):
    name, make, reason = BROKEN[request.param]
    path = tmp_path / name
    make(path, demo_project)
    return path, reason


def test_a_broken_file_is_refused_with_its_name_and_reason(broken_file):
    path, reason = broken_file
    with pytest.raises(ModelError) as caught:
        open_ifc(path)
    assert caught.value.path == path
    assert path.name in str(caught.value)
    assert reason in caught.value.reason and reason in str(caught.value)


def test_loading_a_broken_file_gives_the_same_model_error(broken_file):
    path, reason = broken_file
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert path.name in str(caught.value)
    assert reason in caught.value.reason


def test_a_file_the_system_refuses_to_read_is_refused_with_its_name_and_the_system_reason(
        demo_project, tmp_path, monkeypatch):
    path = shutil.copy(demo_project.paths["STR"], tmp_path / "locked.ifc")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(bim.ifc_file, "open", refuse, raising=False)  # shadows the builtin in that module only
    for load in (open_ifc, load_model):
        with pytest.raises(ModelError, match="Permission denied") as caught:
            load(path)
        assert "locked.ifc" in str(caught.value)


def test_the_content_hash_is_the_sha256_of_the_bytes_and_changes_with_one_byte(demo_project, tmp_path):
    data = demo_project.paths["PLB"].read_bytes()
    assert file_sha256(demo_project.paths["PLB"], chunk=1000) == hashlib.sha256(data).hexdigest()
    changed = tmp_path / "changed.ifc"
    changed.write_bytes(data[:-2] + b"\r\n")
    assert file_sha256(changed) != file_sha256(demo_project.paths["PLB"])


def test_the_supported_schemas_are_the_three_families():
    assert SUPPORTED_SCHEMAS == ("IFC2X3", "IFC4", "IFC4X3")
