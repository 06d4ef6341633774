"""The reference: what ifcclash 0.9 finds, by the same calls it makes (tree of triangulated shapes).

ifcclash builds an ``opencascade.trianglebvh`` tree of every IfcElement but
feature elements, tessellated with default settings, then calls
``clash_intersection_many(a, b, tolerance, check_all=True)``. Calling the tree
directly gives the same pairs without needing the ifcclash package.
"""

from __future__ import annotations

import multiprocessing

import ifcopenshell
import ifcopenshell.geom


def clashable(model: ifcopenshell.file) -> list:
    return list(set(model.by_type("IfcElement")) - set(model.by_type("IfcFeatureElement")))


def ifcclash_pairs(path_a, path_b, tolerance: float) -> dict[frozenset, tuple[float, str]]:
    """Unordered GlobalId pairs → (distance, clash type) as ifcclash reports them in intersection mode."""
    tree = ifcopenshell.geom.tree(backend="opencascade.trianglebvh")
    sides = []
    for path in (path_a, path_b):
        model = ifcopenshell.open(str(path))
        elements = clashable(model)
        iterator = ifcopenshell.geom.iterator(ifcopenshell.geom.settings(), model, multiprocessing.cpu_count(),
                                              include=elements)
        assert iterator.initialize()
        while True:
            tree.add_element(iterator.get())
            if not iterator.next():
                break
        sides.append(elements)
    found = tree.clash_intersection_many(sides[0], sides[1], tolerance=tolerance, check_all=True)
    return {frozenset((c.a.GlobalId, c.b.GlobalId)): (c.distance, ifcopenshell.geom.tree.get_clash_type(c.clash_type))
            for c in found}
