"""Deadline alerts in the main window: the status-bar badge, the notification list and desktop notifications.

:func:`install` adds them (kept as ``window.alert_features``). The deadlines of the open
project are computed off the UI thread when it opens, when issues or settings change
(polling) and every minute, since time alone makes issues late. Each computation is
matched against the project's alert rules (:mod:`project_db.alert_rules`) for this
workstation's user: the issues assigned to them and those of the trades they work
for. An issue that newly becomes overdue (or at risk, where a rule asks) and concerns
them is notified once on the desktop, never twice for the same issue and state.

``now`` is the clock, a callable returning an aware UTC datetime: tests replace it
to move time forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from bim.i18n import _
from project_db.alert_rules import AlertRules, alerts_for, alerts_to_notify, identities, load_alert_rules
from project_db.deadlines import counts_by_state, deadline_report
from ui.alert_badge import AlertBadge
from ui.alert_list import AlertListPanel
from ui.alert_memory import AlertMemory
from ui.alert_notifier import DesktopNotifier
from ui.menus import coordination_menu, panels_menu

REFRESH_INTERVAL_MS = 60_000


def install(window) -> "AlertFeatures":
    """Give ``window`` deadline alerts (once; kept as ``window.alert_features``)."""
    existing = getattr(window, "alert_features", None)
    if existing is None:
        window.alert_features = existing = AlertFeatures(window)
    return existing


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class DeadlineSnapshot:
    """One computation: the project's deadline states at ``now`` and its alert rules."""

    project_key: str | None
    now: datetime
    states: list
    rules: AlertRules


def compute_deadlines(project, now: datetime, with_key: bool = False) -> DeadlineSnapshot:
    """Read the issues' deadline states at ``now`` and the alert rules (runs in a worker thread)."""
    key = project.info().project_id if with_key else None
    return DeadlineSnapshot(key, now, deadline_report(project, now), load_alert_rules(project))


