"""Finding elements of the federation by GlobalId, name, class, type, storey or property value."""

from __future__ import annotations

import pytest

from bim import search
from bim.elements import ElementRecord
from bim.federation import Federation, load_model
from bim.search import (
    INSIDE, NAME_START, WHOLE_NAME, WORD_START, ElementIndex, ModelSearchIndex, federation_index, fold, match_spans,
    model_index, query_words, search_elements, snippet,
)


@pytest.fixture(scope="module")
def federation(demo_project):
    federation = Federation()
    for trade in ("ARC", "STR", "ELE"):
        federation.add(load_model(demo_project.paths[trade]))
    return federation


def gids(hits):
    return [h.key[1] for h in hits]


def test_a_global_id_typed_whole_finds_its_element_first(demo_project, federation):
    gid = demo_project.global_id("STR", "RDC/col-C2")
    for typed in (gid, gid.lower(), f"  {gid} "):
        hits = search_elements(federation, typed)
        assert hits[0].key == ("demo-STR-structure", gid)
        assert (hits[0].field, hits[0].matched, hits[0].name) == ("GlobalId", gid, "Poteau C2")


def test_a_fragment_of_a_global_id_ranks_after_names_that_match(demo_project, federation):
    # "p1" happens to occur in two GlobalIds of the demo; the user means partition P1.
    assert any("p1" in s.global_id.lower() for s in demo_project.elements if s.key != "RDC/wall-P1")
    hits = search_elements(federation, "p1")
    assert [h.name for h in hits[:2]] == ["Cloison P1", "Cloison P1"]
    assert all(h.field != "GlobalId" for h in hits[:2])


def test_a_global_id_can_still_be_found_from_its_first_letters(demo_project, federation):
    gid = demo_project.global_id("ELE", "RDC/tray-COL")
    hits = search_elements(federation, gid[:12])
    assert gid in gids(hits)


def test_a_name_matches_from_its_start_before_anywhere_inside(federation):
    hits = search_elements(federation, "poteau")
    assert [h.name for h in hits] == ["Poteau C1", "Poteau C1", "Poteau C2", "Poteau C2", "Poteau C3", "Poteau C3"]
    assert {h.field for h in hits} == {"Name"}


@pytest.mark.parametrize("typed", ["wall", "Wall", "IfcWall", "ifcwall"])
def test_a_class_is_found_with_or_without_its_ifc_prefix(demo_project, federation, typed):
    hits = search_elements(federation, typed)
    walls = {s.global_id for s in demo_project.by_trade("ARC") if s.ifc_class == "IfcWall"}
    assert set(gids(hits)) == walls
    assert {h.ifc_class for h in hits} == {"IfcWall"}


def test_a_storey_finds_what_stands_on_it(demo_project, federation):
    hits = search_elements(federation, "R+1")
    expected = {s.global_id for s in demo_project.elements
                if s.trade in ("ARC", "STR", "ELE") and s.storey == "R+1" and s.contained}
    assert set(gids(hits)) == expected
    assert {h.field for h in hits} <= {"Name", "Storey"}  # R+1-01… are space numbers


def test_a_property_value_finds_the_elements_that_have_it(demo_project, federation):
    hits = search_elements(federation, "REI 60")
    found = set(gids(hits))
    assert demo_project.global_id("ARC", "RDC/wall-E") in found
    assert demo_project.global_id("STR", "RDC/slab") in found
    assert demo_project.global_id("ARC", "R+1/wall-E") not in found  # no FireRating on purpose
    assert demo_project.global_id("ARC", "RDC/wall-P1") not in found  # EI 30
    assert all(h.field == "Property" and "rei 60" in h.matched.lower() for h in hits)
    assert search_elements(federation, "REI 60", include_properties=False) == []


def test_every_word_must_match(demo_project, federation):
    hits = search_elements(federation, "poutre b1")
    assert set(gids(hits)) == {demo_project.global_id("STR", k) for k in ("RDC/beam-B1", "R+1/beam-B1")}
    assert search_elements(federation, "cloison zzzz") == []


def test_an_empty_search_finds_nothing_and_the_limit_is_kept(federation):
    assert search_elements(federation, "") == search_elements(federation, "   ") == []
    assert len(search_elements(federation, "r", limit=5)) == 5


