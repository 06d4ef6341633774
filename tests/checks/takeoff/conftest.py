"""Fixtures of the takeoff tests: the demo project loaded once and taken off once."""

from __future__ import annotations

import pytest

from bim.federation import load_model
from checks.takeoff import TakeoffTemplate, run_takeoff
from checks.takeoff.kinds import KIND_KEYS


@pytest.fixture(scope="session")
def demo_models(demo_project):
    """The five demo models, tessellated once (one process: the files are small)."""
    return [load_model(path, workers=1) for path in demo_project.files]


@pytest.fixture(scope="session")
def demo_takeoff(demo_models):
    """Every demo element with every quantity."""
    return run_takeoff(demo_models, TakeoffTemplate(quantities=KIND_KEYS))


@pytest.fixture(scope="session")
def demo_row(demo_takeoff, demo_project):
    """``demo_row("ARC", "RDC/wall-S")``: the takeoff row of a demo element."""

    def find(trade: str, key: str):
        global_id = demo_project.global_id(trade, key)
        return next(r for r in demo_takeoff.elements if r.global_id == global_id)

    return find
