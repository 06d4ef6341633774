"""The buildingSMART IDS 1.0 conformance suite: every case gives the outcome its name announces.

Each ``.ids``/``.ifc`` pair is one test named after the file, so a failure
says which case differs. ``invalid-`` cases must be rejected as invalid IDS
(schema or semantic error) before any model is checked.
"""

from __future__ import annotations

from pathlib import Path

import ifcopenshell
import pytest

from checks.ids import IdsError, Status, load_ids, run_ids
from checks.model import CheckedModel
from tests.checks.shared_data import IDS_TESTCASES, require

EXPECTED_CASES = 314
CASES = sorted(IDS_TESTCASES.glob("*/*.ids")) if IDS_TESTCASES.is_dir() else []


def outcome_of(ids_path: Path) -> str:
    """pass, fail or invalid, as our engine judges the case."""
    try:
        document = load_ids(ids_path)
    except IdsError:
        return "invalid"
    model = ifcopenshell.open(str(ids_path.with_suffix(".ifc")))
    # The suite reads ifcVersion as metadata: every specification runs on the case's model.
    result = run_ids([CheckedModel(ids_path.stem, ids_path.stem, model)], document, only_targeted_schemas=False)
    return "fail" if result.status is Status.FAIL else "pass"


def test_the_conformance_suite_is_there_with_all_its_cases():
    require(IDS_TESTCASES, "the buildingSMART IDS test cases")
    assert len(CASES) == EXPECTED_CASES
    assert all(case.with_suffix(".ifc").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_each_case_gives_the_outcome_its_name_announces(case: Path):
    expected = case.name.split("-", 1)[0]
    assert outcome_of(case) == expected, f"{case.parent.name}/{case.name}: expected {expected}"
