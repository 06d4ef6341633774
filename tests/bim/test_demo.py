"""The demo project is exact: what its specs promise is what its IFC files contain."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.classification
import ifcopenshell.util.element
import ifcopenshell.validate

from bim.demo import (
    ACCESSIBLE_DOOR_CLEAR_WIDTH, ACCESSIBLE_DOOR_NOMINAL_WIDTH, CLASH_EXCLUDED_CLASSES, CLASH_TOLERANCE, CLEARANCE,
    DEMO_TRADES, DOOR_ACCESSIBILITY_PSET, DOOR_CLEAR_WIDTH_PROPERTY, MEP_TRADES, Cancelled, RuleId, box_depth,
    copy_offset, element_global_id, generate_demo,
)
from bim.demo.specs import STOREY_BY_NAME, building_specs, expected_clashes, spec_pairs
from bim.demo.writer import quantity_set

LAMBERT93 = (651000.0, 6862000.0, 35.0)
VOLUME_CLASSES = ("IfcWall", "IfcSlab", "IfcColumn", "IfcBeam")


def tessellate(path) -> dict[str, np.ndarray]:
    """World-coordinate vertices and triangles per GlobalId (openings excluded)."""
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    model = ifcopenshell.open(str(path))
    iterator = ifcopenshell.geom.iterator(settings, model, 1, exclude=("IfcOpeningElement",))
    shapes = {}
    assert iterator.initialize(), path
    while True:
        shape = iterator.get()
        verts = np.array(shape.geometry.verts, dtype=float).reshape(-1, 3)
        faces = np.array(shape.geometry.faces, dtype=int).reshape(-1, 3)
        shapes[shape.guid] = (verts, faces)
        if not iterator.next():
            break
    return shapes


def mesh_volume(verts: np.ndarray, faces: np.ndarray) -> float:
    """Volume of a closed triangle mesh (sum of signed tetrahedra), centred for precision."""
    v = verts - verts.mean(axis=0)
    a, b, c = v[faces[:, 0]], v[faces[:, 1]], v[faces[:, 2]]
    return abs(float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum()) / 6.0)


def aabb(verts: np.ndarray):
    return tuple(verts.min(axis=0)), tuple(verts.max(axis=0))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return generate_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def models(demo):
    return {code: ifcopenshell.open(str(path)) for code, path in demo.paths.items()}


@pytest.fixture(scope="module")
def shapes(demo):
    result = {}
    for code, path in demo.paths.items():
        result.update({gid: (code, mesh) for gid, mesh in tessellate(path).items()})
    return result


@pytest.fixture(scope="module", params=["IFC2X3", "IFC4", "IFC4X3"])
def any_schema_demo(request, tmp_path_factory):
    return generate_demo(tmp_path_factory.mktemp(request.param), schema=request.param)


def test_each_trade_is_written_to_its_own_file_named_after_it(demo):
    assert [p.name for p in demo.files] == [
        "demo-ARC-architecture.ifc", "demo-STR-structure.ifc", "demo-CVC-hvac.ifc",
        "demo-PLB-plumbing.ifc", "demo-ELE-electrical.ifc"]
    assert all(p.is_file() for p in demo.files)
    assert sorted(p.name for p in demo.directory.iterdir()) == sorted(p.name for p in demo.files)


def test_each_file_holds_exactly_the_elements_of_its_trade(demo, models):
    for code, model in models.items():
        written = {e.GlobalId for e in model.by_type("IfcElement") if not e.is_a("IfcOpeningElement")}
        written |= {e.GlobalId for e in model.by_type("IfcSpace")}
        assert written == {s.global_id for s in demo.by_trade(code)}, code
    assert {code: len(demo.by_trade(code)) for code in models} == {"ARC": 41, "STR": 17, "CVC": 11, "PLB": 7, "ELE": 8}


def test_every_schema_gives_valid_files_whose_products_all_tessellate(any_schema_demo):
    expected_identifier = {"IFC2X3": "IFC2X3", "IFC4": "IFC4", "IFC4X3": "IFC4X3_ADD2"}[any_schema_demo.schema]
    for path in any_schema_demo.files:
        model = ifcopenshell.open(str(path))
        assert model.schema_identifier == expected_identifier
        logger = ifcopenshell.validate.json_logger()
        ifcopenshell.validate.validate(model, logger)
        assert logger.statements == [], (path.name, logger.statements[:3])
        with_body = {p.GlobalId for p in model.by_type("IfcProduct")
                     if p.Representation and not p.is_a("IfcOpeningElement")}
        assert set(tessellate(path)) == with_body, path.name


def test_distribution_segments_are_flow_segments_typed_by_their_segment_type_in_ifc2x3(any_schema_demo):
    model = ifcopenshell.open(str(any_schema_demo.paths["CVC"]))
    duct = model.by_guid(any_schema_demo.global_id("CVC", "RDC/duct-1a"))
    assert duct.is_a() == any_schema_demo.ifc_class(duct.GlobalId)
    assert duct.is_a() == ("IfcFlowSegment" if any_schema_demo.schema == "IFC2X3" else "IfcDuctSegment")
    assert ifcopenshell.util.element.get_type(duct).is_a("IfcDuctSegmentType")


def test_declared_quantities_equal_the_expected_ones_in_every_schema(any_schema_demo):
    for code, path in any_schema_demo.paths.items():
        model = ifcopenshell.open(str(path))
        for spec in any_schema_demo.by_trade(code):
            qto_name, expected = quantity_set(spec, any_schema_demo.schema)
            declared = ifcopenshell.util.element.get_psets(model.by_guid(spec.global_id), qtos_only=True)[qto_name]
            for name, value in expected.items():
                assert declared[name] == pytest.approx(value, abs=1e-9), (spec.key, name)


def test_the_wall_quantities_deduct_their_openings(demo):
    south = demo.element(demo.global_id("ARC", "RDC/wall-S")).quantities
    # 12.00 x 0.30 x 2.80, minus the entrance door 1.00 x 2.20 and two windows 1.20 x 1.20.
    assert south.gross_volume == pytest.approx(10.08)
    assert south.net_side_area == pytest.approx(33.6 - 2.2 - 2 * 1.44)
    assert south.net_volume == pytest.approx((33.6 - 2.2 - 2 * 1.44) * 0.30)
    assert south.net_footprint_area == pytest.approx(3.6 - 0.30)


def test_tessellated_volumes_match_the_expected_net_volumes_with_openings_deducted(demo, shapes):
    checked = 0
    for spec in demo.elements:
        if spec.ifc_class not in VOLUME_CLASSES:
            continue
        volume = mesh_volume(*shapes[spec.global_id][1])
        assert volume == pytest.approx(spec.quantities.net_volume, rel=1e-3), spec.key
        checked += 1
    assert checked == 12 + 5 + 3 + 6 + 8  # ARC walls and slabs, STR slabs, columns, beams
    wall = demo.element(demo.global_id("ARC", "RDC/wall-P1"))
    assert wall.quantities.net_volume < wall.quantities.gross_volume
    slab = demo.element(demo.global_id("STR", "RDC/slab"))
    assert mesh_volume(*shapes[slab.global_id][1]) == pytest.approx(slab.quantities.gross_volume, rel=1e-3)


def test_tessellated_boxes_are_the_spec_boxes(demo, shapes):
    for spec in demo.elements:
        lo, hi = aabb(shapes[spec.global_id][1][0])
        expected_lo, expected_hi = demo.bounds(spec.global_id)
        assert lo == pytest.approx(expected_lo, abs=2e-3) and hi == pytest.approx(expected_hi, abs=2e-3), spec.key


def test_external_walls_are_layered_concrete_then_insulation_and_partitions_are_plasterboard(demo, models):
    model = models["ARC"]
    for spec in demo.by_trade("ARC"):
        if spec.ifc_class != "IfcWall":
            continue
        usage = ifcopenshell.util.element.get_material(model.by_guid(spec.global_id), should_skip_usage=False)
        assert usage.is_a("IfcMaterialLayerSetUsage")
        layers = [(layer.Material.Name, layer.LayerThickness) for layer in usage.ForLayerSet.MaterialLayers]
        assert layers == list(spec.layers)
        assert sum(t for _m, t in layers) == pytest.approx(spec.quantities.width)


def test_every_file_shares_the_same_project_site_building_and_storeys(demo, models):
    for model in models.values():
        assert model.by_type("IfcProject")[0].GlobalId == demo.spatial_global_ids["project"]
        assert model.by_type("IfcSite")[0].GlobalId == demo.spatial_global_ids["site"]
        assert model.by_type("IfcBuilding")[0].GlobalId == demo.spatial_global_ids["building"]
        storeys = {(s.GlobalId, s.Name, s.Elevation) for s in model.by_type("IfcBuildingStorey")}
        assert storeys == {(demo.spatial_global_ids["RDC"], "RDC", 0.0), (demo.spatial_global_ids["R+1"], "R+1", 3.0)}
        assert model.by_type("IfcSIUnit")[0].Name == "METRE" and model.by_type("IfcSIUnit")[0].Prefix is None


def test_two_runs_give_the_same_global_ids_and_the_same_bytes_but_for_the_timestamp(demo, tmp_path):
    again = generate_demo(tmp_path)
    assert [s.global_id for s in again.elements] == [s.global_id for s in demo.elements]
    assert again.global_id("ARC", "RDC/door-D02") == element_global_id("ARC", "RDC/door-D02")
    for first, second in zip(demo.files, again.files):
        without_stamp = [re.sub(rb"^FILE_NAME\(.*\);$", b"", p.read_bytes(), flags=re.M) for p in (first, second)]
        assert without_stamp[0] == without_stamp[1], first.name


def test_the_origin_moves_every_element_by_the_same_offset(demo, shapes, tmp_path):
    far = generate_demo(tmp_path, origin=LAMBERT93)
    assert [s.global_id for s in far.elements] == [s.global_id for s in demo.elements]
    for code in ("ARC", "PLB"):
        for gid, (verts, _faces) in tessellate(far.paths[code]).items():
            near = shapes[gid][1][0]
            np.testing.assert_allclose(verts.min(axis=0) - near.min(axis=0), LAMBERT93, atol=1e-6)
            assert far.bounds(gid)[0] == pytest.approx(np.add(demo.bounds(gid)[0], LAMBERT93).tolist(), abs=1e-9)


def test_the_expected_clashes_really_overlap_by_their_stated_depth(demo, shapes):
    depths = {}
    for clash in demo.expected_clashes:
        a, b = (aabb(shapes[g][1][0]) for g in (clash.global_id_a, clash.global_id_b))
        depths[demo.element(clash.global_id_a).key] = (clash.kind, round(box_depth(a, b), 3))
    assert depths == {
        "RDC/duct-N": ("hard", 0.20),
        "RDC/pipe-EF": ("hard", 0.063),
        "RDC/tray-COL": ("hard", 0.10),
        "RDC/tray-CLR": ("clearance", -0.03),
    }


def test_no_other_pair_of_trades_overlaps_by_more_than_the_tolerance(demo, shapes):
    expected = {frozenset((c.global_id_a, c.global_id_b)): c.kind for c in demo.expected_clashes}
    items = [(gid, code, aabb(mesh[0])) for gid, (code, mesh) in shapes.items()
             if demo.element(gid).ifc_class not in CLASH_EXCLUDED_CLASSES]
    found = {}
    for (ga, ca, ba), (gb, cb, bb) in itertools.combinations(items, 2):
        if ca == cb:
            continue
        depth = box_depth(ba, bb)
        mep = ca in MEP_TRADES or cb in MEP_TRADES
        if depth > CLASH_TOLERANCE:
            found[frozenset((ga, gb))] = "hard"
        elif mep and depth > -CLEARANCE:
            found[frozenset((ga, gb))] = "clearance"
    assert found == expected


def test_the_clearance_clash_is_30_mm_under_the_duct(demo):
    tray = demo.bounds(demo.global_id("ELE", "RDC/tray-CLR"))
    duct = demo.bounds(demo.global_id("CVC", "RDC/duct-1a"))
    assert duct[0][2] - tray[1][2] == pytest.approx(0.030)
    assert CLASH_TOLERANCE < duct[0][2] - tray[1][2] < CLEARANCE


def _world(spec):
    z = STOREY_BY_NAME[spec.storey].elevation
    return (spec.box.lo[0], spec.box.lo[1], spec.box.lo[2] + z), (spec.box.hi[0], spec.box.hi[1], spec.box.hi[2] + z)


def test_the_specs_alone_predict_the_same_clashes():
    pairs = {frozenset((a.global_id, b.global_id)) for a, b in spec_pairs(building_specs())
             if box_depth(_world(a), _world(b)) > CLASH_TOLERANCE}
    assert pairs == {frozenset((c.global_id_a, c.global_id_b)) for c in expected_clashes() if c.kind == "hard"}


def test_the_narrow_door_is_narrower_than_the_accessibility_threshold(demo, models):
    narrow = demo.global_id("ARC", "RDC/door-D02")
    for door in models["ARC"].by_type("IfcDoor"):
        clear = ifcopenshell.util.element.get_psets(door)[DOOR_ACCESSIBILITY_PSET][DOOR_CLEAR_WIDTH_PROPERTY]
        if door.GlobalId == narrow:
            assert door.OverallWidth == pytest.approx(0.87) and clear == pytest.approx(0.80)
            assert door.OverallWidth < ACCESSIBLE_DOOR_NOMINAL_WIDTH and clear < ACCESSIBLE_DOOR_CLEAR_WIDTH
        else:
            assert door.OverallWidth >= ACCESSIBLE_DOOR_NOMINAL_WIDTH and clear >= ACCESSIBLE_DOOR_CLEAR_WIDTH


def test_doors_and_windows_fill_openings_that_void_their_walls(demo, models):
    model = models["ARC"]
    for spec in demo.by_trade("ARC"):
        if not spec.host:
            continue
        element = model.by_guid(spec.global_id)
        opening = element.FillsVoids[0].RelatingOpeningElement
        assert opening.GlobalId == spec.opening_global_id
        assert opening.VoidsElements[0].RelatingBuildingElement.GlobalId == demo.global_id("ARC", spec.host)


def _violations_found(demo, models):
    found = set()
    for code, model in models.items():
        for spec in demo.by_trade(code):
            element = model.by_guid(spec.global_id)
            psets = ifcopenshell.util.element.get_psets(element)
            if spec.ifc_class == "IfcWall" and "FireRating" not in psets["Pset_WallCommon"]:
                found.add((RuleId.WALL_FIRE_RATING, spec.global_id))
            if spec.ifc_class == "IfcSpace":
                if not element.Name or not element.LongName:
                    found.add((RuleId.SPACE_NAME, spec.global_id))
                continue
            if ifcopenshell.util.element.get_material(element) is None:
                found.add((RuleId.ELEMENT_MATERIAL, spec.global_id))
            if ifcopenshell.util.element.get_container(element) is None:
                found.add((RuleId.ELEMENT_CONTAINMENT, spec.global_id))
            if spec.ifc_class == "IfcDoor":
                clear = psets[DOOR_ACCESSIBILITY_PSET][DOOR_CLEAR_WIDTH_PROPERTY]
                if element.OverallWidth < ACCESSIBLE_DOOR_NOMINAL_WIDTH or clear < ACCESSIBLE_DOOR_CLEAR_WIDTH:
                    found.add((RuleId.DOOR_WIDTH, spec.global_id))
    return found


def test_the_files_break_exactly_the_expected_rules(demo, models):
    assert _violations_found(demo, models) == {(v.rule_id, v.global_id) for v in demo.expected_violations}
    assert len(demo.expected_violations) == 5


def test_every_element_has_a_type_a_common_pset_a_style_and_a_classification_except_spaces(demo, models):
    for code, model in models.items():
        for spec in demo.by_trade(code):
            element = model.by_guid(spec.global_id)
            psets = ifcopenshell.util.element.get_psets(element)
            assert any(name.startswith("Pset_") and name.endswith("Common") for name in psets), spec.key
            assert element.Representation.Representations[0].Items[0].StyledByItem, spec.key
            if spec.ifc_class != "IfcSpace":
                assert ifcopenshell.util.element.get_type(element).Name == spec.type_name, spec.key
                assert ifcopenshell.util.classification.get_references(element), spec.key


def test_scale_places_copies_side_by_side_with_distinct_global_ids(tmp_path):
    four = generate_demo(tmp_path, scale=4)
    one = building_specs(1)
    assert len(four.elements) == 4 * len(one)
    assert len({s.global_id for s in four.elements}) == len(four.elements)
    assert len(four.expected_clashes) == 4 * 4 and len(four.expected_violations) == 4 * 5
    model = ifcopenshell.open(str(four.paths["STR"]))
    assert len(model.by_type("IfcColumn")) == 4 * 6
    assert {copy_offset(i, 4) for i in range(4)} == {(0.0, 0.0), (16.0, 0.0), (0.0, 14.0), (16.0, 14.0)}
    assert {copy_offset(i, 16) for i in range(16)} == {(16.0 * c, 14.0 * r) for c in range(4) for r in range(4)}
    first, last = (four.global_id("STR", "RDC/col-C1", c) for c in (0, 3))
    assert np.subtract(four.bounds(last)[0], four.bounds(first)[0]).tolist() == pytest.approx([16.0, 14.0, 0.0])


def test_cancel_stops_generation_and_leaves_no_file(tmp_path):
    calls = []

    def progress(done, total, message):
        calls.append((done, total, message))

    with pytest.raises(Cancelled):
        generate_demo(tmp_path, progress=progress, cancel=lambda: len(calls) >= 10)
    assert len(calls) == 10
    assert list(tmp_path.iterdir()) == []


def test_cancelling_while_writing_files_leaves_no_file_either(tmp_path):
    total = len(building_specs()) + len(DEMO_TRADES)
    calls = []
    with pytest.raises(Cancelled):
        generate_demo(tmp_path, progress=lambda d, t, m: calls.append(d), cancel=lambda: len(calls) >= total - 2)
    assert list(tmp_path.iterdir()) == []


def test_progress_counts_up_to_its_total(tmp_path):
    calls = []
    generate_demo(tmp_path, progress=lambda done, total, message: calls.append((done, total, message)))
    dones = [d for d, _t, _m in calls]
    assert dones == sorted(dones) and calls[-1][0] == calls[-1][1] == calls[0][1]
    assert all(message for _d, _t, message in calls)


def test_an_unknown_schema_or_scale_is_refused(tmp_path):
    with pytest.raises(ValueError):
        generate_demo(tmp_path, schema="IFC5")
    with pytest.raises(ValueError):
        generate_demo(tmp_path, scale=0)
