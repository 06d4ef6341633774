"""Deadline alert rules of a project, and the matching that decides whom an issue alerts.

A project keeps one list of rules, shared with the team as a team document (kind
``alert_rules``, see :mod:`project_db.team_documents`). A rule picks issues by trade
and by priority (empty: all of them) and names who is alerted: the issue's assignee
(``"assignee"``), the people working for its trade (``"trade"``: on a workstation,
the trades its user declared theirs) and named users (their BCF ids). An overdue
issue always fires; an issue at risk fires only under a rule that says so.

A project that never saved rules uses :data:`DEFAULT_RULES`: every issue alerts its
assignee and its trade, at risk included. The matching functions are pure: they
take deadline states (:mod:`project_db.deadlines`, computed at a given ``now``) and
return :class:`Alert` records, so they can be tested with any clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bim.i18n import _
from project_db.deadlines import AT_RISK, AT_RISK_FRACTION, OVERDUE, DeadlineState, format_lateness, newly_overdue
from project_db.errors import InvalidValue, NotFound
from project_db.schema import DbTeamDocument
from project_db.team_documents import DocumentStore

KIND = "alert_rules"
DOCUMENT_NAME = "rules"
ASSIGNEE = "assignee"  # recipient: the issue's assigned_to
TRADE = "trade"  # recipient: whoever declared the issue's trade theirs
SPECIAL_RECIPIENTS = (ASSIGNEE, TRADE)
NAMED = "named"  # reason: the user is named in a rule
FORMAT = 1

_ZERO = timedelta(0)


@dataclass(frozen=True)
class AlertRule:
    """Which issues alert whom: ``trades`` and ``priorities`` (codes; empty = all) and ``recipients``.

    ``recipients`` holds :data:`ASSIGNEE`, :data:`TRADE` and/or users' BCF ids;
    ``at_risk`` makes issues at risk (90 % of their delay consumed) alert too.
    """

    trades: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    recipients: tuple[str, ...] = (ASSIGNEE, TRADE)
    at_risk: bool = True

    def selects(self, state: DeadlineState) -> bool:
        """Whether this rule covers the issue of ``state`` in its current state."""
        if state.state != OVERDUE and not (state.state == AT_RISK and self.at_risk):
            return False
        if self.trades and state.trade not in self.trades:
            return False
        return not self.priorities or state.priority in self.priorities

    def reasons(self, state: DeadlineState, me: frozenset[str], my_trades: frozenset[str]) -> tuple[str, ...]:
        """Why the issue of ``state`` concerns the user known as ``me`` (casefolded ids) under this rule."""
        found = []
        if ASSIGNEE in self.recipients and state.assigned_to and state.assigned_to.casefold() in me:
            found.append(ASSIGNEE)
        if TRADE in self.recipients and state.trade and state.trade in my_trades:
            found.append(TRADE)
        if any(r.casefold() in me for r in self.recipients if r not in SPECIAL_RECIPIENTS):
            found.append(NAMED)
        return tuple(found)


DEFAULT_RULES = (AlertRule(),)


@dataclass(frozen=True)
class AlertRules:
    """A project's alert rules and the stored ``version`` (0: never saved, the defaults apply)."""

    rules: tuple[AlertRule, ...] = DEFAULT_RULES
    version: int = 0
    updated_by: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Alert:
    """An issue at risk or overdue that concerns a user: which one, whose trade, how late or how long left.

    ``since`` is when the issue entered its state (the due date for an overdue one),
    so alerts can be listed newest first; ``reasons`` says why it concerns the user.
    """

    issue_id: int | None
    number: int | None
    title: str
    trade: str | None
    priority: str | None
    assigned_to: str | None
    state: str
    due: datetime
    late: timedelta
    left: timedelta
    since: datetime
    reasons: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identifies the alert of one issue in one state (what "already notified" and "read" remember)."""
        return f"{self.issue_id}:{self.state}"

    @property
    def timing(self) -> str:
        """How late ("2 d 3 h late") or how long is left ("5 h 0 min left")."""
        if self.state == OVERDUE:
            return _("{late} late").format(late=format_lateness(self.late))
        return _("{left} left").format(left=format_lateness(self.left))

    @property
    def message(self) -> str:
        """The alert's text, naming the issue, its trade and how late it is."""
        return _("#{number} {title} ({trade}): {timing}").format(
            number=self.number, title=self.title, trade=self.trade or _("no trade"), timing=self.timing)


