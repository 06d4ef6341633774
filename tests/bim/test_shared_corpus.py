"""The shared corpus: skipped with its reason on a workstation without it, a failure under CI."""

from __future__ import annotations

import pytest

from tests.conftest import require_path


def test_a_missing_corpus_fails_the_test_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_path(tmp_path / "corpus", "the IFC corpus")


def test_a_missing_corpus_skips_the_test_with_its_reason_elsewhere(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="the IFC corpus not found at"):
        require_path(tmp_path / "corpus", "the IFC corpus")


def test_a_corpus_model_is_found_by_name_with_or_without_its_extension(corpus_model, corpus_dir):
    assert corpus_model("duplex-electrical") == corpus_model("duplex-electrical.ifc") == \
        corpus_dir / "duplex-electrical.ifc"
    assert (corpus_dir / "README.md").is_file()
