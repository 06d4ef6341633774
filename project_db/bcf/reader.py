"""Reading a whole BCF file (2.1 or 3.0) into :class:`BcfContent`, leniently.

The archive is checked first (:mod:`project_db.bcf.archive`); a hostile archive or
unreadable root files refuse the whole file. Past that, each topic stands alone: a
broken one is reported with the reason and the others come in; a broken viewpoint
or missing snapshot is reported and its topic still comes in.
"""

from __future__ import annotations

import posixpath
import uuid
from dataclasses import replace
from pathlib import Path

from lxml import etree

from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from project_db.bcf import extensions as extensions_format
from project_db.bcf import markup, sidecar, visinfo
from project_db.bcf.archive import SafeArchive, normalise_name
from project_db.bcf.errors import BcfError, NotBcf
from project_db.bcf.model import BcfContent, BcfExtensions, BcfTopic, BcfViewpoint, Problem
from project_db.bcf.xmlutil import child, children, guid, parse, text
from project_db.records import Document
from project_db.viewpoints import image_format


def read_bcf(path: str | Path, progress: ProgressFn | None = None,
             cancel: CancelFn | None = None) -> tuple[BcfContent, list[Problem]]:
    """The content of the BCF file at ``path`` and the problems met (what was skipped and why)."""
    problems: list[Problem] = []
    with SafeArchive(path) as archive:
        reader = _Reader(archive, problems)
        version = reader.version()
        project_id, project_name, extensions = reader.project()
        if extensions is None and archive.exists("extensions.xml"):
            extensions = extensions_format.read_xml(reader.root_xml("extensions.xml"))
        documents = reader.documents()
        folders = sorted({n.split("/")[0] for n in archive.names()
                          if n.count("/") == 1 and n.lower().endswith("/markup.bcf")})
        if not folders and not archive.exists("bcf.version"):
            raise NotBcf(archive.file, _("no bcf.version and no topic folder with a markup.bcf."))
        topics = []
        for done, folder in enumerate(folders):
            check_cancelled(cancel)
            report(progress, done, len(folders), folder)
            topic = reader.topic(folder, documents)
            if topic is not None:
                topics.append(topic)
        report(progress, len(folders), len(folders), "")
        return (
            BcfContent(version=version, project_id=project_id, project_name=project_name,
                       extensions=extensions or BcfExtensions(), documents=tuple(documents.values()),
                       topics=tuple(topics)),
            problems,
        )


