"""Viewpoints of an issue: store one faithfully, soft-delete, read them back.

Work inside a transaction the caller opened (the issue repository wraps them).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bim.viewpoint import Viewpoint
from project_db import history, viewpoint_codec
from project_db.changes import touch_issue
from project_db.errors import NotFound
from project_db.records import ViewpointBitmap, ViewpointRecord, new_guid
from project_db.schema import DbIssue, DbViewpoint, DbViewpointBitmap, utcnow


def image_format(data: bytes | None) -> str | None:
    """ "png" or "jpg" from an image's first bytes (None without data)."""
    if not data:
        return None
    return "jpg" if data[:3] == b"\xff\xd8\xff" else "png"


def add(session: Session, seq: int, issue_id: int, viewpoint: Viewpoint, author: str, *, guid: str | None = None,
        index: int | None = None, snapshot_format: str | None = None, bitmaps: tuple[ViewpointBitmap, ...] = (),
        space_boundaries_visible: bool = False, originating_systems: tuple[tuple[str, str], ...] = (),
        has_camera: bool = True) -> ViewpointRecord:
    """Store a viewpoint on an issue; a ``guid`` already on this issue returns that viewpoint (safe retry)."""
    if session.get(DbIssue, issue_id) is None:
        raise NotFound("issue", issue_id)
    if guid is not None:
        existing = session.execute(select(DbViewpoint).where(DbViewpoint.guid == guid)).scalar_one_or_none()
        if existing is not None and existing.issue_id == issue_id:
            return _record(existing, tuple(_bitmaps(session, [existing.id]).get(existing.id, ())))
        if existing is not None:
            guid = None
    snapshot = viewpoint.snapshot_png
    row = DbViewpoint(
        guid=guid or new_guid(), issue_id=issue_id, bcf_index=index,
        data=viewpoint_codec.encode(viewpoint, has_camera=has_camera,
                                    space_boundaries_visible=space_boundaries_visible,
                                    originating_systems=originating_systems),
        snapshot=snapshot, snapshot_format=(snapshot_format or image_format(snapshot)) if snapshot else None,
        created_at=utcnow(), created_by=author, deleted=False,
    )
    session.add(row)
    session.flush()
    for i, bitmap in enumerate(bitmaps):
        session.add(DbViewpointBitmap(
            viewpoint_id=row.id, ordinal=i, format=bitmap.format, data=bitmap.data,
            placement={"location": list(bitmap.location), "normal": list(bitmap.normal), "up": list(bitmap.up),
                       "height": bitmap.height},
        ))
    touch_issue(session, issue_id, seq, viewpoints=1)
    history.record(session, author=author, entity="viewpoint", entity_id=row.id, issue_id=issue_id,
                   field="viewpoint added", new=row.guid)
    return _record(row, tuple(bitmaps))


def set_deleted(session: Session, seq: int, viewpoint_id: int, deleted: bool, author: str) -> None:
    """Hide (or bring back) a viewpoint; it stays stored and the history says who did it."""
    row = session.get(DbViewpoint, viewpoint_id)
    if row is None:
        raise NotFound("viewpoint", viewpoint_id)
    if row.deleted != deleted:
        history.record(session, author=author, entity="viewpoint", entity_id=row.id, issue_id=row.issue_id,
                       field="viewpoint deleted", old=row.deleted, new=deleted)
        row.deleted = deleted
        session.flush()
        touch_issue(session, row.issue_id, seq, viewpoints=-1 if deleted else 1)


def for_issues(session: Session, issue_ids: Iterable[int],
               include_deleted: bool = False) -> dict[int, list[ViewpointRecord]]:
    """Viewpoints of several issues in BCF order (index, then creation), keyed by issue id."""
    ids = list(issue_ids)
    result: dict[int, list[ViewpointRecord]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = select(DbViewpoint).where(DbViewpoint.issue_id.in_(chunk))
        if not include_deleted:
            query = query.where(DbViewpoint.deleted.is_(False))
        rows = session.execute(query.order_by(DbViewpoint.issue_id, DbViewpoint.id)).scalars().all()
        bitmaps = _bitmaps(session, [r.id for r in rows])
        for row in rows:
            result[row.issue_id].append(_record(row, tuple(bitmaps.get(row.id, ()))))
    return result


def _bitmaps(session: Session, viewpoint_ids: list[int]) -> dict[int, list[ViewpointBitmap]]:
    result: dict[int, list[ViewpointBitmap]] = {}
    for start in range(0, len(viewpoint_ids), 500):
        for b in session.execute(
            select(DbViewpointBitmap)
            .where(DbViewpointBitmap.viewpoint_id.in_(viewpoint_ids[start:start + 500]))
            .order_by(DbViewpointBitmap.viewpoint_id, DbViewpointBitmap.ordinal)
        ).scalars():
            p = b.placement
            result.setdefault(b.viewpoint_id, []).append(ViewpointBitmap(
                format=b.format, data=b.data, location=tuple(p["location"]), normal=tuple(p["normal"]),
                up=tuple(p["up"]), height=p["height"],
            ))
    return result


def _record(row: DbViewpoint, bitmaps: tuple[ViewpointBitmap, ...]) -> ViewpointRecord:
    extras = viewpoint_codec.extras(row.data)
    return ViewpointRecord(
        id=row.id, guid=row.guid, issue_id=row.issue_id,
        viewpoint=viewpoint_codec.decode(row.data, row.snapshot), index=row.bcf_index,
        snapshot_format=row.snapshot_format, bitmaps=bitmaps, created_at=row.created_at,
        created_by=row.created_by, deleted=row.deleted, **extras,
    )

