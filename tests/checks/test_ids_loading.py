"""Loading IDS files: valid ones load, broken ones are refused with the file name and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.ids import IdsError, load_ids, load_ids_text

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<ids xmlns="http://standards.buildingsmart.org/IDS" xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'


def ids_text(specification: str, title: str = "Test") -> str:
    """A whole IDS around one specification; the specification starts on line 5."""
    return HEADER + f"  <info><title>{title}</title></info>\n  <specifications>\n{specification}\n  </specifications>\n</ids>\n"


WALL_NAME = """    <specification name="Walls have a name" ifcVersion="IFC4" identifier="W-1">
      <applicability minOccurs="1" maxOccurs="unbounded">
        <entity><name><simpleValue>IFCWALL</simpleValue></name></entity>
      </applicability>
      <requirements>
        <attribute><name><simpleValue>Name</simpleValue></name></attribute>
      </requirements>
    </specification>"""


def write(tmp_path: Path, text: str, name: str = "rules.ids") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_ids_loads_with_its_title_specifications_and_identifiers(tmp_path):
    document = load_ids(write(tmp_path, ids_text(WALL_NAME, title="My rules")))
    assert document.title == "My rules"
    assert [s.name for s in document.specifications] == ["Walls have a name"]
    assert document.specifications[0].identifier == "W-1"


def test_each_specification_and_facet_knows_its_line(tmp_path):
    document = load_ids(write(tmp_path, ids_text(WALL_NAME)))
    spec = document.specifications[0]
    assert document.line_of(spec) == 5
    assert document.line_of(spec.applicability[0]) == 7
    assert document.line_of(spec.requirements[0]) == 10


def test_malformed_xml_is_refused_with_file_name_line_and_column(tmp_path):
    path = write(tmp_path, ids_text(WALL_NAME).replace("</requirements>", "</requirement>"), "broken.ids")
    with pytest.raises(IdsError) as raised:
        load_ids(path)
    problem = raised.value.problems[0]
    assert (problem.kind, problem.line) == ("xml", 11)
    assert str(raised.value).startswith("broken.ids:11:")


def test_a_schema_error_is_reported_at_its_line(tmp_path):
    path = write(tmp_path, ids_text(WALL_NAME.replace('ifcVersion="IFC4"', 'ifcVersion="IFC5"')), "version.ids")
    with pytest.raises(IdsError) as raised:
        load_ids(path)
    problem = raised.value.problems[0]
    assert (problem.kind, problem.line) == ("schema", 5)
    assert "IFC5" in problem.message
    assert "version.ids:5:" in str(raised.value)


def test_every_schema_error_is_listed_not_only_the_first(tmp_path):
    broken = WALL_NAME.replace('ifcVersion="IFC4"', 'ifcVersion="IFC5"').replace("<name><simpleValue>Name", "<nam><simpleValue>Name").replace("</simpleValue></name></attribute>", "</simpleValue></nam></attribute>")
    with pytest.raises(IdsError) as raised:
        load_ids(write(tmp_path, ids_text(broken)))
    assert [p.line for p in raised.value.problems] == [5, 10]
    assert "(and 1 more problem)" in str(raised.value)


def test_an_unknown_ifc_class_is_a_semantic_error_at_the_facet_line(tmp_path):
    with pytest.raises(IdsError) as raised:
        load_ids(write(tmp_path, ids_text(WALL_NAME.replace("IFCWALL", "IFCRABBIT"))))
    problem = raised.value.problems[0]
    assert (problem.kind, problem.line) == ("semantic", 7)
    assert "IFCRABBIT" in problem.message
    assert raised.value.is_semantic


def test_an_integer_written_as_a_decimal_is_refused_for_an_integer_property(tmp_path):
    spec = WALL_NAME.replace(
        '<attribute><name><simpleValue>Name</simpleValue></name></attribute>',
        '<property dataType="IFCINTEGER"><propertySet><simpleValue>P</simpleValue></propertySet>'
        '<baseName><simpleValue>N</simpleValue></baseName><value><simpleValue>42.0</simpleValue></value></property>',
    )
    with pytest.raises(IdsError, match="42.0"):
        load_ids(write(tmp_path, ids_text(spec)))


def test_the_audit_can_be_skipped_to_read_a_file_other_tools_accept(tmp_path):
    path = write(tmp_path, ids_text(WALL_NAME.replace("IFCWALL", "IFCRABBIT")))
    assert load_ids(path, audit=False).specifications[0].applicability[0].name == "IFCRABBIT"


def test_a_missing_file_is_an_ids_error_naming_it(tmp_path):
    with pytest.raises(IdsError, match="absent.ids"):
        load_ids(tmp_path / "absent.ids")


def test_ids_text_from_an_editor_loads_without_a_file():
    assert load_ids_text(ids_text(WALL_NAME)).specifications[0].name == "Walls have a name"
    with pytest.raises(IdsError, match="<string>:1"):
        load_ids_text("not xml")
