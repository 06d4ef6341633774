"""SQLAlchemy 2 typed models of a Synthese project database.

One database is one project. The same schema runs on SQLite and PostgreSQL; the
Alembic migrations in ``project_db/migrations`` build it (a test checks they agree).
ORM classes carry a ``Db`` prefix so they are never confused with the frozen records
of :mod:`project_db.records` that repositories hand out.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _SQLiteTimestampText(SQLITE_DATETIME):
    """SQLite's DATETIME column handed over as its text: :class:`UTCDateTime` parses it faster itself."""

    def bind_processor(self, dialect: Any) -> None:
        return None

    def result_processor(self, dialect: Any, coltype: Any) -> None:
        return None


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back time-zone aware.

    SQLite keeps no time zone: values are stored as UTC text in SQLAlchemy's usual
    format ("YYYY-MM-DD HH:MM:SS.ffffff") and parsed straight to aware datetimes
    (three times faster than parsing then attaching the zone, which the issues
    panel feels on 10,000 rows). PostgreSQL sessions run in UTC (see connection).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SQLiteTimestampText())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | str | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value + "+00:00")
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value if value.utcoffset() == _ZERO else value.astimezone(timezone.utc)


_ZERO = timedelta(0)


def utcnow() -> datetime:
    """Now, in UTC, time-zone aware."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of every table, with named constraints and UTC timestamps."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON, bytes: LargeBinary}


class DbProjectState(Base):
    """The single row describing the project, and the change counters polled by clients.

    Every write transaction increments ``change_seq`` first: the row lock this takes
    serialises writers, so sequence numbers appear in commit order and a poller that
    saw token N never misses a change numbered ≤ N.
    """

    __tablename__ = "project_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    settings_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    models_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # revision 0004: what the checks, clash and take-off panels poll
    checks_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    rule_sets_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    clashes_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    templates_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # revision 0005: what the meetings panel polls
    meetings_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    next_issue_number: Mapped[int] = mapped_column(Integer, default=1)


class DbTrade(Base):
    """A trade (lot) of the project."""

    __tablename__ = "trades"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_fr: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    colour: Mapped[str] = mapped_column(String(9))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DbTradeDelay(Base):
    """A trade's contractual response and resolution delays for one priority."""

    __tablename__ = "trade_delays"
    __table_args__ = (UniqueConstraint("trade_id", "priority"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id", ondelete="CASCADE"), index=True)
    priority: Mapped[str] = mapped_column(String(255))
    response_days: Mapped[int] = mapped_column(Integer)
    resolution_days: Mapped[int] = mapped_column(Integer)


class DbUser(Base):
    """A project member (never deleted: deactivated)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    role: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DbVocabulary(Base):
    """Issue types, statuses, priorities, labels and stages, one table told apart by ``kind``."""

    __tablename__ = "vocabulary"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(255))
    name_fr: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DbModel(Base):
    """A model (one trade's IFC file) registered in the project; its content lives in versions."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    trade_id: Mapped[int | None] = mapped_column(ForeignKey("trades.id"), index=True)
    created_at: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class DbModelVersion(Base):
    """One stored version of a model: its file name, hash, size and author; content in chunks."""

    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("model_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunk_size: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class DbModelChunk(Base):
    """A slice of a model file; chunks keep each row (and each transfer) small."""

    __tablename__ = "model_chunks"

    version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id", ondelete="CASCADE"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DbDocument(Base):
    """A document kept in the project (BCF 3.0 Documents), referenced by issues."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class DbIssue(Base):
    """A coordination issue (BCF topic). ``version`` is the optimistic-locking counter."""

    __tablename__ = "issues"
    __table_args__ = (
        Index("ix_issues_deleted_status", "deleted", "status"),
        Index("ix_issues_responsible_trade_id", "responsible_trade_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    topic_type: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(255))
    priority: Mapped[str | None] = mapped_column(String(255))
    stage: Mapped[str | None] = mapped_column(String(255))
    assigned_to: Mapped[str | None] = mapped_column(String(255))
    due_date: Mapped[datetime | None]
    bcf_index: Mapped[int | None] = mapped_column(Integer)
    server_assigned_id: Mapped[str | None] = mapped_column(String(255))
    reference_links: Mapped[list] = mapped_column(JSON)
    related_topics: Mapped[list] = mapped_column(JSON)
    bim_snippet: Mapped[dict | None] = mapped_column(JSON)
    snippet_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    header_files: Mapped[list] = mapped_column(JSON)
    creation_date: Mapped[datetime]
    creation_author: Mapped[str] = mapped_column(String(255))
    modified_date: Mapped[datetime | None]
    modified_author: Mapped[str | None] = mapped_column(String(255))
    responsible_trade_id: Mapped[int | None] = mapped_column(ForeignKey("trades.id"))
    location_model: Mapped[str | None] = mapped_column(String(255))
    location_storey: Mapped[str | None] = mapped_column(String(255))
    location_space: Mapped[str | None] = mapped_column(String(255))
    linked_elements: Mapped[list] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16))
    origin_detail: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str | None] = mapped_column(String(255), unique=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None]
    deleted_by: Mapped[str | None] = mapped_column(String(255))
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    version: Mapped[int] = mapped_column(Integer)
    # kept for the issues panel (revision 0003), in the transaction of each change they reflect
    comment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    viewpoint_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    label_text: Mapped[str | None] = mapped_column(Text)  # labels in order, joined by LABEL_SEPARATOR

    __mapper_args__ = {"version_id_col": version}


# Joins an issue's labels in ``DbIssue.label_text``: a control character no label contains.
LABEL_SEPARATOR = "\x1f"


class DbIssueLabel(Base):
    """A label of an issue, in order."""

    __tablename__ = "issue_labels"

    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    label: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    ordinal: Mapped[int] = mapped_column(Integer, default=0)


class DbIssueTrade(Base):
    """A trade involved in an issue besides the responsible one."""

    __tablename__ = "issue_trades"

    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), primary_key=True, index=True)
    ordinal: Mapped[int] = mapped_column(Integer, default=0)


class DbDocumentReference(Base):
    """A BCF document reference of an issue, in order."""

    __tablename__ = "document_references"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    guid: Mapped[str] = mapped_column(String(36))
    url: Mapped[str | None] = mapped_column(Text)
    # A guid, not a foreign key: a reference to a document missing from an imported file survives.
    document_guid: Mapped[str | None] = mapped_column(String(36))
    description: Mapped[str | None] = mapped_column(Text)


class DbComment(Base):
    """A comment of an issue (optimistically locked by ``version``, soft-deleted)."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    date: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    viewpoint_guid: Mapped[str | None] = mapped_column(String(36))
    modified_date: Mapped[datetime | None]
    modified_author: Mapped[str | None] = mapped_column(String(255))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class DbViewpoint(Base):
    """A viewpoint; ``data`` holds camera, components, planes and lines as JSON."""

    __tablename__ = "viewpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    bcf_index: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    snapshot: Mapped[bytes | None] = mapped_column(LargeBinary)
    snapshot_format: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(255))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class DbViewpointBitmap(Base):
    """An image placed in a viewpoint's scene (BCF bitmap)."""

    __tablename__ = "viewpoint_bitmaps"

    viewpoint_id: Mapped[int] = mapped_column(ForeignKey("viewpoints.id", ondelete="CASCADE"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(8))
    placement: Mapped[dict] = mapped_column(JSON)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DbHistory(Base):
    """One recorded change; values are JSON text so any field type fits."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(255))
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


# -- revision 0004: check runs, shared rule sets, clash tests and take-off templates -----------


class DbCheckRun(Base):
    """One stored run of a rule set: the engine's JSON document, with what lists and filters it."""

    __tablename__ = "check_runs"
    __table_args__ = (Index("ix_check_runs_ruleset_key_created_at", "ruleset_key", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    author: Mapped[str] = mapped_column(String(255))
    ruleset_key: Mapped[str | None] = mapped_column(String(255))
    ruleset_version: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[dict] = mapped_column(JSON)
    model_hashes: Mapped[dict] = mapped_column(JSON)
    payload: Mapped[dict] = mapped_column(JSON)


class DbTeamDocument(Base):
    """A named JSON document shared with the team: a rule set, a clash test or a take-off template.

    ``kind`` tells them apart; ``version`` is the optimistic-locking counter; a
    deleted document keeps its row (``deleted``) and its history.
    """

    __tablename__ = "team_documents"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(255))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class DbClashRun(Base):
    """One stored run of a clash test (by the test's name): the engine's JSON document and its clash count."""

    __tablename__ = "clash_runs"
    __table_args__ = (Index("ix_clash_runs_test_name_created_at", "test_name", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    test_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(255))
    clash_count: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)


class DbClashMark(Base):
    """A coordinator's mark on one clash of a test: a decision ("approved"/"ignored") or a manual group."""

    __tablename__ = "clash_marks"

    test_name: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    clash_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(255))


# -- revision 0005: coordination meetings ---------------------------------------------------


class DbMeeting(Base):
    """A coordination meeting's header. ``version`` locks the header (checked by hand, see meetings)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(Text)
    held_at: Mapped[datetime] = mapped_column(index=True)
    location: Mapped[str | None] = mapped_column(Text)
    attendees: Mapped[list] = mapped_column(JSON)
    agenda_filter: Mapped[dict] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(255))
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)


class DbMeetingItem(Base):
    """One issue on a meeting's agenda, with the issue as it stood and what the meeting recorded."""

    __tablename__ = "meeting_items"
    __table_args__ = (UniqueConstraint("meeting_id", "issue_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    issue_number: Mapped[int | None] = mapped_column(Integer)
    issue_title: Mapped[str | None] = mapped_column(Text)
    trade: Mapped[str | None] = mapped_column(String(16))
    discussed: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(255))
    due_date: Mapped[datetime | None]
    status_before: Mapped[str | None] = mapped_column(String(255))
    status_after: Mapped[str | None] = mapped_column(String(255))
    assignee_before: Mapped[str | None] = mapped_column(String(255))
    discussed_at: Mapped[datetime | None]
    discussed_by: Mapped[str | None] = mapped_column(String(255))


class DbMeetingMinutes(Base):
    """The latest minutes of a meeting in one format (PDF, XLSX, HTML), as generated."""

    __tablename__ = "meeting_minutes"
    __table_args__ = (UniqueConstraint("meeting_id", "format"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(8))
    generated_at: Mapped[datetime]
    generated_by: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
