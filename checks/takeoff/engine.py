"""Run a takeoff over loaded models: every element measured, with progress and cancel.

The entry point the GUI and the CLI share. It reads the models as
:func:`bim.federation.load_model` left them (element table, cached instanced
mesh, the parsed IFC file for quantity sets, materials and extrusions) and
never tessellates again.
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass, field
from typing import Iterable, Optional

import ifcopenshell
import ifcopenshell.util.element

from bim.federation import LoadedModel
from bim.i18n import _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report
from bim.properties import format_value
from checks.takeoff.compare import discrepancies
from checks.takeoff.computed import Subject, compute
from checks.takeoff.declared import declared_quantities
from checks.takeoff.families import WALL, family_of
from checks.takeoff.layers import layer_quantities, weights
from checks.takeoff.materials import classification_codes, element_material
from checks.takeoff.mesh_measures import MeshMeasurer
from checks.takeoff.parametric import extrusion, has_openings
from checks.takeoff.template import TakeoffTemplate
from checks.takeoff.units import ModelUnits
from checks.takeoff.values import ElementKey, ElementTakeoff, NotComputable, Quantity

_PROGRESS_EVERY = 25  # elements between progress reports


@dataclass(frozen=True)
class ModelInfo:
    """One model as the cover sheet names it."""

    model_id: str
    file_name: str
    path: str
    trade: str
    schema: str
    application: str
    project: str
    file_hash: str
    file_date: str  # the header's time stamp: which export of the model this is
    units: tuple[tuple[str, str], ...]
    element_count: int
    geometry_failures: int
    storeys: tuple[tuple[str, float], ...] = ()  # (name, elevation in m), bottom up


@dataclass(frozen=True)
class TakeoffResult:
    """Every element taken off, with the template and the models it came from."""

    template: TakeoffTemplate
    models: tuple[ModelInfo, ...]
    elements: tuple[ElementTakeoff, ...]
    created_at: str
    duration_s: float
    project: str = ""
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def element(self, key: ElementKey) -> ElementTakeoff | None:
        """The row of element ``key`` (model id, GlobalId)."""
        if not self._index:
            self._index.update({e.key: e for e in self.elements})
        return self._index.get(key)

    def not_computable(self, row: ElementTakeoff) -> list[NotComputable]:
        """The template's quantities this row has no value for, though they apply to it."""
        missing = []
        for key in self.template.quantities:
            value = row.value(key, self.template.prefer)
            if isinstance(value, NotComputable) and value.applies:
                missing.append(value)
        return missing

    @property
    def value_order(self) -> dict[str, dict[str, float]]:
        """Sort keys for grouping values that have a natural order: storeys bottom up."""
        storeys: dict[str, float] = {}
        for model in self.models:
            for name, elevation in model.storeys:
                storeys.setdefault(name, elevation)
        return {"storey": storeys}

    @property
    def flagged_rows(self) -> list[ElementTakeoff]:
        """Rows with a declared/computed disagreement on one of the template's quantities."""
        wanted = set(self.template.quantities)
        return [e for e in self.elements if any(d.kind in wanted for d in e.discrepancies)]

    @property
    def not_computable_rows(self) -> list[ElementTakeoff]:
        return [e for e in self.elements if self.not_computable(e)]


def _header_date(ifc: ifcopenshell.file) -> str:
    try:
        return str(ifc.header.file_name.time_stamp or "")
    except Exception:  # a header without FILE_NAME
        return ""


def model_info(model: LoadedModel) -> ModelInfo:
    """The cover-sheet description of a loaded model."""
    ifc = model.ifc()
    summary = model.summary or {}
    return ModelInfo(model.model_id, model.path.name, str(model.path), model.trade, model.schema,
                     summary.get("authoring_application", ""), summary.get("project", ""), model.file_hash,
                     _header_date(ifc), ModelUnits.of(ifc).symbols, len(model.elements), len(model.failures),
                     tuple((s.get("name", ""), s["elevation"]) for s in summary.get("storeys", ())
                           if s.get("elevation") is not None))


def _matches(words: list[str], row_text: str) -> bool:
    return all(w in row_text for w in words)


def _selected(entity, template: TakeoffTemplate) -> bool:
    if template.classes and not any(entity.is_a(c) for c in template.classes):
        return False
    return not any(entity.is_a(c) for c in template.exclude_classes)


