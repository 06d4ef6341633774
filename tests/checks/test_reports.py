"""Reports: readable by people (summary, then details) and by machines, with every text escaped."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from lxml import etree

from checks.ids import load_ids_text, run_ids
from checks.reports import render_html, render_json, render_junit, render_xlsx, write_report
from tests.checks.builders import ModelBuilder
from tests.checks.test_ids_loading import ids_text
from tests.checks.test_ids_run import IFC2X3_ONLY, WALLS, fire


@pytest.fixture
def result():
    builder = ModelBuilder()
    builder.wall("<script>alert('x')</script> & co", psets=fire("EI30"))
    builder.wall("Good wall", psets=fire("REI60"))
    document = load_ids_text(ids_text(WALLS + "\n" + IFC2X3_ONLY, title="Fire &amp; names"))
    return run_ids([builder.checked("arch.ifc", "Architecture")], document)


def failing_wall(result):
    return result.specifications[0].models[0].failing[0]


def test_the_html_report_escapes_names_from_the_model_and_the_ids(result):
    html = render_html(result)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in html
    assert "Fire &amp; names" in html


def test_the_html_report_is_one_self_contained_page_summary_first(result):
    html = render_html(result)
    assert "<script" not in html and "<link" not in html and 'src="http' not in html
    assert html.index("Summary") < html.index("Details") < html.index(failing_wall(result).global_id)
    assert "Level 1" in html  # the storey of the failing wall


def test_the_json_report_states_status_counts_failing_ids_and_reasons(result):
    report = json.loads(render_json(result))
    walls, old_walls = report["specifications"]
    assert report["status"] == "fail"
    assert report["summary"] == {"specifications": 2, "passed": 0, "failed": 1, "skipped": 1,
                                 "applicable": 2, "passing": 1, "failing": 1}
    assert walls["failing_global_ids"] == [failing_wall(result).global_id]
    failure = walls["models"][0]["requirements"][1]["failures"][0]
    assert failure["found"] == '"EI30"' and failure["storey"] == "Level 1"
    assert old_walls["status"] == "skipped" and old_walls["skipped_models"] == ["arch.ifc"]


def test_the_workbook_has_a_summary_then_details_with_frozen_filterable_headers(result):
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(result)))
    summary, details = workbook.worksheets
    assert [summary.title, details.title] == ["Summary", "Details"]
    assert summary["B1"].value == "Fire & names" and summary["B2"].value == "fail"
    header = [c.value for c in summary[6]]
    assert header[:5] == ["Specification", "Identifier", "Cardinality", "Model", "Status"]
    assert [c.value for c in summary[8]][4] == "skipped"
    assert details.auto_filter.ref.startswith("A1:")
    row = [c.value for c in details[2]]
    assert row[3] == failing_wall(result).global_id and row[6] == "Level 1" and row[8] == '"EI30"'


def test_junit_has_one_testcase_per_specification_and_model_with_skips(result):
    root = etree.fromstring(render_junit(result))
    cases = root.findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("Architecture", "Walls [W]"), ("Architecture", "Old walls [W]")]
    assert cases[0].find("failure") is not None and cases[1].find("skipped") is not None
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("2", "1", "1")


def test_a_report_write_never_leaves_a_half_written_file(tmp_path, result):
    target = tmp_path / "report.json"
    write_report(result, target)
    assert json.loads(target.read_text(encoding="utf-8"))["status"] == "fail"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
