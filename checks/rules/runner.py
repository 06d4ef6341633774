"""Run a rule set — its IDS specifications and its built-in rules — on the federation, as one result."""

from __future__ import annotations

import copy
import getpass
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import ifcopenshell

from bim.i18n import _
from bim.ifc_file import file_sha256
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from checks.ids import IdsDocument, load_ids, run_ids
from checks.ids.results import CheckedModelInfo
from checks.model import CheckedModel
from checks.rules.base import RuleModel
from checks.rules.results import SOURCE_BUILTIN, SOURCE_IDS, RuleResult, RulesetInfo, RulesetRunResult
from checks.rulesets import IdsReference, RuleSet, find_ruleset


def rule_models(models: Iterable) -> list[RuleModel]:
    """The models as rules take them, from what callers have.

    Accepts :class:`RuleModel`, a loaded model of the viewer's federation
    (:class:`bim.federation.LoadedModel`: its tessellation is used, never
    redone), :class:`CheckedModel` (no geometry: rules that need it skip it), or
    a bare ``ifcopenshell.file`` (named by its position).
    """
    found = []
    for position, model in enumerate(models, start=1):
        if isinstance(model, RuleModel):
            found.append(model)
        elif isinstance(model, CheckedModel):
            found.append(RuleModel(model))
        elif isinstance(model, ifcopenshell.file):
            found.append(RuleModel(CheckedModel(f"model-{position}", _("model {n}").format(n=position), model)))
        elif hasattr(model, "mesh") and hasattr(model, "index") and callable(getattr(model, "ifc", None)):
            found.append(RuleModel.from_loaded(model))
        else:
            raise TypeError(f"cannot check {type(model).__name__}: give RuleModel, LoadedModel or CheckedModel")
    for model in found:
        path = model.checked.path
        if model.file_hash is None and path is not None and Path(path).is_file():
            model.file_hash = file_sha256(path)
    return found


def _spec_key(spec) -> str:
    return getattr(spec, "identifier", None) or spec.name


def _enabled_document(document: IdsDocument, reference: IdsReference) -> IdsDocument:
    """The document with only the specifications the rule set keeps on (the loaded one is left untouched)."""
    kept = [s for s in document.specifications
            if reference.specification_enabled(getattr(s, "identifier", None), s.name)]
    ids = copy.copy(document.ids)
    ids.specifications = kept
    return IdsDocument(ids=ids, path=document.path, lines=document.lines)


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user database entry (containers): the run is still worth keeping
        return ""


def _version() -> str:
    try:
        return metadata.version("synthese")
    except metadata.PackageNotFoundError:
        return ""


def run_ruleset(
    models: Iterable,
    ruleset: RuleSet | str | Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    only_targeted_schemas: bool = True,
    run_by: str | None = None,
) -> RulesetRunResult:
    """Run every enabled IDS specification and built-in rule of ``ruleset`` on ``models``.

    ``ruleset`` is a :class:`RuleSet`, a shipped rule set's key or a rule-set
    file (see :func:`checks.rulesets.find_ruleset`). ``models``: see
    :func:`rule_models`. Every IDS file is loaded before anything runs, so an
    invalid IDS raises :class:`checks.ids.IdsError` at once (a bad rule set:
    :class:`checks.rulesets.RulesetError`). ``progress(done, total, message)``
    counts specification × model pairs and built-in rules; ``cancel()``
    returning True raises :class:`bim.progress.Cancelled`.
    ``only_targeted_schemas``: as in :func:`checks.ids.run_ids`.
    """
    ruleset = ruleset if isinstance(ruleset, RuleSet) else find_ruleset(ruleset)
    checked = rule_models(models)
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    documents = [(reference, _enabled_document(load_ids(reference.path), reference))
                 for reference in ruleset.ids if reference.enabled]
    builtins = [entry for entry in ruleset.rules if entry.enabled]
    plans = [(entry, entry.rule, entry.effective_parameters()) for entry in builtins]
    total = sum(len(d.specifications) * len(checked) for _r, d in documents) + len(plans)
    done = 0
    results: list[RuleResult] = []
    used_keys: set[str] = set()

    def unique(rule_id: str, source: str) -> str:
        # Two IDS files may reuse an identifier; the second gets a suffix so keys stay unique.
        candidate, n = rule_id, 2
        while f"{source}:{candidate}" in used_keys:
            candidate, n = f"{rule_id}#{n}", n + 1
        used_keys.add(f"{source}:{candidate}")
        return candidate

    for reference, document in documents:
        check_cancelled(cancel)
        base = done

        def inner(d: int, _t: int, message: str, base=base) -> None:
            report(progress, base + d, total, message)

        run = run_ids([m.checked for m in checked], document, progress=inner if progress else None,
                      cancel=cancel, only_targeted_schemas=only_targeted_schemas)
        done = base + len(document.specifications) * len(checked)
        for spec, spec_result in zip(document.specifications, run.specifications):
            key = _spec_key(spec)
            results.append(RuleResult(
                rule_id=unique(key, SOURCE_IDS),
                source=SOURCE_IDS,
                severity=reference.specification_severity(getattr(spec, "identifier", None), spec.name),
                specification=spec_result,
                origin=document.title,
            ))
    for entry, rule_class, params in plans:
        check_cancelled(cancel)
        report(progress, done, total, _("Checking “{rule}”").format(rule=_(rule_class.title)))
        spec_result = rule_class().run(checked, params, cancel)
        results.append(RuleResult(
            rule_id=unique(entry.rule_id, SOURCE_BUILTIN),
            source=SOURCE_BUILTIN,
            severity=entry.effective_severity(),
            specification=spec_result,
            parameters=tuple(sorted(params.items())),
        ))
        done += 1
    report(progress, total, total, _("Done"))
    # Specifications are numbered in rule-set order, as reports anchor and list them.
    results = [replace(r, specification=replace(r.specification, index=i)) for i, r in enumerate(results)]
    return RulesetRunResult(
        ruleset=RulesetInfo(ruleset.key, ruleset.title, ruleset.version,
                            str(ruleset.path) if ruleset.path else None, ruleset.content_hash()),
        models=tuple(CheckedModelInfo(m.model_id, m.name, m.checked.schema, m.trade,
                                      str(m.checked.path) if m.checked.path else None, m.file_hash)
                     for m in checked),
        rules=tuple(results),
        started_at=started.isoformat(timespec="seconds"),
        duration_s=time.perf_counter() - clock,
        run_by=run_by if run_by is not None else _who(),
        synthese_version=_version(),
    )
