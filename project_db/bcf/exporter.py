"""Exporting a project's issues as a BCF 2.1 or 3.0 file (optionally one trade's).

Everything is read in one transaction, so the file is a consistent picture even
while others keep working. Deleted issues, comments and viewpoints stay out. The
extensions list every value the project knows and every value the topics use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from bim.progress import CancelFn, ProgressFn
from project_db import comments as comment_store
from project_db import viewpoints as viewpoint_store
from project_db.bcf.model import VERSIONS, BcfComment, BcfContent, BcfExtensions, BcfTopic, BcfViewpoint, Problem, \
    trade_label
from project_db.bcf.writer import write_bcf
from project_db.errors import InvalidValue
from project_db.issue_fields import load_issues
from project_db.records import Document, Issue
from project_db.schema import DbDocument, DbIssue, DbIssueTrade, DbProjectState, DbTrade, DbUser, DbVocabulary

if TYPE_CHECKING:
    from project_db.connection import Project


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote and what it had to adjust to stay valid."""

    file: str
    version: str
    topics: int
    problems: tuple[Problem, ...]


def export_bcf(project: "Project", path: str | Path, version: str = "3.0", trade: str | None = None,
               issue_ids: list[int] | None = None, include_involved: bool = False,
               progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> ExportReport:
    """Write the project's issues (those of ``trade`` or ``issue_ids`` if given) to ``path`` as BCF ``version``."""
    if version not in VERSIONS:
        raise InvalidValue("version", version, VERSIONS)
    content = read_content(project, version, trade, issue_ids, include_involved)
    problems = write_bcf(content, path, progress, cancel)
    return ExportReport(file=str(path), version=version, topics=len(content.topics), problems=tuple(problems))


def read_content(project: "Project", version: str, trade: str | None = None, issue_ids: list[int] | None = None,
                 include_involved: bool = False) -> BcfContent:
    """The BCF content of the selected issues, read in one transaction."""
    with project.transaction() as session:
        query = select(DbIssue).where(DbIssue.deleted.is_(False)).order_by(DbIssue.number)
        if trade:
            trade_id = session.execute(select(DbTrade.id).where(DbTrade.code == trade)).scalar_one_or_none()
            if trade_id is None:
                raise InvalidValue("trade", trade)
            condition = DbIssue.responsible_trade_id == trade_id
            if include_involved:
                condition = or_(condition, exists().where(DbIssueTrade.issue_id == DbIssue.id,
                                                          DbIssueTrade.trade_id == trade_id))
            query = query.where(condition)
        if issue_ids is not None:
            query = query.where(DbIssue.id.in_(issue_ids))
        issues = load_issues(session, session.execute(query).scalars().all())
        ids = [i.id for i in issues]
        comments = comment_store.for_issues(session, ids)
        viewpoints = viewpoint_store.for_issues(session, ids)
        topics = tuple(
            BcfTopic(
                issue=issue,
                comments=tuple(BcfComment(guid=c.guid, date=c.date, author=c.author, text=c.text,
                                          viewpoint_guid=c.viewpoint_guid, modified_date=c.modified_date,
                                          modified_author=c.modified_author) for c in comments[issue.id]),
                viewpoints=tuple(BcfViewpoint(guid=v.guid, viewpoint=v.viewpoint, index=v.index,
                                              snapshot_format=v.snapshot_format, bitmaps=v.bitmaps,
                                              space_boundaries_visible=v.space_boundaries_visible,
                                              originating_systems=v.originating_systems, has_camera=v.has_camera)
                                 for v in viewpoints[issue.id]),
                synthese_fields=True,
            )
            for issue in issues
        )
        state = session.get(DbProjectState, 1)
        return BcfContent(version=version, project_id=state.project_id, project_name=state.name,
                          extensions=_extensions(session, topics), documents=_documents(session, issues),
                          topics=topics)


def _documents(session: Session, issues: list[Issue]) -> tuple[Document, ...]:
    wanted = {r.document_guid for i in issues for r in i.document_references if r.document_guid}
    if not wanted:
        return ()
    rows = session.execute(select(DbDocument).where(DbDocument.guid.in_(wanted)).order_by(DbDocument.id)).scalars()
    return tuple(Document(guid=r.guid, filename=r.filename, description=r.description, data=r.data) for r in rows)


def _extensions(session: Session, topics: tuple[BcfTopic, ...]) -> BcfExtensions:
    vocabulary: dict[str, list[str]] = {}
    for kind, code in session.execute(
        select(DbVocabulary.kind, DbVocabulary.code).order_by(DbVocabulary.kind, DbVocabulary.sort_order,
                                                              DbVocabulary.id)
    ):
        vocabulary.setdefault(kind, []).append(code)
    issues = [t.issue for t in topics]
    users = [u.email or u.name for u in session.execute(select(DbUser).order_by(DbUser.name)).scalars()]
    users += [a for i in issues for a in (i.creation_author, i.modified_author, i.assigned_to)]
    users += [a for t in topics for c in t.comments for a in (c.author, c.modified_author)]
    trades = session.execute(select(DbTrade.code).order_by(DbTrade.sort_order, DbTrade.code)).scalars()

    def merged(*values) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for v in values if v and v.strip()))

    return BcfExtensions(
        topic_types=merged(*vocabulary.get("type", []), *(i.topic_type for i in issues)),
        topic_statuses=merged(*vocabulary.get("status", []), *(i.status for i in issues)),
        priorities=merged(*vocabulary.get("priority", []), *(i.priority for i in issues)),
        topic_labels=merged(*vocabulary.get("label", []), *(label for i in issues for label in i.labels),
                            *(trade_label(code) for code in trades)),
        users=merged(*users),
        snippet_types=merged(*vocabulary.get("snippet_type", []),
                             *(i.bim_snippet.snippet_type for i in issues if i.bim_snippet)),
        stages=merged(*vocabulary.get("stage", []), *(i.stage for i in issues)),
    )
