"""The plain, frozen records the project database hands out.

Repositories return these, never live ORM objects, so a record can cross threads
and outlive the session that read it. To change an issue, make an edited copy with
``dataclasses.replace`` and save it; its ``version`` says which state it was edited from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from bim.i18n import current_language
from bim.viewpoint import Viewpoint

# Where an issue came from; a rule check or a clash also gives a stable fingerprint.
ORIGINS = ("manual", "rule", "clash")

# Suggested user roles (free text is allowed).
ROLES = ("bim_manager", "coordinator", "designer", "contractor", "client", "viewer")

# Kinds of project vocabulary (issue types, statuses …), as stored.
VOCABULARY_KINDS = ("type", "status", "priority", "label", "stage", "snippet_type")


def new_guid() -> str:
    """A fresh lower-case UUID, the form BCF 3.0 requires."""
    return str(uuid.uuid4())


def _localised(name_fr: str, name_en: str, language: str | None) -> str:
    if language is None:
        language = current_language()
    return name_fr if language == "fr" else name_en


# --- project settings ---------------------------------------------------------------


@dataclass(frozen=True)
class TradeDelay:
    """Contractual delays for one priority: days to answer, days to fix."""

    priority: str
    response_days: int
    resolution_days: int


@dataclass(frozen=True)
class Trade:
    """A trade (corps d'état / lot): code, names, colour ``#RRGGBB`` and delays per priority."""

    code: str
    name_fr: str
    name_en: str
    colour: str = "#808080"
    delays: tuple[TradeDelay, ...] = ()
    sort_order: int = 0
    active: bool = True
    id: int | None = None

    def name(self, language: str | None = None) -> str:
        """The name in ``language`` ("fr"/"en"; None: the current one)."""
        return _localised(self.name_fr, self.name_en, language)

    def delay_for(self, priority: str | None) -> TradeDelay | None:
        """The delays that apply to ``priority``, if the trade has some."""
        return next((d for d in self.delays if d.priority == priority), None)


@dataclass(frozen=True)
class User:
    """A project member. ``email`` (else ``name``) is the BCF user id."""

    name: str
    email: str | None = None
    role: str = "designer"
    active: bool = True
    id: int | None = None

    @property
    def bcf_id(self) -> str:
        """The string BCF files use for this user."""
        return self.email or self.name


@dataclass(frozen=True)
class VocabularyItem:
    """One allowed value of an issue field: the ``code`` travels in BCF, the names are shown."""

    kind: str
    code: str
    name_fr: str
    name_en: str
    sort_order: int = 0
    is_closed: bool = False  # statuses only: the issue counts as done
    active: bool = True
    id: int | None = None

    def name(self, language: str | None = None) -> str:
        """The name in ``language`` ("fr"/"en"; None: the current one)."""
        return _localised(self.name_fr, self.name_en, language)


@dataclass(frozen=True)
class ProjectInfo:
    """Identity of the project: the BCF ProjectId, its name and where it lives."""

    project_id: str
    name: str
    database: str
    backend: str  # "sqlite" or "postgresql"
    revision: str
    created_at: datetime


# --- models -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelVersion:
    """One stored version of a trade's IFC model."""

    id: int
    model_id: int
    model_name: str
    trade: str | None
    number: int
    filename: str
    sha256: str
    size: int
    author: str
    created_at: datetime


@dataclass(frozen=True)
class ModelInfo:
    """A registered model and its newest version."""

    id: int
    name: str
    trade: str | None
    latest: ModelVersion | None


# --- issues -------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedElement:
    """An element an issue is about: its IFC GlobalId and the model (registered name) it is in."""

    global_id: str
    model: str | None = None


@dataclass(frozen=True)
class DocumentReference:
    """A BCF document reference: an external ``url`` or a project document (``document_guid``)."""

    guid: str
    url: str | None = None
    document_guid: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Document:
    """A document stored in the project (BCF 3.0 Documents), referenced by issues."""

    guid: str
    filename: str
    description: str | None = None
    data: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class BimSnippet:
    """A BCF BIM snippet: a reference (file in the topic or URL) and, if internal, its bytes."""

    snippet_type: str
    reference: str
    reference_schema: str
    is_external: bool = False
    data: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class HeaderFile:
    """A BCF header file entry: the IFC file (and project/storey) a topic refers to."""

    filename: str | None = None
    date: datetime | None = None
    reference: str | None = None
    ifc_project: str | None = None
    ifc_spatial_structure_element: str | None = None
    is_external: bool = True


@dataclass(frozen=True)
class Issue:
    """A coordination issue: every BCF 3.0 topic field plus Synthese's own.

    Build one with at least a ``title`` to create it; ``id``, ``number``, ``version``
    and ``change_seq`` are set by the database.
    """

    title: str
    description: str | None = None
    topic_type: str = "Issue"
    status: str = "Open"
    priority: str | None = None
    labels: tuple[str, ...] = ()
    stage: str | None = None
    assigned_to: str | None = None
    due_date: datetime | None = None
    reference_links: tuple[str, ...] = ()
    document_references: tuple[DocumentReference, ...] = ()
    related_topics: tuple[str, ...] = ()
    index: int | None = None
    server_assigned_id: str | None = None
    bim_snippet: BimSnippet | None = None
    header_files: tuple[HeaderFile, ...] = ()
    creation_date: datetime | None = None
    creation_author: str | None = None
    modified_date: datetime | None = None
    modified_author: str | None = None
    # Synthese's own fields
    responsible_trade: str | None = None
    involved_trades: tuple[str, ...] = ()
    location_model: str | None = None
    location_storey: str | None = None
    location_space: str | None = None
    linked_elements: tuple[LinkedElement, ...] = ()
    origin: str = "manual"
    origin_detail: str | None = None
    fingerprint: str | None = None
    # set by the database
    guid: str = field(default_factory=new_guid)
    id: int | None = None
    number: int | None = None
    version: int = 0
    deleted: bool = False
    change_seq: int = 0


# Fields of Issue a user (or an import) may change; history records each of them.
EDITABLE_ISSUE_FIELDS = (
    "title", "description", "topic_type", "status", "priority", "labels", "stage", "assigned_to",
    "due_date", "reference_links", "document_references", "related_topics", "index",
    "server_assigned_id", "bim_snippet", "header_files", "responsible_trade", "involved_trades",
    "location_model", "location_storey", "location_space", "linked_elements", "origin",
    "origin_detail", "fingerprint",
)


@dataclass(frozen=True)
class IssueRow:
    """One line of the issues panel, read in a single query."""

    id: int
    number: int
    guid: str
    title: str
    topic_type: str
    status: str
    is_closed: bool
    priority: str | None
    responsible_trade: str | None
    assigned_to: str | None
    due_date: datetime | None
    stage: str | None
    labels: tuple[str, ...]
    comment_count: int
    viewpoint_count: int
    creation_date: datetime
    modified_date: datetime | None
    origin: str
    version: int
    contractual_due: datetime | None = None  # from the trade's resolution delay, when no due date is set

    @property
    def effective_due(self) -> datetime | None:
        """The date the issue is due: its own due date, else the one its trade's contract gives."""
        return self.due_date or self.contractual_due

    def is_overdue(self, now: datetime) -> bool:
        """True if the (own or contractual) due date has passed and the issue is not closed."""
        due = self.effective_due
        return due is not None and not self.is_closed and due < now


@dataclass(frozen=True)
class IssueFilter:
    """What the issues panel shows. Empty tuples mean "any"."""

    trades: tuple[str, ...] = ()
    include_involved: bool = False  # also match issues where the trade is only involved
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    topic_types: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    text: str | None = None
    open_only: bool = False
    overdue_at: datetime | None = None  # only issues overdue at that time
    include_deleted: bool = False
    ids: tuple[int, ...] | None = None  # only these issues (a chart bar, a hot spot, a meeting agenda)


@dataclass(frozen=True)
class Comment:
    """A comment in an issue's thread (BCF comment)."""

    id: int
    guid: str
    issue_id: int
    date: datetime
    author: str
    text: str
    viewpoint_guid: str | None = None
    modified_date: datetime | None = None
    modified_author: str | None = None
    version: int = 1
    deleted: bool = False


@dataclass(frozen=True)
class ViewpointBitmap:
    """A BCF viewpoint bitmap: an image placed in the 3D scene."""

    format: str  # "png" or "jpg"
    data: bytes = field(repr=False)
    location: tuple[float, float, float] = (0.0, 0.0, 0.0)
    normal: tuple[float, float, float] = (0.0, 0.0, 1.0)
    up: tuple[float, float, float] = (0.0, 1.0, 0.0)
    height: float = 1.0


@dataclass(frozen=True)
class ViewpointRecord:
    """A stored viewpoint: the viewer's :class:`bim.viewpoint.Viewpoint` plus what BCF adds.

    ``originating_systems`` keeps each component's BCF OriginatingSystem (GlobalId, system);
    ``has_camera`` is False for BCF 2.1 viewpoints written without a camera.
    """

    id: int
    guid: str
    issue_id: int
    viewpoint: Viewpoint
    index: int | None = None
    snapshot_format: str | None = None  # "png" or "jpg" when there is a snapshot
    bitmaps: tuple[ViewpointBitmap, ...] = ()
    space_boundaries_visible: bool = False
    originating_systems: tuple[tuple[str, str], ...] = ()
    has_camera: bool = True
    created_at: datetime | None = None
    created_by: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: who, when, which field, old → new (values as JSON-like data)."""

    id: int
    at: datetime
    author: str
    entity: str  # "issue", "comment", "viewpoint", "trade", "user", "vocabulary", "model"
    entity_id: int | None
    issue_id: int | None
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class IssueDetail:
    """Everything the issue detail shows, read in one transaction."""

    issue: Issue
    comments: tuple[Comment, ...]
    viewpoints: tuple[ViewpointRecord, ...]
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class Changes:
    """What changed since a poll token; pass ``token`` to the next poll."""

    token: int
    issue_ids: tuple[int, ...] = ()
    settings_changed: bool = False
    models_changed: bool = False
    checks_changed: bool = False  # a check run was stored
    rule_sets_changed: bool = False  # a project rule set was saved or deleted
    clashes_changed: bool = False  # a clash test, run, decision or manual group
    templates_changed: bool = False  # a take-off template was saved or deleted
    meetings_changed: bool = False  # a meeting, its agenda, a recorded decision or its minutes

    @property
    def any(self) -> bool:
        """True if anything changed."""
        return bool(self.issue_ids or self.settings_changed or self.models_changed or self.checks_changed
                    or self.rule_sets_changed or self.clashes_changed or self.templates_changed
                    or self.meetings_changed)


# --- checks, clash tests and take-off templates (revision 0004) -------------------------


@dataclass(frozen=True)
class CheckRunRecord:
    """A stored rule-set run, as the runs list shows it; the whole run is ``CheckRunRepository.get_run(id)``."""

    id: int
    created_at: datetime
    author: str
    ruleset_key: str | None
    ruleset_version: str | None
    status: str | None
    summary: dict = field(default_factory=dict)
    model_hashes: dict = field(default_factory=dict)  # model id → SHA-256 of the file checked


@dataclass(frozen=True)
class StoredRuleSet:
    """A project rule set shared with the team; ``version`` is what ``save(expected_version=…)`` checks."""

    key: str
    title: str
    version: int
    updated_at: datetime
    updated_by: str
    deleted: bool = False


@dataclass(frozen=True)
class StoredClashTest:
    """A clash test shared with the team; ``version`` is what ``save_test(expected_version=…)`` checks."""

    name: str
    updated_at: datetime
    updated_by: str
    version: int
    deleted: bool = False


@dataclass(frozen=True)
class StoredTemplate:
    """A take-off template shared with the team; ``version`` is what ``save(expected_version=…)`` checks."""

    name: str
    updated_at: datetime
    updated_by: str
    version: int
    deleted: bool = False


class ClashRunInfo(NamedTuple):
    """One stored run of a clash test, as a runs list shows it (unpacks as a 4-tuple)."""

    id: int
    created_at: datetime
    author: str
    clash_count: int


# Coordinator decisions a clash can carry.
CLASH_DECISIONS = ("approved", "ignored")


# --- coordination meetings (revision 0005) ------------------------------------------------

MEETING_STATES = ("planned", "running", "closed")
MINUTES_FORMATS = ("pdf", "xlsx", "html")


@dataclass(frozen=True)
class MeetingItem:
    """One issue on a meeting's agenda and what the meeting recorded for it.

    ``status_before``/``status_after`` and ``assignee_before`` are the issue's values
    when it was discussed, so the minutes stay true after the issue moves on.
    """

    issue_id: int
    position: int
    issue_number: int | None = None
    issue_title: str | None = None
    trade: str | None = None
    discussed: bool = False
    decision: str | None = None
    action: str | None = None
    comment: str | None = None
    owner: str | None = None  # assignee after the meeting (BCF user id)
    due_date: datetime | None = None
    status_before: str | None = None
    status_after: str | None = None
    discussed_at: datetime | None = None
    discussed_by: str | None = None
    id: int | None = None
    assignee_before: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A coordination meeting: header, attendees, the agenda's filter and its items in order."""

    title: str
    held_at: datetime
    attendees: tuple[str, ...] = ()
    location: str | None = None
    agenda_filter: dict = field(default_factory=dict)  # how the agenda was chosen (trades, statuses, due, labels, order)
    items: tuple[MeetingItem, ...] = ()
    state: str = "planned"  # one of MEETING_STATES
    notes: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    closed_at: datetime | None = None
    number: int | None = None
    guid: str = field(default_factory=new_guid)
    id: int | None = None
    version: int = 0  # of the header: what save_header checks
    updated_at: datetime | None = None
    updated_by: str | None = None


@dataclass(frozen=True)
class MinutesRecord:
    """Minutes generated for a meeting and stored in the project (the latest per format is kept)."""

    meeting_id: int
    format: str  # one of MINUTES_FORMATS
    generated_at: datetime
    generated_by: str
    size: int
    id: int | None = None