class _Reader:
    def __init__(self, archive: SafeArchive, problems: list[Problem]):
        self.archive = archive
        self.problems = problems

    def root_xml(self, name: str) -> etree._Element:
        """A root-level XML file; one that is not XML refuses the whole archive."""
        try:
            return parse(self.archive.read(name))
        except etree.XMLSyntaxError as error:
            raise NotBcf(self.archive.file, _("not XML ({error}).").format(error=error), name) from error

    def version(self) -> str:
        """The BCF version the file declares (2.1 if it says nothing)."""
        if not self.archive.exists("bcf.version"):
            self.problems.append(Problem("bcf.version", _("missing; read as BCF 2.1"), ""))
            return "2.1"
        root = self.root_xml("bcf.version")
        version_id = (root.get("VersionId") or text(root, "DetailedVersion") or "").strip()
        if version_id.startswith("3"):
            return "3.0"
        if not version_id.startswith("2"):
            self.problems.append(Problem("bcf.version", _("unknown version {v!r}; read leniently").format(
                v=version_id), ""))
        return "2.1"

    def project(self) -> tuple[str | None, str | None, BcfExtensions | None]:
        """The project id and name, and the 2.1 extensions its extensions.xsd declares."""
        if not self.archive.exists("project.bcfp"):
            return None, None, None
        root = self.root_xml("project.bcfp")
        project = child(root, "Project")
        project_id = project.get("ProjectId") if project is not None else None
        schema = text(root, "ExtensionSchema")
        extensions = None
        if schema and "://" not in schema:
            name = normalise_name(schema)
            if name and self.archive.exists(name):
                try:
                    extensions = extensions_format.read_xsd(self.archive.read(name))
                except etree.XMLSyntaxError as error:
                    raise NotBcf(self.archive.file, _("not XML ({error}).").format(error=error), name) from error
        return project_id, text(project, "Name"), extensions

    def documents(self) -> dict[str, Document]:
        """BCF 3.0 documents (documents.xml and the Documents folder)."""
        found: dict[str, Document] = {}
        for name in ("documents.xml", "Documents/documents.xml"):
            if not self.archive.exists(name):
                continue
            for node in children(self.root_xml(name), "Documents", "Document"):
                doc_guid = guid(node.get("Guid"))
                entry = f"Documents/{node.get('Guid')}"
                if doc_guid is None or not self.archive.exists(entry):
                    self.problems.append(Problem(entry, _("document listed but missing"), "file"))
                    continue
                found[doc_guid] = Document(guid=doc_guid, filename=text(node, "Filename") or doc_guid,
                                           description=text(node, "Description"), data=self.archive.read(entry))
            break
        return found

    def topic(self, folder: str, documents: dict[str, Document]) -> BcfTopic | None:
        """The topic in ``folder``, or None (with the problem recorded) if it cannot be read."""
        entry = f"{folder}/markup.bcf"
        try:
            root = parse(self.archive.read(entry))
            extra = sidecar.load(self._load(folder, sidecar.FILENAME) or b"{}")
            topic = markup.read(root, folder, extra, self.problems, entry)
        except etree.XMLSyntaxError as error:
            self.problems.append(Problem(entry, _("not XML ({error})").format(error=error)))
            return None
        except (ValueError, KeyError, TypeError) as error:
            self.problems.append(Problem(entry, str(error) or type(error).__name__))
            return None
        except BcfError as error:
            self.problems.append(Problem(entry, error.reason))
            return None
        issue = topic.issue
        issue = self._internal_documents(folder, topic, documents, extra, issue)
        if topic.snippet_file and issue.bim_snippet is not None:
            data = self._load(folder, topic.snippet_file)
            if data is None:
                self.problems.append(Problem(f"{folder}/{topic.snippet_file}", _("snippet file missing"), "file"))
            issue = replace(issue, bim_snippet=replace(issue.bim_snippet, data=data))
        viewpoints = self._viewpoints(folder, topic, extra)
        return BcfTopic(issue=issue, comments=tuple(topic.comments), viewpoints=tuple(viewpoints),
                        synthese_fields=bool(extra))

    def _internal_documents(self, folder, topic, documents, extra, issue):
        """BCF 2.1 references to files in the archive become project documents."""
        if not topic.internal_documents:
            return issue
        descriptions = extra.get("documents") or {}
        refs = list(issue.document_references)
        by_ref = {r.guid: i for i, r in enumerate(refs)}
        for internal in topic.internal_documents:
            path = _resolve(folder, internal.path)
            data = self.archive.read(path) if path and self.archive.exists(path) else None
            if data is None:
                self.problems.append(Problem(f"{folder}/{internal.path}", _("referenced document missing"), "file"))
                continue
            doc_guid = _document_guid(path)
            documents.setdefault(doc_guid, Document(guid=doc_guid, filename=posixpath.basename(path),
                                                    description=descriptions.get(doc_guid), data=data))
            i = by_ref[internal.reference_guid]
            refs[i] = replace(refs[i], document_guid=doc_guid)
        return replace(issue, document_references=tuple(refs))

    def _viewpoints(self, folder: str, topic: markup.MarkupTopic, extra: dict) -> list[BcfViewpoint]:
        entries = list(topic.viewpoints)
        if not entries and self.archive.exists(f"{folder}/viewpoint.bcfv"):
            # BCF 1.0 habit: one unlisted viewpoint.bcfv/snapshot.png per topic
            entries.append(markup.ViewpointEntry("", "viewpoint.bcfv",
                                                 "snapshot.png" if self.archive.exists(f"{folder}/snapshot.png")
                                                 else None, None))
        side = extra.get("viewpoints") or {}
        result = []
        for e in entries:
            snapshot = self._load(folder, e.snapshot_file) if e.snapshot_file else None
            if e.snapshot_file and snapshot is None:
                self.problems.append(Problem(f"{folder}/{e.snapshot_file}", _("snapshot missing"), "file"))
            fmt = image_format(snapshot)
            data = self._load(folder, e.viewpoint_file) if e.viewpoint_file else None
            entry = f"{folder}/{e.viewpoint_file}"
            if data is None:
                if e.viewpoint_file:
                    self.problems.append(Problem(entry, _("viewpoint file missing"), "viewpoint"))
                if snapshot is not None and e.guid:
                    result.append(visinfo.without_file(e.guid, snapshot, fmt, e.index))
                continue
            try:
                root = parse(data)
                vp_guid = e.guid or guid(root.get("Guid")) or str(uuid.uuid4())
                result.append(visinfo.read(root, vp_guid, snapshot, fmt, lambda n: self._load(folder, n),
                                           entry, self.problems, e.index, side.get(vp_guid)))
            except etree.XMLSyntaxError as error:
                self.problems.append(Problem(entry, _("not XML ({error})").format(error=error), "viewpoint"))
            except (ValueError, TypeError) as error:
                self.problems.append(Problem(entry, str(error), "viewpoint"))
        return result

    def _load(self, folder: str, name: str) -> bytes | None:
        path = _resolve(folder, name)
        if path is None or not self.archive.exists(path):
            return None
        return self.archive.read(path)


def _resolve(folder: str, name: str) -> str | None:
    """The archive path of ``name`` written relative to a topic folder (None if it escapes)."""
    joined = posixpath.normpath(posixpath.join(folder, name.replace("\\", "/")))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return normalise_name(joined)


def _document_guid(path: str) -> str:
    """A document's guid: the folder it sits in if that is a guid (as Synthese writes), else one from its path."""
    parts = path.split("/")
    if len(parts) >= 2:
        try:
            return str(uuid.UUID(parts[-2]))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "bcf-document:" + path.lower()))