def test_hits_carry_the_model_id_so_repeated_global_ids_stay_apart(demo_project, federation):
    twice = Federation()
    for _ in range(2):
        twice.add(load_model(demo_project.paths["STR"]))
    hits = search_elements(twice, demo_project.global_id("STR", "RDC/beam-B1"))
    assert [h.key[0] for h in hits[:2]] == ["demo-STR-structure", "demo-STR-structure (2)"]


# --- the prebuilt index: ranking, accents, many elements -------------------------------------------

def record(gid: str, name: str, ifc_class: str = "IfcWall", storey: str = "RDC", type_name: str = "",
           step: int = 1) -> ElementRecord:
    return ElementRecord(gid, ifc_class, name, storey, type_name, step)


def names(results) -> list[str]:
    return [h.name for h in results.hits]


def test_a_whole_global_id_beats_elements_that_only_contain_it():
    index = ElementIndex([ModelSearchIndex("m", [
        record("x0abc", "Autre"),  # the typed text inside another GlobalId
        record("1xyz", "Gaine 0abc-2"),  # a word of its name starts with it
        record("0abc", "Gaine"),
    ])])
    results = index.search("0ABC")  # GlobalIds are matched whatever the case typed
    assert [(h.key[1], h.field) for h in results.hits] == [("0abc", "GlobalId"), ("1xyz", "Name"),
                                                          ("x0abc", "GlobalId")]
    assert [h.tier for h in results.hits] == [0, WORD_START, INSIDE]


def test_whole_name_then_start_then_word_start_then_anywhere():
    index = ElementIndex([ModelSearchIndex("m", [
        record("1", "Dégaine"), record("2", "Réseau gaine soufflage"), record("3", "Gaine CVC"), record("4", "Gaine"),
    ])])
    results = index.search("gaine")
    assert names(results) == ["Gaine", "Gaine CVC", "Réseau gaine soufflage", "Dégaine"]
    assert [h.tier for h in results.hits] == [WHOLE_NAME, NAME_START, WORD_START, INSIDE]


def test_fields_rank_name_type_class_storey_property_within_the_same_kind_of_match():
    records = [record("1", "Z storey", storey="Plénum"), record("2", "Y type", type_name="Plénum béton"),
               record("3", "X property"), record("4", "W name Plénum")]
    index = ElementIndex([ModelSearchIndex("m", records, [(), (), ("Plénum technique",), ()])])
    results = index.search("plenum")
    assert [(h.name, h.field) for h in results.hits] == [
        ("Z storey", "Storey"),  # the whole storey: a whole value beats the start of a word
        ("W name Plénum", "Name"), ("Y type", "Type"), ("X property", "Property")]


@pytest.mark.parametrize("typed", ["cloison", "CLOISON", "Cloison", "cloïson"])
def test_case_and_accents_do_not_matter_in_what_is_typed(federation, typed):
    assert {h.name for h in search_elements(federation, typed)} == {"Cloison P1", "Cloison P2"}


@pytest.mark.parametrize("typed", ["exterieur", "extérieur", "EXTÉRIEUR", "ExtErIeUr"])
def test_accents_do_not_matter_in_the_model_either(federation, typed):
    hits = search_elements(federation, typed)
    assert hits and all("Mur extérieur" in h.name for h in hits)


def test_fold_keeps_one_character_for_one():
    assert fold("Électrique Œuvre ﬁn") == "electrique œuvre ﬁn"
    assert len(fold("Ǆ²ﬁÅ")) == 4
    assert snippet("Vu en réunion de synthèse, à reprendre.", ["synthese"], width=20) == "…on de synthèse, à re…"


def marked(text: str, spans) -> str:
    """``text`` with each span put in [brackets], to read what a span covers."""
    for start, length in reversed(spans):
        text = text[:start] + "[" + text[start:start + length] + "]" + text[start + length:]
    return text


@pytest.mark.parametrize("typed", ["electrique", "ÉLECTRIQUE", "Electrique", "électrique"])
def test_match_spans_mark_a_word_whatever_its_accents_and_case(typed):
    text = "Chemin de câbles Électrique"
    assert match_spans(text, query_words(typed)) == [(17, 10)]
    assert marked(text, match_spans(text, query_words(typed))) == "Chemin de câbles [Électrique]"


