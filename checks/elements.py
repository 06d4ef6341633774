"""Elements as check results name them: GlobalId, class, name, storey, model.

Results outlive the opened IFC files (they are shown, stored, exported), so
they hold these small frozen records, never ``ifcopenshell`` instances.
"""

from __future__ import annotations

from dataclasses import dataclass

import ifcopenshell

from checks.spatial import SpatialIndex


@dataclass(frozen=True)
class ElementRef:
    """An element of a model: ``global_id`` is None for instances that have none (materials, points…)."""

    model_id: str
    global_id: str | None
    ifc_class: str
    name: str | None
    storey: str | None
    step_id: int

    @property
    def label(self) -> str:
        """``IfcWall "Name" (GlobalId)``, for messages and reports."""
        text = self.ifc_class
        if self.name:
            text += f' "{self.name}"'
        return f"{text} ({self.global_id or '#' + str(self.step_id)})"


class ElementRefs:
    """Builds :class:`ElementRef` records for one model, each element looked up once."""

    def __init__(self, model_id: str, spatial: SpatialIndex | None = None):
        self.model_id = model_id
        self._spatial = spatial
        self._refs: dict[int, ElementRef] = {}

    def ref(self, element: ifcopenshell.entity_instance) -> ElementRef:
        """The record of ``element`` (cached by STEP id)."""
        step_id = element.id()
        found = self._refs.get(step_id)
        if found is None:
            if self._spatial is None:
                self._spatial = SpatialIndex(element.file)
            if self._spatial.kind(element) != "other" or element.is_a("IfcRoot"):
                # By position: IfcRoot's GlobalId and Name are attributes 0 and 2 in
                # every schema, and get_argument is much cheaper than attribute lookup.
                global_id, name = element.get_argument(0), element.get_argument(2)
            else:
                global_id, name = None, getattr(element, "Name", None)
            found = ElementRef(
                self.model_id,
                global_id,
                element.is_a(),
                name if isinstance(name, str) else None,
                self._spatial.storey(element),
                step_id,
            )
            self._refs[step_id] = found
        return found
