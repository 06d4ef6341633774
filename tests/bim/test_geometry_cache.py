"""The on-disk geometry cache: a second open skips tessellation, and a damaged or
stale entry is discarded and rebuilt, never trusted."""

from __future__ import annotations

import logging
import os
import shutil

import numpy as np
import pytest

import bim.federation
import bim.tessellation
from bim import geometry_cache
from bim.federation import load_model
from bim.ifc_file import file_sha256
from tests.bim.builders import copy_with_broken_solid, unique_copy


@pytest.fixture
def model_file(demo_project, tmp_path):
    """A private copy of a small demo file, so each test starts with no cache entry."""
    return unique_copy(demo_project.paths["PLB"], tmp_path / "demo-PLB-plumbing.ifc")


def assert_same_model(a, b):
    for name in geometry_cache._ARRAYS:
        left, right = getattr(a.mesh, name), getattr(b.mesh, name)
        assert left.dtype == right.dtype and np.array_equal(left, right), name
    assert a.mesh.rep_ids == b.mesh.rep_ids
    assert a.mesh.failures == b.mesh.failures
    assert a.elements == b.elements
    assert a.index.tree == b.index.tree
    assert a.summary == b.summary


def test_the_cache_sits_under_synthese_cache_dir(private_cache_dir, model_file):
    assert os.environ["SYNTHESE_CACHE_DIR"] == str(private_cache_dir)
    entry = geometry_cache.entry_path(file_sha256(model_file))
    assert entry.is_relative_to(private_cache_dir)
    load_model(model_file)
    assert entry.is_file()
    assert not list(entry.parent.glob("*.tmp"))  # written under a temporary name, then renamed


def test_a_second_open_is_a_cache_hit_with_the_same_arrays(model_file):
    first = load_model(model_file)
    second = load_model(model_file)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert_same_model(first, second)
    assert second.trade == first.trade == "PLB"


def test_a_cache_hit_does_not_tessellate_again(model_file, monkeypatch):
    load_model(model_file)

    def must_not_run(*args, **kwargs):
        raise AssertionError("tessellated although the cache had the model")

    monkeypatch.setattr(bim.federation, "tessellate", must_not_run)
    assert load_model(model_file).from_cache


def test_a_cache_hit_still_opens_the_ifc_file_when_properties_are_asked(model_file):
    load_model(model_file)
    cached = load_model(model_file)
    assert cached.from_cache and cached._ifc is None
    assert cached.ifc().by_type("IfcProject")


def _damage(data: bytearray, how: str) -> bytearray:
    if how == "truncated":
        return data[: len(data) // 2]
    if how == "bytes flipped":
        middle = len(data) // 2
        data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
        return data
    if how == "garbled array header":  # numpy parses it before the zip checks any CRC
        magic = data.index(b"\x93NUMPY", data.index(b"rep_vertices.npy"))
        data[magic + 8] ^= 0xFF  # the header's length: numpy reads into the array data as if it were header
        return data
    if how == "unknown zip version":  # "version needed to extract" of the first central directory record
        data[data.index(b"PK\x01\x02") + 6] = 0xFF
        return data
    if how == "not a zip":
        return bytearray(b"not a zip file" * 100)
    return bytearray()


@pytest.mark.parametrize("damage", ["truncated", "bytes flipped", "garbled array header", "unknown zip version",
                                    "not a zip", "empty"])
def test_a_damaged_entry_is_discarded_and_rebuilt(model_file, damage, caplog):
    good = load_model(model_file)
    entry = geometry_cache.entry_path(good.file_hash)
    entry.write_bytes(bytes(_damage(bytearray(entry.read_bytes()), damage)))
    assert geometry_cache.load(good.file_hash) is None  # a miss, never an exception
    assert not entry.exists()
    entry.write_bytes(bytes(_damage(bytearray(geometry_cache.store(
        good.file_hash, good.mesh, good.index, good.summary).read_bytes()), damage)))
    with caplog.at_level(logging.WARNING, logger="bim.geometry_cache"):
        rebuilt = load_model(model_file)
    assert not rebuilt.from_cache
    assert "discarding damaged geometry cache entry" in caplog.text
    assert_same_model(good, rebuilt)
    assert load_model(model_file).from_cache  # the rebuilt entry is good again


def test_an_entry_made_with_other_geometry_settings_is_not_used(model_file, monkeypatch):
    load_model(model_file)
    monkeypatch.setitem(bim.tessellation.GEOMETRY_SETTINGS, "apply-default-materials", False)
    assert geometry_cache.load(file_sha256(model_file)) is None
    monkeypatch.undo()
    assert geometry_cache.load(file_sha256(model_file)) is not None  # the older entry was left alone


def test_an_entry_whose_stored_key_differs_is_discarded(model_file, monkeypatch):
    """An entry copied under the current name but written with another fingerprint is stale."""
    load_model(model_file)
    file_hash = file_sha256(model_file)
    old_entry = geometry_cache.entry_path(file_hash)
    monkeypatch.setattr(geometry_cache, "settings_fingerprint", lambda: '{"ifcopenshell": "9.9", "format": 99}')
    new_entry = geometry_cache.entry_path(file_hash)
    assert new_entry != old_entry
    shutil.copy(old_entry, new_entry)
    assert geometry_cache.load(file_hash) is None
    assert not new_entry.exists()
    assert not load_model(model_file).from_cache and new_entry.exists()


def test_an_entry_is_never_used_for_another_file(model_file, demo_project):
    load_model(model_file)
    other = load_model(demo_project.paths["ELE"])
    assert other.file_hash != file_sha256(model_file)
    assert other.elements != load_model(model_file).elements


def test_geometry_failures_are_kept_in_the_cache(demo_project, tmp_path):
    column = demo_project.global_id("STR", "RDC/col-C2")
    broken = copy_with_broken_solid(demo_project.paths["STR"], tmp_path / "broken.ifc", column, "zero-direction")
    first, second = load_model(broken), load_model(broken)
    assert second.from_cache
    assert [f.global_id for f in second.failures] == [column]
    assert second.failures == first.failures


def test_without_synthese_cache_dir_the_cache_goes_to_the_user_cache_folder(monkeypatch):
    monkeypatch.delenv("SYNTHESE_CACHE_DIR")
    folder = geometry_cache.cache_dir()
    assert folder.name == "geometry" and "synthese" in str(folder).lower()
