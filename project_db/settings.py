"""Project settings: trades (with contractual delays), users, and the issue vocabularies.

Nothing is deleted: a trade, user or value that is no longer wanted is deactivated,
so old issues that use it still read correctly. Every change goes to the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from project_db import history
from project_db.changes import next_seq
from project_db.errors import InvalidValue, NotFound
from project_db.records import VOCABULARY_KINDS, Trade, TradeDelay, User, VocabularyItem
from project_db.schema import DbTrade, DbTradeDelay, DbUser, DbVocabulary

if TYPE_CHECKING:
    from project_db.connection import Project


class SettingsRepository:
    """Reads and edits one project's settings; each call is its own transaction."""

    def __init__(self, project: "Project"):
        self.project = project

    # -- trades ------------------------------------------------------------------------

    def trades(self, include_inactive: bool = False) -> tuple[Trade, ...]:
        """The project's trades in display order."""
        with self.project.transaction() as session:
            return load_trades(session, include_inactive)

    def trade(self, code: str) -> Trade:
        """One trade by code (:class:`NotFound` if unknown)."""
        for trade in self.trades(include_inactive=True):
            if trade.code == code:
                return trade
        raise NotFound("trade", code)

    def save_trade(self, trade: Trade, author: str) -> Trade:
        """Create or update the trade with ``trade.code``; its delays are replaced as given."""
        if not trade.code.strip():
            raise InvalidValue("code", trade.code)
        with self.project.transaction() as session:
            next_seq(session, "settings")
            row = session.execute(select(DbTrade).where(DbTrade.code == trade.code)).scalar_one_or_none()
            before = _trade(row, _delays(session, row.id)) if row else None
            if row is None:
                row = DbTrade(code=trade.code)
                session.add(row)
            for name in ("name_fr", "name_en", "colour", "sort_order", "active"):
                setattr(row, name, getattr(trade, name))
            session.flush()
            for old in _delay_rows(session, row.id):
                session.delete(old)
            session.flush()
            for delay in trade.delays:
                session.add(DbTradeDelay(trade_id=row.id, priority=delay.priority,
                                         response_days=delay.response_days, resolution_days=delay.resolution_days))
            session.flush()
            after = _trade(row, _delays(session, row.id))
            _record_changes(session, author, "trade", row.id, before, after,
                            ("name_fr", "name_en", "colour", "sort_order", "active", "delays"))
            return after

    def deactivate_trade(self, code: str, author: str) -> Trade:
        """Hide a trade from new issues; existing issues keep it."""
        return self.save_trade(replace(self.trade(code), active=False), author)

    def suggest_due_date(self, trade_code: str | None, priority: str | None, start: datetime) -> datetime | None:
        """The contractual resolution date for an issue of ``priority`` given to ``trade_code`` on ``start``."""
        if not trade_code:
            return None
        delay = self.trade(trade_code).delay_for(priority)
        return start + timedelta(days=delay.resolution_days) if delay else None

    # -- users -------------------------------------------------------------------------

    def users(self, include_inactive: bool = False) -> tuple[User, ...]:
        """The project's members, by name."""
        with self.project.transaction() as session:
            query = select(DbUser).order_by(DbUser.name, DbUser.id)
            if not include_inactive:
                query = query.where(DbUser.active.is_(True))
            return tuple(_user(r) for r in session.execute(query).scalars())

    def save_user(self, user: User, author: str) -> User:
        """Create a user (``id`` None) or update the one with ``user.id``."""
        if not user.name.strip():
            raise InvalidValue("name", user.name)
        with self.project.transaction() as session:
            next_seq(session, "settings")
            row = session.get(DbUser, user.id) if user.id is not None else None
            if user.id is not None and row is None:
                raise NotFound("user", user.id)
            before = _user(row) if row else None
            if row is None:
                row = DbUser()
                session.add(row)
            row.name, row.email, row.role, row.active = user.name, user.email or None, user.role, user.active
            session.flush()
            after = _user(row)
            _record_changes(session, author, "user", row.id, before, after, ("name", "email", "role", "active"))
            return after

    def deactivate_user(self, user_id: int, author: str) -> User:
        """Mark a user as gone; their name stays on what they wrote."""
        current = next((u for u in self.users(include_inactive=True) if u.id == user_id), None)
        if current is None:
            raise NotFound("user", user_id)
        return self.save_user(replace(current, active=False), author)

    # -- vocabularies ------------------------------------------------------------------

    def vocabulary(self, kind: str, include_inactive: bool = False) -> tuple[VocabularyItem, ...]:
        """The allowed values of one kind ("type", "status", "priority", "label", "stage"), in order."""
        _check_kind(kind)
        with self.project.transaction() as session:
            return load_vocabulary(session, kind, include_inactive)

    def issue_types(self) -> tuple[VocabularyItem, ...]:
        """Active issue types."""
        return self.vocabulary("type")

    def statuses(self) -> tuple[VocabularyItem, ...]:
        """Active statuses; ``is_closed`` tells which count as done."""
        return self.vocabulary("status")

    def priorities(self) -> tuple[VocabularyItem, ...]:
        """Active priorities, most urgent first."""
        return self.vocabulary("priority")

    def labels(self) -> tuple[VocabularyItem, ...]:
        """Active labels."""
        return self.vocabulary("label")

    def stages(self) -> tuple[VocabularyItem, ...]:
        """Active project stages (phases)."""
        return self.vocabulary("stage")

    def save_vocabulary(self, item: VocabularyItem, author: str) -> VocabularyItem:
        """Create or update the value ``item.code`` of ``item.kind``."""
        _check_kind(item.kind)
        if not item.code.strip():
            raise InvalidValue("code", item.code)
        with self.project.transaction() as session:
            next_seq(session, "settings")
            row = session.execute(
                select(DbVocabulary).where(DbVocabulary.kind == item.kind, DbVocabulary.code == item.code)
            ).scalar_one_or_none()
            before = _vocabulary(row) if row else None
            if row is None:
                row = DbVocabulary(kind=item.kind, code=item.code)
                session.add(row)
            for name in ("name_fr", "name_en", "sort_order", "is_closed", "active"):
                setattr(row, name, getattr(item, name))
            session.flush()
            after = _vocabulary(row)
            _record_changes(session, author, "vocabulary", row.id, before, after,
                            ("name_fr", "name_en", "sort_order", "is_closed", "active"))
            return after

    def deactivate_vocabulary(self, kind: str, code: str, author: str) -> VocabularyItem:
        """Stop offering a value; issues that use it keep it."""
        current = next((v for v in self.vocabulary(kind, include_inactive=True) if v.code == code), None)
        if current is None:
            raise NotFound(kind, code)
        return self.save_vocabulary(replace(current, active=False), author)