def test_match_spans_mark_every_occurrence_of_every_word_in_order():
    text = "Gaine CVC sous la gaine technique, dégainé"
    assert marked(text, match_spans(text, ["technique", "gaine"])) == \
        "[Gaine] CVC sous la [gaine] [technique], dé[gainé]"


def test_overlapping_and_touching_words_make_one_span():
    assert match_spans("Poteau C2", ["pot", "poteau", "teau"]) == [(0, 6)]
    assert match_spans("Poteau C2", ["pot", "eau"]) == [(0, 6)]  # touching: one bold run
    assert match_spans("aaaa", ["aa"]) == [(0, 4)]  # occurrences overlapping each other
    assert match_spans("Poteau C2", ["po", "c2"]) == [(0, 2), (7, 2)]


def test_match_spans_find_nothing_without_a_match_or_words():
    assert match_spans("Poteau C2", ["cloison"]) == []
    assert match_spans("Poteau C2", []) == []
    assert match_spans("Poteau C2", [""]) == []
    assert match_spans("", ["poteau"]) == []


def test_match_spans_keep_their_place_after_letters_that_fold_to_several_elsewhere():
    # "İ".lower() and "ß".upper() change length, "ﬁ" decomposes into two letters: fold keeps
    # one character for one, so what follows them is marked where it stands in the original.
    for text, word, expected in [("İSTANBUL électrique", "electrique", "İSTANBUL [électrique]"),
                                 ("Straße Électrique", "electrique", "Straße [Électrique]"),
                                 ("ﬁnition Œuvre béton", "beton", "ﬁnition Œuvre [béton]"),
                                 ("🔥 Poteau", "poteau", "🔥 [Poteau]"),
                                 ("İstanbul", "istanbul", "[İstanbul]")]:
        assert len(fold(text)) == len(text)
        assert marked(text, match_spans(text, [word])) == expected


def test_match_spans_fold_the_words_given_too():
    assert match_spans("Électrique", ["ÉLEC"]) == [(0, 4)]


def test_the_total_counts_every_match_beyond_the_limit(federation):
    results = federation_index(federation).search("r", limit=5)
    assert len(results.hits) == 5
    assert results.total == len(search_elements(federation, "r", limit=10_000)) > 5
    assert results.more == results.total - 5


def test_the_index_is_built_once_per_model_and_reused(federation):
    model = next(iter(federation))
    first = model_index(model)
    assert model_index(model) is first
    assert federation_index(federation, include_properties=False).models[0] is first or \
        federation_index(federation, include_properties=False).models[0].records is first.records


def many_records(n: int) -> tuple[list[ElementRecord], list[tuple[str, ...]]]:
    names = ("Gaine CVC {i}", "Mur béton {i}", "Poteau C{i}", "Dégaine {i}", "Chemin de câbles {i}", "Gaine")
    classes = ("IfcDuctSegment", "IfcWall", "IfcColumn", "IfcDuctFitting", "IfcCableCarrierSegment", "IfcWall")
    storeys = ("RDC", "R+1", "R+2", "Gaine technique")
    records, props = [], []
    for i in range(n):
        k = i % len(names)
        records.append(record(f"G{i:05d}gA", names[k].format(i=i % 97), classes[k], storeys[i % 4],
                              ("Gaine rect.", "", "Béton armé", "", "Poteau acier")[i % 5], i))
        props.append(("EI 60" if i % 5 else "REI 60", "Acier galvanisé" if i % 3 else "Béton"))
    return records, props


@pytest.mark.parametrize("typed", ["gaine", "g", "ga", "r+1", "ei 60", "béton", "beton arme", "60", "g0001", "duct",
                                   "ifcwall", "poteau c1", "zzz", "a", "rdc"])
def test_many_elements_rank_exactly_as_few_do(monkeypatch, typed):
    # Past DIRECT_RANKING candidates the ranks come from sorted keys; they must agree with ranking one by one.
    records, props = many_records(3000)
    index = ElementIndex([ModelSearchIndex("m", records, props)])
    for limit in (50, 3000):  # the best ones, and every one in order
        fast = index.search(typed, limit=limit)
        with monkeypatch.context() as patch:
            patch.setattr(search, "DIRECT_RANKING", 10**9)
            slow = index.search(typed, limit=limit)
        assert fast == slow
