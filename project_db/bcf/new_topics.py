"""Inserting topics the project does not have yet, in bulk.

A thousand topics with their comments and viewpoints would cost tens of thousands
of single-row statements; here each table gets one multi-row INSERT per batch.
Everything a constraint could refuse (duplicate guids or fingerprints) is settled
in Python first and reported, so the bulk statements do not fail on data.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bim.i18n import _
from project_db import viewpoint_codec
from project_db.bcf.model import BcfTopic, Problem
from project_db.history import dump_value
from project_db.issue_fields import child_rows, column_values
from project_db.records import new_guid
from project_db.schema import (
    DbComment,
    DbDocumentReference,
    DbHistory,
    DbIssue,
    DbIssueLabel,
    DbIssueTrade,
    DbProjectState,
    DbViewpoint,
    DbViewpointBitmap,
    utcnow,
)

_CHILD_TABLES = {"labels": DbIssueLabel, "involved_trades": DbIssueTrade, "document_references": DbDocumentReference}


def insert_new_topics(session: Session, seq: int, topics: list[BcfTopic], author: str, source: str,
                      trade_ids: dict[str, int], problems: list[Problem]) -> list[int]:
    """Insert ``topics`` (none of them in the project yet) with their threads; returns the new issue ids."""
    if not topics:
        return []
    topics = _without_duplicate_fingerprints(session, topics, problems)
    comment_guids = _taken(session, DbComment, [c.guid for t in topics for c in t.comments])
    viewpoint_guids = _taken(session, DbViewpoint, [v.guid for t in topics for v in t.viewpoints])
    first = session.execute(
        update(DbProjectState).where(DbProjectState.id == 1)
        .values(next_issue_number=DbProjectState.next_issue_number + len(topics))
        .returning(DbProjectState.next_issue_number)
    ).scalar_one() - len(topics)
    now = utcnow()
    rows = []
    for number, topic in enumerate(topics, start=first):
        issue = topic.issue
        rows.append(dict(
            column_values(issue, trade_ids), guid=issue.guid, number=number,
            creation_date=issue.creation_date or now, creation_author=issue.creation_author or author,
            modified_date=issue.modified_date, modified_author=issue.modified_author, deleted=False,
            deleted_at=None, deleted_by=None, change_seq=seq, version=1,
            comment_count=len(topic.comments), viewpoint_count=len(topic.viewpoints),
        ))
    table = DbIssue.__table__
    ids = list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    children: dict[str, list[dict]] = {name: [] for name in _CHILD_TABLES}
    comments, viewpoints, bitmaps, history = [], [], [], []
    for issue_id, topic in zip(ids, topics):
        for name, values in child_rows(issue_id, topic.issue, trade_ids).items():
            children[name].extend(values)
        history.append(_history(now, author, "issue", issue_id, "imported", source))
        for c in topic.comments:
            guid = c.guid if c.guid not in comment_guids else new_guid()
            comment_guids.add(guid)
            comments.append(dict(guid=guid, issue_id=issue_id, date=c.date, author=c.author, text=c.text,
                                 viewpoint_guid=c.viewpoint_guid, modified_date=c.modified_date,
                                 modified_author=c.modified_author, deleted=False, version=1))
            history.append(_history(now, author, "comment", issue_id, "comment added", c.text))
        for vp in topic.viewpoints:
            guid = vp.guid if vp.guid not in viewpoint_guids else new_guid()
            viewpoint_guids.add(guid)
            viewpoints.append((vp, dict(
                guid=guid, issue_id=issue_id, bcf_index=vp.index,
                data=viewpoint_codec.encode(vp.viewpoint, has_camera=vp.has_camera,
                                            space_boundaries_visible=vp.space_boundaries_visible,
                                            originating_systems=vp.originating_systems),
                snapshot=vp.viewpoint.snapshot_png, snapshot_format=vp.snapshot_format,
                created_at=now, created_by=author, deleted=False,
            )))
            history.append(_history(now, author, "viewpoint", issue_id, "viewpoint added", guid))
    for name, values in children.items():
        _insert(session, _CHILD_TABLES[name], values)
    _insert(session, DbComment, comments)
    if viewpoints:
        vp_table = DbViewpoint.__table__
        vp_ids = session.execute(insert(vp_table).returning(vp_table.c.id, sort_by_parameter_order=True),
                                 [values for _vp, values in viewpoints]).scalars()
        for vp_id, (vp, _values) in zip(vp_ids, viewpoints):
            bitmaps += [dict(viewpoint_id=vp_id, ordinal=i, format=b.format, data=b.data,
                             placement={"location": list(b.location), "normal": list(b.normal), "up": list(b.up),
                                        "height": b.height})
                        for i, b in enumerate(vp.bitmaps)]
    _insert(session, DbViewpointBitmap, bitmaps)
    _insert(session, DbHistory, history)
    return ids


def _insert(session: Session, model, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


def _history(at, author: str, entity: str, issue_id: int, field: str, new) -> dict:
    return dict(at=at, author=author, entity=entity, entity_id=issue_id if entity == "issue" else None,
                issue_id=issue_id, field=field, old_value=None, new_value=dump_value(new))


def _taken(session: Session, model, guids: list[str]) -> set[str]:
    """Which of ``guids`` the project already uses for ``model``'s rows."""
    taken: set[str] = set()
    for start in range(0, len(guids), 500):
        taken.update(session.execute(select(model.guid).where(model.guid.in_(guids[start:start + 500]))).scalars())
    return taken


def _without_duplicate_fingerprints(session: Session, topics: list[BcfTopic],
                                    problems: list[Problem]) -> list[BcfTopic]:
    wanted = [t.issue.fingerprint for t in topics if t.issue.fingerprint]
    seen = set()
    for start in range(0, len(wanted), 500):
        seen.update(session.execute(
            select(DbIssue.fingerprint).where(DbIssue.fingerprint.in_(wanted[start:start + 500]))).scalars())
    result = []
    for topic in topics:
        fingerprint = topic.issue.fingerprint
        if fingerprint and fingerprint in seen:
            problems.append(Problem(f"{topic.issue.guid}/markup.bcf",
                                    _("fingerprint already used by another issue; left out"), ""))
            topic = replace(topic, issue=replace(topic.issue, fingerprint=None))
        elif fingerprint:
            seen.add(fingerprint)
        result.append(topic)
    return result
