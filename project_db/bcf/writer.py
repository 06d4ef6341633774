"""Writing :class:`BcfContent` as a BCF 2.1 or 3.0 file, strictly.

Every XML document is validated against the buildingSMART schema before it goes
into the zip (for 2.1, markup also against the file's own extensions.xsd, so every
type, status, label, priority, stage and user used is declared). The zip is written
next to the target and renamed at the end: a failed export leaves no half file.
"""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from pathlib import Path

from lxml import etree

from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from project_db.bcf import extensions as extensions_format
from project_db.bcf import markup, schemas, sidecar, visinfo
from project_db.bcf.errors import BcfError
from project_db.bcf.model import VERSIONS, BcfContent, BcfTopic, Problem
from project_db.bcf.xmlutil import opt, serialise, sub

_UNSAFE = re.compile(r"[^0-9A-Za-z._ -]+")


def write_bcf(content: BcfContent, path: str | Path, progress: ProgressFn | None = None,
              cancel: CancelFn | None = None) -> list[Problem]:
    """Write ``content`` to ``path`` in ``content.version``; returns what had to be adjusted."""
    if content.version not in VERSIONS:
        raise BcfError(str(path), _("unknown BCF version {version!r}").format(version=content.version))
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    warnings: list[Problem] = []
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _Writer(content, str(path), archive, warnings).write(progress, cancel)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return warnings


class _Writer:
    def __init__(self, content: BcfContent, file: str, archive: zipfile.ZipFile, warnings: list[Problem]):
        self.content = content
        self.version = content.version
        self.file = file
        self.archive = archive
        self.warnings = warnings
        self.markup_schema = schemas.schema(self.version, "markup")

    def put_xml(self, name: str, root: etree._Element, compiled: etree.XMLSchema) -> None:
        """Validate ``root`` against ``compiled``, then add it to the archive as ``name``."""
        schemas.check(compiled, root, self.file, name)
        self.archive.writestr(name, serialise(root))

    def put_binary(self, name: str, data: bytes) -> None:
        """Add an image or other binary file to the archive."""
        # images are compressed already: deflating them again costs time and saves nothing
        self.archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)

    def write(self, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        """Write every part of the file."""
        v3 = self.version == "3.0"
        version = etree.Element("Version", VersionId=self.version)
        if not v3:
            sub(version, "DetailedVersion", self.version)
        self.put_xml("bcf.version", version, schemas.schema(self.version, "version"))
        self._project_and_extensions()
        document_paths = self._documents()
        topics = self.content.topics
        for done, topic in enumerate(topics):
            check_cancelled(cancel)
            report(progress, done, len(topics), topic.issue.title)
            self._topic(topic, document_paths)
        report(progress, len(topics), len(topics), "")

    def _project_and_extensions(self) -> None:
        v3 = self.version == "3.0"
        project_id = self.content.project_id or str(uuid.uuid4())
        root = etree.Element("ProjectInfo" if v3 else "ProjectExtension")
        project = sub(root, "Project", ProjectId=project_id)
        opt(project, "Name", self.content.project_name)
        if v3:
            self.put_xml("project.bcfp", root, schemas.schema("3.0", "project"))
            self.put_xml("extensions.xml", extensions_format.build_xml(self.content.extensions),
                         schemas.schema("3.0", "extensions"))
            return
        sub(root, "ExtensionSchema", "extensions.xsd")
        self.put_xml("project.bcfp", root, schemas.schema("2.1", "project"))
        xsd = serialise(extensions_format.build_xsd(self.content.extensions))
        try:
            self.markup_schema = schemas.extended_markup_schema(xsd)
        except etree.XMLSchemaParseError as error:
            raise BcfError(self.file, _("extensions.xsd is not a valid schema: {error}").format(error=error),
                           "extensions.xsd") from error
        self.archive.writestr("extensions.xsd", xsd)

    def _documents(self) -> dict[str, str]:
        """Write the project documents; returns, for 2.1, each one's path from a topic folder."""
        documents = self.content.documents
        if self.version == "3.0":
            if documents:
                root = etree.Element("DocumentInfo")
                holder = sub(root, "Documents")
                for doc in documents:
                    node = sub(holder, "Document", Guid=doc.guid)
                    sub(node, "Filename", doc.filename if doc.filename.strip() else doc.guid)
                    opt(node, "Description", doc.description)
                    self.archive.writestr(f"Documents/{doc.guid}", doc.data)
                self.put_xml("documents.xml", root, schemas.schema("3.0", "documents"))
            return {}
        paths = {}
        for doc in documents:
            name = f"Documents/{doc.guid}/{_safe_name(doc.filename) or doc.guid}"
            self.archive.writestr(name, doc.data)
            paths[doc.guid] = f"../{name}"
        return paths

    def _topic(self, topic: BcfTopic, document_paths: dict[str, str]) -> None:
        folder = topic.issue.guid
        entry = f"{folder}/markup.bcf"
        viewpoint_files: dict[str, tuple[str, str | None]] = {}
        for vp in topic.viewpoints:
            vp_name = f"viewpoint-{vp.guid}.bcfv"
            snapshot_name = None
            if vp.viewpoint.snapshot_png:
                snapshot_name = f"snapshot-{vp.guid}.{vp.snapshot_format or 'png'}"
                self.put_binary(f"{folder}/{snapshot_name}", vp.viewpoint.snapshot_png)
            bitmap_names = [f"bitmap-{vp.guid}-{i}.{b.format}" for i, b in enumerate(vp.bitmaps)]
            for name, bitmap in zip(bitmap_names, vp.bitmaps):
                self.put_binary(f"{folder}/{name}", bitmap.data)
            root = visinfo.build(vp, self.version, bitmap_names, self.warnings, f"{folder}/{vp_name}")
            self.put_xml(f"{folder}/{vp_name}", root, schemas.schema(self.version, "visinfo"))
            viewpoint_files[vp.guid] = (vp_name, snapshot_name)
        snippet_name = None
        snippet = topic.issue.bim_snippet
        if snippet is not None and not snippet.is_external and snippet.data is not None:
            snippet_name = _safe_name(snippet.reference) or "snippet"
            if snippet_name in ("markup.bcf", sidecar.FILENAME) or snippet_name.endswith(".bcfv"):
                snippet_name = f"snippet-{snippet_name}"
            self.archive.writestr(f"{folder}/{snippet_name}", snippet.data)
        root = markup.build(topic, self.version, viewpoint_files, document_paths, snippet_name)
        self.put_xml(entry, root, self.markup_schema)
        self.archive.writestr(f"{folder}/{sidecar.FILENAME}",
                              sidecar.dump(topic, self.version, self._descriptions(topic)))

    def _descriptions(self, topic: BcfTopic) -> dict[str, str | None]:
        by_guid = {d.guid: d.description for d in self.content.documents}
        return {r.document_guid: by_guid.get(r.document_guid)
                for r in topic.issue.document_references if r.document_guid in by_guid}


def _safe_name(name: str) -> str:
    """A file name safe inside the archive: its last path part, odd characters replaced."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE.sub("_", base).strip(". ")
