"""The demo federation loaded once (geometry included), and edited copies of its models built to fail.

Built-in rules read the tessellation the viewer made; these fixtures load
models the way the app does (``bim.federation.load_model``, into the
session's private geometry cache), so the rules are tested on what they get.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import pytest

from bim.federation import LoadedModel
from checks.rules import RuleModel
from tests.checks.rules.helpers import load

TRADES = ("ARC", "STR", "CVC", "PLB", "ELE")


@pytest.fixture(scope="session")
def demo_models(demo_project) -> dict[str, LoadedModel]:
    """The five demo models by trade code, with their tessellation."""
    return {trade: load(demo_project.paths[trade]) for trade in TRADES}


@pytest.fixture(scope="session")
def federation(demo_models) -> list[RuleModel]:
    """The demo federation as rules take it."""
    return [RuleModel.from_loaded(m) for m in demo_models.values()]


@pytest.fixture
def edited(demo_project, tmp_path) -> Callable[..., LoadedModel]:
    """``edited("STR", change)``: a copy of a demo model changed by ``change(ifc_file)``, saved and loaded.

    The copy keeps the demo file's name (so its model id and trade are those of
    the original) in a folder of its own.
    """

    def make(trade: str, change: Callable[[ifcopenshell.file], object]) -> LoadedModel:
        original = demo_project.paths[trade]
        ifc = ifcopenshell.open(str(original))
        change(ifc)
        folder = tmp_path / f"edited-{trade}"
        folder.mkdir(exist_ok=True)
        target = folder / original.name
        ifc.write(str(target))
        return load(target)

    return make
