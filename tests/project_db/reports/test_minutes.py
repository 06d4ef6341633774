"""Meeting minutes: rendered as PDF, XLSX and HTML, read back; generated from a held meeting and stored."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import lxml.html
import pytest
from openpyxl import load_workbook

from bim.i18n import set_language
from bim.progress import Cancelled
from bim.viewpoint import Camera, Viewpoint
from project_db.errors import NotFound
from project_db.records import (Issue, IssueDetail, Meeting, MeetingItem, Trade, TradeDelay, User, ViewpointRecord,
                                VocabularyItem)
from project_db.reports.common import NameBook, local_time
from project_db.reports.minutes import build_minutes, gather_minutes, generate_minutes, render_minutes
from tests.project_db.reports import report_samples as samples

HELD_AT = samples.HELD_AT
SNAPSHOT = samples.snapshot_png((30, 120, 30))


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def names(language: str = "en") -> NameBook:
    delays = (TradeDelay("High", 2, 7), TradeDelay("Normal", 5, 15))
    return NameBook(
        language=language,
        trades={t.code: t for t in (Trade("STR", "Structure – gros œuvre", "Structure", sort_order=1, delays=delays),
                                    Trade("CVC", "Chauffage, ventilation, climatisation", "HVAC", sort_order=2,
                                          delays=delays))},
        statuses={v.code: v for v in (VocabularyItem("status", "Open", "Ouvert", "Open"),
                                      VocabularyItem("status", "In Progress", "En cours", "In progress", 1),
                                      VocabularyItem("status", "Closed", "Fermé", "Closed", 3, is_closed=True))},
        users={"eloise@bet-fluides.fr": User("Éloïse Durand", "eloise@bet-fluides.fr")},
    )


def a_meeting(**changes) -> Meeting:
    """Meeting 3: a duct discussed with an action, an opening closed, a late beam and a socket not discussed."""
    items = (
        MeetingItem(issue_id=1, position=1, issue_number=12, issue_title=samples.DUCT, trade="CVC", discussed=True,
                    decision="Décaler la gaine de 20 cm", action="Mettre à jour la maquette CVC",
                    owner="eloise@bet-fluides.fr", due_date=samples.NEW_DUE, status_before="Open",
                    status_after="In Progress"),
        MeetingItem(issue_id=2, position=2, issue_number=13, issue_title=samples.OPENING, trade="STR", discussed=True,
                    decision="Trémie élargie : levée", status_before="Open", status_after="Closed"),
        MeetingItem(issue_id=3, position=3, issue_number=14, issue_title="Poutre P7 en retard", trade="STR",
                    discussed=True, decision="<script>alert('x')</script> relancer le BET", action="Relancer",
                    due_date=HELD_AT - timedelta(days=1), status_before="Open", status_after="Open"),
        MeetingItem(issue_id=4, position=4, issue_number=15, issue_title=samples.SOCKET, trade="CVC",
                    status_before="Open"),
    )
    meeting = Meeting(title="Réunion de synthèse n°3", held_at=HELD_AT, number=3, id=7,
                      attendees=("eloise@bet-fluides.fr", "Bruno Lefèvre"), location="Salle Œuvre, base vie",
                      created_by="eloise@bet-fluides.fr", items=items)
    return replace(meeting, **changes)


def details() -> dict[int, IssueDetail]:
    camera = Camera((0.0, 0.0, 10.0), (0.0, 0.0, -1.0), (0.0, 1.0, 0.0))
    viewpoint = ViewpointRecord(id=1, guid="v1", issue_id=1, viewpoint=Viewpoint(camera=camera,
                                                                                 snapshot_png=SNAPSHOT))
    duct = Issue(title=samples.DUCT, responsible_trade="CVC", priority="High", id=1, number=12,
                 creation_date=HELD_AT - timedelta(days=30))
    return {1: IssueDetail(issue=duct, comments=(), viewpoints=(viewpoint,), history=())}


def content(meeting: Meeting | None = None, language: str = "en"):
    return build_minutes(meeting or a_meeting(), details(), names(language), project_name="Chantier École",
                         generated_at=HELD_AT + timedelta(hours=3), generated_by="bob")


def test_the_summary_per_trade_counts_discussed_closed_open_actions_and_overdue():
    summary = {line.trade: line for line in content().trade_summary}
    assert list(summary) == ["Structure", "HVAC"]  # the project's trade order
    structure, hvac = summary["Structure"], summary["HVAC"]
    assert (structure.on_agenda, structure.discussed, structure.closed, structure.actions_open,
            structure.overdue) == (2, 2, 1, 1, 1)
    assert (hvac.on_agenda, hvac.discussed, hvac.closed, hvac.actions_open, hvac.overdue) == (2, 1, 0, 1, 0)


def test_an_item_without_a_due_date_is_overdue_when_its_trade_s_delay_ran_out_before_the_meeting():
    meeting = a_meeting()
    undated = replace(meeting, items=(replace(meeting.items[0], due_date=None), *meeting.items[1:]))
    hvac = {line.trade: line for line in content(undated).trade_summary}["HVAC"]
    assert hvac.overdue == 1  # created 30 days before, High priority: 7 days to fix


def test_the_minutes_pdf_has_the_header_each_decision_the_issues_not_discussed_and_the_summary():
    data = render_minutes(content(), "pdf")
    text = samples.pdf_text(data)
    assert "Minutes of meeting 3: Réunion de synthèse n°3" in text
    assert "Chantier École" in text and "Salle Œuvre, base vie" in text
    assert "Éloïse Durand, Bruno Lefèvre" in text and "2026-03-12" in text
    assert "#12 Gaine CVC sous la poutre P12 – réservation à créer" in text
    assert "Décaler la gaine de 20 cm" in text and "Mettre à jour la maquette CVC" in text
    assert "Open → In progress" in text and "Open → Closed" in text and "2026-03-20" in text
    assert "Trémie élargie : levée" in text and "<script>alert('x')</script> relancer le BET" in text
    assert "Not discussed" in text and "Prise électrique derrière la porte" in text and "not discussed" in text
    assert "Summary per trade" in text and "Structure" in text and "Page 1 / " in text
    assert samples.pdf_image_count(data) == 1


def test_the_minutes_in_french_name_trades_and_statuses_in_french():
    text = " ".join(samples.pdf_text(render_minutes(content(language="fr"), "pdf")).split())  # as wrapped or not
    assert "Chauffage, ventilation, climatisation" in text and "Ouvert → Fermé" in text
    assert "20/03/2026" in text and "12/03/2026" in text


def test_the_minutes_xlsx_lists_every_agenda_item_with_real_dates_and_the_summary():
    book = load_workbook(io.BytesIO(render_minutes(content(), "xlsx")))
    assert book.sheetnames == ["Meeting", "Items", "Summary per trade"]
    facts = {row[0]: row[1] for row in book["Meeting"].iter_rows(values_only=True) if row[0]}
    assert facts["Title"] == "Réunion de synthèse n°3" and facts["Date"] == local_time(HELD_AT)
    assert facts["Attendees"] == "Éloïse Durand, Bruno Lefèvre"
    items = book["Items"]
    header = [c.value for c in items[1]]
    assert items.freeze_panes == "A2" and items.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(header, row)) for row in items.iter_rows(min_row=2, values_only=True)]
    assert [(r["Number"], r["Discussed"]) for r in rows] == [(12, "yes"), (13, "yes"), (14, "yes"), (15, "no")]
    assert rows[0]["Decision"] == "Décaler la gaine de 20 cm" and rows[0]["Owner"] == "Éloïse Durand"
    assert isinstance(rows[0]["Due date"], datetime) and rows[0]["Due date"] == local_time(samples.NEW_DUE)
    assert (rows[1]["Status before"], rows[1]["Status after"]) == ("Open", "Closed")
    summary = list(book["Summary per trade"].iter_rows(values_only=True))
    assert summary[0] == ("Trade", "On the agenda", "Discussed", "Closed", "Actions open", "Overdue")
    assert summary[1:] == [("Structure", 2, 2, 1, 1, 1), ("HVAC", 2, 1, 0, 1, 0), ("Total", 4, 3, 1, 2, 1)]


def test_the_minutes_html_is_self_contained_escaped_and_has_the_summary_per_trade():
    data = render_minutes(content(), "html")
    page = lxml.html.fromstring(data)
    rows = [[cell.text_content() for cell in row.xpath("td")]
            for row in page.xpath("//table[@class='trade-summary']/tbody/tr")]
    assert rows == [["Structure", "2", "2", "1", "1", "1"], ["HVAC", "2", "1", "0", "1", "0"],
                    ["Total", "4", "3", "1", "2", "1"]]
    assert not page.xpath("//script")  # a decision's text stays text
    assert "<script>alert('x')</script> relancer le BET" in page.text_content()
    (image,) = page.xpath("//img")
    assert image.get("src") == "data:image/png;base64," + base64.b64encode(SNAPSHOT).decode()
    assert not page.xpath("//*[@src and not(starts-with(@src, 'data:'))] | //link")
    assert [li.text_content() for li in page.xpath("//ul[@class='not-discussed']/li")] == [
        "#15 Prise électrique derrière la porte (HVAC): not discussed"]


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "html"])
def test_a_meeting_without_agenda_gives_valid_minutes_saying_so(fmt):
    data = render_minutes(content(a_meeting(items=())), fmt)
    if fmt == "pdf":
        assert "No issue was on the agenda." in samples.pdf_text(data)
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        assert "No issue was on the agenda." in [c.value for c in book["Meeting"]["A"]]
        assert book["Items"].max_row == 1
    else:
        assert lxml.html.fromstring(data).xpath("string(//p[@class='nothing'])") == "No issue was on the agenda."


def test_an_unknown_minutes_format_is_refused():
    with pytest.raises(ValueError, match="docx"):
        render_minutes(content(), "docx")


# -- from a meeting held in the project ---------------------------------------------------------


def test_generated_minutes_are_stored_in_the_project_and_say_what_the_meeting_decided(project):
    site = samples.make_site(project)
    meeting = samples.hold_meeting(project, site)
    data = generate_minutes(project, meeting.id, "pdf", "alice", "en")
    assert project.meetings.minutes_data(meeting.id, "pdf") == data
    assert [(m.format, m.generated_by) for m in project.meetings.minutes(meeting.id)] == [("pdf", "alice")]
    text = samples.pdf_text(data)
    assert f"Minutes of meeting {meeting.number}: Réunion de synthèse n°3" in text
    assert "Décaler la gaine de 20 cm" in text and "Mettre à jour la maquette CVC" in text
    assert "Open → In progress" in text and "Éloïse Durand" in text and "2026-03-20" in text
    assert "À valider par l'architecte" in text and "Open → Closed" in text
    assert samples.CABLE_TRAY in text and "not discussed" in text
    assert samples.pdf_image_count(data) == 1  # the duct's snapshot


def test_regenerated_minutes_keep_the_meeting_s_outcome_after_the_issues_move_on(project):
    site = samples.make_site(project)
    meeting = samples.hold_meeting(project, site)
    project.meetings.close(meeting.id, "alice")
    duct = project.issues.get(site.duct.id)
    project.issues.save(replace(duct, status="Closed", assigned_to=None), "bob")
    again = gather_minutes(project, meeting.id, "en", now=samples.NOW)
    (duct_item,) = [i for i in again.items if i.issue_id == site.duct.id]
    assert (duct_item.status_change, duct_item.owner) == ("Open → In progress", "Éloïse Durand")
    summary = {line.trade: line for line in again.trade_summary}
    assert (summary["HVAC"].discussed, summary["HVAC"].actions_open) == (1, 1)
    assert (summary["Electrical"].closed, summary["No trade"].discussed) == (1, 0)
    html_data = generate_minutes(project, meeting.id, "html", "carol")
    assert project.meetings.minutes_data(meeting.id, "html") == html_data
    assert {m.format for m in project.meetings.minutes(meeting.id)} == {"html"}


def test_gathering_minutes_reports_progress_and_can_be_cancelled(project):
    meeting = samples.hold_meeting(project, samples.make_site(project))
    calls = []
    gather_minutes(project, meeting.id, progress=lambda done, total, message: calls.append((done, total)))
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(Cancelled):
        generate_minutes(project, meeting.id, "pdf", "alice", cancel=lambda: True)
    assert project.meetings.minutes(meeting.id) == []


def test_minutes_of_an_unknown_meeting_are_refused(project):
    with pytest.raises(NotFound, match="99"):
        generate_minutes(project, 99, "pdf", "alice")
