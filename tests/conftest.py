"""Fixtures shared by every test package: the shared corpus, a private cache, the demo project.

The corpus of real IFC models lives in ``../shared`` (relative to the project root)
and is never copied into the project. A test that needs it is skipped with a clear
reason when it is absent, except under ``CI=true``, where a missing corpus fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"


def in_ci() -> bool:
    """True when running under continuous integration (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_path(path: Path, what: str) -> Path:
    """``path`` if it exists; otherwise skip the test, or fail it under CI."""
    if not path.exists():
        message = f"{what} not found at {path}"
        if in_ci():
            pytest.fail(message + " (CI=true: the shared corpus is required)", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``: the corpus and conformance suites shared by every checkout."""
    return require_path(SHARED_DIR, "the shared test data folder")


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    """``../shared/corpus``: real IFC models (see its README.md)."""
    return require_path(shared_dir / "corpus", "the IFC corpus")


@pytest.fixture(scope="session")
def corpus_model(corpus_dir: Path):
    """``corpus_model("duplex-electrical")``: the path of a corpus model (``.ifc`` optional)."""

    def find(name: str) -> Path:
        file_name = name if name.endswith((".ifc", ".ifczip")) else name + ".ifc"
        return require_path(corpus_dir / file_name, f"the corpus model {file_name}")

    return find


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory) -> Path:
    """Every test writes its geometry cache to a per-session folder, never the user's."""
    path = tmp_path_factory.mktemp("synthese-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYNTHESE_CACHE_DIR", str(path))
        yield path


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory):
    """The demo project (IFC4, one file per trade), generated once per session: do not modify its files."""
    from bim.demo import generate_demo

    return generate_demo(tmp_path_factory.mktemp("demo"))
