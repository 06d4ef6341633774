"""Deadline alert rules: whom an issue at risk or overdue alerts (with a controlled clock), and the stored rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from project_db.alert_rules import (
    ASSIGNEE,
    NAMED,
    TRADE,
    AlertRule,
    AlertRules,
    alert_rules_history,
    alerts_for,
    alerts_to_notify,
    identities,
    load_alert_rules,
    project_alerts,
    rules_from_payload,
    save_alert_rules,
)
from project_db.deadlines import AT_RISK, OVERDUE, counts_by_state, deadline_report
from project_db.errors import ConflictError, InvalidValue
from project_db.records import Issue, User

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
ANNE = "anne@bet-fluides.fr"


def _issues(project):
    """Created at T0 with the default delays: High CVC for Anne (7 d), Critical ELE (3 d), Normal CVC (15 d)."""
    repo = project.issues
    hvac = repo.create(Issue(title="Gaine CVC", priority="High", responsible_trade="CVC", assigned_to=ANNE,
                             creation_date=T0), "a")
    electrical = repo.create(Issue(title="Chemin de câbles", priority="Critical", responsible_trade="ELE",
                                   assigned_to="bruno", creation_date=T0), "a")
    duct = repo.create(Issue(title="Réseau soufflage", priority="Normal", responsible_trade="CVC", creation_date=T0),
                       "a")
    return hvac, electrical, duct


def _numbers(alerts):
    return sorted(a.number for a in alerts)


def test_by_default_an_overdue_issue_alerts_its_assignee_and_its_trade(project):
    hvac, electrical, _duct = _issues(project)
    states = deadline_report(project, T0 + 4 * DAY)  # ELE Critical is one day late, CVC High is not yet at risk
    assert _numbers(alerts_for(states, AlertRules(), "bruno", set())) == [electrical.number]
    assert alerts_for(states, AlertRules(), ANNE, set()) == []
    by_trade = alerts_for(states, AlertRules(), "someone", {"ELE"})
    assert [(a.number, a.state, a.reasons) for a in by_trade] == [(electrical.number, OVERDUE, (TRADE,))]
    assert "Chemin de câbles" in by_trade[0].message and "ELE" in by_trade[0].message
    assert "1 d 0 h late" in by_trade[0].message
    assert hvac.number not in _numbers(project_alerts(states, AlertRules()))


def test_at_risk_alerts_only_under_rules_that_ask_for_it(project):
    hvac, _electrical, _duct = _issues(project)
    states = deadline_report(project, T0 + 6.5 * DAY)  # 93 % of the High delay consumed
    at_risk = alerts_for(states, AlertRules(), ANNE, set())
    assert [(a.number, a.state, a.timing) for a in at_risk] == [(hvac.number, AT_RISK, "12 h 0 min left")]
    overdue_only = [AlertRule(at_risk=False)]
    assert alerts_for(states, overdue_only, ANNE, set()) == []
    later = deadline_report(project, T0 + 7 * DAY + timedelta(hours=2))
    assert [(a.state, a.timing) for a in alerts_for(later, overdue_only, ANNE, set())] == [(OVERDUE, "2 h 0 min late")]


def test_rules_filter_by_trade_and_priority_and_name_who_is_alerted(project):
    hvac, electrical, duct = _issues(project)
    states = deadline_report(project, T0 + 20 * DAY)  # all three overdue
    rules = [AlertRule(trades=("CVC",), priorities=("Normal",), recipients=("claire@moe.fr",), at_risk=False),
             AlertRule(priorities=("Critical",), recipients=(ASSIGNEE,))]
    assert [(a.number, a.reasons) for a in alerts_for(states, rules, "CLAIRE@moe.fr", set())] == [
        (duct.number, (NAMED,))]
    assert _numbers(alerts_for(states, rules, "bruno", set())) == [electrical.number]
    assert alerts_for(states, rules, ANNE, {"CVC"}) == []  # no rule alerts CVC's High issues, nor by trade
    everything = [AlertRule(recipients=(ASSIGNEE, TRADE))]
    assert _numbers(alerts_for(states, everything, "x", {"CVC"})) == [hvac.number, duct.number]
    assert _numbers(project_alerts(states, rules)) == [electrical.number, duct.number]


def test_alerts_are_listed_newest_first_and_counted_by_state(project):
    hvac, electrical, duct = _issues(project)
    states = deadline_report(project, T0 + 14 * DAY)  # ELE late since day 3, CVC High since day 7, duct at risk
    alerts = alerts_for(states, AlertRules(), "x", {"CVC", "ELE"})
    assert [a.number for a in alerts] == [duct.number, hvac.number, electrical.number]
    assert counts_by_state(alerts)[OVERDUE] == 2 and counts_by_state(alerts)[AT_RISK] == 1


def test_the_user_is_recognised_by_name_or_e_mail_from_the_project_users():
    users = [User(name="Anne Roux", email=ANNE), User(name="bruno")]
    assert identities("Anne Roux", users) == {"anne roux", ANNE}
    assert identities("bruno", users) == {"bruno"}


def test_a_notification_fires_once_when_an_issue_becomes_overdue_as_the_clock_moves(project):
    hvac, _electrical, _duct = _issues(project)
    mine = {"user": ANNE, "my_trades": set()}
    rules = [AlertRule(at_risk=False)]
    before = deadline_report(project, T0 + 6 * DAY)
    assert alerts_to_notify(None, before, rules, **mine) == []
    after = deadline_report(project, T0 + 7 * DAY + timedelta(hours=3))
    fired = alerts_to_notify(before, after, rules, **mine)
    assert [(a.number, a.trade, a.late) for a in fired] == [(hvac.number, "CVC", timedelta(hours=3))]
    assert "3 h 0 min late" in fired[0].message
    later = deadline_report(project, T0 + 8 * DAY)
    assert alerts_to_notify(after, later, rules, **mine) == []  # still overdue: nothing new
    # opened again the next day: the issue is "new" to a fresh session, yet it was notified already
    assert alerts_to_notify(None, later, rules, **mine, notified={fired[0].key}) == []


def test_an_issue_at_risk_then_overdue_notifies_once_in_each_state(project):
    hvac, _electrical, _duct = _issues(project)
    on_time = deadline_report(project, T0 + 6 * DAY)
    at_risk = deadline_report(project, T0 + 6.5 * DAY)
    overdue = deadline_report(project, T0 + 7.5 * DAY)
    first = alerts_to_notify(on_time, at_risk, AlertRules(), ANNE, ())
    second = alerts_to_notify(at_risk, overdue, AlertRules(), ANNE, (), notified={a.key for a in first})
    assert [(a.number, a.state) for a in first + second] == [(hvac.number, AT_RISK), (hvac.number, OVERDUE)]


def test_a_closed_issue_never_alerts(project):
    hvac, _electrical, duct = _issues(project)
    project.issues.save(replace(project.issues.get(hvac.id), status="Closed"), "a")
    states = deadline_report(project, T0 + 30 * DAY)
    assert _numbers(alerts_for(states, AlertRules(), ANNE, {"CVC"})) == [duct.number]


def test_a_project_without_saved_rules_uses_the_defaults(project):
    rules = load_alert_rules(project)
    assert rules == AlertRules() and rules.version == 0
    assert rules.rules == (AlertRule(recipients=(ASSIGNEE, TRADE), at_risk=True),)


def test_rules_are_saved_and_read_back_with_their_version_and_history(project, second_workstation):
    rules = (AlertRule(trades=("CVC", "PLB"), priorities=("Critical", "High"), recipients=(TRADE, ANNE),
                       at_risk=True),
             AlertRule(recipients=(ASSIGNEE,), at_risk=False))
    saved = save_alert_rules(project, rules, "coordinator", expected_version=0)
    assert saved.version == 1 and saved.rules == rules
    read = load_alert_rules(second_workstation)
    assert (read.rules, read.version, read.updated_by) == (rules, 1, "coordinator")
    assert [e.field for e in alert_rules_history(project)] == ["created"]
    assert second_workstation.changes_since(0).settings_changed


def test_saving_over_rules_someone_else_saved_is_refused(project, second_workstation):
    save_alert_rules(project, [AlertRule()], "coordinator", expected_version=0)
    mine = load_alert_rules(project)
    save_alert_rules(second_workstation, [AlertRule(at_risk=False)], "other", expected_version=mine.version)
    with pytest.raises(ConflictError):
        save_alert_rules(project, [AlertRule(trades=("ELE",))], "coordinator", expected_version=mine.version)
    assert load_alert_rules(project).rules == (AlertRule(at_risk=False),)


def test_malformed_rules_are_refused_with_the_field_named(project):
    with pytest.raises(InvalidValue, match="trades"):
        save_alert_rules(project, [AlertRule(trades=("",))], "a")
    with pytest.raises(InvalidValue, match="alert rules of site.synthese"):
        rules_from_payload({"rules": "all"}, "site.synthese")
    with pytest.raises(InvalidValue, match="at_risk"):
        rules_from_payload({"rules": [{"at_risk": "yes"}]})
    assert load_alert_rules(project).version == 0  # nothing half-written