def _since(state: DeadlineState) -> datetime:
    if state.state == OVERDUE:
        return state.resolution_due
    total = state.resolution_due - state.created
    return state.created + total * AT_RISK_FRACTION if total > _ZERO else state.resolution_due


def _alert(state: DeadlineState, reasons: tuple[str, ...]) -> Alert:
    return Alert(issue_id=state.issue_id, number=state.number, title=state.title, trade=state.trade,
                 priority=state.priority, assigned_to=state.assigned_to, state=state.state,
                 due=state.resolution_due, late=state.late, left=max(_ZERO, state.resolution_due - state.now),
                 since=_since(state), reasons=reasons)


def identities(author: str, users: Iterable = ()) -> frozenset[str]:
    """Every id the user ``author`` may be named by (casefolded): the name itself and, for the
    project users whose name or e-mail it is, their name, e-mail and BCF id."""
    me = {author.casefold()} if author else set()
    for user in users:
        ids = {v.casefold() for v in (user.name, user.email, user.bcf_id) if v}
        if me & ids:
            me |= ids
    return frozenset(me)


def _rule_list(rules: AlertRules | Iterable[AlertRule]) -> tuple[AlertRule, ...]:
    return rules.rules if isinstance(rules, AlertRules) else tuple(rules)


def alerts_for(states: Iterable[DeadlineState], rules: AlertRules | Iterable[AlertRule], user: str | Iterable[str],
               my_trades: Iterable[str]) -> list[Alert]:
    """The alerts the ``rules`` give to ``user`` among ``states``, newest first.

    ``user`` is a name or BCF id, or every id of the user (see :func:`identities`);
    ``my_trades`` are the trades the user declared theirs. An issue covered by several
    rules gives one alert, with every reason.
    """
    me = frozenset(u.casefold() for u in ([user] if isinstance(user, str) else user))
    trades = frozenset(my_trades)
    rule_list = _rule_list(rules)
    alerts = []
    for state in states:
        reasons: dict[str, None] = {}
        for rule in rule_list:
            if rule.selects(state):
                reasons.update(dict.fromkeys(rule.reasons(state, me, trades)))
        if reasons:
            alerts.append(_alert(state, tuple(reasons)))
    return sorted(alerts, key=lambda a: (a.since, a.number or 0), reverse=True)


def project_alerts(states: Iterable[DeadlineState], rules: AlertRules | Iterable[AlertRule]) -> list[Alert]:
    """Every issue the ``rules`` would alert someone about, whoever they are (for project totals)."""
    rule_list = _rule_list(rules)
    return [_alert(s, ()) for s in states if any(rule.selects(s) for rule in rule_list)]


def newly_alerting(previous_states: Iterable[DeadlineState] | None,
                   current_states: Iterable[DeadlineState]) -> set[tuple[int | None, str]]:
    """(issue id, state) of the issues that became overdue or at risk since ``previous_states``.

    Overdue ones come from :func:`project_db.deadlines.newly_overdue`; an issue is newly
    at risk if it was on time (or unknown) before. ``None`` (nothing computed yet) makes
    every issue at risk or overdue new.
    """
    previous = list(previous_states or ())
    current = list(current_states)
    found = {(a.issue_id, OVERDUE) for a in newly_overdue(previous, current)}
    was = {s.issue_id for s in previous if s.state in (AT_RISK, OVERDUE)}
    found |= {(s.issue_id, AT_RISK) for s in current if s.state == AT_RISK and s.issue_id not in was}
    return found


