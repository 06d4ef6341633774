"""Project settings: French-practice defaults, edits with history, nothing deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from project_db.errors import InvalidValue
from project_db.records import Trade, TradeDelay, User, VocabularyItem


def test_a_new_project_has_the_usual_french_trades_with_delays_per_priority(project):
    trades = {t.code: t for t in project.settings.trades()}
    assert {"ARC", "STR", "CVC", "PLB", "ELE", "VRD", "FAC", "MEN"} <= set(trades)
    cvc = trades["CVC"]
    assert cvc.name_fr.startswith("Chauffage") and cvc.name_en == "HVAC"
    assert cvc.colour.startswith("#")
    assert cvc.delay_for("Critical") == TradeDelay("Critical", 1, 3)
    assert cvc.name("fr") == cvc.name_fr and cvc.name("en") == "HVAC"


def test_a_new_project_has_statuses_with_exactly_one_closed_one(project):
    statuses = project.settings.statuses()
    assert [s.code for s in statuses] == ["Open", "In Progress", "Resolved", "Closed"]
    assert [s.name_fr for s in statuses] == ["Ouvert", "En cours", "Résolu", "Fermé"]
    assert [s.code for s in statuses if s.is_closed] == ["Closed"]


def test_a_new_project_has_types_priorities_stages_and_labels(project):
    assert "Clash" in [t.code for t in project.settings.issue_types()]
    assert [p.code for p in project.settings.priorities()] == ["Critical", "High", "Normal", "Low"]
    assert [s.code for s in project.settings.stages()][:3] == ["ESQ", "APS", "APD"]
    assert "Openings" in [label.code for label in project.settings.labels()]


def test_editing_a_trade_records_each_changed_field_in_the_history(project):
    cvc = project.settings.trade("CVC")
    edited = replace(cvc, colour="#0000FF", delays=(TradeDelay("Critical", 2, 5),))
    saved = project.settings.save_trade(edited, "marie")
    assert saved.colour == "#0000FF" and saved.delays == (TradeDelay("Critical", 2, 5),)
    from project_db.history import entity_history

    with project.transaction() as session:
        fields = [(h.field, h.author) for h in entity_history(session, "trade", saved.id)]
    assert ("colour", "marie") in fields and ("delays", "marie") in fields


def test_a_new_trade_can_be_added_and_a_deactivated_one_is_kept_but_hidden(project):
    project.settings.save_trade(Trade("ASC", "Ascenseurs", "Lifts", "#777777"), "marie")
    project.settings.deactivate_trade("ASC", "marie")
    assert "ASC" not in [t.code for t in project.settings.trades()]
    assert "ASC" in [t.code for t in project.settings.trades(include_inactive=True)]


def test_users_are_added_edited_and_deactivated_never_deleted(project):
    user = project.settings.save_user(User("Marie Curie", "marie@example.fr", "coordinator"), "admin")
    assert user.bcf_id == "marie@example.fr"
    project.settings.save_user(replace(user, role="bim_manager"), "admin")
    project.settings.deactivate_user(user.id, "admin")
    assert project.settings.users() == ()
    (kept,) = project.settings.users(include_inactive=True)
    assert (kept.role, kept.active) == ("bim_manager", False)


def test_a_vocabulary_value_can_be_added_and_an_unknown_kind_is_refused(project):
    project.settings.save_vocabulary(VocabularyItem("status", "Rejected", "Rejeté", "Rejected", 9, True), "admin")
    assert project.settings.statuses()[-1].code == "Rejected"
    with pytest.raises(InvalidValue):
        project.settings.vocabulary("colour")


def test_the_contractual_due_date_follows_the_trade_and_the_priority(project):
    start = datetime(2025, 3, 3, tzinfo=timezone.utc)
    assert project.settings.suggest_due_date("PLB", "High", start) == datetime(2025, 3, 10, tzinfo=timezone.utc)
    assert project.settings.suggest_due_date(None, "High", start) is None


def test_a_settings_change_shows_up_in_the_change_poll(project):
    token = project.changes_since(0).token
    project.settings.save_user(User("Paul"), "admin")
    changes = project.changes_since(token)
    assert changes.settings_changed and not changes.issue_ids
