"""Guessing a model's trade (corps d'état) from its file name, else from its content."""

from __future__ import annotations

import pytest

from bim.elements import index_model
from bim.ifc_file import open_ifc
from bim.trades import TRADE_BY_CODE, TRADES, guess_trade, trade_name


@pytest.mark.parametrize("file_name, trade", [
    ("demo-ARC-architecture.ifc", "ARC"),
    ("demo-STR-structure.ifc", "STR"),
    ("demo-CVC-hvac.ifc", "CVC"),
    ("demo-PLB-plumbing.ifc", "PLB"),
    ("demo-ELE-electrical.ifc", "ELE"),
    ("duplex-electrical.ifc", "ELE"),
    ("Ifc2x3_Duplex_Architecture.ifc", "ARC"),
    ("schependomlaan-root-staal.ifc", "STR"),
    ("carwash-tekla.ifc", "STR"),
    ("LOT 03 - Gros-Oeuvre.ifc", "STR"),
    ("Projet_CVC_R+1.ifc", "CVC"),
    ("maquette-plomberie-sanitaire.ifc", "PLB"),
    ("BAT-A Électricité CFO.ifc", "ELE"),
    ("vrd-terrain.ifczip", "VRD"),
    ("MEP_Ventilation.ifc", "CVC"),
    ("plumbing.ifc", "PLB"),
    ("Structural model v2.ifc", "STR"),
    ("lighting-level-1.ifc", "ELE"),
])
def test_a_trade_is_guessed_from_words_of_the_file_name(file_name, trade):
    assert guess_trade(file_name) == trade


@pytest.mark.parametrize("file_name", ["restaurant.ifc", "office-a.ifc", "elevation.ifc", "strasbourg.ifc",
                                       "gothic-chapel.ifc", "archive2019.ifc"])
def test_a_name_with_no_trade_word_says_nothing_and_falls_back_to_architecture(file_name):
    # Short codes count as whole words only: "elevation" is not ELE, "strasbourg" not STR, "gothic" not GO.
    assert guess_trade(file_name) == "ARC"


def test_the_file_name_wins_over_the_content():
    assert guess_trade("structure.ifc", ["IfcDuctSegment"] * 10) == "STR"


@pytest.mark.parametrize("trade", ["ARC", "STR", "CVC", "PLB", "ELE"])
def test_a_trade_is_guessed_from_the_classes_of_a_demo_file_with_a_neutral_name(demo_project, trade):
    classes = [e.ifc_class for e in index_model(open_ifc(demo_project.paths[trade])).elements]
    assert guess_trade("model.ifc", classes) == trade


@pytest.mark.parametrize("name, trade", [
    ("duplex-electrical", "ELE"), ("schependomlaan-root-staal", "STR"),
    ("samplehouse-ifc4", "ARC"), ("fzk-haus-ifc4", "ARC"),
])
def test_a_trade_is_guessed_from_the_classes_of_real_models(corpus_model, name, trade):
    classes = [e.ifc_class for e in index_model(open_ifc(corpus_model(name))).elements]
    assert guess_trade("export.ifc", classes) == trade


def test_an_architecture_model_with_some_beams_and_sinks_stays_architecture():
    classes = ["IfcWall"] * 10 + ["IfcDoor"] * 4 + ["IfcSpace"] * 4 + ["IfcBeam"] * 12 + ["IfcSanitaryTerminal"] * 2
    assert guess_trade("model.ifc", classes) == "ARC"


def test_a_model_with_nothing_to_go_by_is_architecture():
    assert guess_trade("model.ifc") == guess_trade("model.ifc", []) == "ARC"


def test_every_trade_has_a_translated_name_and_a_colour():
    assert len({t.code for t in TRADES}) == len(TRADES) == len(TRADE_BY_CODE)
    assert trade_name("CVC") == "HVAC"
    assert trade_name("XYZ") == "XYZ"
    assert all(len(t.colour) == 3 and all(0 <= c <= 255 for c in t.colour) for t in TRADES)
