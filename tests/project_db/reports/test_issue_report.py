"""Issue reports: export the filtered issue list as PDF and XLSX, then read the files back."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from bim.i18n import set_language
from bim.progress import Cancelled
from project_db.records import IssueFilter
from project_db.reports.common import local_time
from project_db.reports.issue_report import gather_issues, render_issue_report
from tests.project_db.reports import report_samples as samples
from tests.project_db.reports.report_samples import NOW


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_the_pdf_shows_each_issue_with_its_fields_deadline_snapshot_and_comments(project):
    samples.make_site(project)
    content = gather_issues(project, IssueFilter(), language="en", now=NOW)
    data = render_issue_report(content, "pdf")
    text = samples.pdf_text(data)
    assert data.startswith(b"%PDF")
    assert "#1 Gaine CVC sous la poutre P12 – réservation à créer" in text
    assert "#2 Trémie d'escalier trop étroite" in text and "#3 Prise électrique derrière la porte" in text
    assert "Overdue by 2 d 3 h" in text and "2026-03-10" in text
    assert "Éloïse Durand" in text and "Openings and penetrations" in text and "R+1 / Local technique" in text
    assert "Décaler la gaine de 20 cm vers le nord." in text
    assert "Vu avec l'entreprise : reprise de la maquette d'ici vendredi." in text and "bob, 2026-" in text
    assert "Chemin de câbles <R+2> & faux plafond" in text  # markup characters print as typed
    assert "4 issues, 1 overdue" in text and "Page 1 / " in text
    assert samples.pdf_image_count(data) == 1  # the duct's snapshot


def test_the_xlsx_has_a_summary_one_row_per_issue_with_real_dates_and_the_comments(project):
    site = samples.make_site(project)
    data = render_issue_report(gather_issues(project, IssueFilter(), language="en", now=NOW), "xlsx")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "Issues", "Comments"]

    issues = book["Issues"]
    header = [c.value for c in issues[1]]
    assert header[:10] == ["Number", "Title", "Type", "Trade", "Status", "Priority", "Assigned to", "Due date",
                           "Deadline", "Days late"]
    assert issues.freeze_panes == "A2" and issues.auto_filter.ref == "A1:Q5"
    rows = {row[0]: dict(zip(header, row)) for row in issues.iter_rows(min_row=2, values_only=True)}
    duct = rows[site.duct.number]
    assert duct["Title"] == samples.DUCT and duct["Trade"] == "HVAC" and duct["Assigned to"] == "Éloïse Durand"
    assert isinstance(duct["Due date"], datetime) and duct["Due date"] == local_time(samples.DUCT_DUE)
    assert duct["Deadline"] == "Overdue by 2 d 3 h" and duct["Days late"] == pytest.approx(2.1)
    assert rows[site.opening.number]["Status"] == "Closed" and rows[site.cable_tray.number]["Trade"] is None

    summary = {row[0]: row for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Issues"][1] == 4 and summary["Overdue"][1] == 1
    assert isinstance(summary["Generated on"][1], datetime)
    trade_header = summary["Trade"]
    assert trade_header[:7] == ("Trade", "Open", "In progress", "Resolved", "Closed", "Total", "Overdue")
    assert summary["HVAC"][1:7] == (1, 0, 0, 0, 1, 1)
    assert summary["Structure"][1:7] == (0, 0, 0, 1, 1, 0)
    assert summary["No trade"][1:7] == (1, 0, 0, 0, 1, 0)
    assert summary["Total"][1:7] == (3, 0, 0, 1, 4, 1)

    comments = list(book["Comments"].iter_rows(min_row=2, values_only=True))
    assert [(c[0], c[2], c[4]) for c in comments] == [
        (site.duct.number, "bob", "Vu avec l'entreprise : reprise de la maquette d'ici vendredi.")]
    assert isinstance(comments[0][3], datetime)


def test_filters_keep_the_matching_issues_and_the_report_names_them(project):
    samples.make_site(project)
    overdue = gather_issues(project, IssueFilter(trades=("CVC", "STR")), overdue=True, language="en", now=NOW)
    assert [i.title for i in overdue.issues] == [samples.DUCT]
    assert overdue.filters == ("Trade: HVAC, Structure", "Overdue issues only")
    assert "Filters: Trade: HVAC, Structure; Overdue issues only" in samples.pdf_text(
        render_issue_report(overdue, "pdf"))
    still_open = gather_issues(project, IssueFilter(open_only=True, text="prise"), language="en", now=NOW)
    assert [i.title for i in still_open.issues] == [samples.SOCKET]


def test_the_report_is_in_the_chosen_language(project):
    samples.make_site(project)
    content = gather_issues(project, IssueFilter(trades=("CVC",)), language="fr", now=NOW)
    text = samples.pdf_text(render_issue_report(content, "pdf"))
    assert "Chauffage, ventilation, climatisation" in text and "Ouvert" in text and "Réservations" in text
    assert "10/03/2026" in text


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_a_project_without_issues_gives_a_valid_report_saying_so(project, fmt):
    content = gather_issues(project, IssueFilter(), language="en", now=NOW)
    data = render_issue_report(content, fmt)
    if fmt == "pdf":
        assert "This project has no issues." in samples.pdf_text(data) and "0 issues" in samples.pdf_text(data)
    else:
        book = load_workbook(io.BytesIO(data))
        assert [c.value for c in book["Issues"][1]][0] == "Number" and book["Issues"].max_row == 1
        assert "This project has no issues." in [c.value for c in book["Summary"]["A"]]


def test_gathering_reports_progress_issue_by_issue_and_stops_when_cancelled(project):
    samples.make_site(project)
    calls = []
    gather_issues(project, IssueFilter(), now=NOW, progress=lambda done, total, message: calls.append((done, total)))
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(Cancelled):
        gather_issues(project, IssueFilter(), now=NOW, cancel=lambda: len(calls) > 6,
                      progress=lambda done, total, message: calls.append((done, total)))
    assert len(calls) == 7  # stopped before reading a third issue


def test_an_unknown_format_is_refused(project):
    with pytest.raises(ValueError, match="docx"):
        render_issue_report(gather_issues(project, IssueFilter(), now=NOW), "docx")