def alerts_to_notify(previous_states: Iterable[DeadlineState] | None, current_states: Iterable[DeadlineState],
                     rules: AlertRules | Iterable[AlertRule], user: str | Iterable[str], my_trades: Iterable[str],
                     notified: Iterable[str] = ()) -> list[Alert]:
    """The user's alerts that just fired and were never notified (``notified``: their keys), by issue number."""
    current = list(current_states)
    new = newly_alerting(previous_states, current)
    done = set(notified)
    alerts = [a for a in alerts_for(current, rules, user, my_trades)
              if (a.issue_id, a.state) in new and a.key not in done]
    return sorted(alerts, key=lambda a: (a.number is None, a.number or 0))


# -- storage -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stored:
    version: int
    updated_at: datetime | None
    updated_by: str


def _stored(row: DbTeamDocument) -> _Stored:
    return _Stored(version=row.version, updated_at=row.updated_at, updated_by=row.updated_by)


def _store(project) -> DocumentStore:
    # "settings" scope: other workstations see the rules change as a settings change
    return DocumentStore(project, KIND, "settings", KIND, _stored, _("alert rules"))


def _codes(value, field: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidValue(field, value)
    return tuple(dict.fromkeys(v.strip() for v in value))


def rule_from_dict(data) -> AlertRule:
    """An :class:`AlertRule` from its stored form (:class:`InvalidValue` naming the field if malformed)."""
    if not isinstance(data, dict):
        raise InvalidValue(_("alert rule"), data)
    at_risk = data.get("at_risk", False)
    if not isinstance(at_risk, bool):
        raise InvalidValue("at_risk", at_risk)
    return AlertRule(trades=_codes(data.get("trades", []), "trades"),
                     priorities=_codes(data.get("priorities", []), "priorities"),
                     recipients=_codes(data.get("recipients", []), "recipients"), at_risk=at_risk)


def rule_to_dict(rule: AlertRule) -> dict:
    """The stored (JSON) form of a rule."""
    return {"trades": list(rule.trades), "priorities": list(rule.priorities), "recipients": list(rule.recipients),
            "at_risk": rule.at_risk}


def rules_from_payload(payload, database: str = "") -> tuple[AlertRule, ...]:
    """The rules of a stored document; :class:`InvalidValue` names the project and the problem."""
    rules = payload.get("rules") if isinstance(payload, dict) else None
    if not isinstance(rules, list):
        raise InvalidValue(_("alert rules of {database}").format(database=database or _("the project")),
                           type(rules).__name__)
    return tuple(rule_from_dict(r) for r in rules)


def load_alert_rules(project) -> AlertRules:
    """The project's alert rules (the defaults, version 0, if none were ever saved); one transaction."""
    with project.transaction() as session:
        row = session.execute(select(DbTeamDocument).where(
            DbTeamDocument.kind == KIND, DbTeamDocument.name == DOCUMENT_NAME)).scalar_one_or_none()
        if row is None or row.deleted:
            return AlertRules()
        return AlertRules(rules=rules_from_payload(row.payload, project.database), version=row.version,
                          updated_by=row.updated_by, updated_at=row.updated_at)


def save_alert_rules(project, rules: AlertRules | Iterable[AlertRule], author: str,
                     expected_version: int | None = None) -> AlertRules:
    """Store the project's alert rules and return them with their new version.

    ``expected_version`` is the version that was loaded: :class:`ConflictError` if
    someone saved the rules since (``None`` overwrites). The change is in the history.
    """
    rule_list = _rule_list(rules)
    for rule in rule_list:  # the same checks as reading back: never store what cannot be read
        rule_from_dict(rule_to_dict(rule))
    payload = {"format": FORMAT, "rules": [rule_to_dict(r) for r in rule_list]}
    stored = _store(project).save(DOCUMENT_NAME, payload, author, expected_version)
    return AlertRules(rules=rule_list, version=stored.version, updated_by=stored.updated_by,
                      updated_at=stored.updated_at)


def alert_rules_history(project) -> tuple:
    """Who saved the alert rules and when, oldest first (empty if never saved)."""
    try:
        return _store(project).history(DOCUMENT_NAME)
    except NotFound:
        return ()