# -- helpers shared with the issue repository and the BCF import ------------------------


def load_trades(session: Session, include_inactive: bool = False) -> tuple[Trade, ...]:
    """Every trade with its delays, in display order."""
    query = select(DbTrade).order_by(DbTrade.sort_order, DbTrade.code)
    if not include_inactive:
        query = query.where(DbTrade.active.is_(True))
    rows = session.execute(query).scalars().all()
    delays: dict[int, list[TradeDelay]] = {}
    for d in session.execute(select(DbTradeDelay).order_by(DbTradeDelay.id)).scalars():
        delays.setdefault(d.trade_id, []).append(TradeDelay(d.priority, d.response_days, d.resolution_days))
    return tuple(_trade(r, tuple(delays.get(r.id, ()))) for r in rows)


def load_vocabulary(session: Session, kind: str, include_inactive: bool = False) -> tuple[VocabularyItem, ...]:
    """The values of one kind in display order."""
    query = select(DbVocabulary).where(DbVocabulary.kind == kind).order_by(DbVocabulary.sort_order, DbVocabulary.id)
    if not include_inactive:
        query = query.where(DbVocabulary.active.is_(True))
    return tuple(_vocabulary(r) for r in session.execute(query).scalars())


def ensure_vocabulary(session: Session, kind: str, codes: Iterable[str | None], author: str) -> None:
    """Add the values of ``codes`` the project does not know yet (for lenient imports)."""
    known = set(session.execute(select(DbVocabulary.code).where(DbVocabulary.kind == kind)).scalars())
    order = len(known)
    for code in dict.fromkeys(c for c in codes if c):
        if code in known:
            continue
        row = DbVocabulary(kind=kind, code=code, name_fr=code, name_en=code, sort_order=order,
                           is_closed=kind == "status" and code.lower() in ("closed", "fermé", "ferme", "done"),
                           active=True)
        session.add(row)
        session.flush()
        history.record(session, author=author, entity="vocabulary", entity_id=row.id, issue_id=None,
                       field="created", new=f"{kind}:{code}")
        known.add(code)
        order += 1


