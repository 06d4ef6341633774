"""Importing a BCF file into a project: every topic, comment, viewpoint, document and extension value.

The whole import is one transaction (all or nothing if the database fails or the
user cancels). Topics new to the project go in in bulk (:mod:`project_db.bcf.new_topics`),
after what a constraint could refuse was settled and reported. A topic already in
the project (same guid) is updated field by field, with history, in a savepoint of
its own so one the database refuses is reported and the others come in; comments
and viewpoints it lacks are added.
Values the project does not know yet (types, statuses, labels, trades, users …) are
added to its settings: reading is lenient.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc, select
from sqlalchemy.orm import Session

from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from project_db import comments as comment_store
from project_db import history
from project_db import viewpoints as viewpoint_store
from project_db.bcf.model import BcfContent, BcfTopic, Problem, trade_from_label
from project_db.bcf.new_topics import insert_new_topics
from project_db.bcf.reader import read_bcf
from project_db.changes import next_seq
from project_db.errors import ProjectDbError
from project_db.issue_fields import changed_fields, load_issue, write_fields
from project_db.records import EDITABLE_ISSUE_FIELDS, Issue
from project_db.schema import DbComment, DbDocument, DbIssue, DbViewpoint, utcnow
from project_db.settings import ensure_trades, ensure_users, ensure_vocabulary

if TYPE_CHECKING:
    from project_db.connection import Project

# Fields only Synthese writes (in synthese.json); a file without them leaves ours alone.
_SYNTHESE_FIELDS = ("involved_trades", "location_model", "location_storey", "location_space", "linked_elements",
                    "origin", "origin_detail", "fingerprint")


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, the issues touched and every problem met."""

    file: str
    version: str
    created: int
    updated: int
    unchanged: int
    comments_added: int
    viewpoints_added: int
    issue_ids: tuple[int, ...]
    problems: tuple[Problem, ...]

    @property
    def skipped_topics(self) -> int:
        """Topics that did not come in."""
        return sum(1 for p in self.problems if p.skipped == "topic")


def import_bcf(project: "Project", path: str | Path, author: str, progress: ProgressFn | None = None,
               cancel: CancelFn | None = None) -> ImportReport:
    """Import the BCF file at ``path`` (2.1 or 3.0) as ``author``; see the module docstring."""
    content, problems = read_bcf(path, progress, cancel)
    source = Path(path).name
    counts = {"created": 0, "updated": 0, "unchanged": 0, "comments": 0, "viewpoints": 0}
    issue_ids: list[int] = []
    with project.transaction() as session:
        seq = next_seq(session)
        _ensure_settings(session, content, author)
        _store_documents(session, content)
        # oldest first, so issue numbers follow the order topics were raised in
        topics = sorted(content.topics, key=lambda t: (t.issue.creation_date, t.issue.guid))
        known = dict(session.execute(select(DbIssue.guid, DbIssue.id)).all())
        for done, topic in enumerate(t for t in topics if t.issue.guid in known):
            check_cancelled(cancel)
            report(progress, done, len(topics), topic.issue.title)
            try:
                with session.begin_nested():  # one topic the database refuses does not stop the others
                    issue_ids.append(_update_topic(session, seq, known[topic.issue.guid], topic, author, counts,
                                                   problems))
            except (exc.IntegrityError, ProjectDbError) as error:
                problems.append(Problem(f"{topic.issue.guid}/markup.bcf", str(getattr(error, "orig", error))))
        check_cancelled(cancel)
        new = [t for t in topics if t.issue.guid not in known]
        trade_ids = ensure_trades(session, [c for t in new for c in (t.issue.responsible_trade,
                                                                      *t.issue.involved_trades)], author)
        issue_ids += insert_new_topics(session, seq, new, author, source, trade_ids, problems)
        counts["created"] = len(new)
        counts["comments"] += sum(len(t.comments) for t in new)
        counts["viewpoints"] += sum(len(t.viewpoints) for t in new)
    return ImportReport(
        file=str(path), version=content.version, created=counts["created"], updated=counts["updated"],
        unchanged=counts["unchanged"], comments_added=counts["comments"], viewpoints_added=counts["viewpoints"],
        issue_ids=tuple(issue_ids), problems=tuple(problems),
    )


def _ensure_settings(session: Session, content: BcfContent, author: str) -> None:
    ext = content.extensions
    issues = [t.issue for t in content.topics]
    ext_labels = [label for label in ext.topic_labels if trade_from_label(label) is None]
    ext_trades = [trade_from_label(label) for label in ext.topic_labels]
    ensure_vocabulary(session, "type", [*ext.topic_types, *(i.topic_type for i in issues)], author)
    ensure_vocabulary(session, "status", [*ext.topic_statuses, *(i.status for i in issues)], author)
    ensure_vocabulary(session, "priority", [*ext.priorities, *(i.priority for i in issues)], author)
    ensure_vocabulary(session, "stage", [*ext.stages, *(i.stage for i in issues)], author)
    ensure_vocabulary(session, "label", [*ext_labels, *(label for i in issues for label in i.labels)], author)
    ensure_vocabulary(session, "snippet_type",
                      [*ext.snippet_types, *(i.bim_snippet.snippet_type for i in issues if i.bim_snippet)], author)
    ensure_trades(session, [*ext_trades, *(code for i in issues for code in (i.responsible_trade,
                                                                             *i.involved_trades))], author)
    ensure_users(session, [*ext.users, *(i.assigned_to for i in issues)], author)


