"""Models written in millimetres (or with odd units) come out in SI, with the unit the file used."""

from __future__ import annotations

import pytest

from bim.federation import load_model
from checks.takeoff import Quantity, TakeoffTemplate, run_takeoff
from checks.takeoff.kinds import KIND_KEYS
from tests.checks.takeoff.builders import TinyModel

ALL = TakeoffTemplate(quantities=KIND_KEYS)


@pytest.fixture(scope="module")
def millimetre_wall(tmp_path_factory):
    model = TinyModel(millimetres=True)
    model.wall("W1", 5.0, 0.2, 3.0, qto={"Length": 5000.0, "Width": 200.0, "Height": 3000.0,
                                         "NetVolume": 3.0, "GrossSideArea": 15.0})
    path = model.save(tmp_path_factory.mktemp("mm") / "wall-mm.ifc")
    return run_takeoff([load_model(path, workers=1)], ALL).elements[0]


def test_declared_lengths_in_millimetres_become_metres_and_remember_their_unit(millimetre_wall):
    length = millimetre_wall.declared["length"]
    assert length.value == pytest.approx(5.0)
    assert length.declared_unit == "mm"
    assert length.origin == "Qto_WallBaseQuantities.Length"
    assert millimetre_wall.declared["thickness"].value == pytest.approx(0.2)


def test_declared_areas_and_volumes_in_square_and_cubic_metres_stay_as_they_are(millimetre_wall):
    assert millimetre_wall.declared["net_volume"].value == pytest.approx(3.0)
    assert millimetre_wall.declared["gross_side_area"].value == pytest.approx(15.0)


def test_computed_values_of_a_millimetre_model_are_in_si(millimetre_wall):
    computed = millimetre_wall.computed
    assert computed["gross_volume"].value == pytest.approx(3.0)  # parametric: 5000 × 200 × 3000 mm
    assert computed["net_volume"].value == pytest.approx(3.0)
    assert computed["length"].value == pytest.approx(5.0)
    assert computed["height"].value == pytest.approx(3.0)
    assert computed["gross_footprint_area"].value == pytest.approx(1.0)


def test_a_millimetre_model_agrees_with_itself(millimetre_wall):
    assert millimetre_wall.discrepancies == ()


@pytest.mark.slow
def test_a_corpus_model_in_millimetres_declares_sensible_si_values(corpus_model):
    model = load_model(corpus_model("samplehouse-ifc4"), workers=1)
    rows = run_takeoff([model], TakeoffTemplate(classes=("IfcWall",))).elements
    lengths = [r.declared["length"] for r in rows if "length" in r.declared]
    assert lengths and all(0.1 < q.value < 100 and q.declared_unit == "mm" for q in lengths)
    for row in rows:
        if "length" in row.declared and isinstance(row.computed.get("length"), Quantity):
            assert row.computed["length"].value == pytest.approx(row.declared["length"].value, rel=0.05)


def test_imperial_and_density_units_are_named_and_scaled():
    import ifcopenshell.api.project
    import ifcopenshell.api.root
    import ifcopenshell.api.unit

    from checks.takeoff.units import ModelUnits

    f = ifcopenshell.api.project.create_file(version="IFC4")
    ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject")
    foot = ifcopenshell.api.unit.add_conversion_based_unit(f, name="foot")
    gram = f.createIfcSIUnit(None, "MASSUNIT", None, "GRAM")
    centimetre = f.createIfcSIUnit(None, "LENGTHUNIT", "CENTI", "METRE")
    density = f.createIfcDerivedUnit([f.createIfcDerivedUnitElement(gram, 1),
                                      f.createIfcDerivedUnitElement(centimetre, -3)], "MASSDENSITYUNIT")
    ifcopenshell.api.unit.assign_unit(f, units=[foot, density])
    units = ModelUnits.of(f)
    assert units.length == pytest.approx(0.3048) and units.symbol("length") == "ft"
    assert units.density == pytest.approx(1000.0)  # 1 g/cm³ = 1000 kg/m³
