"""On real models, our hard clashes match ifcclash's at the same tolerance, and every difference has its reason.

Differences come from what "deeper than the tolerance" means. We measure the
thickness of the overlap (the largest ball inside both elements); ifcclash the
deepest vertex of one element inside the other, or else the longest edge
segment inside it. Hence two kinds of difference, each checked here on the
geometry itself:

* ifcclash only: slivers. An edge running 47 mm along a 0.1 mm overlap is a
  47 mm "piercing" for ifcclash; the overlap is 0.1 mm thick for us.
* ours only: an element embedded in another (sockets in Duplex's party walls,
  inside but for a cover plate 4.8 mm proud of the face), which ifcclash's
  intersection test does not report even for that pair alone (its collision test
  does); and one range standing 13 mm in a floor finish,
  where a vertex 0.3 mm inside takes precedence in ifcclash over the 13 mm
  piercing that it reports for the same range in the twin flat.
"""

from __future__ import annotations

import numpy as np
import pytest

from bim.federation import load_model
from checks.clash import ClashTest, Selection, run_clash_test
from checks.clash.element_geometry import ModelGeometry
from checks.clash.mesh_queries import InsideTest, TriangleDistance
from checks.clash.overlap_bounds import face_normals, thickness_bound
from tests.checks.clash.ifcclash_reference import ifcclash_pairs

TOLERANCE = 0.01
PROUD = 0.005
# ifcclash reports a 0.3 mm vertex protrusion here, which hides the 13 mm piercing (see the module docstring).
MASKED_PIERCING = frozenset(("2OBrcmyk58NupXoVOHUtoa", "1K7eM1Qof1dOc9$mY9I4od"))


class Geometry:
    """Element meshes of two loaded models, by GlobalId."""

    def __init__(self, *models):
        self.where = {}
        for model in models:
            geometry = ModelGeometry(model.mesh, len(model.elements))
            for i, record in enumerate(model.elements):
                self.where[record.global_id] = (geometry, i)

    def mesh(self, global_id):
        geometry, i = self.where[global_id]
        return geometry.element_mesh(i)

    def thickness_bound(self, pair) -> float:
        a, b = (self.mesh(g) for g in pair)
        directions = np.concatenate([face_normals(a.triangles), face_normals(b.triangles)])
        return thickness_bound(a.triangles.reshape(-1, 3), b.triangles.reshape(-1, 3), directions)

    def embedded(self, pair) -> bool:
        """Whether one lies inside the other but for a plate up to 5 mm proud of its face (a socket's cover)."""
        a, b = (self.mesh(g) for g in pair)
        for inner, outer in ((a, b), (b, a)):
            points = inner.triangles.reshape(-1, 3) - outer.triangles[0, 0]
            shifted = outer.triangles - outer.triangles[0, 0]
            on_surface = TriangleDistance(shifted)(points) < PROUD
            if (InsideTest(shifted, outer.closed)(points) | on_surface).all():
                return True
        return False


def compare(corpus_model, name_a, name_b):
    a, b = load_model(corpus_model(name_a)), load_model(corpus_model(name_b))
    test = ClashTest("corpus", a=Selection(models=(a.model_id,)), b=Selection(models=(b.model_id,)))
    ours = {frozenset((c.a.global_id, c.b.global_id)): c for c in run_clash_test(test, [a, b]).clashes}
    theirs = ifcclash_pairs(a.path, b.path, TOLERANCE)
    return ours, theirs, Geometry(a, b)


@pytest.mark.slow
def test_duplex_architecture_against_electrical_matches_ifcclash_but_for_explained_pairs(corpus_model):
    ours, theirs, geometry = compare(corpus_model, "duplex-architecture.ifc", "duplex-electrical.ifc")
    common = set(ours) & set(theirs)
    assert len(common) >= 60
    for pair in set(theirs) - set(ours):
        assert geometry.thickness_bound(pair) < TOLERANCE, (pair, theirs[pair])
    for pair in set(ours) - set(theirs):
        assert pair == MASKED_PIERCING or geometry.embedded(pair), ours[pair]
    assert ours[MASKED_PIERCING].depth == pytest.approx(0.013, abs=0.001)


@pytest.mark.slow
def test_schependomlaan_steel_against_walls_matches_ifcclash_but_for_a_sliver(corpus_model):
    ours, theirs, geometry = compare(corpus_model, "schependomlaan-root-staal.ifc",
                                     "schependomlaan-root-kalkzandsteen.ifc")
    assert set(ours) <= set(theirs) and len(ours) == 2
    (sliver,) = set(theirs) - set(ours)
    assert geometry.thickness_bound(sliver) == pytest.approx(0.004, abs=0.001)
