"""Results of an IDS run: specification → model → requirement → element, as frozen dataclasses.

Nothing here refers to an open IFC file, so results can be kept, compared,
stored and exported after the models are closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bim.i18n import _
from checks.elements import ElementRef


class Status(str, Enum):
    """Outcome of a check. ``SKIPPED``: the specification targets no loaded model's schema."""

    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


class Cardinality(str, Enum):
    """How a specification applies: at least one element must match, any may, or none may."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    PROHIBITED = "prohibited"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Reason:
    """Why an element fails a requirement, in words: what was expected, what was found, where."""

    expected: str
    found: str
    looked_in: str

    @property
    def text(self) -> str:
        """One sentence for lists and reports."""
        return _("{looked_in}: expected {expected}, found {found}").format(
            looked_in=self.looked_in, expected=self.expected, found=self.found
        )


@dataclass(frozen=True)
class ElementCheck:
    """One element against one requirement."""

    element: ElementRef
    passed: bool
    reason: Reason | None = None


@dataclass(frozen=True)
class RequirementResult:
    """One requirement (facet) of a specification on one model, element by element.

    Passing elements are kept as bare references (most elements pass; a check
    object each would cost more than the check), failures with their reason.
    """

    index: int
    facet: str  # entity, attribute, classification, partOf, property, material
    description: str
    cardinality: str  # required, optional, prohibited (of the facet)
    instructions: str | None
    passed: tuple[ElementRef, ...]
    failures: tuple[ElementCheck, ...]

    @property
    def checks(self) -> tuple[ElementCheck, ...]:
        """Every element's outcome, passes and failures, in STEP id order."""
        every = [ElementCheck(e, True) for e in self.passed] + list(self.failures)
        return tuple(sorted(every, key=lambda c: c.element.step_id))

    @property
    def passed_count(self) -> int:
        """How many applicable elements meet this requirement."""
        return len(self.passed)

    @property
    def failed_count(self) -> int:
        """How many applicable elements fail this requirement."""
        return len(self.failures)

    @property
    def status(self) -> Status:
        """FAIL if any element fails this requirement."""
        return Status.FAIL if self.failures else Status.PASS


@dataclass(frozen=True)
class ModelSpecificationResult:
    """A specification run on one model."""

    model_id: str
    model_name: str
    status: Status
    applicable: tuple[ElementRef, ...]
    failing: tuple[ElementRef, ...]
    requirements: tuple[RequirementResult, ...]
    message: str = ""  # why the whole specification fails, when no single element does

    @property
    def applicable_count(self) -> int:
        """How many elements of the model the specification applies to."""
        return len(self.applicable)

    @property
    def failing_count(self) -> int:
        """How many applicable elements fail at least one requirement."""
        return len(self.failing)

    @property
    def passing_count(self) -> int:
        """How many applicable elements meet every requirement."""
        return len(self.applicable) - len(self.failing)

    @property
    def passing(self) -> tuple[ElementRef, ...]:
        """Applicable elements that meet every requirement."""
        failing = {e.step_id for e in self.failing}
        return tuple(e for e in self.applicable if e.step_id not in failing)

    def reasons_by_element(self) -> dict[int, list[tuple[RequirementResult, Reason]]]:
        """For each failing element (by STEP id), every requirement it fails with the reason."""
        found: dict[int, list[tuple[RequirementResult, Reason]]] = {}
        for requirement in self.requirements:
            for check in requirement.failures:
                if check.reason is not None:
                    found.setdefault(check.element.step_id, []).append((requirement, check.reason))
        return found


@dataclass(frozen=True)
class SpecificationResult:
    """A specification run on every model whose schema it targets."""

    index: int
    name: str
    identifier: str | None
    description: str | None
    instructions: str | None
    ifc_versions: tuple[str, ...]
    cardinality: Cardinality
    applicability: tuple[str, ...]  # each applicability facet, in words
    requirements: tuple[str, ...]  # each requirement facet, in words
    models: tuple[ModelSpecificationResult, ...]
    skipped_models: tuple[str, ...]  # ids of models whose schema the specification does not target
    # Why the models above were skipped when it is not their schema (a built-in rule that
    # needs geometry or several models); empty for IDS specifications.
    skip_reason: str = ""

    @property
    def status(self) -> Status:
        """FAIL if it fails on any model, SKIPPED if it ran on none, else PASS."""
        if not self.models:
            return Status.SKIPPED
        return Status.FAIL if any(m.status is Status.FAIL for m in self.models) else Status.PASS

    @property
    def applicable_count(self) -> int:
        """Applicable elements over all models."""
        return sum(m.applicable_count for m in self.models)

    @property
    def passing_count(self) -> int:
        """Passing elements over all models."""
        return sum(m.passing_count for m in self.models)

    @property
    def failing_count(self) -> int:
        """Failing elements over all models."""
        return sum(m.failing_count for m in self.models)

    @property
    def failing_global_ids(self) -> tuple[str, ...]:
        """GlobalIds of failing elements over all models (elements without one are left out)."""
        return tuple(e.global_id for m in self.models for e in m.failing if e.global_id)


@dataclass(frozen=True)
class CheckedModelInfo:
    """A model of the run, as reports name it."""

    model_id: str
    name: str
    schema: str
    trade: str | None = None
    path: str | None = None
    file_hash: str | None = None  # SHA-256 of the file checked: the model version a run refers to


@dataclass(frozen=True)
class IdsRunResult:
    """Everything one IDS run produced."""

    ids_title: str
    ids_path: str | None
    ids_info: tuple[tuple[str, str], ...]
    models: tuple[CheckedModelInfo, ...]
    specifications: tuple[SpecificationResult, ...]
    started_at: str  # ISO 8601, UTC
    duration_s: float

    @property
    def status(self) -> Status:
        """FAIL if any specification fails on any model, else PASS (also when some were skipped)."""
        return Status.FAIL if any(s.status is Status.FAIL for s in self.specifications) else Status.PASS

    def count(self, status: Status) -> int:
        """How many specifications ended with ``status``."""
        return sum(1 for s in self.specifications if s.status is status)

    def model(self, model_id: str) -> CheckedModelInfo | None:
        """The model of the run with this id."""
        return next((m for m in self.models if m.model_id == model_id), None)
