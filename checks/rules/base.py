"""What every built-in rule shares: its parameters, the models it reads, and its result.

A built-in rule is a class with a stable ``rule_id``, a default severity and
declared :class:`Parameter`\\ s. It looks at the models of the federation and
reports, per model, the elements it applies to and the failing ones with a
:class:`~checks.ids.results.Reason` (expected, found, where). :meth:`BuiltinRule.run`
packs that into the same :class:`~checks.ids.results.SpecificationResult` an IDS
specification produces, so reports, the results tree and issue creation treat
both alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import ifcopenshell
import numpy as np

from bim.i18n import _
from bim.progress import CancelFn, check_cancelled
from checks.elements import ElementRef, ElementRefs
from checks.ids.results import (
    Cardinality,
    ElementCheck,
    ModelSpecificationResult,
    Reason,
    RequirementResult,
    SpecificationResult,
    Status,
)
from checks.model import CheckedModel
from checks.rules.severity import Severity
from checks.spatial import SpatialIndex
from checks.units import si_scale

ALL_IFC_VERSIONS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")
CANCEL_EVERY = 256  # elements between two cancel() calls


class RuleParameterError(ValueError):
    """A rule parameter has an unknown name or a value of the wrong kind; ``str()`` says which."""


@dataclass(frozen=True)
class Parameter:
    """One setting of a built-in rule.

    ``kind`` is ``float``, ``int``, ``bool``, ``str`` or ``list`` (of strings);
    ``unit`` is shown next to the value (m, m², °); ``choices`` lists the only
    accepted strings.
    """

    name: str
    default: Any
    description: str
    kind: str = "float"
    unit: str = ""
    minimum: float | None = None
    choices: tuple[str, ...] = ()

    def coerce(self, value: Any) -> Any:
        """``value`` as this parameter's kind (lists become tuples), or :class:`RuleParameterError`."""
        wrong = RuleParameterError(_("parameter {name}: {value!r} is not a valid {kind}").format(
            name=self.name, value=value, kind=self.kind))
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise wrong
            return value
        if self.kind in ("float", "int"):
            # bool is an int in Python; "true" is no length.
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise wrong
            if self.kind == "int":
                if value != int(value):
                    raise wrong
                value = int(value)
            else:
                value = float(value)
            if self.minimum is not None and value < self.minimum:
                raise RuleParameterError(_("parameter {name}: {value} is below the minimum {minimum}").format(
                    name=self.name, value=value, minimum=self.minimum))
            return value
        if self.kind == "str":
            if not isinstance(value, str):
                raise wrong
            if self.choices and value not in self.choices:
                raise RuleParameterError(_("parameter {name}: {value!r} is not one of {choices}").format(
                    name=self.name, value=value, choices=", ".join(self.choices)))
            return value
        if self.kind == "list":
            if isinstance(value, str) or not isinstance(value, (list, tuple)) or \
                    not all(isinstance(v, str) for v in value):
                raise wrong
            return tuple(value)
        raise wrong