def _store_documents(session: Session, content: BcfContent) -> None:
    known = set(session.execute(select(DbDocument.guid)).scalars())
    for doc in content.documents:
        if doc.guid not in known:
            session.add(DbDocument(guid=doc.guid, filename=doc.filename, description=doc.description,
                                   data=doc.data, created_at=utcnow()))
            known.add(doc.guid)
    session.flush()


def _update_topic(session: Session, seq: int, issue_id: int, topic: BcfTopic, author: str, counts: dict,
                  problems: list[Problem]) -> int:
    """Bring an issue the project already has up to date with its topic; returns its id."""
    issue = topic.issue
    trade_ids = ensure_trades(session, [issue.responsible_trade, *issue.involved_trades], author)
    if issue.fingerprint:
        owner = session.execute(select(DbIssue.guid).where(DbIssue.fingerprint == issue.fingerprint)).scalar()
        if owner is not None and owner != issue.guid:
            problems.append(Problem(f"{issue.guid}/markup.bcf", _("fingerprint already used by another issue; "
                                                                  "left out"), ""))
            issue = replace(issue, fingerprint=None)
    row = session.get(DbIssue, issue_id)
    _update(session, seq, row, topic, issue, author, trade_ids, counts)
    _add_thread(session, seq, row.id, topic, author, counts)
    return row.id


def _update(session: Session, seq: int, row: DbIssue, topic: BcfTopic, issue: Issue, author: str,
            trade_ids: dict[str, int], counts: dict) -> None:
    current = load_issue(session, row)
    fields = [f for f in EDITABLE_ISSUE_FIELDS if f not in _SYNTHESE_FIELDS and f != "responsible_trade"]
    if issue.responsible_trade is not None:
        fields.append("responsible_trade")
    if topic.synthese_fields:
        fields.extend(_SYNTHESE_FIELDS)
    changed = [f for f in changed_fields(current, issue) if f in fields]
    if not changed and not row.deleted:
        counts["unchanged"] += 1
        return
    now = utcnow()
    for name in changed:
        history.record(session, author=author, entity="issue", entity_id=row.id, issue_id=row.id, field=name,
                       old=getattr(current, name), new=getattr(issue, name), at=now)
    if row.deleted:
        # a topic that comes back in a file is wanted again
        history.record(session, author=author, entity="issue", entity_id=row.id, issue_id=row.id,
                       field="deleted", old=True, new=False, at=now)
        row.deleted, row.deleted_at, row.deleted_by = False, None, None
    row.modified_date = issue.modified_date or now
    row.modified_author = issue.modified_author or author
    row.change_seq = seq
    write_fields(session, row, issue, trade_ids, changed)
    counts["updated"] += 1


def _add_thread(session: Session, seq: int, issue_id: int, topic: BcfTopic, author: str, counts: dict) -> None:
    comments = {c.guid: c for c in session.execute(
        select(DbComment).where(DbComment.issue_id == issue_id)).scalars()}
    for c in topic.comments:
        existing = comments.get(c.guid)
        if existing is None:
            comment_store.add(session, seq, issue_id, c.text, c.author, viewpoint_guid=c.viewpoint_guid, guid=c.guid,
                              date=c.date, modified_date=c.modified_date, modified_author=c.modified_author,
                              recorded_by=author)
            counts["comments"] += 1
        elif (existing.text, existing.viewpoint_guid) != (c.text, c.viewpoint_guid):
            for name, new in (("text", c.text), ("viewpoint_guid", c.viewpoint_guid)):
                if getattr(existing, name) != new:
                    history.record(session, author=author, entity="comment", entity_id=existing.id,
                                   issue_id=issue_id, field=f"comment {name}", old=getattr(existing, name), new=new)
                    setattr(existing, name, new)
            existing.modified_date, existing.modified_author = c.modified_date, c.modified_author
    known = set(session.execute(select(DbViewpoint.guid).where(DbViewpoint.issue_id == issue_id)).scalars())
    for vp in topic.viewpoints:
        if vp.guid in known:
            continue
        viewpoint_store.add(session, seq, issue_id, vp.viewpoint, author, guid=vp.guid, index=vp.index,
                            snapshot_format=vp.snapshot_format, bitmaps=vp.bitmaps,
                            space_boundaries_visible=vp.space_boundaries_visible,
                            originating_systems=vp.originating_systems, has_camera=vp.has_camera)
        counts["viewpoints"] += 1