def _has_parts(entity) -> bool:
    return any(rel.is_a("IfcRelAggregates") and rel.RelatedObjects for rel in getattr(entity, "IsDecomposedBy", ())
               or ())


def take_off_element(model: LoadedModel, index: int, entity, units: ModelUnits, measurer: MeshMeasurer,
                     template: TakeoffTemplate, material=None, classification: str | None = None) -> ElementTakeoff:
    """Measure one element (index in the model's element table) of ``model``."""
    record = model.elements[index]
    material = material or element_material(entity, units.length, units.density)
    classification = classification_codes(entity) if classification is None else classification
    geometry = measurer.element(index)
    if geometry is None:
        failure = measurer.failures.get(record.global_id)
        no_geometry = _("the geometry kernel failed: {reason}").format(reason=failure) if failure else \
            _("no 3D body was tessellated")
    else:
        no_geometry = ""
    family = family_of(entity.is_a, record.ifc_class, geometry is not None, _has_parts(entity))
    solid, why = extrusion(entity, units.length)
    subject = Subject(family, geometry, no_geometry, solid, why, has_openings(entity), material)
    computed, alternatives = compute(subject)
    basis = computed.get("net_side_area" if family == WALL else "net_footprint_area")
    layers = layer_quantities(family, material, basis if isinstance(basis, Quantity) else None)
    gross_basis = computed.get("gross_side_area" if family == WALL else "gross_footprint_area")
    computed.update(weights(material, layers, computed, gross_basis if isinstance(gross_basis, Quantity) else None))
    declared, others = declared_quantities(entity, family, units)
    properties = {}
    for key in template.property_keys():
        pset, _sep, prop = key.partition(".")
        value = ifcopenshell.util.element.get_pset(entity, pset, prop)
        properties[key] = "" if value is None else format_value(value)
    return ElementTakeoff(
        model.model_id, model.path.name, model.trade, record.global_id, record.ifc_class, record.name,
        record.storey, record.type_name, material.label, classification, family, declared, computed,
        alternatives, layers, discrepancies(declared, computed, template.tolerance), others, properties)


def run_takeoff(models: Iterable[LoadedModel], template: TakeoffTemplate | None = None, *,
                keys: Optional[set[ElementKey]] = None, project: str = "",
                progress: Optional[ProgressFn] = None, cancel: Optional[CancelFn] = None) -> TakeoffResult:
    """Take off every element of ``models`` the template (and ``keys``, if given) selects.

    ``keys`` restricts the takeoff to those (model id, GlobalId) pairs: the
    viewer's selection, its visible elements or a check's result set.
    Raises :class:`bim.progress.Cancelled` when ``cancel()`` turns true.
    """
    template = template or TakeoffTemplate()
    models = list(models)
    started = time.perf_counter()
    created = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    total = sum(len(m.elements) for m in models)
    done = 0
    words = template.search.lower().split()
    rows: list[ElementTakeoff] = []
    infos = []
    report(progress, 0, total, _("Quantities"))
    for model in models:
        check_cancelled(cancel)
        infos.append(model_info(model))
        ifc = model.ifc()
        units = ModelUnits.of(ifc)
        measurer = MeshMeasurer(model.mesh)
        for index, record in enumerate(model.elements):
            done += 1
            if done % _PROGRESS_EVERY == 0:
                check_cancelled(cancel)
                report(progress, done, total, model.path.name)
            if keys is not None and (model.model_id, record.global_id) not in keys:
                continue
            entity = ifc.by_id(record.step_id)
            if not _selected(entity, template):
                continue
            material = element_material(entity, units.length, units.density)
            classification = classification_codes(entity)
            if words:
                text = " ".join((record.global_id, record.name, record.type_name, record.ifc_class, record.storey,
                                 material.label, classification, model.path.name)).lower()
                if not _matches(words, text):
                    continue
            rows.append(take_off_element(model, index, entity, units, measurer, template, material,
                                         classification))
    report(progress, total, total, _("Quantities"))
    project = project or next((i.project for i in infos if i.project), "")
    return TakeoffResult(template, tuple(infos), tuple(rows), created, time.perf_counter() - started, project)
