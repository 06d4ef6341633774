"""IDS 1.0 engine: load and validate IDS files, check models against them, results in words.

Public API::

    doc = load_ids("rules.ids")              # raises IdsError (file, line, message)
    result = run_ids([CheckedModel(...)], doc, progress=None, cancel=None)
    result.status, result.specifications[0].models[0].failing
"""

from checks.ids.errors import IdsError, IdsProblem
from checks.ids.loader import IdsDocument, load_ids, load_ids_text
from checks.ids.results import (
    Cardinality,
    CheckedModelInfo,
    ElementCheck,
    IdsRunResult,
    ModelSpecificationResult,
    Reason,
    RequirementResult,
    SpecificationResult,
    Status,
)
from checks.ids.runner import applicable_elements, run_ids

__all__ = [
    "Cardinality",
    "CheckedModelInfo",
    "ElementCheck",
    "IdsDocument",
    "IdsError",
    "IdsProblem",
    "IdsRunResult",
    "ModelSpecificationResult",
    "Reason",
    "RequirementResult",
    "SpecificationResult",
    "Status",
    "applicable_elements",
    "load_ids",
    "load_ids_text",
    "run_ids",
]
