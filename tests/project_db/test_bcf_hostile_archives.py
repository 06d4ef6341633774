"""Hostile or broken BCF files are refused whole, with the file (and entry) named, and nothing imported."""

from __future__ import annotations

import stat
import zipfile

import pytest

from project_db.bcf import HostileArchive, NotBcf, import_bcf, read_bcf
from project_db.bcf import archive as archive_module
from tests.project_db import bcf_samples as samples

TOPIC = "7a0d7d1b-8a2b-4d7e-9d0e-5b1f0c6f1a01"
MARKUP = f'<Markup><Topic Guid="{TOPIC}" TopicType="Issue" TopicStatus="Open"><Title>t</Title>' \
         "<CreationDate>2024-01-01T00:00:00Z</CreationDate><CreationAuthor>a</CreationAuthor></Topic></Markup>"


def zip_with(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:  # a name or a ZipInfo
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("evil", ["../../outside.txt", "/etc/cron.d/evil", "C:/Windows/evil.dll",
                                  "topic/../../escape.bcf", "..\\..\\windows-style.txt"])
def test_paths_escaping_the_archive_refuse_the_whole_file(tmp_path, evil):
    path = zip_with(tmp_path / "evil.bcf", [("bcf.version", '<Version VersionId="3.0"/>'),
                                            (f"{TOPIC}/markup.bcf", MARKUP), (evil, "x")])
    with pytest.raises(HostileArchive) as error:
        read_bcf(path)
    assert "evil.bcf" in str(error.value) and error.value.entry == evil


def test_a_refused_archive_imports_nothing_at_all(project, tmp_path):
    path = zip_with(tmp_path / "evil.bcf", [("bcf.version", '<Version VersionId="3.0"/>'),
                                            (f"{TOPIC}/markup.bcf", MARKUP), ("../outside.txt", "x")])
    with pytest.raises(HostileArchive):
        import_bcf(project, path, "alice")
    assert project.issues.list_rows() == [] and project.changes_since(0).any is False


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = zip_with(tmp_path / "bomb.bcf", [("bcf.version", '<Version VersionId="3.0"/>'),
                                            (f"{TOPIC}/markup.bcf", MARKUP),
                                            (f"{TOPIC}/snapshot.png", b"\0" * (40 * 1024 * 1024))])
    with pytest.raises(HostileArchive, match="bomb"):
        read_bcf(path)


def test_an_absurd_uncompressed_size_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_ENTRY_BYTES", 1000)
    path = samples.bcf_30(tmp_path / "big.bcf")
    with pytest.raises(HostileArchive, match="too large") as error:
        read_bcf(path)
    assert error.value.entry is not None


def test_a_symbolic_link_in_the_archive_is_refused(tmp_path):
    link = zipfile.ZipInfo(f"{TOPIC}/snapshot.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = zip_with(tmp_path / "link.bcf", [(f"{TOPIC}/markup.bcf", MARKUP), (link, "/etc/passwd")])
    with pytest.raises(HostileArchive, match="link"):
        read_bcf(path)


def test_an_entry_present_twice_is_refused(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we write on purpose
        path = zip_with(tmp_path / "twice.bcf", [(f"{TOPIC}/markup.bcf", MARKUP), (f"{TOPIC}/markup.bcf", MARKUP)])
    with pytest.raises(HostileArchive, match="twice"):
        read_bcf(path)


def test_a_file_that_is_not_a_zip_is_refused_naming_it(tmp_path):
    path = tmp_path / "notes.bcf"
    path.write_text("Compte rendu de réunion", encoding="utf-8")
    with pytest.raises(NotBcf, match="notes.bcf"):
        read_bcf(path)


def test_a_zip_without_any_bcf_content_is_refused(tmp_path):
    path = zip_with(tmp_path / "photos.zip", [("photo.jpg", b"\xff\xd8\xff")])
    with pytest.raises(NotBcf, match="photos.zip"):
        read_bcf(path)


def test_root_files_that_are_not_xml_refuse_the_file_naming_the_entry(project, tmp_path):
    path = samples.bcf_30(tmp_path / "in.bcf", {"bcf.version": b"\x00\x01binary garbage"})
    with pytest.raises(NotBcf) as error:
        import_bcf(project, path, "alice")
    assert error.value.entry == "bcf.version" and "in.bcf" in str(error.value)
    assert project.issues.list_rows() == []


def test_xml_entities_are_never_expanded_from_local_files(tmp_path):
    markup = ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
              f'<Markup><Topic Guid="{TOPIC}" TopicType="Issue" TopicStatus="Open"><Title>leak:&secret;</Title>'
              "<CreationDate>2024-01-01T00:00:00Z</CreationDate><CreationAuthor>a</CreationAuthor></Topic></Markup>")
    path = zip_with(tmp_path / "xxe.bcf", [("bcf.version", '<Version VersionId="3.0"/>'),
                                           (f"{TOPIC}/markup.bcf", markup)])
    content, _problems = read_bcf(path)
    (topic,) = content.topics
    assert topic.issue.title == "leak:"  # the entity is dropped, never read from disk


def test_a_reference_leaving_the_topic_folder_is_ignored_not_followed(project, tmp_path):
    # the sample's snapshot reference, pointed outside the archive
    data = zipfile.ZipFile(samples.bcf_30(tmp_path / "in.bcf")).read(f"{samples.TOPIC_A}/markup.bcf").decode()
    data = data.replace(f"<Snapshot>{samples.VP_1}.png</Snapshot>", "<Snapshot>../../../etc/passwd</Snapshot>")
    path = samples.bcf_30(tmp_path / "in2.bcf", {f"{samples.TOPIC_A}/markup.bcf": data})
    report = import_bcf(project, path, "alice")
    assert report.created == 2
    assert any("snapshot" in p.reason for p in report.problems)
