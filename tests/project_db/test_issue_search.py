"""Searching issues: what is found, in which order, with what snippet, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from project_db.issue_search import search_issues, tier_of
from project_db.records import Issue


def create(project, title: str, **fields) -> Issue:
    return project.issues.create(Issue(title=title, **fields), "coordinator")


def found(project, text: str, limit: int = 50) -> list[tuple[int, str]]:
    """(number, matched field) of each hit, best first."""
    return [(h.number, h.matched_field) for h in search_issues(project, text, limit).hits]


def test_the_issue_number_comes_before_titles_containing_its_digits(project):
    for i in range(1, 12):
        create(project, f"Réservation n°{i}2 à prévoir")  # titles with "12", "22" … "112"
    twelfth = create(project, "Gaine mal placée")
    assert twelfth.number == 12
    for typed in ("12", "#12"):
        hits = found(project, typed)
        assert hits[0] == (12, "number")
        assert (1, "title") in hits and (11, "title") in hits  # n°12 and n°112
        assert all(field == "title" for _n, field in hits[1:])


def test_a_title_match_beats_a_comment_match_and_ties_go_to_the_newest(project):
    in_title = create(project, "Fissure dans la dalle")
    in_comment = create(project, "Dalle R+1")
    project.issues.add_comment(in_comment.id, "Une fissure est apparue.", "bet")
    also_in_title = create(project, "Seconde fissure au plafond")
    assert found(project, "fissure") == [(in_title.number, "title"), (also_in_title.number, "title"),
                                         (in_comment.number, "comment")]


def test_a_whole_title_then_its_start_then_a_word_then_anywhere(project):
    anywhere = create(project, "Autogaine")
    word = create(project, "Réseau gaine")
    start = create(project, "Gaine CVC")
    whole = create(project, "GAINE")
    assert [n for n, _f in found(project, "gaine")] == [whole.number, start.number, word.number, anywhere.number]


def test_every_field_is_searched_and_says_what_matched(project):
    labelled = create(project, "Un", labels=("Fire safety",))
    assigned = create(project, "Deux", assigned_to="bet.fluides@example.fr")
    described = create(project, "Trois", description="La gaine passe sous la poutre P12.")
    commented = create(project, "Quatre")
    project.issues.add_comment(commented.id, "Vu en réunion : reprendre le carottage.", "bet")
    assert found(project, "safety") == [(labelled.number, "label")]
    assert found(project, "fluides") == [(assigned.number, "assignee")]
    assert found(project, "poutre") == [(described.number, "description")]
    hit, = search_issues(project, "carottage").hits
    assert (hit.issue_id, hit.matched_field) == (commented.id, "comment")
    assert hit.snippet == "Vu en réunion : reprendre le carottage."
    assert (hit.title, hit.status, hit.trade) == ("Quatre", "Open", None)


@pytest.mark.parametrize("typed", ["cloison", "CLOISON", "Cloïson"])
def test_case_and_accents_do_not_matter_in_what_is_typed(project, typed):
    issue = create(project, "Cloison à percer")
    assert found(project, typed) == [(issue.number, "title")]


@pytest.mark.parametrize("typed", ["electrique", "électrique", "ÉLECTRIQUE", "elecTRIQUE"])
def test_accents_do_not_matter_in_the_issues_either(project, typed):
    accented = create(project, "Réseau ÉLECTRIQUE")
    plain = create(project, "Reseau electrique")
    commented = create(project, "Autre")
    project.issues.add_comment(commented.id, "Local électrique", "bet")
    assert sorted(found(project, typed)) == [(accented.number, "title"), (plain.number, "title"),
                                             (commented.number, "comment")]


def test_every_word_must_match_somewhere_in_the_issue(project):
    issue = create(project, "Gaine CVC", description="Conflit avec la poutre")
    create(project, "Gaine seule")
    assert found(project, "gaine poutre") == [(issue.number, "title")]
    assert found(project, "poutre gaine") == [(issue.number, "title")]
    assert found(project, "gaine zzz") == []


def test_words_may_be_in_different_comments_and_the_best_field_of_any_word_ranks(project):
    commented = create(project, "Autre")
    project.issues.add_comment(commented.id, "La gaine est trop basse.", "bet")
    project.issues.add_comment(commented.id, "Voir la poutre.", "bet")
    titled = create(project, "Poutre", labels=("Openings",))
    project.issues.add_comment(titled.id, "Gaine à dévier.", "bet")
    create(project, "Gaine seule")
    assert found(project, "gaine poutre") == [(titled.number, "title"), (commented.number, "comment")]
    assert found(project, "openings gaine") == [(titled.number, "label")]


def test_a_word_in_every_comment_counts_every_issue_and_shows_the_newest(project):
    for i in range(12):
        issue = create(project, f"Point {i}")
        for _ in range(3):
            project.issues.add_comment(issue.id, "Vu en réunion de synthèse.", "bet")
    results = search_issues(project, "REUNION", limit=5)
    assert [(h.number, h.matched_field, h.snippet) for h in results.hits] == [
        (n, "comment", "Vu en réunion de synthèse.") for n in (12, 11, 10, 9, 8)]
    assert (results.total, results.more) == (12, 7)


def test_deleted_issues_and_comments_are_not_found(project):
    gone = create(project, "Doublon fissure")
    project.issues.delete(gone, "coordinator")
    kept = create(project, "Autre")
    comment = project.issues.add_comment(kept.id, "fissure", "bet")
    project.issues.delete_comment(comment.id, "bet")
    assert found(project, "fissure") == []


def test_results_are_limited_and_the_total_says_how_many_more(project):
    for i in range(7):
        create(project, f"Trémie {i}")
    results = search_issues(project, "tremie", limit=3)
    assert [h.number for h in results.hits] == [7, 6, 5]
    assert (results.total, results.more) == (7, 4)


def test_wildcards_and_quotes_are_taken_literally(project):
    percent = create(project, "Pente 50% trop forte")
    create(project, "Pente 500 mm")
    quoted = create(project, "Mur 'porteur' [R+1] (à voir)")
    assert found(project, "50%") == [(percent.number, "title")]
    assert found(project, "'porteur'") == [(quoted.number, "title")]
    assert found(project, "[r+1]") == [(quoted.number, "title")]
    assert found(project, "(à") == [(quoted.number, "title")]
    assert search_issues(project, "  ").total == search_issues(project, "%").total == 0


def test_an_edited_title_is_found_at_once(project):
    issue = create(project, "Ancien titre")
    project.issues.save(replace(project.issues.get(issue.id), title="Nouveau titre"), "coordinator")
    assert found(project, "nouveau") == [(issue.number, "title")]
    assert found(project, "ancien") == []


def test_how_a_word_occurs_in_a_text():
    assert [tier_of("gaine cvc", w) for w in ("gaine cvc", "gaine", "cvc", "aine", "zz")] == [0, 1, 2, 3, None]
    assert tier_of("l'entreprise", "entreprise") == 2
