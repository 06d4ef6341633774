"""Run every specification of an IDS on every model whose schema it targets.

The loop is ifctester's ``Specification.validate`` made to keep what a review
needs: each element's outcome per requirement with the reason in words,
progress, cancellation, and results that no longer refer to the open files.
It also evaluates each applicability facet once per element, where ifctester
evaluates the non-entity ones twice (in its filter, then again).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import ifcopenshell
from ifctester import facet as tf

from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from checks.elements import ElementRef, ElementRefs
from checks.ids.loader import IdsDocument, load_ids
from checks.ids.model_index import ModelIndex, activated
from checks.ids.reasons import describe_applicability, describe_requirement, failure_reason
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
from checks.model import CheckedModel

_CANCEL_EVERY = 64  # elements between two cancel() calls: responsive, and cheap next to the checks


def cardinality_of(specification) -> Cardinality:
    """A specification's cardinality from its applicability's minOccurs/maxOccurs."""
    if specification.maxOccurs == 0 or specification.maxOccurs == "0":
        return Cardinality.PROHIBITED
    if int(specification.minOccurs or 0) >= 1:
        return Cardinality.REQUIRED
    return Cardinality.OPTIONAL


def _as_models(models: Iterable[CheckedModel | ifcopenshell.file]) -> list[CheckedModel]:
    found = []
    for i, model in enumerate(models, start=1):
        if isinstance(model, CheckedModel):
            found.append(model)
        else:  # a bare opened file: name it by its position
            found.append(CheckedModel(f"model-{i}", f"model {i}", model))
    return found


def run_ids(
    models: Iterable[CheckedModel | ifcopenshell.file] | CheckedModel,
    ids: IdsDocument | str | Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    only_targeted_schemas: bool = True,
) -> IdsRunResult:
    """Check ``models`` against an IDS (a loaded :class:`IdsDocument` or a path to load).

    Each specification runs on the models whose schema its ``ifcVersion``
    lists; the others are reported as skipped for it. ``only_targeted_schemas=False``
    runs every specification on every model, as the buildingSMART suite reads
    IDS 1.0 (there ``ifcVersion`` is metadata: case
    specification_version_is_purely_metadata…); in a federation mixing IFC2X3
    and IFC4 models that would fail models on rules written for another schema.

    ``progress(done, total, message)`` is called before each specification ×
    model pair and once at the end; ``cancel()`` returning True raises
    :class:`bim.progress.Cancelled`. Raises :class:`IdsError` for an invalid IDS path.
    """
    document = ids if isinstance(ids, IdsDocument) else load_ids(ids)
    checked = _as_models([models] if isinstance(models, CheckedModel) else models)
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    specs = document.specifications
    targets = {
        id(spec): [m for m in checked if not only_targeted_schemas or m.ids_version in _versions(spec)]
        for spec in specs
    }
    total = sum(len(t) for t in targets.values())
    done = 0
    per_pair: dict[tuple[int, int], ModelSpecificationResult] = {}  # (specification, model position)
    try:
        for j, model in enumerate(checked):
            index = ModelIndex(model.ifc_file)
            refs = ElementRefs(model.model_id, index.spatial)
            _clear_ifctester_caches()
            with activated(index):
                for i, spec in enumerate(specs):
                    if not any(m is model for m in targets[id(spec)]):
                        continue
                    check_cancelled(cancel)
                    report(progress, done, total,
                           _("Checking “{spec}” on {model}").format(spec=spec.name, model=model.name))
                    per_pair[(i, j)] = _run_specification(spec, model, refs, index, cancel)
                    done += 1
    finally:
        _clear_ifctester_caches()  # they hold instances of the models; let the files be freed
    report(progress, total, total, _("Done"))
    results = tuple(_specification_result(i, s, checked, per_pair) for i, s in enumerate(specs))
    return IdsRunResult(
        ids_title=document.title,
        ids_path=str(document.path) if document.path else None,
        ids_info=tuple(document.info.items()),
        models=tuple(CheckedModelInfo(m.model_id, m.name, m.schema, m.trade, str(m.path) if m.path else None)
                     for m in checked),
        specifications=results,
        started_at=started.isoformat(timespec="seconds"),
        duration_s=time.perf_counter() - clock,
    )


def _versions(spec) -> list[str]:
    return spec.ifcVersion if isinstance(spec.ifcVersion, list) else str(spec.ifcVersion).split()


def _clear_ifctester_caches() -> None:
    tf.get_pset.cache_clear()
    tf.get_psets.cache_clear()


def applicable_elements(
    spec, ifc_file: ifcopenshell.file, cancel: CancelFn | None = None, index: ModelIndex | None = None
) -> list:
    """Instances of ``ifc_file`` that match every applicability facet of ``spec``, by STEP id.

    ``index`` shares class lookups between the specifications of one run.
    """
    facets = list(spec.applicability)
    if not facets:
        return []
    first, rest = facets[0], facets[1:]
    if isinstance(first, tf.Entity):
        candidates = (index or ModelIndex(ifc_file)).entity_candidates(first)
    else:
        candidates = first.filter(ifc_file, None) or []
    # Entity.filter already checks the entity (and predefined type); other
    # facets' filters only narrow by class, so their test still has to run.
    if not isinstance(first, tf.Entity):
        rest = [first, *rest]
    elements = []
    for n, element in enumerate(dict.fromkeys(candidates)):
        if n % _CANCEL_EVERY == 0:
            check_cancelled(cancel)
        if all(facet(element) for facet in rest):
            elements.append(element)
    elements.sort(key=lambda e: e.id())
    return elements


def _run_specification(spec, model: CheckedModel, refs: ElementRefs, index: ModelIndex, cancel):
    elements = applicable_elements(spec, model.ifc_file, cancel, index)
    applicable = tuple(refs.ref(e) for e in elements)
    cardinality = cardinality_of(spec)
    if cardinality is Cardinality.PROHIBITED:
        status = Status.FAIL if applicable else Status.PASS
        message = _("prohibited: no element may match the applicability") if applicable else ""
        return ModelSpecificationResult(model.model_id, model.name, status, applicable, applicable, (), message)
    requirements: Sequence = spec.requirements
    passed: list[list[ElementRef]] = [[] for _r in requirements]
    failed: list[list[ElementCheck]] = [[] for _r in requirements]
    failing: dict[int, ElementRef] = {}
    reasons: dict[tuple, Reason] = {}  # many elements fail the same way; phrase each way once
    for n, (element, ref) in enumerate(zip(elements, applicable)):
        if n % _CANCEL_EVERY == 0:
            check_cancelled(cancel)
        for i, facet in enumerate(requirements):
            try:
                result = facet(element)
            except Exception as exc:  # a malformed model must not stop the run: the element fails, with the cause
                result = tf.Result(False, {"type": "ERROR", "actual": f"{type(exc).__name__}: {exc}"})
            if result:
                passed[i].append(ref)
            else:
                failed[i].append(ElementCheck(ref, False, _reason(facet, result, reasons)))
                failing[ref.step_id] = ref
    message = ""
    status = Status.FAIL if failing else Status.PASS
    if cardinality is Cardinality.REQUIRED and not applicable:
        status = Status.FAIL
        message = _("required: no element matches the applicability")
    requirement_results = tuple(
        RequirementResult(
            i,
            _facet_kind(facet),
            describe_requirement(facet),
            getattr(facet, "cardinality", "required") or "required",
            getattr(facet, "instructions", None),
            tuple(passed[i]),
            tuple(failed[i]),
        )
        for i, facet in enumerate(requirements)
    )
    return ModelSpecificationResult(
        model.model_id, model.name, status, applicable, tuple(failing.values()), requirement_results, message
    )


def _reason(facet, result, memo: dict) -> Reason:
    reason = getattr(result, "reason", None) or {}
    try:
        key = (id(facet), reason.get("type"), repr(reason.get("actual")), reason.get("dataType"))
    except Exception:  # an exotic value without a usable repr: phrase it every time
        key = None
    found = memo.get(key) if key else None
    if found is None:
        if reason.get("type") == "ERROR":
            found = Reason(describe_requirement(facet), _("an error: {error}").format(error=reason["actual"]), _("model"))
        else:
            found = failure_reason(facet, reason)
        if key:
            memo[key] = found
    return found


def _facet_kind(facet) -> str:
    """The IDS element name of a facet (entity, partOf, property…), from its ifctester class."""
    name = next(c.__name__ for c in type(facet).__mro__ if c.__module__ == tf.__name__)
    return name[0].lower() + name[1:]


def _specification_result(index, spec, models, per_pair) -> SpecificationResult:
    return SpecificationResult(
        index=index,
        name=spec.name,
        identifier=getattr(spec, "identifier", None) or None,
        description=spec.description or None,
        instructions=spec.instructions or None,
        ifc_versions=tuple(_versions(spec)),
        cardinality=cardinality_of(spec),
        applicability=tuple(describe_applicability(f) for f in spec.applicability),
        requirements=tuple(describe_requirement(f) for f in spec.requirements),
        models=tuple(per_pair[(index, j)] for j in range(len(models)) if (index, j) in per_pair),
        skipped_models=tuple(m.model_id for j, m in enumerate(models) if (index, j) not in per_pair),
    )
