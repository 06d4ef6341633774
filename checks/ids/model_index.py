"""Per-model lookups shared by all specifications of one run.

* Which elements an entity facet selects: ifctester's ``Entity.filter``
  rescans the model for every specification, and on IFC2X3 walks every type
  object to find occurrences named by their type (an IfcFlowSegment with an
  IfcPipeSegmentType counts as IFCPIPESEGMENT). An IDS names the same few
  classes in many specifications, so the scans are done once per model.
* Each element's spatial container and storey (:class:`checks.spatial.SpatialIndex`):
  the containment facet and the storey shown in results ask for the same chain.

The results equal ifctester's and ifcopenshell's; only the repeated work goes.
The index lives for one run (:func:`active_index` is set by the runner), so
a model edited between two runs is never answered from stale lookups.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

import ifcopenshell
import ifcopenshell.util.element

from checks.spatial import SpatialIndex
from checks.units import si_scale

_ACTIVE: ContextVar["ModelIndex | None"] = ContextVar("synthese_ids_model_index", default=None)


def active_index(inst: ifcopenshell.entity_instance) -> "ModelIndex | None":
    """The index of the run in progress for the model ``inst`` belongs to, if any."""
    index = _ACTIVE.get()
    # inst.file builds a new Python wrapper each time; the file pointer identifies the model.
    return index if index is not None and index.file_pointer == inst.file_pointer() else None


@contextlib.contextmanager
def activated(index: "ModelIndex"):
    """Make ``index`` the one facets consult while its model is being checked."""
    token = _ACTIVE.set(index)
    try:
        yield index
    finally:
        _ACTIVE.reset(token)


class ModelIndex:
    """Lazily built class lookups of one opened model."""

    def __init__(self, ifc_file: ifcopenshell.file):
        self.file = ifc_file
        self.file_pointer = ifc_file.file_pointer()
        self._classes: list[str] | None = None
        self._by_class: dict[str, list] = {}
        self._by_type_class: dict[str, list] | None = None
        self._typed: dict[int, list] = {}
        self._scales: dict[str, float] = {}
        self._is_ifc2x3 = ifc_file.schema == "IFC2X3"
        self.spatial = SpatialIndex(ifc_file)

    def _class_names(self) -> list[str]:
        if self._classes is None:
            self._classes = list(self.file.types())
        return self._classes

    def _instances(self, ifc_class: str) -> list:
        found = self._by_class.get(ifc_class)
        if found is None:
            found = self._by_class[ifc_class] = list(self.file.by_type(ifc_class, include_subtypes=False))
        return found

    def _types_by_class(self) -> dict[str, list]:
        """IFC2X3: type objects keyed by the occurrence class they name (IFCPIPESEGMENTTYPE → IFCPIPESEGMENT)."""
        if self._by_type_class is None:
            index: dict[str, list] = {}
            for element_type in self.file.by_type("IfcTypeProduct"):
                derived = element_type.is_a().upper().removesuffix("TYPE").removesuffix("STYLE")
                index.setdefault(derived, []).append(element_type)
            self._by_type_class = index
        return self._by_type_class

    def _occurrences(self, element_type) -> list:
        found = self._typed.get(element_type.id())
        if found is None:
            found = self._typed[element_type.id()] = list(ifcopenshell.util.element.get_types(element_type))
        return found

    def entity_candidates(self, facet) -> list:
        """What ``facet.filter(file, None)`` returns for an entity facet, from the cached lookups."""
        name = facet.name
        results = []
        for ifc_class in self._class_names():
            if ifc_class.upper() == name:  # a restriction compares through its own __eq__
                results.extend(self._instances(ifc_class))
        if self._is_ifc2x3:
            for derived, element_types in self._types_by_class().items():
                if derived == name:
                    for element_type in element_types:
                        results.extend(self._occurrences(element_type))
            results = list(dict.fromkeys(results))
        if facet.predefinedType:
            return [r for r in results if facet(r)]
        return results

    def si_scale(self, unit_type: str) -> float:
        """The model's factor to SI for ``unit_type`` (see checks.units.si_scale), remembered."""
        found = self._scales.get(unit_type)
        if found is None:
            found = self._scales[unit_type] = si_scale(self.file, unit_type)
        return found