@dataclass(eq=False)
class RuleModel:
    """One model of the federation as built-in rules read it.

    ``checked`` is the opened IFC file with its identity. ``mesh`` is the
    tessellation the viewer already made (:attr:`bim.federation.LoadedModel.mesh`)
    and ``instance_step_ids`` the STEP id of each mesh instance's element; rules
    about geometry read them and never tessellate again. Without a mesh those
    rules skip the model and say why.
    """

    checked: CheckedModel
    mesh: Any = None  # bim.tessellation.InstancedMesh
    instance_step_ids: np.ndarray | None = None
    file_hash: str | None = None
    _spatial: SpatialIndex | None = field(default=None, repr=False)
    _refs: ElementRefs | None = field(default=None, repr=False)
    _instances: dict[int, list[int]] | None = field(default=None, repr=False)
    _scales: dict[str, float] = field(default_factory=dict, repr=False)

    @classmethod
    def from_loaded(cls, loaded) -> "RuleModel":
        """A model of the viewer's federation (:class:`bim.federation.LoadedModel`), geometry included."""
        mesh = loaded.mesh
        elements = loaded.index.elements
        step_ids = np.array([elements[i].step_id for i in mesh.instance_element], np.int64) \
            if len(mesh.instance_element) else np.zeros(0, np.int64)
        checked = CheckedModel(loaded.model_id, Path(loaded.path).stem, loaded.ifc(), loaded.trade or None,
                               Path(loaded.path))
        return cls(checked, mesh, step_ids, loaded.file_hash)

    @property
    def model_id(self) -> str:
        """The model's stable id (the project's, or the file name on the command line)."""
        return self.checked.model_id

    @property
    def name(self) -> str:
        """The model's name as users read it."""
        return self.checked.name

    @property
    def ifc_file(self) -> ifcopenshell.file:
        """The opened IFC file."""
        return self.checked.ifc_file

    @property
    def trade(self) -> str | None:
        """The trade code (ARC, STR, CVC…) when known."""
        return self.checked.trade

    @property
    def has_geometry(self) -> bool:
        """Whether the tessellation of this model is at hand."""
        return self.mesh is not None and self.instance_step_ids is not None

    @property
    def spatial(self) -> SpatialIndex:
        """Containers and storeys of this model's elements, shared by every rule of a run."""
        if self._spatial is None:
            self._spatial = SpatialIndex(self.ifc_file)
        return self._spatial

    @property
    def refs(self) -> ElementRefs:
        """Element records of this model, shared by every rule of a run."""
        if self._refs is None:
            self._refs = ElementRefs(self.model_id, self.spatial)
        return self._refs

    def ref(self, element: ifcopenshell.entity_instance) -> ElementRef:
        """The result record of ``element``."""
        return self.refs.ref(element)

    def scale(self, unit_type: str = "LENGTHUNIT") -> float:
        """Factor from the model's unit of ``unit_type`` to SI (metres, m², …)."""
        if unit_type not in self._scales:
            self._scales[unit_type] = si_scale(self.ifc_file, unit_type)
        return self._scales[unit_type]

    def instances_of(self, step_id: int) -> list[int]:
        """Indices of the mesh instances that draw the element ``step_id`` (empty without geometry)."""
        if self._instances is None:
            found: dict[int, list[int]] = {}
            if self.instance_step_ids is not None:
                for i, s in enumerate(self.instance_step_ids.tolist()):
                    found.setdefault(s, []).append(i)
            self._instances = found
        return self._instances.get(step_id, [])

    def placed_vertices(self, step_id: int) -> np.ndarray:
        """Every vertex of the element ``step_id`` in model coordinates (metres), instance after instance."""
        mesh = self.mesh
        parts = []
        for i in self.instances_of(step_id):
            rep = int(mesh.instance_rep[i])
            v = mesh.rep_vertices[mesh.rep_vertex_offsets[rep]: mesh.rep_vertex_offsets[rep + 1]]
            m = mesh.instance_matrix[i]
            parts.append(v @ m[:3, :3].T + m[:3, 3])
        return np.concatenate(parts) if parts else np.zeros((0, 3))

    def triangle_count(self, step_id: int) -> int:
        """How many triangles the tessellation made for the element ``step_id``."""
        counts = np.diff(self.mesh.rep_triangle_offsets)
        return int(sum(counts[int(self.mesh.instance_rep[i])] for i in self.instances_of(step_id)))


def elements_of_classes(ifc_file: ifcopenshell.file, classes: Iterable[str],
                        excluded: Iterable[str] = ()) -> list[ifcopenshell.entity_instance]:
    """Instances of ``classes`` (subclasses included) that are of none of ``excluded``, by STEP id.

    Class names the model's schema does not know are ignored (IfcCovering is in
    every schema, IfcCableCarrierSegment not in IFC2X3), so one rule set serves all.
    """
    schema = ifcopenshell.schema_by_name(ifc_file.schema_identifier)
    known = {d.name().upper() for d in schema.declarations()}
    found: dict[int, ifcopenshell.entity_instance] = {}
    for ifc_class in classes:
        if ifc_class.upper() in known:
            for element in ifc_file.by_type(ifc_class):
                found[element.id()] = element
    excluded = [c for c in excluded if c.upper() in known]
    kept = [e for e in found.values() if not any(e.is_a(c) for c in excluded)]
    return sorted(kept, key=lambda e: e.id())


@dataclass
class ModelFindings:
    """What a rule found in one model: the elements it looked at, the failures with their reason."""

    applicable: list[ElementRef] = field(default_factory=list)
    failures: list[tuple[ElementRef, Reason]] = field(default_factory=list)
    message: str = ""  # why the model fails as a whole, or a note on how it was checked

    def fail(self, ref: ElementRef, expected: str, found: str, looked_in: str) -> None:
        """Record that ``ref`` fails, in words."""
        self.failures.append((ref, Reason(expected, found, looked_in)))


