"""Where the shared test data lives (../shared next to the repository) and what to do when it is missing.

Under CI=true a missing folder is a failure: the suite must never pass by
skipping what it was meant to check. Elsewhere the test is skipped, saying why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT / ".." / "shared"
IDS_TESTCASES = SHARED / "ids-testcases"
CORPUS = SHARED / "corpus"
RULESETS = REPO_ROOT / "resources" / "rulesets"


def in_ci() -> bool:
    """Whether the tests run under CI (env CI=true)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def require(path: Path, what: str) -> Path:
    """Return ``path``, or fail (CI) / skip (elsewhere) with a clear reason if it does not exist."""
    if path.exists():
        return path
    message = f"{what} not found at {path.resolve()} (expected in ../shared next to the repository)"
    if in_ci():
        pytest.fail(message + "; CI=true requires it")
    pytest.skip(message)
