"""The content of a BCF file, version-neutral: what the readers produce and the writers take.

Topics carry a full :class:`project_db.records.Issue` (BCF fields and Synthese's own),
so import and export map straight onto the issue repository.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bim.viewpoint import Viewpoint
from project_db.records import Document, Issue, ViewpointBitmap

VERSIONS = ("2.1", "3.0")

# The responsible trade travels as a label other tools show and filter on: "Trade: CVC".
TRADE_LABEL_PREFIX = "Trade: "


def trade_label(code: str) -> str:
    """The BCF label that carries trade ``code``."""
    return f"{TRADE_LABEL_PREFIX}{code}"


def trade_from_label(label: str) -> str | None:
    """The trade code a label carries, or None for an ordinary label."""
    if label.startswith(TRADE_LABEL_PREFIX):
        code = label[len(TRADE_LABEL_PREFIX):].strip()
        return code or None
    return None


@dataclass(frozen=True)
class BcfComment:
    """A BCF comment."""

    guid: str
    date: datetime
    author: str
    text: str
    viewpoint_guid: str | None = None
    modified_date: datetime | None = None
    modified_author: str | None = None


@dataclass(frozen=True)
class BcfViewpoint:
    """A BCF viewpoint with its snapshot (inside ``viewpoint``) and bitmaps."""

    guid: str
    viewpoint: Viewpoint
    index: int | None = None
    snapshot_format: str | None = None
    bitmaps: tuple[ViewpointBitmap, ...] = ()
    space_boundaries_visible: bool = False
    originating_systems: tuple[tuple[str, str], ...] = ()
    has_camera: bool = True


@dataclass(frozen=True)
class BcfTopic:
    """One topic: the issue, its comments and viewpoints."""

    issue: Issue
    comments: tuple[BcfComment, ...] = ()
    viewpoints: tuple[BcfViewpoint, ...] = ()
    # True when the file carried Synthese's own fields (synthese.json): they are then authoritative
    synthese_fields: bool = False


@dataclass(frozen=True)
class BcfExtensions:
    """The project's allowed values as BCF declares them (extensions.xml / extensions.xsd)."""

    topic_types: tuple[str, ...] = ()
    topic_statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    topic_labels: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    snippet_types: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class BcfContent:
    """Everything a BCF file holds."""

    version: str
    project_id: str | None = None
    project_name: str | None = None
    extensions: BcfExtensions = field(default_factory=BcfExtensions)
    documents: tuple[Document, ...] = ()
    topics: tuple[BcfTopic, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something in a BCF file that could not be taken as is: the file/entry and why.

    ``skipped`` says what was left out: "topic", "viewpoint", "file" or "" (kept, adjusted).
    """

    entry: str
    reason: str
    skipped: str = "topic"