class AlertFeatures(QObject):
    """The window's deadline alerts; see the module docstring."""

    updated = Signal()  # the badge and the list show a new computation
    notified = Signal(object)  # the alerts just shown as a desktop notification

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.issue_features.session
        self.now = utc_now
        self.states: list | None = None  # the last computation's states (None: none yet for this project)
        self.rules = AlertRules()
        self.alerts: list = []  # the alerts the rules give to this workstation's user, newest first
        self.totals: dict[str, int] = {}
        self.computed_at: datetime | None = None
        self.memory: AlertMemory | None = None
        self._computing = False
        self._again = False
        self.badge = AlertBadge()
        self.badge.hide()
        self.badge.clicked.connect(self.show_list)
        window.statusBar().addPermanentWidget(self.badge)
        self.panel = AlertListPanel()
        self.dock = QDockWidget(_("Deadline alerts"), window)
        self.dock.setObjectName("deadline-alerts")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        legend = getattr(window, "legend_dock", None)
        if legend is not None:  # a tab beside the legend: the tallest place on the right
            window.tabifyDockWidget(legend, self.dock)
        self.dock.hide()
        self.notifier = DesktopNotifier(window, on_click=self.show_list)
        self.timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self.timer.timeout.connect(self.refresh)
        self._add_actions()
        self._connect()

    def _add_actions(self) -> None:
        self.show_action = QAction(_("Deadline alerts"), self)
        self.show_action.setStatusTip(_("Your issues at risk or overdue, newest first"))
        self.show_action.triggered.connect(lambda _checked=False: self.show_list())
        coordination_menu(self.window).addAction(self.show_action)
        panels = panels_menu(self.window)
        if panels is not None:
            panels.addAction(self.dock.toggleViewAction())

    def _connect(self) -> None:
        session = self.session
        session.opened.connect(self._on_opened)
        session.closed.connect(self._on_closed)
        session.changed.connect(self._on_changes)
        session.vocabulary_changed.connect(lambda _vocabulary: self._offer_trades())
        self.panel.issue_activated.connect(self.open_issue)
        self.panel.mark_all_requested.connect(self.mark_all_read)
        self.panel.my_trades_changed.connect(self._on_my_trades)

    # ------------------------------------------------------------------ computing

    def refresh(self) -> None:
        """Compute the deadlines now (in the background); a request during a computation runs after it."""
        if not self.session.is_open:
            return
        if self._computing:
            self._again = True
            return
        self._computing = True
        now, with_key = self.now(), self.memory is None

        def done(snapshot: DeadlineSnapshot) -> None:
            self._computing = False
            self._apply(snapshot)
            self._run_again()

        def failed(exc: Exception) -> None:
            self._computing = False
            self.badge.set_failed(str(exc))
            self.window.statusBar().showMessage(
                _("The deadlines could not be checked: {error}").format(error=exc), 8000)
            self._run_again()

        if self.session.run(lambda project: compute_deadlines(project, now, with_key), done, failed) is None:
            self._computing = False

    def _run_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _apply(self, snapshot: DeadlineSnapshot) -> None:
        if self.memory is None:
            self.memory = AlertMemory(snapshot.project_key or self.session.target or "")
            self._offer_trades()
        me, my_trades = self.me(), self.memory.my_trades
        fired = alerts_to_notify(self.states, snapshot.states, snapshot.rules, me, my_trades, self.memory.notified)
        self.states, self.rules, self.computed_at = snapshot.states, snapshot.rules, snapshot.now
        self.alerts = alerts_for(snapshot.states, snapshot.rules, me, my_trades)
        self.totals = counts_by_state(snapshot.states)
        self._show()
        if fired:
            self.memory.add_notified(a.key for a in fired)
            self.notifier.notify(fired)
            self.notified.emit(fired)
        self.updated.emit()

    def me(self) -> frozenset[str]:
        """Every id this workstation's user may be named by in the project (name, e-mail)."""
        return identities(self.session.author, self.session.vocabulary.users)

    # ------------------------------------------------------------------ showing

    def _show(self) -> None:
        read = self.memory.read if self.memory else set()
        vocabulary = self.session.vocabulary
        self.panel.set_alerts(self.alerts, read, lambda code: vocabulary.name("trade", code))
        self.badge.set_counts(counts_by_state(self.alerts), self.totals, len(self.panel.unread_keys()))
        self.badge.show()

    def _offer_trades(self) -> None:
        if self.memory is not None:
            self.panel.set_trades(self.session.vocabulary.trades, self.memory.my_trades)

    def show_list(self) -> None:
        """Open the notification list."""
        self.dock.show()
        self.dock.raise_()
        self.panel.tree.setFocus()

    def open_issue(self, issue_id: int) -> None:
        """Open an alert's issue (with its viewpoint) and count its alerts as read."""
        keys = [a.key for a in self.alerts if a.issue_id == issue_id]
        self._mark_read(keys)
        self.window.issue_features.open_issue(issue_id, restore=True)

    def mark_all_read(self) -> None:
        """Count every alert in the list as read."""
        self._mark_read(self.panel.unread_keys())

    def _mark_read(self, keys) -> None:
        if self.memory is None or not keys:
            return
        self.memory.mark_read(keys)
        self.panel.mark_read(keys)
        self.badge.set_counts(counts_by_state(self.alerts), self.totals, len(self.panel.unread_keys()))

    # ------------------------------------------------------------------ events

    def _on_my_trades(self, codes) -> None:
        if self.memory is None:
            return
        self.memory.my_trades = codes
        if self.states is not None:
            self.alerts = alerts_for(self.states, self.rules, self.me(), set(codes))
            # the user sees these in the list as they choose: none is news for a desktop notification later
            self.memory.add_notified(a.key for a in self.alerts)
            self._show()
            self.updated.emit()

    def _on_opened(self, _project) -> None:
        self._reset()
        self.timer.start()
        self.refresh()

    def _on_closed(self) -> None:
        self._reset()
        self.timer.stop()
        self.badge.hide()
        self.panel.set_alerts([], set())
        self.panel.set_trades((), set())

    def _reset(self) -> None:
        # results of a computation for the previous project are dropped by the session
        self._computing = self._again = False
        self.states, self.memory, self.alerts, self.totals, self.computed_at = None, None, [], {}, None
        self.rules = AlertRules()

    def _on_changes(self, changes) -> None:
        if changes.issue_ids or changes.settings_changed:
            self.refresh()