class BuiltinRule:
    """Base of the built-in rules; subclasses set the class attributes and :meth:`evaluate`.

    ``needs_geometry``: the rule reads the tessellation and skips models without
    it. ``min_models``: the rule compares models and skips a federation of fewer.
    ``title``, ``applies_to``, ``requirement`` and ``instructions`` are English
    strings marked with ``N_`` and translated when shown; ``applies_to`` and
    ``requirement`` may name parameters as ``{name}``.
    """

    rule_id: ClassVar[str]
    title: ClassVar[str]
    applies_to: ClassVar[str]
    requirement: ClassVar[str]
    instructions: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.ERROR
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    needs_geometry: ClassVar[bool] = False
    min_models: ClassVar[int] = 1

    # -- parameters ------------------------------------------------------------

    @classmethod
    def parameter(cls, name: str) -> Parameter:
        """The declared parameter ``name`` (:class:`RuleParameterError` if there is none)."""
        for p in cls.parameters:
            if p.name == name:
                return p
        raise RuleParameterError(_("rule {rule}: no parameter named {name} (it has: {names})").format(
            rule=cls.rule_id, name=name, names=", ".join(p.name for p in cls.parameters) or "-"))

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Every parameter with its default value."""
        return {p.name: cls.parameter(p.name).coerce(p.default) for p in cls.parameters}

    @classmethod
    def resolve(cls, given: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> dict[str, Any]:
        """The defaults overridden by ``given``, each value checked (:class:`RuleParameterError`)."""
        values = cls.defaults()
        for name, value in dict(given).items():
            values[name] = cls.parameter(name).coerce(value)
        return values

    @classmethod
    def describe(cls) -> str:
        """The rule's documentation: its class docstring, example included."""
        return (cls.__doc__ or "").strip()

    # -- running ---------------------------------------------------------------

    def evaluate(self, models: Sequence[RuleModel], params: dict[str, Any],
                 cancel: CancelFn | None) -> dict[str, ModelFindings]:
        """Check ``models`` (those the rule can run on) and return the findings by model id."""
        raise NotImplementedError

    def run(self, models: Sequence[RuleModel], params: Mapping[str, Any] | None = None,
            cancel: CancelFn | None = None, index: int = 0) -> SpecificationResult:
        """Run the rule on the federation and return its result in the IDS result shape."""
        params = self.resolve(params or {})
        runnable = [m for m in models if m.has_geometry] if self.needs_geometry else list(models)
        skip_reason = ""
        if self.needs_geometry and len(runnable) < len(models):
            skip_reason = _("this rule needs the models' geometry, which was not loaded")
        if len(runnable) < self.min_models:
            skip_reason = skip_reason or _("this rule compares models: it needs at least {n}").format(
                n=self.min_models)
            runnable = []
        findings = self.evaluate(runnable, params, cancel) if runnable else {}
        results = tuple(_model_result(m, findings.get(m.model_id, ModelFindings()), self._requirement(params))
                        for m in runnable)
        ran = {m.model_id for m in runnable}
        return SpecificationResult(
            index=index,
            name=_(self.title),
            identifier=self.rule_id,
            description=self.summary(),
            instructions=_(self.instructions),
            ifc_versions=ALL_IFC_VERSIONS,
            cardinality=Cardinality.OPTIONAL,
            applicability=(self._text(self.applies_to, params),),
            requirements=(self._requirement(params),),
            models=results,
            skipped_models=tuple(m.model_id for m in models if m.model_id not in ran),
            skip_reason=skip_reason,
        )

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the docstring, on one line."""
        first = (cls.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(first.split())

    @staticmethod
    def _text(template: str, params: dict[str, Any]) -> str:
        def show(value) -> str:
            if isinstance(value, tuple):
                return ", ".join(value) if value else _("none")
            return f"{value:g}" if isinstance(value, float) else str(value)

        shown = {k: show(v) for k, v in params.items()}
        return _(template).format(**shown)

    def _requirement(self, params: dict[str, Any]) -> str:
        return self._text(self.requirement, params)


def _model_result(model: RuleModel, found: ModelFindings, requirement: str) -> ModelSpecificationResult:
    failing: dict[int, ElementRef] = {}
    for ref, _reason in found.failures:
        failing.setdefault(ref.step_id, ref)
    # A failing element is applicable even if the rule forgot to say so (a duplicate found by its twin).
    applicable = {r.step_id: r for r in found.applicable}
    for step_id, ref in failing.items():
        applicable.setdefault(step_id, ref)
    ordered = tuple(sorted(applicable.values(), key=lambda r: r.step_id))
    checks = tuple(ElementCheck(ref, False, reason) for ref, reason in
                   sorted(found.failures, key=lambda f: f[0].step_id))
    requirement_result = RequirementResult(
        index=0,
        facet="rule",
        description=requirement,
        cardinality="required",
        instructions=None,
        passed=tuple(r for r in ordered if r.step_id not in failing),
        failures=checks,
    )
    status = Status.FAIL if failing else Status.PASS
    return ModelSpecificationResult(
        model_id=model.model_id,
        model_name=model.name,
        status=status,
        applicable=ordered,
        failing=tuple(sorted(failing.values(), key=lambda r: r.step_id)),
        requirements=(requirement_result,),
        message=found.message,
    )


def metres(value: float) -> str:
    """A length for people: ``0.83 m``."""
    return _("{value} m").format(value=f"{value:.3f}".rstrip("0").rstrip(".") or "0")


def every(items: Sequence, cancel: CancelFn | None):
    """Iterate ``items``, asking ``cancel()`` every few hundred (it raises :class:`bim.progress.Cancelled`)."""
    for n, item in enumerate(items):
        if n % CANCEL_EVERY == 0:
            check_cancelled(cancel)
        yield item
