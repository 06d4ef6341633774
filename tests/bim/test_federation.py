"""Federating models in one local frame: a common origin shift keeps far-away
(georeferenced) models at millimetre precision in float32."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from bim.demo import generate_demo
from bim.federation import SHIFT_THRESHOLD_M, Federation, load_model
from bim.progress import Cancelled
from bim import geometry_cache
from bim.ifc_file import file_sha256
from tests.bim.builders import element_box, unique_copy

LAMBERT93 = (651000.0, 6862000.0, 35.0)


@pytest.fixture(scope="module")
def far_demo(tmp_path_factory):
    return generate_demo(tmp_path_factory.mktemp("demo-lambert93"), origin=LAMBERT93)


@pytest.fixture(scope="module")
def far_federation(far_demo):
    federation = Federation()
    for trade in ("ARC", "STR", "ARC"):
        federation.add(load_model(far_demo.paths[trade]))
    return federation


def test_a_far_model_federated_with_itself_gets_a_non_zero_origin_near_it(far_federation, far_demo):
    origin = far_federation.origin
    assert origin is not None and np.abs(origin).max() > SHIFT_THRESHOLD_M
    assert np.linalg.norm(origin[:2] - np.array(LAMBERT93[:2])) < 100
    assert origin.tolist() == np.round(origin).tolist()
    assert list(far_federation.models) == ["demo-ARC-architecture", "demo-STR-structure", "demo-ARC-architecture (2)"]


def test_local_vertices_are_float32_within_a_few_hundred_metres_of_zero(far_federation):
    for model in far_federation:
        vertices = model.mesh.expand(far_federation.origin).vertices
        assert vertices.dtype == np.float32
        assert np.abs(vertices).max() < 300, model.model_id


def test_model_and_local_coordinates_convert_back_exactly(far_federation):
    points = np.array([[651012.345, 6862009.876, 37.8], LAMBERT93, [0.0, 0.0, 0.0]])
    assert np.array_equal(far_federation.to_model(far_federation.to_local(points)), points)
    assert np.array_equal(far_federation.to_local(far_federation.to_model(points)), points)


def test_element_positions_from_two_far_models_agree_to_the_millimetre(far_federation, far_demo):
    origin = far_federation.origin
    for model_id, trade, key in (("demo-ARC-architecture", "ARC", "RDC/wall-S"),
                                 ("demo-ARC-architecture (2)", "ARC", "R+1/win-N2"),
                                 ("demo-STR-structure", "STR", "RDC/col-C3"),
                                 ("demo-STR-structure", "STR", "R+1/slab-ROOF")):
        model = far_federation.models[model_id]
        gid = far_demo.global_id(trade, key)
        lo, hi = element_box(model.mesh, model.index.by_global_id[gid], origin)
        expected_lo, expected_hi = far_demo.bounds(gid)
        assert far_federation.to_model(lo) == pytest.approx(expected_lo, abs=1e-3), key
        assert far_federation.to_model(hi) == pytest.approx(expected_hi, abs=1e-3), key
    # Walls (architecture) stand on the structural slab: the same height in both models' local frame.
    arc, structure = far_federation.models["demo-ARC-architecture"], far_federation.models["demo-STR-structure"]
    wall = element_box(arc.mesh, arc.index.by_global_id[far_demo.global_id("ARC", "R+1/wall-N")], origin)
    slab = element_box(structure.mesh, structure.index.by_global_id[far_demo.global_id("STR", "R+1/slab")], origin)
    assert abs(wall[0][2] - slab[1][2]) < 1e-3


def test_without_the_shift_float32_would_lose_the_millimetres(far_federation, far_demo):
    model = far_federation.models["demo-ARC-architecture"]
    gid = far_demo.global_id("ARC", "RDC/wall-S")
    _lo, hi = element_box(model.mesh, model.index.by_global_id[gid])  # no origin: float32 of 6.8e6
    assert np.abs(hi - np.array(far_demo.bounds(gid)[1])).max() > 0.01


def test_a_model_near_zero_is_not_shifted(demo_project):
    federation = Federation()
    federation.add(load_model(demo_project.paths["STR"]))
    assert federation.origin.tolist() == [0.0, 0.0, 0.0]
    assert federation.to_local([1.0, 2.0, 3.0]).tolist() == [1.0, 2.0, 3.0]


def test_the_origin_is_chosen_by_the_first_model_and_kept_while_models_come_and_go(demo_project, far_demo):
    federation = Federation()
    first = federation.add(load_model(far_demo.paths["STR"]))
    origin = federation.origin.copy()
    federation.add(load_model(demo_project.paths["CVC"]))  # near zero: does not move the frame
    federation.add(load_model(far_demo.paths["PLB"]))
    assert federation.origin.tolist() == origin.tolist()
    federation.remove(first.model_id)
    assert federation.origin.tolist() == origin.tolist()
    for model_id in list(federation.models):
        federation.remove(model_id)
    assert federation.origin is None and len(federation) == 0
    federation.add(load_model(demo_project.paths["CVC"]))
    assert federation.origin.tolist() == [0.0, 0.0, 0.0]  # a new first model, a new frame


def test_model_ids_are_unique_and_elements_are_keyed_by_model_and_global_id(demo_project):
    federation = Federation()
    a = federation.add(load_model(demo_project.paths["PLB"]))
    b = federation.add(load_model(demo_project.paths["PLB"]))
    assert (a.model_id, b.model_id) == ("demo-PLB-plumbing", "demo-PLB-plumbing (2)")
    assert federation.new_model_id(demo_project.paths["PLB"]) == "demo-PLB-plumbing (3)"
    pipe = demo_project.global_id("PLB", "RDC/pipe-EF")
    assert federation.element((a.model_id, pipe)).name == federation.element((b.model_id, pipe)).name
    keys = [key for key, _record, _model in federation.elements()]
    assert len(keys) == len(set(keys)) == 2 * len(demo_project.by_trade("PLB"))  # same GlobalIds, two models
    assert federation.element(("no such model", pipe)) is None
    assert federation.element((a.model_id, "no such GlobalId")) is None


def test_replacing_a_model_keeps_its_id_trade_visibility_place_and_origin(demo_project, tmp_path):
    federation = Federation()
    federation.add(load_model(demo_project.paths["ARC"]))
    old = federation.add(load_model(demo_project.paths["STR"], trade="VRD"))
    federation.add(load_model(demo_project.paths["ELE"]))
    old.visible = False
    origin = federation.origin.copy()
    newer = tmp_path / "structure-v2.ifc"
    shutil.copy(demo_project.paths["STR"], newer)
    new = federation.replace(old.model_id, load_model(newer))
    assert (new.model_id, new.trade, new.visible) == ("demo-STR-structure", "VRD", False)
    assert list(federation.models) == ["demo-ARC-architecture", "demo-STR-structure", "demo-ELE-electrical"]
    assert federation.models["demo-STR-structure"] is new and new.path == newer
    assert federation.origin.tolist() == origin.tolist()


def test_each_model_gets_a_trade_from_its_name_or_the_one_given(demo_project):
    assert [load_model(path).trade for path in demo_project.files] == ["ARC", "STR", "CVC", "PLB", "ELE"]
    assert load_model(demo_project.paths["ARC"], trade="OTH").trade == "OTH"


def test_loading_can_be_cancelled_and_caches_nothing(demo_project, tmp_path):
    path = unique_copy(demo_project.paths["CVC"], tmp_path / "ducts.ifc")
    calls = []
    with pytest.raises(Cancelled):
        load_model(path, cancel=lambda: len(calls) > 0, progress=lambda d, t, m: calls.append(d))
    assert not geometry_cache.entry_path(file_sha256(path)).exists()


def test_partial_geometry_arrives_with_element_indices_of_the_table(demo_project, tmp_path):
    path = shutil.copy(demo_project.paths["ELE"], tmp_path / "trays.ifc")
    parts, seen = [], set()

    def on_partial(loading, part):
        seen.add(id(loading))
        assert len(loading.elements) == len(demo_project.by_trade("ELE"))  # the table comes before geometry
        parts.append(part)

    model = load_model(path, on_partial=on_partial, use_cache=False)
    assert len(seen) == 1
    indices = np.concatenate([p.instance_element for p in parts])
    assert sorted(indices.tolist()) == sorted(model.mesh.instance_element.tolist())
    assert indices.max() < len(model.elements)


@pytest.mark.slow
@pytest.mark.parametrize("name, schema, trade", [
    ("duplex-electrical", "IFC2X3", "ELE"),
    ("samplehouse-ifc4", "IFC4", "ARC"),
])
def test_real_models_load_with_geometry_for_their_elements(corpus_model, name, schema, trade):
    model = load_model(corpus_model(name), workers=1)
    assert model.schema == schema and model.trade == trade
    assert model.failures == []
    assert len(model.mesh.instance_rep) >= 0.9 * len(model.elements)
    assert model.mesh.triangle_count > 10_000
    lo, hi = model.mesh.bounds()
    assert np.all(hi - lo < 100) and np.all(hi - lo > 1)  # a house, in metres
    assert load_model(corpus_model(name)).from_cache


def test_the_demo_in_ifc4x3_loads_like_the_ifc4_one(demo_in_schema, demo_project):
    ifc4x3 = demo_in_schema("IFC4X3")
    new, old = load_model(ifc4x3.paths["STR"]), load_model(demo_project.paths["STR"])
    assert new.schema.startswith("IFC4X3") and new.failures == []
    assert [e.global_id for e in new.elements] == [e.global_id for e in old.elements]
    assert new.mesh.bounds()[0] == pytest.approx(old.mesh.bounds()[0])
    assert new.mesh.bounds()[1] == pytest.approx(old.mesh.bounds()[1])
