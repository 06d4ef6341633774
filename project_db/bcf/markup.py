"""Topic markup (``markup.bcf``, markup.xsd): read either BCF version, write 2.1 or 3.0.

Reading is lenient: 2.1 and 3.0 layouts are both understood whatever the file
declares, missing optional parts are left empty, and what had to be adjusted is
reported. Writing follows the schema's element order exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from lxml import etree

from bim.i18n import _
from project_db.bcf.model import BcfComment, BcfTopic, Problem, trade_from_label, trade_label
from project_db.bcf.xmlutil import boolean, child, children, date, guid, integer, opt, sub, text
from project_db.records import ORIGINS, BimSnippet, DocumentReference, HeaderFile, Issue, LinkedElement
from project_db.schema import utcnow


@dataclass
class ViewpointEntry:
    """A viewpoint listed in the markup: its files in the topic folder."""

    guid: str
    viewpoint_file: str | None
    snapshot_file: str | None
    index: int | None


@dataclass
class InternalDocument:
    """A BCF 2.1 document reference pointing at a file inside the archive."""

    reference_guid: str
    path: str  # relative to the topic folder, as written


@dataclass
class MarkupTopic:
    """What a markup file says, before its referenced files are read."""

    issue: Issue
    comments: list[BcfComment]
    viewpoints: list[ViewpointEntry]
    internal_documents: list[InternalDocument] = field(default_factory=list)
    snippet_file: str | None = None


def read(root: etree._Element, folder: str, sidecar: dict, problems: list[Problem], entry: str) -> MarkupTopic:
    """The topic in a markup document; raises ValueError if it has no usable Topic."""
    topic = child(root, "Topic")
    if topic is None:
        raise ValueError(_("no Topic element"))
    topic_guid = guid(topic.get("Guid")) or guid(folder)
    if topic_guid is None:
        raise ValueError(_("the topic has no Guid"))
    title = text(topic, "Title")
    if title is None:
        problems.append(Problem(entry, _("topic without a title; named after its folder"), ""))
        title = folder
    creation_date = date(text(topic, "CreationDate"))
    if creation_date is None:
        problems.append(Problem(entry, _("topic without a creation date; import time used"), ""))
        creation_date = utcnow()

    labels, trades = [], []
    for node in topic.findall("Labels"):
        values = [text(n) for n in node.findall("Label")] if node.find("Label") is not None else [text(node)]
        for value in filter(None, values):
            code = trade_from_label(value)
            (trades if code else labels).append(code or value)
    responsible = trades[0] if trades else sidecar.get("responsible_trade")
    involved = [t for t in sidecar.get("involved_trades", []) if t != responsible]
    involved += [t for t in trades[1:] if t not in involved and t != responsible]

    refs, internal = [], []
    for i, node in enumerate(topic.findall("DocumentReference") + children(topic, "DocumentReferences",
                                                                           "DocumentReference")):
        ref_guid = guid(node.get("Guid")) or str(uuid.uuid5(uuid.UUID(topic_guid), f"document-reference-{i}"))
        referenced = text(node, "ReferencedDocument")
        if referenced is not None and not boolean(node.get("isExternal") or node.get("IsExternal"), False):
            internal.append(InternalDocument(ref_guid, referenced))
            refs.append(DocumentReference(guid=ref_guid, description=text(node, "Description")))
            continue
        refs.append(DocumentReference(guid=ref_guid, url=text(node, "Url") or referenced,
                                      document_guid=guid(text(node, "DocumentGuid")),
                                      description=text(node, "Description")))

    snippet, snippet_file = None, None
    node = child(topic, "BimSnippet")
    if node is not None and text(node, "Reference"):
        external = boolean(node.get("IsExternal") or node.get("isExternal"), False)
        reference = text(node, "Reference")
        if not external:
            snippet_file = reference
            reference = reference.replace("\\", "/").rsplit("/", 1)[-1]
        snippet = BimSnippet(snippet_type=node.get("SnippetType") or "", reference=reference,
                             reference_schema=text(node, "ReferenceSchema") or "", is_external=external)

    header = child(root, "Header")
    files = children(header, "File") + children(header, "Files", "File")
    location = sidecar.get("location") or {}
    issue = Issue(
        guid=topic_guid,
        title=title,
        description=text(topic, "Description"),
        topic_type=topic.get("TopicType") or "Issue",
        status=topic.get("TopicStatus") or "Open",
        priority=text(topic, "Priority"),
        labels=tuple(dict.fromkeys(labels)),
        stage=text(topic, "Stage"),
        assigned_to=text(topic, "AssignedTo"),
        due_date=date(text(topic, "DueDate")),
        reference_links=tuple(filter(None, (text(n) for n in topic.findall("ReferenceLink")
                                            + children(topic, "ReferenceLinks", "ReferenceLink")))),
        document_references=tuple(refs),
        related_topics=tuple(filter(None, (guid(n.get("Guid")) for n in topic.findall("RelatedTopic")
                                           + children(topic, "RelatedTopics", "RelatedTopic")))),
        index=integer(topic, "Index"),
        server_assigned_id=topic.get("ServerAssignedId") or sidecar.get("server_assigned_id"),
        bim_snippet=snippet,
        header_files=tuple(
            HeaderFile(filename=text(f, "Filename"), date=date(text(f, "Date")), reference=text(f, "Reference"),
                       ifc_project=f.get("IfcProject"), ifc_spatial_structure_element=f.get("IfcSpatialStructureElement"),
                       is_external=boolean(f.get("IsExternal") or f.get("isExternal"), True))
            for f in files
        ),
        creation_date=creation_date,
        creation_author=text(topic, "CreationAuthor") or "unknown",
        modified_date=date(text(topic, "ModifiedDate")),
        modified_author=text(topic, "ModifiedAuthor"),
        responsible_trade=responsible,
        involved_trades=tuple(involved),
        location_model=location.get("model"),
        location_storey=location.get("storey"),
        location_space=location.get("space"),
        linked_elements=tuple(LinkedElement(str(g), m) for g, m in sidecar.get("linked_elements", [])),
        origin=sidecar.get("origin") if sidecar.get("origin") in ORIGINS else "manual",
        origin_detail=sidecar.get("origin_detail"),
        fingerprint=sidecar.get("fingerprint"),
    )

    comments = []
    for i, node in enumerate(root.findall("Comment") + children(topic, "Comments", "Comment")):
        comments.append(BcfComment(
            guid=guid(node.get("Guid")) or str(uuid.uuid5(uuid.UUID(topic_guid), f"comment-{i}")),
            date=date(text(node, "Date")) or creation_date,
            author=text(node, "Author") or "unknown",
            text=text(node, "Comment") or "",
            viewpoint_guid=_guid_attribute(child(node, "Viewpoint")),
            modified_date=date(text(node, "ModifiedDate")),
            modified_author=text(node, "ModifiedAuthor"),
        ))

    viewpoints = []
    for node in root.findall("Viewpoints") + children(topic, "Viewpoints", "ViewPoint"):
        vp_guid = guid(node.get("Guid"))
        if vp_guid is None:
            problems.append(Problem(entry, _("viewpoint without a Guid"), "viewpoint"))
            continue
        viewpoints.append(ViewpointEntry(vp_guid, text(node, "Viewpoint"), text(node, "Snapshot"),
                                         integer(node, "Index")))
    return MarkupTopic(issue, comments, viewpoints, internal, snippet_file)


# -- writing ------------------------------------------------------------------------


def build(topic: BcfTopic, version: str, viewpoint_files: dict[str, tuple[str, str | None]],
          document_paths: dict[str, str], snippet_file: str | None) -> etree._Element:
    """The Markup element of ``topic`` for BCF ``version``.

    ``viewpoint_files`` maps viewpoint guids to (viewpoint file, snapshot file);
    ``document_paths`` maps document guids to their path from the topic folder (2.1).
    """
    issue = topic.issue
    v3 = version == "3.0"
    root = etree.Element("Markup")
    if issue.header_files:
        header = sub(root, "Header")
        holder = sub(header, "Files") if v3 else header
        for f in issue.header_files:
            node = sub(holder, "File", IfcProject=_ifc_guid(f.ifc_project),
                       IfcSpatialStructureElement=_ifc_guid(f.ifc_spatial_structure_element),
                       **{"IsExternal" if v3 else "isExternal": f.is_external})
            opt(node, "Filename", f.filename)
            opt(node, "Date", f.date)
            opt(node, "Reference", f.reference)
    attributes = {"Guid": issue.guid}
    if v3 and issue.server_assigned_id:
        attributes["ServerAssignedId"] = issue.server_assigned_id
    attributes["TopicType"] = issue.topic_type
    attributes["TopicStatus"] = issue.status
    t = sub(root, "Topic", **attributes)
    links = [link for link in issue.reference_links if link.strip()]
    if links:
        holder = sub(t, "ReferenceLinks") if v3 else t
        for link in links:
            sub(holder, "ReferenceLink", link)
    sub(t, "Title", issue.title)
    opt(t, "Priority", issue.priority)
    if issue.index is not None:
        sub(t, "Index", issue.index)
    labels = [label for label in issue.labels if label.strip()]
    if issue.responsible_trade:
        labels.append(trade_label(issue.responsible_trade))
    if labels:
        if v3:
            holder = sub(t, "Labels")
            for label in labels:
                sub(holder, "Label", label)
        else:
            for label in labels:
                sub(t, "Labels", label)
    sub(t, "CreationDate", issue.creation_date)
    sub(t, "CreationAuthor", issue.creation_author or "unknown")
    opt(t, "ModifiedDate", issue.modified_date)
    opt(t, "ModifiedAuthor", issue.modified_author)
    opt(t, "DueDate", issue.due_date)
    opt(t, "AssignedTo", issue.assigned_to)
    opt(t, "Stage", issue.stage)
    opt(t, "Description", issue.description)
    snippet = issue.bim_snippet
    if snippet is not None and snippet.reference.strip():
        node = sub(t, "BimSnippet", SnippetType=snippet.snippet_type or "unknown",
                   **{"IsExternal" if v3 else "isExternal": snippet.is_external})
        sub(node, "Reference", snippet.reference if snippet.is_external else (snippet_file or snippet.reference))
        sub(node, "ReferenceSchema", snippet.reference_schema or "unknown")
    if issue.document_references:
        holder = sub(t, "DocumentReferences") if v3 else t
        for ref in issue.document_references:
            if v3:
                node = sub(holder, "DocumentReference", Guid=ref.guid)
                if ref.document_guid:
                    sub(node, "DocumentGuid", ref.document_guid)
                else:
                    opt(node, "Url", ref.url)
            else:
                internal = ref.document_guid is not None and ref.document_guid in document_paths
                node = sub(holder, "DocumentReference", Guid=ref.guid, isExternal=not internal)
                opt(node, "ReferencedDocument", document_paths[ref.document_guid] if internal else ref.url)
            opt(node, "Description", ref.description)
    if issue.related_topics:
        holder = sub(t, "RelatedTopics") if v3 else t
        for related in issue.related_topics:
            sub(holder, "RelatedTopic", Guid=related)
    comment_holder = (sub(t, "Comments") if topic.comments else None) if v3 else root
    for c in topic.comments:
        node = sub(comment_holder, "Comment", Guid=c.guid)
        sub(node, "Date", c.date)
        sub(node, "Author", c.author or "unknown")
        if v3:
            opt(node, "Comment", c.text)
        else:
            sub(node, "Comment", c.text or "")
        if c.viewpoint_guid:
            sub(node, "Viewpoint", Guid=c.viewpoint_guid)
        opt(node, "ModifiedDate", c.modified_date)
        opt(node, "ModifiedAuthor", c.modified_author)
    vp_holder = (sub(t, "Viewpoints") if topic.viewpoints else None) if v3 else root
    for vp in topic.viewpoints:
        node = sub(vp_holder, "ViewPoint" if v3 else "Viewpoints", Guid=vp.guid)
        viewpoint_file, snapshot_file = viewpoint_files[vp.guid]
        sub(node, "Viewpoint", viewpoint_file)
        opt(node, "Snapshot", snapshot_file)
        if vp.index is not None:
            sub(node, "Index", vp.index)
    return root


def _guid_attribute(node: etree._Element | None) -> str | None:
    return guid(node.get("Guid")) if node is not None else None


def _ifc_guid(value: str | None) -> str | None:
    # An attribute that is not a 22-character IFC GlobalId would make the file invalid: leave it out.
    if value and len(value) == 22 and all(ch.isalnum() or ch in "_$" for ch in value):
        return value
    return None
