"""Fixtures of the clash tests: the demo project loaded once, messages in English."""

from __future__ import annotations

import pytest

from bim.demo import generate_demo
from bim.federation import load_model
from bim.i18n import current_language, set_language

MEP = ("CVC", "PLB", "ELE")


@pytest.fixture(autouse=True)
def english_messages():
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def load_demo(project) -> list:
    """The demo's five models, loaded (through the geometry cache) with their trade codes."""
    return [load_model(path, trade=trade) for trade, path in project.paths.items()]


@pytest.fixture(scope="session")
def demo_models(demo_project):
    return load_demo(demo_project)


@pytest.fixture(scope="session")
def demo_x4(tmp_path_factory):
    """The demo with four building copies, and its loaded models."""
    project = generate_demo(tmp_path_factory.mktemp("demo-x4"), scale=4)
    return project, load_demo(project)


def pair(clash) -> frozenset:
    """A clash as the unordered pair of its GlobalIds."""
    return frozenset((clash.a.global_id, clash.b.global_id))
