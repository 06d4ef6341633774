"""Elements and issues searched together: the group with the strongest match comes first."""

from __future__ import annotations

from bim.elements import ElementRecord
from bim.search import ElementIndex, ModelSearchIndex
from project_db.global_search import ELEMENTS, ISSUES, combine, search_everything
from project_db.records import Issue


def element_index() -> ElementIndex:
    records = [ElementRecord("2O2Fr$t4X7Zf8NOew3FLOH", "IfcDuctSegment", "Gaine CVC 12", "RDC", "Gaine rect.", 1),
               ElementRecord("1hOSvn6df7F8_7GcBWlRGQ", "IfcColumn", "Poteau C12", "R+1", "Poteau BA", 2)]
    return ElementIndex([ModelSearchIndex("cvc", records)])


def kinds(results) -> list[tuple[str, int]]:
    return [(g.kind, g.total) for g in results.groups]


def test_both_kinds_are_searched_and_grouped(project):
    project.issues.create(Issue(title="Gaine CVC trop basse"), "coordinator")
    results = search_everything(project, element_index(), "gaine")
    assert kinds(results) == [(ELEMENTS, 1), (ISSUES, 1)]  # name and title both start with it: elements first
    assert results.group(ELEMENTS).hits[0].name == "Gaine CVC 12"
    assert results.group(ISSUES).hits[0].title == "Gaine CVC trop basse"
    assert results.total == 2


def test_an_issue_number_puts_the_issues_first(project):
    for i in range(12):
        project.issues.create(Issue(title=f"Issue {i + 1}"), "coordinator")
    results = search_everything(project, element_index(), "#12")
    assert kinds(results)[0] == (ISSUES, 1)  # "#12" is number 12, and elements only contain "12"
    assert results.group(ISSUES).hits[0].number == 12


def test_a_global_id_puts_the_elements_first(project):
    project.issues.create(Issue(title="Voir 2O2Fr$t4X7Zf8NOew3FLOH et la poutre"), "coordinator")
    results = search_everything(project, element_index(), "2O2Fr$t4X7Zf8NOew3FLOH")
    assert kinds(results) == [(ELEMENTS, 1), (ISSUES, 1)]


def test_a_whole_title_beats_the_start_of_an_element_name(project):
    project.issues.create(Issue(title="Poteau"), "coordinator")
    assert kinds(search_everything(project, element_index(), "poteau")) == [(ISSUES, 1), (ELEMENTS, 1)]


def test_on_a_tie_elements_come_first_and_an_empty_group_last(project):
    project.issues.create(Issue(title="Réservation pour la gaine"), "coordinator")
    assert kinds(search_everything(project, element_index(), "aine")) == [(ELEMENTS, 1), (ISSUES, 1)]  # both inside
    assert kinds(search_everything(project, element_index(), "reservation")) == [(ISSUES, 1), (ELEMENTS, 0)]


def test_a_kind_not_searched_is_left_out_and_an_empty_search_finds_nothing():
    assert kinds(combine("x", None, None)) == []
    assert kinds(search_everything(None, element_index(), "poteau")) == [(ELEMENTS, 1)]
    assert search_everything(None, element_index(), "   ").total == 0