def ensure_trades(session: Session, codes: Iterable[str | None], author: str) -> dict[str, int]:
    """Trade ids by code, adding the codes the project does not know yet (for lenient imports)."""
    ids = dict(session.execute(select(DbTrade.code, DbTrade.id)).all())
    for code in dict.fromkeys(c for c in codes if c):
        if code in ids:
            continue
        row = DbTrade(code=code, name_fr=code, name_en=code, colour="#808080", sort_order=len(ids), active=True)
        session.add(row)
        session.flush()
        history.record(session, author=author, entity="trade", entity_id=row.id, issue_id=None,
                       field="created", new=code)
        ids[code] = row.id
    return ids


def ensure_users(session: Session, bcf_ids: Iterable[str | None], author: str) -> None:
    """Add a user for each BCF user id (an e-mail or a name) the project does not know yet."""
    known = {value for row in session.execute(select(DbUser.email, DbUser.name)) for value in row if value}
    for bcf_id in dict.fromkeys(u for u in bcf_ids if u):
        if bcf_id in known:
            continue
        is_email = "@" in bcf_id
        row = DbUser(name=bcf_id.split("@")[0] if is_email else bcf_id, email=bcf_id if is_email else None,
                     role="designer", active=True)
        session.add(row)
        session.flush()
        history.record(session, author=author, entity="user", entity_id=row.id, issue_id=None,
                       field="created", new=bcf_id)
        known.add(bcf_id)


def _check_kind(kind: str) -> None:
    if kind not in VOCABULARY_KINDS:
        raise InvalidValue("kind", kind, VOCABULARY_KINDS)


def _delay_rows(session: Session, trade_id: int) -> list[DbTradeDelay]:
    return list(
        session.execute(select(DbTradeDelay).where(DbTradeDelay.trade_id == trade_id).order_by(DbTradeDelay.id))
        .scalars()
    )


def _delays(session: Session, trade_id: int) -> tuple[TradeDelay, ...]:
    return tuple(TradeDelay(d.priority, d.response_days, d.resolution_days) for d in _delay_rows(session, trade_id))


def _trade(row: DbTrade, delays: tuple[TradeDelay, ...]) -> Trade:
    return Trade(code=row.code, name_fr=row.name_fr, name_en=row.name_en, colour=row.colour, delays=delays,
                 sort_order=row.sort_order, active=row.active, id=row.id)


def _user(row: DbUser) -> User:
    return User(name=row.name, email=row.email, role=row.role, active=row.active, id=row.id)


def _vocabulary(row: DbVocabulary) -> VocabularyItem:
    return VocabularyItem(kind=row.kind, code=row.code, name_fr=row.name_fr, name_en=row.name_en,
                          sort_order=row.sort_order, is_closed=row.is_closed, active=row.active, id=row.id)


def _record_changes(session: Session, author: str, entity: str, entity_id: int, before, after, fields) -> None:
    if before is None:
        history.record(session, author=author, entity=entity, entity_id=entity_id, issue_id=None,
                       field="created", new=after)
        return
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            history.record(session, author=author, entity=entity, entity_id=entity_id, issue_id=None,
                           field=name, old=old, new=new)
