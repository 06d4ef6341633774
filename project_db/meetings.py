"""Coordination meetings: header, agenda, the decisions recorded issue by issue, and the minutes.

A coordinator builds an agenda from a filtered set of issues (:func:`agenda_issue_ids`),
holds the meeting, and records for each issue a decision, an action, a comment and
new status / assignee / due date. Recording changes the issue in the same
transaction and leaves the same history an edit in the issue panel leaves
(:func:`project_db.issues.apply_edit`), plus a comment in the issue's thread and a
``meeting`` entry naming the meeting. The item keeps what the issue was before and
after, so minutes generated later stay true after the issue moves on.

Every write stamps the meetings change counter so other workstations notice. The
meeting's ``version`` guards its header only (title, date, attendees …): recording
decisions or changing the agenda never makes a header edit conflict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bim.i18n import _
from project_db import comments as comment_store
from project_db import history
from project_db.changes import next_seq, touch_issue
from project_db.errors import ConflictError, InvalidValue, NotFound
from project_db.issue_fields import load_issue
from project_db.issue_list import list_rows
from project_db.issues import apply_edit
from project_db.records import (
    MEETING_STATES,
    MINUTES_FORMATS,
    HistoryEntry,
    Issue,
    IssueFilter,
    Meeting,
    MeetingItem,
    MinutesRecord,
)
from project_db.schema import (
    DbIssue,
    DbMeeting,
    DbMeetingItem,
    DbMeetingMinutes,
    DbTrade,
    DbVocabulary,
    utcnow,
)

if TYPE_CHECKING:
    from project_db.connection import Project

AGENDA_ORDERS = ("trade", "priority", "due", "number")

# What save_header writes; each change is one history entry on the meeting.
HEADER_FIELDS = ("title", "held_at", "attendees", "location", "notes", "agenda_filter")

_ENTITY = "meeting"


class NotOnAgenda(InvalidValue):
    """A decision was recorded for an issue the meeting's agenda does not hold."""

    def __init__(self, meeting_number: int, issue_number: int):
        super().__init__("issue", issue_number)
        self.args = (_("Issue #{issue} is not on the agenda of meeting #{meeting}.").format(
            issue=issue_number, meeting=meeting_number),)


class MeetingClosed(InvalidValue):
    """The meeting is closed: start it again before changing its agenda or recording decisions."""

    def __init__(self, meeting_number: int):
        super().__init__("state", "closed")
        self.args = (_("Meeting #{meeting} is closed; reopen it to change its agenda or decisions.").format(
            meeting=meeting_number),)


