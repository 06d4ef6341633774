"""Missing shared test data fails the run under CI and is skipped, with its reason, elsewhere."""

from __future__ import annotations

import pytest

from tests.checks.shared_data import require


def test_missing_shared_data_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        require(tmp_path / "absent", "the corpus")


def test_missing_shared_data_is_skipped_with_its_reason_elsewhere(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="the corpus not found"):
        require(tmp_path / "absent", "the corpus")


def test_present_shared_data_is_returned(tmp_path):
    assert require(tmp_path, "a folder") == tmp_path
