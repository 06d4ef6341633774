"""Where elements are: their spatial container and their building storey, remembered per model.

ifcopenshell.util.element.get_container walks up from each element in turn,
parsing the schema name at every step; the elements of one assembly or one
storey share most of the way, so it is walked once here and remembered. The
answers are ifcopenshell's. An index belongs to one pass over an unchanging
model: build a new one after editing the model.
"""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.util.element

_MAX_DEPTH = 64  # spatial trees are a few levels deep; this only guards against cycles
_UNSET = object()
# After this many lookups the containment relationships are read in one pass:
# cheaper than asking each element from then on (reading them costs about as
# much as 400 lookups on a 4 MB model, 1,700 on a 26 MB one), wasted on few.
_BULK_AFTER = 1000


_INVERSE = 2  # ifcopenshell's attribute category of inverse attributes


def _inverse(element: ifcopenshell.entity_instance, name: str) -> tuple:
    """An inverse attribute, or () if the class has none by that name.

    ``getattr`` would do, but it costs three times more on a hit and, on a class
    without the attribute, goes looking for derived-attribute rules (0.5 ms).
    """
    if element.get_attribute_category(name) != _INVERSE:
        return ()
    return element._get_inverse(name)


# Attribute positions, the same in IFC2X3, IFC4 and IFC4X3 (after GlobalId, OwnerHistory, Name, Description),
# read with get_argument: indexing an instance first asks its length, which costs more than the read.
_RELATING_STRUCTURE = 5  # IfcRelContainedInSpatialStructure
_RELATING_OBJECT = 4  # IfcRelAggregates / IfcRelDecomposes / IfcRelNests


class SpatialIndex:
    """Containers and storeys of one model's elements, computed on demand and remembered."""

    def __init__(self, ifc_file: ifcopenshell.file):
        self.file = ifc_file
        self._is_ifc2x3 = ifc_file.schema == "IFC2X3"
        self._spatial_class = "IfcSpatialStructureElement" if self._is_ifc2x3 else "IfcSpatialElement"
        self._containers: dict[int, object] = {}
        self._storeys: dict[int, str | None] = {}
        self._lookups = 0
        self._kinds: dict[str, str] = {}
        self._contained: dict[int, list] | None = None  # element id → its spatial containers

    def _read_containment(self) -> dict[int, list]:
        contained: dict[int, list] = {}
        for rel in self.file.by_type("IfcRelContainedInSpatialStructure"):
            structure = rel.RelatingStructure
            for element in rel.RelatedElements or ():
                contained.setdefault(element.id(), []).append(structure)
        return contained

    def _direct_container(self, element: ifcopenshell.entity_instance):
        """``element.ContainedInStructure[0].RelatingStructure``, or None, from the bulk map once read."""
        self._lookups += 1
        if self._contained is None and self._lookups > _BULK_AFTER:
            self._contained = self._read_containment()
        if self._contained is not None:
            structures = self._contained.get(element.id())
            if structures is None:
                return None
            if len(structures) == 1:
                return structures[0]
            # Contained twice (an invalid model): take the one ifcopenshell would, by the inverse.
        contained = _inverse(element, "ContainedInStructure")
        return contained[0].get_argument(_RELATING_STRUCTURE) if contained else None

    def _aggregate(self, element: ifcopenshell.entity_instance):
        """ifcopenshell.util.element.get_aggregate: the whole ``element`` is a part of."""
        decomposes = _inverse(element, "Decomposes")
        if not decomposes:
            return None
        rel = decomposes[0]
        # IFC2X3 uses Decomposes for nests too; only an aggregation is a whole there.
        if self._is_ifc2x3 and not rel.is_a("IfcRelAggregates"):
            return None
        return rel.get_argument(_RELATING_OBJECT)

    def _parent(self, element: ifcopenshell.entity_instance):
        """ifcopenshell.util.element.get_parent for an element not directly contained, same order."""
        aggregate = self._aggregate(element)
        if aggregate is not None:
            return aggregate
        util = ifcopenshell.util.element
        return (
            util.get_nest(element)
            or util.get_filled_void(element)
            or util.get_voided_element(element)
            or util.get_adhered_element(element)
        )

    def container(self, element: ifcopenshell.entity_instance):
        """What ``ifcopenshell.util.element.get_container(element)`` returns, remembered per element."""
        step_id = element.id()
        found = self._containers.get(step_id, _UNSET)
        if found is not _UNSET:
            return found
        chain = []
        current, found = element, None
        for _ in range(_MAX_DEPTH):
            direct = self._direct_container(current)
            if direct is not None:
                found = direct
                break
            chain.append(current.id())
            current = self._parent(current)
            if current is None:
                break
            known = self._containers.get(current.id(), _UNSET)
            if known is not _UNSET:
                found = known
                break
        for visited in chain or [step_id]:
            self._containers[visited] = found
        return found

    def kind(self, element: ifcopenshell.entity_instance) -> str:
        """"storey", "spatial", "product" or "other", remembered per class (``is_a`` tests are not free)."""
        ifc_class = element.is_a()
        found = self._kinds.get(ifc_class)
        if found is None:
            if element.is_a("IfcBuildingStorey"):
                found = "storey"
            elif element.is_a(self._spatial_class):
                found = "spatial"
            elif element.is_a("IfcProduct"):
                found = "product"
            else:
                found = "other"
            self._kinds[ifc_class] = found
        return found

    def storey(self, element: ifcopenshell.entity_instance) -> str | None:
        """Name of the building storey holding ``element``: its container, then up the aggregations."""
        kind = self.kind(element)
        if kind == "storey":
            return element.Name or element.GlobalId
        if kind == "other":
            return None
        # A space or storey is placed by aggregation, not containment: start from itself.
        current = element if kind == "spatial" else self.container(element)
        chain = []
        storey = None
        for _ in range(_MAX_DEPTH):
            if current is None:
                break
            step_id = current.id()
            if step_id in self._storeys:
                storey = self._storeys[step_id]
                break
            chain.append(step_id)
            if self.kind(current) == "storey":
                storey = current.Name or current.GlobalId
                break
            current = self._aggregate(current)
        for visited in chain:
            self._storeys[visited] = storey
        return storey
