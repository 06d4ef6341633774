"""Federation rules compare every model with the reference (architecture) model: storeys, origin, orientation."""

from __future__ import annotations

import math

import ifcopenshell.api.georeference

from checks.rules import RuleModel
from tests.checks.rules.helpers import reasons, replaced, run_rule


def storey(ifc, name):
    return next(s for s in ifc.by_type("IfcBuildingStorey") if s.Name == name)


def failing_names(result):
    return sorted((m.model_name, e.ifc_class, e.name) for m in result.models for e in m.failing)


# -- STOREY-CONSISTENCY ------------------------------------------------------------------


def test_the_five_demo_models_share_their_storeys(federation):
    result = run_rule("STOREY-CONSISTENCY", federation)
    assert result.status.value == "pass" and result.applicable_count == 10


def test_a_renamed_storey_fails_naming_the_reference_storey_at_its_elevation(demo_models, edited):
    structure = edited("STR", lambda ifc: setattr(storey(ifc, "R+1"), "Name", "Niveau 1"))
    result = run_rule("STOREY-CONSISTENCY", replaced(demo_models, STR=structure))
    assert failing_names(result) == [("demo-STR-structure", "IfcBuildingStorey", "Niveau 1")]
    assert reasons(result) == ["IfcBuildingStorey.Name: expected “R+1” (the storey at 3 m in demo-ARC-architecture), "
                               "found “Niveau 1”"]


def test_a_storey_at_another_elevation_fails_beyond_the_tolerance_only(demo_models, edited):
    plumbing = edited("PLB", lambda ifc: setattr(storey(ifc, "R+1"), "Elevation", 3.02))
    models = replaced(demo_models, PLB=plumbing)
    assert reasons(run_rule("STOREY-CONSISTENCY", models)) == [
        "IfcBuildingStorey.Elevation: expected 3 m (as “R+1” in demo-ARC-architecture), found 3.02 m"]
    assert run_rule("STOREY-CONSISTENCY", models, elevation_tolerance=0.05).status.value == "pass"


def test_a_storey_the_reference_lacks_fails_and_names_differing_only_by_case_do_not(demo_models, edited):
    def change(ifc):
        storey(ifc, "RDC").Name = "rdc"
        storey(ifc, "R+1").Elevation = 7.5

    models = replaced(demo_models, CVC=edited("CVC", change))
    assert failing_names(run_rule("STOREY-CONSISTENCY", models)) == [("demo-CVC-hvac", "IfcBuildingStorey", "R+1")]
    assert len(run_rule("STOREY-CONSISTENCY", models, ignore_case=False).failing_global_ids) == 2


def test_the_reference_can_be_another_model(demo_models, edited):
    structure = edited("STR", lambda ifc: setattr(storey(ifc, "R+1"), "Name", "Niveau 1"))
    result = run_rule("STOREY-CONSISTENCY", replaced(demo_models, STR=structure), reference="STR")
    assert {m for m, _c, _n in failing_names(result)} == {
        "demo-ARC-architecture", "demo-CVC-hvac", "demo-PLB-plumbing", "demo-ELE-electrical"}


def test_rules_comparing_models_skip_a_federation_of_one(federation):
    for rule_id in ("STOREY-CONSISTENCY", "FEDERATION-ALIGNMENT"):
        result = run_rule(rule_id, federation[:1])
        assert result.status.value == "skipped" and result.skip_reason == (
            "this rule compares models: it needs at least 2")


# -- FEDERATION-ALIGNMENT ----------------------------------------------------------------


def test_the_demo_models_are_aligned(federation):
    result = run_rule("FEDERATION-ALIGNMENT", federation)
    assert result.status.value == "pass" and result.applicable_count == 15


def test_a_site_exported_5_m_east_fails_on_its_site_and_its_geometry_box_stays_close(demo_models, edited):
    def shift(ifc):
        location = ifc.by_type("IfcSite")[0].ObjectPlacement.RelativePlacement.Location
        location.Coordinates = (5.0, 0.0, 0.0)

    result = run_rule("FEDERATION-ALIGNMENT", replaced(demo_models, STR=edited("STR", shift)))
    assert failing_names(result) == [("demo-STR-structure", "IfcSite", "Parcelle démo")]
    assert reasons(result) == ["IfcSite placement: expected (0, 0, 0), turned 0° (as in demo-ARC-architecture), "
                               "found (5, 0, 0), turned 0°: 5 m away, 0° off"]


def test_a_model_shifted_far_away_also_fails_on_its_bounding_box(demo_models, edited):
    def far(ifc):
        location = ifc.by_type("IfcSite")[0].ObjectPlacement.RelativePlacement.Location
        location.Coordinates = (650000.0, 6860000.0, 0.0)  # Lambert-93 coordinates baked into the site

    result = run_rule("FEDERATION-ALIGNMENT", replaced(demo_models, ELE=edited("ELE", far)))
    texts = reasons(result)
    assert sorted(t.split(":")[0] for t in texts) == ["IfcSite placement", "bounding box of the model's geometry"]
    assert run_rule("FEDERATION-ALIGNMENT", replaced(demo_models, ELE=edited("ELE", far)),
                    bbox_margin=0.0).failing_count == 1


def test_a_model_turned_by_its_true_north_fails(demo_models, edited):
    def turn(ifc):
        context = ifc.by_type("IfcGeometricRepresentationContext", include_subtypes=False)[0]
        angle = math.radians(30)
        context.TrueNorth = ifc.createIfcDirection((-math.sin(angle), math.cos(angle)))

    result = run_rule("FEDERATION-ALIGNMENT", replaced(demo_models, CVC=edited("CVC", turn)))
    assert failing_names(result) == [("demo-CVC-hvac", "IfcProject", "Synthese demo")]
    assert reasons(result) == ["TrueNorth of the model context: expected true north at 0° (as in "
                               "demo-ARC-architecture), found 30°"]


def test_map_conversions_must_agree_and_exist_in_every_model_or_none(demo_models, edited):
    def georeference(eastings):
        def edit(ifc):
            ifcopenshell.api.georeference.add_georeferencing(ifc)
            conversion = ifc.by_type("IfcMapConversion")[0]
            conversion.Eastings, conversion.Northings, conversion.OrthogonalHeight = eastings, 6860000.0, 35.0
        return edit

    architecture = edited("ARC", georeference(650000.0))
    same = replaced(demo_models, ARC=architecture, STR=edited("STR", georeference(650000.0)))
    differing = replaced(demo_models, ARC=architecture, STR=edited("STR", georeference(650100.0)))
    assert {m for m, _c, _n in failing_names(run_rule("FEDERATION-ALIGNMENT", same))} == {
        "demo-CVC-hvac", "demo-PLB-plumbing", "demo-ELE-electrical"}  # they have none
    assert "found E 650100, N 6860000, H 35, rotation 0°, scale 1" in " ".join(
        reasons(run_rule("FEDERATION-ALIGNMENT", differing)))


def test_models_given_as_rule_models_keep_their_file_hash(demo_models):
    assert RuleModel.from_loaded(demo_models["ARC"]).file_hash == demo_models["ARC"].file_hash
