"""Model versions stored in the project, chunked, fetched to a checked local cache."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import update

from project_db.errors import InvalidValue, ModelFileCorrupt
from project_db.schema import DbModelChunk


@pytest.fixture
def ifc_file(tmp_path):
    path = tmp_path / "CVC_R+1.ifc"
    path.write_bytes(b"ISO-10303-21;\n" + os.urandom(300_000))
    return path


def test_a_stored_model_comes_back_byte_for_byte_from_the_cache(project, ifc_file, tmp_path):
    version = project.models.store_model_file(ifc_file, "CVC", "alice", chunk_size=64 * 1024)
    assert (version.number, version.trade, version.size, version.author) == (1, "CVC", ifc_file.stat().st_size, "alice")
    fetched = project.models.fetch_model_file(version.id, tmp_path / "cache")
    assert fetched.read_bytes() == ifc_file.read_bytes()
    assert fetched.parent.name == version.sha256


def test_a_teammate_on_the_same_database_fetches_the_same_version(project, second_workstation, ifc_file, tmp_path):
    version = project.models.store_model_file(ifc_file, "CVC", "alice")
    fetched = second_workstation.models.fetch_model_file(version.id, tmp_path / "bob-cache")
    assert fetched.read_bytes() == ifc_file.read_bytes()
    assert second_workstation.changes_since(0).models_changed


def test_storing_the_same_content_again_adds_no_version_but_new_content_does(project, ifc_file):
    first = project.models.store_model_file(ifc_file, "CVC", "alice")
    assert project.models.store_model_file(ifc_file, "CVC", "alice") == first
    ifc_file.write_bytes(ifc_file.read_bytes() + b"/* v2 */")
    second = project.models.store_model_file(ifc_file, "CVC", "bob")
    assert second.number == 2
    assert [v.number for v in project.models.versions("CVC_R+1.ifc")] == [1, 2]
    (info,) = project.models.models()
    assert info.latest == second


def test_a_corrupted_stored_model_is_detected_and_not_cached(project, ifc_file, tmp_path):
    version = project.models.store_model_file(ifc_file, "CVC", "alice", chunk_size=64 * 1024)
    with project.transaction() as session:
        session.execute(update(DbModelChunk).where(DbModelChunk.ordinal == 1).values(data=b"tampered"))
    with pytest.raises(ModelFileCorrupt, match="CVC_R\\+1.ifc"):
        project.models.fetch_model_file(version.id, tmp_path / "cache")
    assert not any((tmp_path / "cache").rglob("*.ifc"))


def test_a_model_for_an_unknown_trade_is_refused(project, ifc_file):
    with pytest.raises(InvalidValue):
        project.models.store_model_file(ifc_file, "ZZZ", "alice")
