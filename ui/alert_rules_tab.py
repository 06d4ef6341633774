"""The "Alerts" tab of the Project settings dialog: the project's deadline alert rules.

Each rule picks issues by trade and priority (none checked: all) and says who is
alerted (the assignee, the people working for the issue's trade, named users) and
whether an issue at risk alerts too (an overdue one always does). The rules are one
team document (:mod:`project_db.alert_rules`), saved with the other settings and
optimistically locked: rules someone else saved meanwhile are reported, not overwritten.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from bim.i18n import _
from project_db.alert_rules import ASSIGNEE, SPECIAL_RECIPIENTS, TRADE, AlertRule, AlertRules, save_alert_rules
from project_db.errors import ConflictError

CODE = Qt.UserRole


def _check_list() -> QListWidget:
    widget = QListWidget()
    widget.setMinimumHeight(90)
    return widget


def _fill(widget: QListWidget, items: list[tuple[str, str]], checked) -> None:
    widget.blockSignals(True)
    widget.clear()
    for code, text in items:
        item = QListWidgetItem(text)
        item.setData(CODE, code)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked if code in checked else Qt.Unchecked)
        widget.addItem(item)
    widget.blockSignals(False)


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(widget.item(i).data(CODE) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.Checked)


def describe_rule(rule: AlertRule) -> str:
    """One line summing up a rule, for the rules list."""
    trades = ", ".join(rule.trades) if rule.trades else _("all trades")
    priorities = ", ".join(rule.priorities) if rule.priorities else _("all priorities")
    names = {ASSIGNEE: _("assignee"), TRADE: _("trade")}
    who = ", ".join(names.get(r, r) for r in rule.recipients) or _("nobody")
    states = _("overdue and at risk") if rule.at_risk else _("overdue")
    return _("{trades} · {priorities} · {states} → {who}").format(trades=trades, priorities=priorities,
                                                                 states=states, who=who)


class AlertRulesTab(QWidget):
    """Edits a list of :class:`AlertRule`: the rules on the left, the selected one's editor on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loaded = AlertRules()
        self.rules: list[AlertRule] = []
        self.error: str | None = None
        self._trades: list[tuple[str, str]] = []
        self._priorities: list[tuple[str, str]] = []
        self._users: list[tuple[str, str]] = []
        self.rules_list = QListWidget()
        self.rules_list.setWordWrap(True)
        self.rules_list.currentRowChanged.connect(self._show_rule)
        self.add_button = QPushButton(_("Add rule"))
        self.remove_button = QPushButton(_("Remove rule"))
        self.add_button.clicked.connect(lambda: self.add_rule())
        self.remove_button.clicked.connect(self.remove_selected)
        self.trades_list = _check_list()
        self.priorities_list = _check_list()
        self.users_list = _check_list()
        self.notify_assignee = QCheckBox(_("The issue's assignee"))
        self.notify_trade = QCheckBox(_("Everyone working for the issue's trade"))
        self.at_risk = QCheckBox(_("Also alert when an issue is at risk (90 % of its delay used)"))
        for widget in (self.trades_list, self.priorities_list, self.users_list):
            widget.itemChanged.connect(lambda _item: self._store())
        for box in (self.notify_assignee, self.notify_trade, self.at_risk):
            box.toggled.connect(lambda _checked: self._store())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._build()
        self._show_rule(-1)

    def _build(self) -> None:
        left = QVBoxLayout()
        left.addWidget(QLabel(_("Rules (an issue alerts whoever any rule names):")))
        left.addWidget(self.rules_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        self.editor = QGroupBox(_("Selected rule"))
        grid = QGridLayout(self.editor)
        grid.addWidget(QLabel(_("Trades (none checked: all):")), 0, 0)
        grid.addWidget(QLabel(_("Priorities (none checked: all):")), 0, 1)
        grid.addWidget(self.trades_list, 1, 0)
        grid.addWidget(self.priorities_list, 1, 1)
        grid.addWidget(QLabel(_("Who is notified:")), 2, 0, 1, 2)
        grid.addWidget(self.notify_assignee, 3, 0, 1, 2)
        grid.addWidget(self.notify_trade, 4, 0, 1, 2)
        grid.addWidget(QLabel(_("and these users:")), 5, 0, 1, 2)
        grid.addWidget(self.users_list, 6, 0, 1, 2)
        grid.addWidget(self.at_risk, 7, 0, 1, 2)
        grid.setColumnStretch(0, 3)  # trade names are longer than priority names
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(6, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.editor, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.note)

    # ------------------------------------------------------------------ loading

    def set_choices(self, trades, priorities, users) -> None:
        """What the rules may pick: the project's trades, priorities and users (records, inactive ones skipped)."""
        self._trades = [(t.code, f"{t.code} – {t.name()}") for t in trades if t.active]
        self._priorities = [(p.code, p.name()) for p in priorities if p.active]
        self._users = [(u.bcf_id, u.name if u.name == u.bcf_id else f"{u.name} <{u.bcf_id}>")
                       for u in users if u.active]

    def load(self, rules: AlertRules | None, error: str | None = None) -> None:
        """Show ``rules`` as loaded (or ``error``, when the stored rules cannot be read)."""
        self.error = error
        self.loaded = rules or AlertRules()
        self.rules = list(self.loaded.rules)
        self._refresh_list()
        self.rules_list.setCurrentRow(0 if self.rules else -1)
        self._show_rule(self.rules_list.currentRow())
        if error:
            self.note.setText(_("The alert rules could not be read: {error}").format(error=error))
        elif self.loaded.version == 0:
            self.note.setText(_("No rules saved yet: these defaults apply."))
        else:
            self.note.setText(_("Last saved by {who}.").format(who=self.loaded.updated_by))

    # ------------------------------------------------------------------ editing

    def add_rule(self) -> int:
        """Append a rule (all trades and priorities, to the assignee and the trade) and select it."""
        self.rules.append(AlertRule())
        self._refresh_list()
        self.rules_list.setCurrentRow(len(self.rules) - 1)
        return len(self.rules) - 1

    def remove_selected(self) -> None:
        """Remove the selected rule."""
        row = self.rules_list.currentRow()
        if row >= 0:
            del self.rules[row]
            self._refresh_list()
            self.rules_list.setCurrentRow(min(row, len(self.rules) - 1))

    def select_rule(self, row: int) -> None:
        """Show rule ``row`` in the editor."""
        self.rules_list.setCurrentRow(row)

    def check(self, widget: QListWidget, code: str, checked: bool = True) -> None:
        """Check (or uncheck) the entry ``code`` of one of the editor's lists, as a click would."""
        for i in range(widget.count()):
            if widget.item(i).data(CODE) == code:
                widget.item(i).setCheckState(Qt.Checked if checked else Qt.Unchecked)
                return
        raise KeyError(code)

    def is_changed(self) -> bool:
        """Whether the rules differ from those loaded."""
        return self.error is None and tuple(self.rules) != self.loaded.rules

    def problems(self) -> list[str]:
        """What prevents saving the rules (empty when they can be saved)."""
        return [_("Alert rule {n} notifies nobody.").format(n=i + 1)
                for i, rule in enumerate(self.rules) if not rule.recipients] if self.is_changed() else []

    def _refresh_list(self) -> None:
        current = self.rules_list.currentRow()
        self.rules_list.blockSignals(True)
        self.rules_list.clear()
        for rule in self.rules:
            self.rules_list.addItem(describe_rule(rule))
        self.rules_list.setCurrentRow(min(current, len(self.rules) - 1))
        self.rules_list.blockSignals(False)
        self.remove_button.setEnabled(bool(self.rules))

    def _show_rule(self, row: int) -> None:
        rule = self.rules[row] if 0 <= row < len(self.rules) else None
        self.editor.setEnabled(rule is not None)
        shown = rule or AlertRule(recipients=(), at_risk=False)
        known_users = {code for code, _text in self._users}
        extra = [(r, r) for r in shown.recipients if r not in SPECIAL_RECIPIENTS and r not in known_users]
        _fill(self.trades_list, self._trades + [(c, c) for c in shown.trades if c not in dict(self._trades)],
              shown.trades)
        _fill(self.priorities_list,
              self._priorities + [(c, c) for c in shown.priorities if c not in dict(self._priorities)],
              shown.priorities)
        _fill(self.users_list, self._users + extra, shown.recipients)
        for box, value in ((self.notify_assignee, ASSIGNEE in shown.recipients),
                           (self.notify_trade, TRADE in shown.recipients), (self.at_risk, shown.at_risk)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)

    def _store(self) -> None:
        row = self.rules_list.currentRow()
        if not 0 <= row < len(self.rules):
            return
        recipients = tuple(code for code, box in ((ASSIGNEE, self.notify_assignee), (TRADE, self.notify_trade))
                           if box.isChecked()) + _checked(self.users_list)
        self.rules[row] = replace(self.rules[row], trades=_checked(self.trades_list),
                                  priorities=_checked(self.priorities_list), recipients=recipients,
                                  at_risk=self.at_risk.isChecked())
        self.rules_list.item(row).setText(describe_rule(self.rules[row]))


def read_alert_rules(project) -> tuple[AlertRules | None, str | None]:
    """The project's alert rules for the tab, or the error that prevents reading them (runs in a worker)."""
    from project_db.alert_rules import load_alert_rules
    from project_db.errors import InvalidValue

    try:
        return load_alert_rules(project), None
    except InvalidValue as error:  # unreadable rules must not keep the other settings from being edited
        return None, str(error)


def save_alert_rules_edit(project, rules: tuple[AlertRule, ...], loaded: AlertRules, author: str) -> str | None:
    """Save the edited rules unless someone saved others since ``loaded``; returns the conflict's name, or None."""
    try:
        save_alert_rules(project, rules, author, expected_version=loaded.version)
    except ConflictError:
        return _("alert rules")
    return None
