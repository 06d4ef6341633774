"""``synthese report issues|minutes``: files written, read back, minutes stored, bad input refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import app
from bim.i18n import set_language
from project_db import open_project
from tests.project_db.reports import report_samples as samples


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")  # app.main sets the language of the whole process


def synthese(*argv) -> int:
    return app.main([str(a) for a in argv])


@pytest.fixture
def site(project_location):
    with open_project(project_location) as project:
        site = samples.make_site(project)
        meeting = samples.hold_meeting(project, site)
    return site, meeting


def test_an_issue_report_keeps_the_filtered_issues(project_location, site, tmp_path, capsys):
    out = tmp_path / "cvc.pdf"
    assert synthese("report", "issues", "--project", project_location, "--trade", "HVAC", "--trade", "STR",
                    "--open", "-o", out) == 0
    assert f"{out}: 1 issue written." in capsys.readouterr().out
    text = samples.pdf_text(out.read_bytes())
    assert samples.DUCT in text and samples.OPENING not in text and samples.SOCKET not in text
    assert "Trade: HVAC, Structure; Open issues only" in text


def test_an_xlsx_issue_report_with_several_filters(project_location, site, tmp_path):
    out = tmp_path / "issues.xlsx"
    assert synthese("report", "issues", "--project", project_location, "--status", "Open,Closed",
                    "--priority", "Low", "--text", "prise", "-o", out) == 0
    rows = list(load_workbook(io.BytesIO(out.read_bytes()))["Issues"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [samples.SOCKET]


def test_overdue_and_assignee_filters(project_location, tmp_path):
    with open_project(project_location) as project:
        samples.make_site(project)  # no meeting: the duct is still due on 10 March
    out = tmp_path / "late.xlsx"
    assert synthese("report", "issues", "--project", project_location, "--overdue", "--assignee", "Éloïse Durand",
                    "-o", out) == 0
    rows = list(load_workbook(out)["Issues"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [samples.DUCT]


def test_the_report_language_follows_lang(project_location, site, tmp_path):
    out = tmp_path / "rapport.pdf"
    assert synthese("report", "issues", "--project", project_location, "--trade", "CVC", "--lang", "fr",
                    "-o", out) == 0
    text = samples.pdf_text(out.read_bytes())
    assert "Chauffage, ventilation, climatisation" in text and "20/03/2026" in text


def test_a_project_without_issues_gives_a_report_saying_so(project_location, tmp_path):
    out = tmp_path / "empty.pdf"
    assert synthese("report", "issues", "--project", project_location, "-o", out) == 0
    assert "This project has no issues." in samples.pdf_text(out.read_bytes())


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "html"])
def test_minutes_are_regenerated_written_and_stored_in_the_project(project_location, site, tmp_path, capsys, fmt):
    _site, meeting = site
    out = tmp_path / f"cr.{fmt}"
    assert synthese("report", "minutes", "--project", project_location, "--meeting", meeting.number, "-o", out,
                    "--author", "carol") == 0
    assert "stored in" in capsys.readouterr().out
    with open_project(project_location) as project:
        assert project.meetings.minutes_data(meeting.id, fmt) == out.read_bytes()
        assert [(m.format, m.generated_by) for m in project.meetings.minutes(meeting.id)] == [(fmt, "carol")]
    if fmt == "pdf":
        text = samples.pdf_text(out.read_bytes())
        assert "Réunion de synthèse n°3" in text and "Décaler la gaine de 20 cm" in text
        assert "Trémie élargie : levée" in text and "not discussed" in text


@pytest.mark.parametrize("argv, message", [
    (("issues", "--project", "{project}", "-o", "{tmp}/out.docx"), "out.docx: unknown report format (use .pdf, .xlsx)"),
    (("minutes", "--project", "{project}", "--meeting", "1", "-o", "{tmp}/cr.txt"), "cr.txt: unknown report format"),
    (("issues", "--project", "{project}", "--trade", "ZZZ", "-o", "{tmp}/out.pdf"), "ZZZ"),
    (("issues", "--project", "{project}", "--status", "Perdu", "-o", "{tmp}/out.pdf"), "Perdu"),
    (("issues", "--project", "{project}", "-o", "{tmp}/no/such/folder/out.pdf"), "folder does not exist"),
    (("issues", "--project", "{tmp}/nowhere.synthese", "-o", "{tmp}/out.pdf"), "nowhere.synthese"),
    (("minutes", "--project", "{project}", "--meeting", "99", "-o", "{tmp}/cr.pdf"), "No meeting #99"),
])
def test_bad_input_exits_2_with_a_message_naming_it_and_writes_nothing(project_location, tmp_path, capsys, argv,
                                                                       message):
    values = {"project": project_location, "tmp": str(tmp_path)}
    before = set(tmp_path.iterdir())
    assert synthese("report", *(a.format(**values) for a in argv)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert set(tmp_path.iterdir()) == before