class MeetingRepository:
    """Meetings of one project. Every method is its own transaction and returns frozen records."""

    def __init__(self, project: "Project"):
        self.project = project

    # -- reading -----------------------------------------------------------------------

    def list(self) -> list[Meeting]:
        """Every meeting's header (``items`` left empty), the most recently held first."""
        with self.project.transaction() as session:
            rows = session.execute(
                select(DbMeeting).order_by(DbMeeting.held_at.desc(), DbMeeting.number.desc())
            ).scalars()
            return [_meeting(row, ()) for row in rows]

    def by_number(self, number: int) -> Meeting:
        """The meeting numbered ``number`` ("Meeting #3"), with its agenda (:class:`NotFound` if none)."""
        with self.project.transaction() as session:
            row = session.execute(select(DbMeeting).where(DbMeeting.number == number)).scalar_one_or_none()
            if row is None:
                raise NotFound("meeting", f"#{number}")
            return _load(session, row)

    def get(self, meeting_id: int) -> Meeting:
        """One meeting with its agenda items in order (:class:`NotFound` if there is none)."""
        with self.project.transaction() as session:
            return _load(session, _meeting_row(session, meeting_id))

    def history(self, meeting_id: int) -> tuple[HistoryEntry, ...]:
        """The meeting's timeline (created, header edits, agenda, started, closed, minutes), oldest first."""
        with self.project.transaction() as session:
            _meeting_row(session, meeting_id)
            return history.entity_history(session, _ENTITY, meeting_id)

    # -- header and agenda ---------------------------------------------------------------

    def create(self, meeting: Meeting, author: str) -> Meeting:
        """Store a new meeting and its agenda (``meeting.items`` in ``position`` order, stored as 1, 2 …).

        The meeting gets the project's next meeting number; each item gets the issue's
        number, title, responsible trade and current status. Retrying with the same
        meeting (same guid) after a failed call returns the stored one.
        """
        header = _checked_header(meeting)
        if meeting.state not in MEETING_STATES:
            raise InvalidValue("state", meeting.state, MEETING_STATES)
        issue_ids = [item.issue_id for item in sorted(meeting.items, key=lambda item: item.position)]
        with self.project.transaction() as session:
            next_seq(session, "meetings")
            existing = session.execute(select(DbMeeting).where(DbMeeting.guid == meeting.guid)).scalar_one_or_none()
            if existing is not None:
                return _load(session, existing)
            now = utcnow()
            number = (session.execute(select(func.max(DbMeeting.number))).scalar() or 0) + 1
            row = DbMeeting(guid=meeting.guid, number=number, state=meeting.state, created_at=now,
                            created_by=author, updated_at=now, updated_by=author, version=1,
                            closed_at=now if meeting.state == "closed" else None,
                            **header)  # the header's keys are column names
            session.add(row)
            session.flush()
            _write_agenda(session, row, issue_ids)
            history.record(session, author=author, entity=_ENTITY, entity_id=row.id, issue_id=None, field="created",
                           new={"number": number, "title": row.title, "issues": _agenda(session, row.id)}, at=now)
            return _load(session, row)

    def save_header(self, meeting: Meeting, author: str) -> Meeting:
        """Save an edited copy of a meeting's header; :class:`ConflictError` if someone saved it meanwhile.

        Only the header fields (:data:`HEADER_FIELDS`) are written; the agenda and the
        state have their own calls.
        """
        header = _checked_header(meeting)
        with self.project.transaction() as session:
            next_seq(session, "meetings")
            row = _meeting_row(session, meeting.id)
            stored = _header(_meeting(row, ()))
            changed = [name for name in HEADER_FIELDS if stored[name] != header[name]]
            if row.version != meeting.version:
                if not changed:
                    return _load(session, row)  # a retried save that had gone through
                raise ConflictError(self.project.database, mine=meeting, theirs=_load(session, row))
            if not changed:
                return _load(session, row)
            now = utcnow()
            for name in changed:
                setattr(row, name, header[name])
            row.version += 1
            row.updated_at, row.updated_by = now, author
            for name in changed:
                history.record(session, author=author, entity=_ENTITY, entity_id=row.id, issue_id=None, field=name,
                               old=stored[name], new=header[name], at=now)
            session.flush()
            return _load(session, row)

    def set_agenda(self, meeting_id: int, issue_ids: Sequence[int], author: str) -> Meeting:
        """Replace the agenda by ``issue_ids`` in this order.

        Items already on the agenda keep what was recorded for them; issues no longer
        listed leave it (their decisions stay in the issues' history).
        """
        with self.project.transaction() as session:
            next_seq(session, "meetings")
            row = _meeting_row(session, meeting_id)
            if row.state == "closed":
                raise MeetingClosed(row.number)
            before = _agenda(session, row.id)
            _write_agenda(session, row, list(issue_ids))
            after = _agenda(session, row.id)
            if after != before:
                history.record(session, author=author, entity=_ENTITY, entity_id=row.id, issue_id=None,
                               field="agenda", old=before, new=after)
            return _load(session, row)

    def start(self, meeting_id: int, author: str) -> Meeting:
        """Mark the meeting as running (a closed one is reopened)."""
        return self._set_state(meeting_id, "running", author)

    def close(self, meeting_id: int, author: str) -> Meeting:
        """Mark the meeting as closed, now."""
        return self._set_state(meeting_id, "closed", author)

    def _set_state(self, meeting_id: int, state: str, author: str) -> Meeting:
        with self.project.transaction() as session:
            next_seq(session, "meetings")
            row = _meeting_row(session, meeting_id)
            if row.state == state:
                return _load(session, row)
            now = utcnow()
            field = {"closed": "closed", "running": "reopened" if row.state == "closed" else "started"}[state]
            history.record(session, author=author, entity=_ENTITY, entity_id=row.id, issue_id=None, field=field,
                           old=row.state, new=state, at=now)
            row.state = state
            row.closed_at = now if state == "closed" else None
            session.flush()
            return _load(session, row)

    # -- recording decisions -------------------------------------------------------------

    def record(self, meeting_id: int, issue_id: int, author: str, *, decision: str | None = None,
               action: str | None = None, comment: str | None = None, status: str | None = None,
               assigned_to: str | None = None, due_date: datetime | None = None,
               clear_due_date: bool = False) -> tuple[MeetingItem, Issue]:
        """Record what the meeting decided for one issue of its agenda, and apply it to the issue.

        In one transaction: the issue's status / assignee / due date change (``None``
        leaves a field as it is; ``assigned_to=""`` clears the assignee, ``clear_due_date``
        the due date, so the trade's contractual delay applies again) with the history
        an issue edit leaves; the decision, action and comment go into the issue's
        thread as one comment naming the meeting; a ``meeting`` history entry names the
        meeting and the decision; the item is marked discussed. Recording again for the
        same issue updates the item (``None`` keeps what was recorded; ``""`` clears it).

        Raises :class:`NotFound` for an unknown meeting or issue, :class:`NotOnAgenda`
        for an issue not on the agenda, :class:`InvalidValue` for an unknown status and
        :class:`MeetingClosed` for a closed meeting.
        """
        with self.project.transaction() as session:
            seq = next_seq(session, "meetings")
            meeting = _meeting_row(session, meeting_id)
            issue_row = session.get(DbIssue, issue_id)
            if issue_row is None:
                raise NotFound("issue", issue_id)
            item = session.execute(
                select(DbMeetingItem).where(DbMeetingItem.meeting_id == meeting.id,
                                            DbMeetingItem.issue_id == issue_id)
            ).scalar_one_or_none()
            if item is None:
                raise NotOnAgenda(meeting.number, issue_row.number)
            if meeting.state == "closed":
                raise MeetingClosed(meeting.number)

            before = load_issue(session, issue_row)
            edited = before
            if status is not None:
                edited = replace(edited, status=status)
            if assigned_to is not None:
                edited = replace(edited, assigned_to=assigned_to or None)
            if due_date is not None:
                edited = replace(edited, due_date=_aware(due_date))
            elif clear_due_date:
                edited = replace(edited, due_date=None)
            old_notes = _notes(item) if item.discussed else None
            notes = {
                "decision": _kept(decision, item.decision),
                "action": _kept(action, item.action),
                "comment": _kept(comment, item.comment),
            }
            changed_fields = apply_edit(session, seq, issue_row, before, edited, author)
            if item.discussed and not changed_fields and notes == old_notes:
                return _item(item), before  # recorded already: a retry, or nothing new

            if notes != old_notes and any(notes.values()):
                comment_store.add(session, seq, issue_id, _thread_text(meeting, notes), author)
            elif not changed_fields:
                touch_issue(session, issue_id, seq)  # the new history entry below is a change pollers must see
            now = utcnow()  # after the comment's entry, so the issue's timeline reads in order
            history.record(session, author=author, entity="issue", entity_id=issue_id, issue_id=issue_id,
                           field="meeting", old=_meeting_entry(meeting, old_notes) if old_notes else None,
                           new=_meeting_entry(meeting, notes), at=now)
            after = load_issue(session, issue_row)
            if not item.discussed:
                item.status_before, item.assignee_before = before.status, before.assigned_to
            item.discussed, item.discussed_at, item.discussed_by = True, now, author
            item.decision, item.action, item.comment = notes["decision"], notes["action"], notes["comment"]
            item.status_after, item.owner, item.due_date = after.status, after.assigned_to, after.due_date
            item.issue_number, item.issue_title, item.trade = after.number, after.title, after.responsible_trade
            session.flush()
            return _item(item), after

    # -- minutes -------------------------------------------------------------------------

    def store_minutes(self, meeting_id: int, fmt: str, data: bytes, author: str) -> MinutesRecord:
        """Keep generated minutes in the project; they replace earlier minutes in the same format."""
        if fmt not in MINUTES_FORMATS:
            raise InvalidValue("format", fmt, MINUTES_FORMATS)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise InvalidValue("data", type(data).__name__)
        data = bytes(data)
        with self.project.transaction() as session:
            next_seq(session, "meetings")
            meeting = _meeting_row(session, meeting_id)
            row = session.execute(
                select(DbMeetingMinutes).where(DbMeetingMinutes.meeting_id == meeting.id,
                                               DbMeetingMinutes.format == fmt)
            ).scalar_one_or_none()
            old = None
            if row is None:
                row = DbMeetingMinutes(meeting_id=meeting.id, format=fmt)
                session.add(row)
            else:
                old = {"format": fmt, "size": row.size, "generated_at": row.generated_at}
            now = utcnow()
            row.generated_at, row.generated_by, row.size, row.data = now, author, len(data), data
            session.flush()
            history.record(session, author=author, entity=_ENTITY, entity_id=meeting.id, issue_id=None,
                           field="minutes", old=old, at=now,
                           new={"format": fmt, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            return _minutes(row)

    def minutes(self, meeting_id: int) -> list[MinutesRecord]:
        """The stored minutes of a meeting (without their content), one per format, in PDF, XLSX, HTML order."""
        with self.project.transaction() as session:
            _meeting_row(session, meeting_id)
            rows = session.execute(
                select(DbMeetingMinutes.id, DbMeetingMinutes.meeting_id, DbMeetingMinutes.format,
                       DbMeetingMinutes.generated_at, DbMeetingMinutes.generated_by, DbMeetingMinutes.size)
                .where(DbMeetingMinutes.meeting_id == meeting_id)
            ).all()
            records = [MinutesRecord(id=r.id, meeting_id=r.meeting_id, format=r.format, generated_at=r.generated_at,
                                     generated_by=r.generated_by, size=r.size) for r in rows]
            return sorted(records, key=lambda r: MINUTES_FORMATS.index(r.format))

    def minutes_data(self, meeting_id: int, fmt: str) -> bytes:
        """The content of a meeting's stored minutes in ``fmt`` (:class:`NotFound` if there are none)."""
        with self.project.transaction() as session:
            data = session.execute(
                select(DbMeetingMinutes.data).where(DbMeetingMinutes.meeting_id == meeting_id,
                                                    DbMeetingMinutes.format == fmt)
            ).scalar_one_or_none()
            if data is None:
                raise NotFound("minutes", f"{fmt} #{meeting_id}")
            return bytes(data)


def agenda_issue_ids(project: "Project", flt: IssueFilter, order: str = "trade") -> list[int]:
    """The ids of the issues matching ``flt``, in agenda order.

    ``order``: "trade" (trade display order, then priority, then number), "priority"
    (the priorities' order, then number), "due" (earliest own or contractual due date first, undated last) or
    "number". Issues without a trade or priority come after those with one.
    """
    if order not in AGENDA_ORDERS:
        raise InvalidValue("order", order, AGENDA_ORDERS)
    with project.transaction() as session:
        rows = list_rows(session, flt)
        trades = {code: i for i, code in enumerate(
            session.execute(select(DbTrade.code).order_by(DbTrade.sort_order, DbTrade.code)).scalars())}
        priorities = {code: i for i, code in enumerate(session.execute(
            select(DbVocabulary.code).where(DbVocabulary.kind == "priority")
            .order_by(DbVocabulary.sort_order, DbVocabulary.id)).scalars())}

    def priority(row) -> int:
        return priorities.get(row.priority, len(priorities))

    keys = {
        "trade": lambda r: (trades.get(r.responsible_trade, len(trades)), priority(r), r.number),
        "priority": lambda r: (priority(r), r.number),
        "due": lambda r: (r.effective_due is None, r.effective_due or _EPOCH, r.number),
        "number": lambda r: r.number,
    }
    return [row.id for row in sorted(rows, key=keys[order])]


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# -- helpers -------------------------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    # A naive datetime is taken as UTC, the way the database stores it.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _kept(given: str | None, recorded: str | None) -> str | None:
    """The value to record: the given one ("" clears it), else what was recorded before."""
    if given is None:
        return recorded
    return given.strip() or None


def _checked_header(meeting: Meeting) -> dict[str, Any]:
    """The header fields of ``meeting`` as stored (JSON-ready), checked."""
    if not isinstance(meeting.title, str) or not meeting.title.strip():
        raise InvalidValue("title", meeting.title)
    if not isinstance(meeting.held_at, datetime):
        raise InvalidValue("held_at", meeting.held_at)
    if not all(isinstance(a, str) for a in meeting.attendees):
        raise InvalidValue("attendees", meeting.attendees)
    if not isinstance(meeting.agenda_filter, dict):
        raise InvalidValue("agenda_filter", type(meeting.agenda_filter).__name__)
    return _header(meeting)


def _header(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title.strip(),
        "held_at": _aware(meeting.held_at),
        "attendees": [a.strip() for a in meeting.attendees if a.strip()],
        "location": meeting.location or None,
        "notes": meeting.notes or None,
        "agenda_filter": history.to_plain(meeting.agenda_filter),  # a copy: later edits of the caller's dict stay out
    }


def _meeting_row(session: Session, meeting_id: int | None) -> DbMeeting:
    row = session.get(DbMeeting, meeting_id) if meeting_id is not None else None
    if row is None:
        raise NotFound("meeting", meeting_id)
    return row


def _meeting(row: DbMeeting, items: tuple[MeetingItem, ...]) -> Meeting:
    return Meeting(
        id=row.id, guid=row.guid, number=row.number, title=row.title, held_at=row.held_at,
        attendees=tuple(row.attendees), location=row.location, agenda_filter=dict(row.agenda_filter),
        items=items, state=row.state, notes=row.notes, created_by=row.created_by, created_at=row.created_at,
        closed_at=row.closed_at, version=row.version, updated_at=row.updated_at, updated_by=row.updated_by,
    )


def _load(session: Session, row: DbMeeting) -> Meeting:
    items = session.execute(
        select(DbMeetingItem).where(DbMeetingItem.meeting_id == row.id)
        .order_by(DbMeetingItem.position, DbMeetingItem.id)
    ).scalars()
    return _meeting(row, tuple(_item(item) for item in items))


def _item(row: DbMeetingItem) -> MeetingItem:
    return MeetingItem(
        id=row.id, issue_id=row.issue_id, position=row.position, issue_number=row.issue_number,
        issue_title=row.issue_title, trade=row.trade, discussed=row.discussed, decision=row.decision,
        action=row.action, comment=row.comment, owner=row.owner, due_date=row.due_date,
        status_before=row.status_before, status_after=row.status_after, assignee_before=row.assignee_before,
        discussed_at=row.discussed_at, discussed_by=row.discussed_by,
    )


def _minutes(row: DbMeetingMinutes) -> MinutesRecord:
    return MinutesRecord(id=row.id, meeting_id=row.meeting_id, format=row.format, generated_at=row.generated_at,
                         generated_by=row.generated_by, size=row.size)


def _agenda(session: Session, meeting_id: int) -> list[int]:
    """The agenda's issue ids in order."""
    return list(session.execute(
        select(DbMeetingItem.issue_id).where(DbMeetingItem.meeting_id == meeting_id)
        .order_by(DbMeetingItem.position, DbMeetingItem.id)
    ).scalars())


def _write_agenda(session: Session, meeting: DbMeeting, issue_ids: list[int]) -> None:
    """Make the agenda hold ``issue_ids`` in this order (positions 1, 2 …), keeping recorded items.

    Items not yet discussed take the issue's current number, title, trade, status and assignee.
    """
    wanted = list(dict.fromkeys(issue_ids))
    issues: dict[int, DbIssue] = {}
    for start in range(0, len(wanted), 500):  # well under SQLite's bound-parameter limit
        chunk = wanted[start:start + 500]
        issues.update((row.id, row) for row in session.execute(select(DbIssue).where(DbIssue.id.in_(chunk))).scalars())
    missing = [i for i in wanted if i not in issues]
    if missing:
        raise NotFound("issue", missing[0])
    codes = dict(session.execute(select(DbTrade.id, DbTrade.code)).all())
    items = {item.issue_id: item for item in session.execute(
        select(DbMeetingItem).where(DbMeetingItem.meeting_id == meeting.id)).scalars()}
    for issue_id, item in items.items():
        if issue_id not in issues:
            session.delete(item)
    for position, issue_id in enumerate(wanted, start=1):
        item = items.get(issue_id)
        if item is None:
            item = DbMeetingItem(meeting_id=meeting.id, issue_id=issue_id, discussed=False)
            session.add(item)
        item.position = position
        if not item.discussed:
            issue = issues[issue_id]
            item.issue_number, item.issue_title = issue.number, issue.title
            item.trade = codes.get(issue.responsible_trade_id)
            item.status_before, item.assignee_before = issue.status, issue.assigned_to
    session.flush()


def _notes(item: DbMeetingItem) -> dict[str, str | None]:
    return {"decision": item.decision, "action": item.action, "comment": item.comment}


def _meeting_entry(meeting: DbMeeting, notes: dict[str, str | None]) -> dict[str, Any]:
    """What the issue's ``meeting`` history entry holds: which meeting, and what it decided."""
    return {"meeting_id": meeting.id, "number": meeting.number, "title": meeting.title, **notes}


def _thread_text(meeting: DbMeeting, notes: dict[str, str | None]) -> str:
    """The comment a recorded decision adds to the issue's thread, naming the meeting."""
    lines = [_("Meeting #{number} — {title}").format(number=meeting.number, title=meeting.title)]
    if notes["decision"]:
        lines.append(_("Decision: {decision}").format(decision=notes["decision"]))
    if notes["action"]:
        lines.append(_("Action: {action}").format(action=notes["action"]))
    if notes["comment"]:
        lines.append(notes["comment"])
    return "\n".join(lines)
