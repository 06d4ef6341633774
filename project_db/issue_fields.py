"""Between :class:`project_db.records.Issue` and its rows: read, write, compare, validate.

An issue spans the ``issues`` row and three child tables (labels, involved trades,
document references). Reading many issues batches the child tables in one query
each, so exporting a thousand topics costs four queries, not four thousand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from project_db.errors import InvalidValue
from project_db.records import (
    EDITABLE_ISSUE_FIELDS,
    ORIGINS,
    BimSnippet,
    DocumentReference,
    HeaderFile,
    Issue,
    LinkedElement,
)
from project_db.schema import (
    LABEL_SEPARATOR,
    DbDocumentReference,
    DbIssue,
    DbIssueLabel,
    DbIssueTrade,
    DbTrade,
    DbVocabulary,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _snippet_json(snippet: BimSnippet | None) -> dict | None:
    if snippet is None:
        return None
    return {"type": snippet.snippet_type, "reference": snippet.reference, "schema": snippet.reference_schema,
            "external": snippet.is_external}


def _header_json(h: HeaderFile) -> dict:
    return {"filename": h.filename, "date": _iso(h.date), "reference": h.reference, "ifc_project": h.ifc_project,
            "ifc_spatial_structure_element": h.ifc_spatial_structure_element, "external": h.is_external}


def _header(d: dict) -> HeaderFile:
    return HeaderFile(filename=d["filename"], date=_date(d["date"]), reference=d["reference"],
                      ifc_project=d["ifc_project"], ifc_spatial_structure_element=d["ifc_spatial_structure_element"],
                      is_external=d["external"])


def load_issues(session: Session, rows: Sequence[DbIssue]) -> list[Issue]:
    """The records of ``rows``, their child tables read in one batch each."""
    ids = [r.id for r in rows]
    labels: dict[int, list[str]] = {}
    trades: dict[int, list[str]] = {}
    refs: dict[int, list[DocumentReference]] = {}
    codes = dict(session.execute(select(DbTrade.id, DbTrade.code)).all())
    for chunk in _chunks(ids):
        for issue_id, label in session.execute(
            select(DbIssueLabel.issue_id, DbIssueLabel.label)
            .where(DbIssueLabel.issue_id.in_(chunk))
            .order_by(DbIssueLabel.issue_id, DbIssueLabel.ordinal)
        ):
            labels.setdefault(issue_id, []).append(label)
        for issue_id, trade_id in session.execute(
            select(DbIssueTrade.issue_id, DbIssueTrade.trade_id)
            .where(DbIssueTrade.issue_id.in_(chunk))
            .order_by(DbIssueTrade.issue_id, DbIssueTrade.ordinal)
        ):
            trades.setdefault(issue_id, []).append(codes[trade_id])
        for ref in session.execute(
            select(DbDocumentReference)
            .where(DbDocumentReference.issue_id.in_(chunk))
            .order_by(DbDocumentReference.issue_id, DbDocumentReference.ordinal)
        ).scalars():
            refs.setdefault(ref.issue_id, []).append(
                DocumentReference(guid=ref.guid, url=ref.url, document_guid=ref.document_guid,
                                  description=ref.description)
            )
    return [
        _issue(r, codes, tuple(labels.get(r.id, ())), tuple(trades.get(r.id, ())), tuple(refs.get(r.id, ())))
        for r in rows
    ]


def load_issue(session: Session, row: DbIssue) -> Issue:
    """The record of one issue row."""
    return load_issues(session, [row])[0]


def _issue(row: DbIssue, codes: dict[int, str], labels, trades, refs) -> Issue:
    snippet = None
    if row.bim_snippet:
        s = row.bim_snippet
        snippet = BimSnippet(snippet_type=s["type"], reference=s["reference"], reference_schema=s["schema"],
                             is_external=s["external"], data=row.snippet_data)
    return Issue(
        id=row.id, guid=row.guid, number=row.number, version=row.version, deleted=row.deleted,
        change_seq=row.change_seq, title=row.title, description=row.description, topic_type=row.topic_type,
        status=row.status, priority=row.priority, labels=labels, stage=row.stage, assigned_to=row.assigned_to,
        due_date=row.due_date, reference_links=tuple(row.reference_links), document_references=refs,
        related_topics=tuple(row.related_topics), index=row.bcf_index, server_assigned_id=row.server_assigned_id,
        bim_snippet=snippet, header_files=tuple(_header(h) for h in row.header_files),
        creation_date=row.creation_date, creation_author=row.creation_author, modified_date=row.modified_date,
        modified_author=row.modified_author,
        responsible_trade=codes.get(row.responsible_trade_id) if row.responsible_trade_id else None,
        involved_trades=trades, location_model=row.location_model, location_storey=row.location_storey,
        location_space=row.location_space,
        linked_elements=tuple(LinkedElement(g, m) for g, m in row.linked_elements),
        origin=row.origin, origin_detail=row.origin_detail, fingerprint=row.fingerprint,
    )


def changed_fields(before: Issue, after: Issue) -> list[str]:
    """The editable fields whose values differ between two versions of an issue."""
    return [name for name in EDITABLE_ISSUE_FIELDS if getattr(before, name) != getattr(after, name)]


def same_content(a: Issue, b: Issue) -> bool:
    """True if two issues hold the same editable values (a retried save that already went through)."""
    return not changed_fields(a, b)


def write_fields(session: Session, row: DbIssue, issue: Issue, trade_ids: dict[str, int],
                 fields: Sequence[str] = EDITABLE_ISSUE_FIELDS) -> None:
    """Copy ``fields`` of ``issue`` onto ``row`` and, once it has an id, its child tables.

    Columns are set before the first flush, so a new or edited issue costs one
    INSERT or UPDATE (and one version increment).
    """
    for name, value in column_values(issue, trade_ids, fields).items():
        setattr(row, name, value)
    if row.id is None:
        session.add(row)
        session.flush()
    for name, rows in child_rows(row.id, issue, trade_ids, fields).items():
        session.execute(delete(_CHILD_TABLES[name]).where(_CHILD_TABLES[name].issue_id == row.id))
        session.add_all(_CHILD_TABLES[name](**values) for values in rows)
    session.flush()


_CHILD_TABLES = {"labels": DbIssueLabel, "involved_trades": DbIssueTrade, "document_references": DbDocumentReference}


def column_values(issue: Issue, trade_ids: dict[str, int],
                  fields: Sequence[str] = EDITABLE_ISSUE_FIELDS) -> dict[str, object]:
    """The ``issues`` columns that hold ``fields`` of ``issue``, with their values."""
    values: dict[str, object] = {}
    for name in fields:
        value = getattr(issue, name)
        if name == "labels":
            values["label_text"] = LABEL_SEPARATOR.join(dict.fromkeys(value)) or None
        elif name in _CHILD_TABLES:
            continue
        elif name == "responsible_trade":
            values["responsible_trade_id"] = trade_ids[value] if value else None
        elif name == "index":
            values["bcf_index"] = value
        elif name in ("reference_links", "related_topics"):
            values[name] = list(value)
        elif name == "header_files":
            values[name] = [_header_json(h) for h in value]
        elif name == "linked_elements":
            values[name] = [[e.global_id, e.model] for e in value]
        elif name == "bim_snippet":
            values[name] = _snippet_json(value)
            values["snippet_data"] = value.data if value else None
        else:
            values[name] = value
    return values


def child_rows(issue_id: int, issue: Issue, trade_ids: dict[str, int],
               fields: Sequence[str] = EDITABLE_ISSUE_FIELDS) -> dict[str, list[dict]]:
    """The child-table rows (labels, involved trades, document references) of ``fields``, by field."""
    rows: dict[str, list[dict]] = {}
    if "labels" in fields:
        rows["labels"] = [dict(issue_id=issue_id, label=label, ordinal=i)
                          for i, label in enumerate(dict.fromkeys(issue.labels))]
    if "involved_trades" in fields:
        rows["involved_trades"] = [dict(issue_id=issue_id, trade_id=trade_ids[code], ordinal=i)
                                   for i, code in enumerate(dict.fromkeys(issue.involved_trades))]
    if "document_references" in fields:
        rows["document_references"] = [
            dict(issue_id=issue_id, ordinal=i, guid=r.guid, url=r.url, document_guid=r.document_guid,
                 description=r.description)
            for i, r in enumerate(issue.document_references)
        ]
    return rows


def validate(session: Session, issue: Issue, before: Issue | None = None) -> dict[str, int]:
    """Check ``issue`` against the project settings; returns trade ids by code.

    A value is accepted if the project knows it, or if it is unchanged from ``before``
    (an issue keeps a value that was deactivated since).
    """
    if not (issue.title or "").strip():
        raise InvalidValue("title", issue.title)
    if issue.origin not in ORIGINS:
        raise InvalidValue("origin", issue.origin, ORIGINS)
    known: dict[str, set[str]] = {}
    for kind, code in session.execute(select(DbVocabulary.kind, DbVocabulary.code)):
        known.setdefault(kind, set()).add(code)
    for field_name, kind, required in (("topic_type", "type", True), ("status", "status", True),
                                       ("priority", "priority", False), ("stage", "stage", False)):
        value = getattr(issue, field_name)
        if value is None and not required:
            continue
        if value not in known.get(kind, set()) and (before is None or getattr(before, field_name) != value):
            raise InvalidValue(field_name, value, sorted(known.get(kind, ())))
    trade_ids = dict(session.execute(select(DbTrade.code, DbTrade.id)).all())
    for code in (issue.responsible_trade, *issue.involved_trades):
        if code and code not in trade_ids:
            raise InvalidValue("trade", code, sorted(trade_ids))
    return trade_ids


def _chunks(ids: list[int], size: int = 500):
    # Keep IN lists well under SQLite's bound-parameter limit.
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
