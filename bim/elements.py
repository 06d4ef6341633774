"""The element table and spatial tree of one IFC model, read in one pass over its relations.

Everything the viewer's trees, search and colour-by need without touching the IFC
file again, so both can be cached next to the geometry and shown at once on a
warm open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import ifcopenshell

# Feature elements (openings, projections) shape their hosts; users never pick them.
_SKIPPED_CLASSES = ("IfcFeatureElement",)
HIDDEN_BY_DEFAULT_CLASSES = ("IfcSpace",)


@dataclass(frozen=True)
class ElementRecord:
    """One element of a model as the index knows it."""

    global_id: str
    ifc_class: str
    name: str
    storey: str
    type_name: str
    step_id: int
    predefined_type: str = ""


@dataclass
class SpatialNode:
    """A node of the spatial tree: a spatial element (project, site, building, storey,
    space…) or an element; ``element`` is the index in the element table, if any."""

    ifc_class: str
    name: str
    global_id: str
    step_id: int
    element: int | None = None
    children: list["SpatialNode"] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict) -> "SpatialNode":
        children = [SpatialNode.from_dict(c) for c in data.get("children", [])]
        return SpatialNode(
            data["ifc_class"], data["name"], data["global_id"], data["step_id"], data.get("element"), children
        )

    def walk(self):
        """This node and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ModelIndex:
    """Element table (in a stable order) and spatial tree of one model."""

    elements: list[ElementRecord]
    tree: SpatialNode
    by_global_id: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        if not self.by_global_id:
            self.by_global_id = {e.global_id: i for i, e in enumerate(self.elements)}


def _label(entity) -> str:
    return (getattr(entity, "Name", None) or "") if entity is not None else ""


def _is_indexed(entity) -> bool:
    if any(entity.is_a(c) for c in _SKIPPED_CLASSES):
        return False
    return entity.is_a("IfcElement") or entity.is_a("IfcSpace")


def index_model(model: ifcopenshell.file) -> ModelIndex:
    """Build the element table and the spatial tree of ``model``."""
    parent: dict[int, int] = {}  # child step id -> spatial or aggregating parent step id
    children: dict[int, list[int]] = {}

    def link(child, whole):
        if child.id() in parent:
            return
        parent[child.id()] = whole.id()
        children.setdefault(whole.id(), []).append(child.id())

    for rel in model.by_type("IfcRelAggregates"):
        for part in rel.RelatedObjects:
            link(part, rel.RelatingObject)
    for rel in model.by_type("IfcRelContainedInSpatialStructure"):
        for element in rel.RelatedElements:
            link(element, rel.RelatingStructure)
    if model.schema != "IFC2X3":
        for rel in model.by_type("IfcRelNests"):
            for part in rel.RelatedObjects:
                if part.is_a("IfcElement"):
                    link(part, rel.RelatingObject)

    type_of: dict[int, str] = {}
    for rel in model.by_type("IfcRelDefinesByType"):
        name = _label(rel.RelatingType)
        for obj in rel.RelatedObjects:
            type_of[obj.id()] = name

    storeys = {s.id(): _label(s) for s in model.by_type("IfcBuildingStorey")}

    def storey_of(step_id: int) -> str:
        seen = 0
        while step_id in parent and seen < 64:
            step_id = parent[step_id]
            if step_id in storeys:
                return storeys[step_id]
            seen += 1
        return ""

    elements: list[ElementRecord] = []
    element_index: dict[int, int] = {}
    products = list(model.by_type("IfcElement")) + list(model.by_type("IfcSpace"))
    for entity in sorted(products, key=lambda e: e.id()):
        if not _is_indexed(entity) or entity.id() in element_index:
            continue
        element_index[entity.id()] = len(elements)
        elements.append(
            ElementRecord(
                global_id=entity.GlobalId,
                ifc_class=entity.is_a(),
                name=_label(entity),
                storey=storey_of(entity.id()),
                type_name=type_of.get(entity.id(), ""),
                step_id=entity.id(),
                predefined_type=str(getattr(entity, "PredefinedType", "") or ""),
            )
        )

    def node(step_id: int, depth: int = 0) -> SpatialNode:
        entity = model.by_id(step_id)
        result = SpatialNode(
            entity.is_a(), _label(entity), getattr(entity, "GlobalId", ""), step_id, element_index.get(step_id)
        )
        if depth < 64:
            kids = [k for k in children.get(step_id, []) if not any(model.by_id(k).is_a(c) for c in _SKIPPED_CLASSES)]
            result.children = [node(k, depth + 1) for k in sorted(kids)]
        return result

    projects = model.by_type("IfcProject")
    tree = node(projects[0].id()) if projects else SpatialNode("IfcProject", "", "", 0)
    # Elements in no spatial structure still belong in the tree, or users could never reach them.
    placed = {n.element for n in tree.walk() if n.element is not None}
    orphans = [i for i in range(len(elements)) if i not in placed]
    if orphans:
        tree.children.append(
            SpatialNode(
                "", "", "", 0, None,
                [SpatialNode(elements[i].ifc_class, elements[i].name, elements[i].global_id, elements[i].step_id, i)
                 for i in orphans],
            )
        )
    return ModelIndex(elements, tree)
