"""Deadline alerts in the real window: badge, notification list, desktop notification and the Alerts settings tab.

The window's clock (``alert_features.now``) is replaced so a test can move time
forward and watch issues get at risk, then overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from project_db import open_project
from project_db.alert_rules import ASSIGNEE, AlertRule, load_alert_rules, save_alert_rules
from project_db.records import Issue, User

TIMEOUT = 20_000
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
ANNE = "anne.roux@bet-fluides.fr"


@pytest.fixture
def project_path(tmp_path):
    """A project with three issues created at T0 under the default delays: a High CVC one (7 days) assigned
    to Anne, a Critical ELE one (3 days) and a Normal PLB one (15 days) assigned to Bruno."""
    path = tmp_path / "chantier.synthese"
    with open_project(path, create=True) as project:
        project.settings.save_user(User(name="Anne Roux", email=ANNE), "coordinator")
        project.settings.save_user(User(name="Bruno", email="bruno@elec.fr"), "coordinator")
        issues = project.issues
        issues.create(Issue(title="Gaine en conflit", priority="High", responsible_trade="CVC", assigned_to=ANNE,
                            creation_date=T0), "coordinator")
        issues.create(Issue(title="Chemin de câbles", priority="Critical", responsible_trade="ELE",
                            creation_date=T0), "coordinator")
        issues.create(Issue(title="Réseau EU", priority="Normal", responsible_trade="PLB",
                            assigned_to="bruno@elec.fr", creation_date=T0), "coordinator")
    return path


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime):
        self.time = now

    def __call__(self) -> datetime:
        return self.time


def open_as_anne(qtbot, window, path, clock: Clock):
    """Open the project in ``window`` as Anne Roux, with the test's clock, and wait for the first computation."""
    features = window.alert_features
    features.now = clock
    features.session.author = "Anne Roux"
    fired = []
    features.notified.connect(fired.append)
    window.issue_features.open_project(str(path))
    qtbot.waitUntil(lambda: features.computed_at == clock.time, timeout=TIMEOUT)
    return features, fired


def advance(qtbot, features, clock: Clock, to: datetime) -> None:
    """Move the clock to ``to`` and wait until the badge shows the deadlines at that moment."""
    clock.time = to
    features.refresh()
    qtbot.waitUntil(lambda: features.computed_at == to, timeout=TIMEOUT)


def test_the_badge_counts_my_issues_as_time_passes_and_notifies_each_new_state_once(qtbot, window, project_path):
    clock = Clock(T0 + 2 * DAY)
    features, fired = open_as_anne(qtbot, window, project_path, clock)
    badge = features.badge
    assert badge.isVisible() and badge.text().startswith("Mine: 0 overdue · 0 at risk")
    assert fired == []

    advance(qtbot, features, clock, T0 + 6.5 * DAY)  # the CVC issue used 93 % of its 7 days
    assert badge.text().startswith("Mine: 0 overdue · 1 at risk")
    assert [(a.number, a.state) for batch in fired for a in batch] == [(1, "at_risk")]

    advance(qtbot, features, clock, T0 + 7 * DAY + timedelta(hours=5))
    assert badge.text().startswith("Mine: 1 overdue · 0 at risk") and badge.colour == "#C62828"
    assert "Whole project: 2 overdue, 0 at risk, 1 on time" in badge.toolTip()
    assert len(fired) == 2 and [a.number for a in fired[1]] == [1]
    title, text, _where = features.notifier.last
    assert title == "Issue overdue" and text == "#1 Gaine en conflit (CVC): 5 h 0 min late"
    if _where == "status bar":
        assert "Gaine en conflit" in window.statusBar().currentMessage()

    advance(qtbot, features, clock, T0 + 8 * DAY)
    assert len(fired) == 2  # still overdue: not notified again

    # "I work for ELE": its overdue issue joins my alerts, without a notification for an old state
    features.show_list()
    features.panel.set_my_trades({"ELE"})
    assert badge.text().startswith("Mine: 2 overdue · 0 at risk")
    assert len(fired) == 2

    # the next day, the project opened again: everything is "new" to the session, yet nothing is notified twice
    window.issue_features.close_project()
    qtbot.waitUntil(lambda: not badge.isVisible(), timeout=TIMEOUT)
    clock.time = T0 + 9 * DAY
    window.issue_features.open_project(str(project_path))
    qtbot.waitUntil(lambda: features.computed_at == clock.time, timeout=TIMEOUT)
    assert badge.text().startswith("Mine: 2 overdue · 0 at risk") and features.panel.my_trades() == {"ELE"}
    assert len(fired) == 2


def test_the_notification_list_shows_newest_first_unread_in_bold_and_opens_the_issue(qtbot, window, project_path):
    clock = Clock(T0 + 7.5 * DAY)
    features, _fired = open_as_anne(qtbot, window, project_path, clock)
    features.panel.set_my_trades({"ELE", "PLB"})
    qtbot.mouseClick(features.badge, Qt.LeftButton)
    assert features.dock.isVisible()
    tree = features.panel.tree
    rows = [[tree.topLevelItem(r).text(c) for c in range(5)] for r in range(tree.topLevelItemCount())]
    assert rows == [["1", "Gaine en conflit", "CVC", "Overdue", "12 h 0 min late"],  # late since day 7
                    ["2", "Chemin de câbles", "ELE", "Overdue", "4 d 12 h late"]]  # late since day 3
    assert features.panel.is_unread(0) and features.panel.is_unread(1)

    item = features.panel.item_for(2)
    tree.scrollToItem(item)
    position = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=position)  # a double-click starts with a click
    qtbot.mouseDClick(tree.viewport(), Qt.LeftButton, pos=position)
    detail = window.issue_features.detail
    qtbot.waitUntil(lambda: detail.issue_id == 2, timeout=TIMEOUT)
    assert detail.detail.issue.title == "Chemin de câbles"
    assert features.panel.is_unread(0) and not features.panel.is_unread(1)

    qtbot.mouseClick(features.panel.mark_all_button, Qt.LeftButton)
    assert not features.panel.is_unread(0) and not features.panel.mark_all_button.isEnabled()
    advance(qtbot, features, clock, T0 + 7.6 * DAY)  # read stays read across computations
    assert not features.panel.is_unread(0) and not features.panel.is_unread(1)


def test_rules_another_user_saves_change_the_badge_at_the_next_poll(qtbot, window, project_path):
    clock = Clock(T0 + 8 * DAY)
    window.issue_features.session.set_poll_interval(150)
    features, _fired = open_as_anne(qtbot, window, project_path, clock)
    assert features.badge.text().startswith("Mine: 1 overdue · 0 at risk")
    with open_project(project_path) as other:
        save_alert_rules(other, [AlertRule(priorities=("Critical",), recipients=(ANNE,), at_risk=False)], "coord")
    qtbot.waitUntil(lambda: features.rules.version == 1, timeout=TIMEOUT)
    assert features.badge.text().startswith("Mine: 1 overdue · 0 at risk")
    assert [a.number for a in features.alerts] == [2]  # the Critical ELE issue, no longer my own CVC one


def test_the_alerts_tab_of_the_project_settings_saves_the_rules(qtbot, window, project_path):
    clock = Clock(T0)
    open_as_anne(qtbot, window, project_path, clock)
    settings = window.settings_features
    settings.action.trigger()
    dialog = settings.dialog
    qtbot.waitUntil(lambda: bool(dialog.baseline.trades) and not dialog.busy, timeout=TIMEOUT)
    tab = dialog.alerts_tab
    dialog.tabs.setCurrentWidget(tab)
    assert tab.rules_list.count() == 1 and "No rules saved yet" in tab.note.text()

    row = tab.add_rule()
    tab.check(tab.trades_list, "ELE")
    tab.check(tab.priorities_list, "Critical")
    tab.notify_assignee.setChecked(False)
    tab.notify_trade.setChecked(False)
    tab.at_risk.setChecked(False)
    with qtbot.waitSignal(dialog.save_failed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "Alert rule 2 notifies nobody" in dialog.message.text()

    tab.check(tab.users_list, "bruno@elec.fr")
    assert tab.rules_list.item(row).text() == "ELE · Critical · overdue → bruno@elec.fr"
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert blocker.args[0].saved == 1 and "1 change saved" in dialog.message.text()

    with open_project(project_path) as project:
        stored = load_alert_rules(project)
    assert stored.rules[1] == AlertRule(trades=("ELE",), priorities=("Critical",), recipients=("bruno@elec.fr",),
                                        at_risk=False)
    assert stored.rules[0].recipients == (ASSIGNEE, "trade") and stored.updated_by == "Anne Roux"
    assert tab.loaded.version == 1 and "Last saved by Anne Roux" in tab.note.text()
