"""Writing IDS from plain data: every facet and restriction comes out as IDS 1.0 that we and ifctester load.

Each test builds one specification the way the editor's forms do, writes it,
and checks the XML with both readers: ours (XSD and semantic audit) and
ifctester's (``ids.open(..., validate=True)`` and ``ids.from_string``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import ifcopenshell
import ifctester.ids
import pytest
from lxml import etree

from checks.ids import IdsError, Status, load_ids, load_ids_text, run_ids
from checks.ids.authoring import Facet, IdsFile, IdsValue, Specification, problems
from checks.ids.writer import IdsWriteError, ids_text, ids_xml, write_ids_file
from checks.ids.xml_reader import IdsReadError, read_ids_xml
from checks.model import CheckedModel
from checks.ruleset_payload import RuleSetDraft, new_payload, payload_problems, ruleset_from_payload
from tests.checks.shared_data import IDS_TESTCASES, RULESETS, require

NS = {"ids": "http://standards.buildingsmart.org/IDS", "xs": "http://www.w3.org/2001/XMLSchema"}
WALLS = Facet("entity", name=IdsValue.of("IFCWALL"))


def spec(*requirements: Facet, applicability: tuple[Facet, ...] = (WALLS,), **fields) -> Specification:
    """A specification on walls with these requirements."""
    return Specification(name=fields.pop("name", "Walls"), identifier=fields.pop("identifier", "W-1"),
                         applicability=applicability, requirements=requirements, **fields)


def written(tmp_path: Path, *specs: Specification) -> etree._Element:
    """Write the specifications as one IDS, check both readers accept it, and return its XML tree."""
    document = IdsFile(title="Written by Synthese", version="1.0", author="bim@example.org", date="2025-03-01",
                       specifications=specs)
    path = write_ids_file(document, tmp_path / "written.ids")
    text = path.read_text(encoding="utf-8")
    ours = load_ids_text(text)
    assert len(ours.specifications) == len(specs)
    assert len(ifctester.ids.open(str(path), validate=True).specifications) == len(specs)
    assert len(ifctester.ids.from_string(text).specifications) == len(specs)
    canonical = replace(document, specifications=tuple(s.in_schema_order() for s in specs))
    assert read_ids_xml(text) == canonical, "reading what was written gives the same data back"
    return etree.fromstring(path.read_bytes())


def only(tree: etree._Element, xpath: str) -> etree._Element:
    found = tree.xpath(xpath, namespaces=NS)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    return found[0]


# -- facets -------------------------------------------------------------------------------------


def test_an_entity_facet_names_the_class_and_its_predefined_type(tmp_path):
    tree = written(tmp_path, spec(applicability=(
        Facet("entity", name=IdsValue.of("IFCWALL"), predefined_type=IdsValue.of("SHEAR")),)))
    entity = only(tree, "//ids:applicability/ids:entity")
    assert only(entity, "ids:name/ids:simpleValue").text == "IFCWALL"
    assert only(entity, "ids:predefinedType/ids:simpleValue").text == "SHEAR"


def test_an_attribute_requirement_carries_its_value_cardinality_and_instructions(tmp_path):
    tree = written(tmp_path, spec(Facet("attribute", name=IdsValue.of("Name"), value=IdsValue.of("Mur"),
                                        cardinality="optional", instructions="Name the wall type")))
    attribute = only(tree, "//ids:requirements/ids:attribute")
    assert attribute.get("cardinality") == "optional"
    assert attribute.get("instructions") == "Name the wall type"
    assert only(attribute, "ids:value/ids:simpleValue").text == "Mur"


def test_a_property_requirement_carries_its_data_type_and_uri(tmp_path):
    tree = written(tmp_path, spec(Facet("property", property_set=IdsValue.of("Pset_WallCommon"),
                                        name=IdsValue.of("FireRating"), value=IdsValue.of("REI60"),
                                        data_type="IFCLABEL", uri="https://identifier.buildingsmart.org/x")))
    prop = only(tree, "//ids:requirements/ids:property")
    assert prop.get("dataType") == "IFCLABEL" and prop.get("uri").startswith("https://")
    assert [c.tag.split("}")[1] for c in prop] == ["propertySet", "baseName", "value"]


def test_a_classification_requirement_writes_value_before_system(tmp_path):
    tree = written(tmp_path, spec(Facet("classification", system=IdsValue.of("Uniclass 2015"),
                                        value=IdsValue.matching("EF_25_10.*"))))
    classification = only(tree, "//ids:requirements/ids:classification")
    assert [c.tag.split("}")[1] for c in classification] == ["value", "system"]


def test_a_material_requirement_may_give_no_value(tmp_path):
    tree = written(tmp_path, spec(Facet("material"), Facet("material", value=IdsValue.of("Béton"),
                                                           cardinality="prohibited")))
    materials = tree.xpath("//ids:requirements/ids:material", namespaces=NS)
    assert [m.get("cardinality") for m in materials] == ["required", "prohibited"]
    assert len(materials[0]) == 0


def test_a_part_of_facet_names_the_relation_and_the_container(tmp_path):
    storeys = Facet("partOf", name=IdsValue.of("IFCBUILDINGSTOREY"), relation="IFCRELCONTAINEDINSPATIALSTRUCTURE")
    tree = written(tmp_path, spec(storeys, applicability=(WALLS, storeys)))
    required = only(tree, "//ids:requirements/ids:partOf")
    assert required.get("relation") == "IFCRELCONTAINEDINSPATIALSTRUCTURE"
    assert only(required, "ids:entity/ids:name/ids:simpleValue").text == "IFCBUILDINGSTOREY"
    assert only(tree, "//ids:applicability/ids:partOf").get("cardinality") is None


def test_an_entity_requirement_has_no_cardinality_in_ids_1_0(tmp_path):
    tree = written(tmp_path, spec(Facet("entity", name=IdsValue.one_of(["IFCWALL", "IFCWALLSTANDARDCASE"]))))
    assert only(tree, "//ids:requirements/ids:entity").get("cardinality") is None


def test_applicability_facets_come_out_in_the_order_the_schema_requires(tmp_path):
    facets = (Facet("material"), Facet("property", property_set=IdsValue.of("Pset_WallCommon"),
                                       name=IdsValue.of("IsExternal")),
              Facet("attribute", name=IdsValue.of("Name")), WALLS)
    tree = written(tmp_path, spec(applicability=facets))
    assert [c.tag.split("}")[1] for c in only(tree, "//ids:applicability")] == [
        "entity", "attribute", "property", "material"]


@pytest.mark.parametrize("usage, occurs", [("required", ("1", "unbounded")), ("optional", ("0", "unbounded")),
                                           ("prohibited", ("0", "0"))])
def test_a_specification_usage_becomes_the_applicability_occurrences(tmp_path, usage, occurs):
    requirements = () if usage == "prohibited" else (Facet("attribute", name=IdsValue.of("Name")),)
    tree = written(tmp_path, spec(*requirements).with_usage(usage))
    applicability = only(tree, "//ids:applicability")
    assert (applicability.get("minOccurs"), applicability.get("maxOccurs")) == occurs


def test_a_specification_targets_the_ifc_versions_chosen(tmp_path):
    tree = written(tmp_path, spec(Facet("attribute", name=IdsValue.of("Name")), ifc_versions=("IFC4", "IFC4X3_ADD2")))
    assert only(tree, "//ids:specification").get("ifcVersion") == "IFC4 IFC4X3_ADD2"


# -- restrictions -------------------------------------------------------------------------------


def name_is(value: IdsValue) -> Specification:
    return spec(Facet("attribute", name=IdsValue.of("Name"), value=value))


def restriction(tree) -> etree._Element:
    return only(tree, "//ids:requirements/ids:attribute/ids:value/xs:restriction")


def test_a_simple_value_is_a_simple_value(tmp_path):
    tree = written(tmp_path, name_is(IdsValue.of("Mur béton 20")))
    assert only(tree, "//ids:requirements//ids:value/ids:simpleValue").text == "Mur béton 20"


def test_a_pattern_restriction_keeps_its_alternatives(tmp_path):
    xs = restriction(written(tmp_path, name_is(IdsValue.matching("MUR-[0-9]{3}", "VOILE-.*"))))
    assert xs.get("base") == "xs:string"
    assert [p.get("value") for p in xs] == ["MUR-[0-9]{3}", "VOILE-.*"]


def test_an_enumeration_restriction_lists_every_value(tmp_path):
    xs = restriction(written(tmp_path, name_is(IdsValue.one_of(["Mur", "Voile", "Cloison"]))))
    assert [(e.tag.split("}")[1], e.get("value")) for e in xs] == [
        ("enumeration", "Mur"), ("enumeration", "Voile"), ("enumeration", "Cloison")]


@pytest.mark.parametrize("exclusive, names", [(False, ["minInclusive", "maxInclusive"]),
                                              (True, ["minExclusive", "maxExclusive"])])
def test_bounds_are_inclusive_or_exclusive_as_chosen(tmp_path, exclusive, names):
    width = Facet("property", property_set=IdsValue.of("Pset_DoorCommon"), name=IdsValue.of("ClearWidth"),
                  data_type="IFCLENGTHMEASURE",
                  value=IdsValue.between("0.83", "2.5", min_exclusive=exclusive, max_exclusive=exclusive))
    tree = written(tmp_path, spec(width, applicability=(Facet("entity", name=IdsValue.of("IFCDOOR")),)))
    xs = only(tree, "//ids:requirements/ids:property/ids:value/xs:restriction")
    assert xs.get("base") == "xs:double"
    assert [(e.tag.split("}")[1], e.get("value")) for e in xs] == list(zip(names, ["0.83", "2.5"]))


def test_a_one_sided_bound_is_enough(tmp_path):
    height = Facet("attribute", name=IdsValue.of("OverallHeight"), value=IdsValue.between(maximum="2.2"))
    tree = written(tmp_path, spec(height, applicability=(Facet("entity", name=IdsValue.of("IFCDOOR")),)))
    assert [e.get("value") for e in only(tree, "//xs:restriction")] == ["2.2"]


def test_length_restrictions_are_written_too(tmp_path):
    xs = restriction(written(tmp_path, name_is(IdsValue(lengths=(("minLength", "2"), ("maxLength", "40"))))))
    assert [e.tag.split("}")[1] for e in xs] == ["minLength", "maxLength"]


def test_an_integer_enumeration_is_typed_for_an_integer_property(tmp_path):
    storeys = Facet("property", property_set=IdsValue.of("Pset_BuildingCommon"),
                    name=IdsValue.of("NumberOfStoreys"), data_type="IFCINTEGER",
                    value=IdsValue.one_of(["3", "4"], base="integer"))
    tree = written(tmp_path, spec(storeys, applicability=(Facet("entity", name=IdsValue.of("IFCBUILDING")),)))
    assert only(tree, "//xs:restriction").get("base") == "xs:integer"


# -- what cannot be written -----------------------------------------------------------------------


def test_an_incomplete_form_is_refused_with_every_reason():
    half_filled = Specification(name="", ifc_versions=(), applicability=(Facet("entity"),),
                                requirements=(Facet("property", name=IdsValue.of("FireRating")),))
    with pytest.raises(IdsWriteError) as refused:
        ids_xml(IdsFile(title="T", specifications=(half_filled,)))
    text = str(refused.value)
    for words in ("needs a name", "IFC version", "IFC class", "property set"):
        assert words in text


@pytest.mark.parametrize("value, words", [
    (IdsValue.between("0,83"), "not a valid double"),
    (IdsValue.between(base="double"), "restriction is empty"),
    (IdsValue(bounds=(("minInclusive", "1"),)), "bounds need a number type"),
    (IdsValue.one_of(["1.5"], base="integer"), "not a valid integer"),
    (IdsValue(bounds=(("minInclusive", "1"), ("minExclusive", "2")), base="double"), "at most one lower"),
])
def test_a_wrong_restriction_is_refused_before_anything_is_written(value, words):
    assert any(words in p for p in problems(name_is(value)))


def test_a_requirement_cardinality_ids_does_not_allow_is_refused():
    optional_container = Facet("partOf", name=IdsValue.of("IFCBUILDINGSTOREY"), cardinality="optional")
    assert any("not allowed" in p for p in problems(spec(optional_container)))


def test_an_unknown_class_is_left_to_the_audit_which_names_it(tmp_path):
    text = ids_text(IdsFile(title="T", specifications=(spec(applicability=(Facet("entity", name=IdsValue.of("IFCWAL")),)),)))
    with pytest.raises(IdsError, match="IFCWAL is not an IFC class"):
        load_ids_text(text)


def test_the_info_block_refuses_an_author_that_is_no_email_address():
    with pytest.raises(IdsWriteError, match="e-mail"):
        ids_xml(IdsFile(title="T", author="Jeanne", specifications=(spec(Facet("material")),)))


# -- reading back ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(RULESETS.glob("*.ids")), ids=lambda p: p.stem)
def test_each_bundled_ids_reads_and_writes_back_to_the_same_specifications(path, tmp_path):
    document = read_ids_xml(path.read_bytes())
    again = write_ids_file(document, tmp_path / path.name)
    assert read_ids_xml(again.read_bytes()) == document
    assert len(load_ids(again).specifications) == len(load_ids(path).specifications)
    assert len(ifctester.ids.open(str(again), validate=True).specifications) == len(document.specifications)


def test_a_file_that_is_not_ids_is_refused_with_its_line():
    with pytest.raises(IdsReadError, match="not an IDS"):
        read_ids_xml("<notes/>")
    with pytest.raises(IdsReadError, match="line 1"):
        read_ids_xml("<ids")


def test_rewriting_every_conformance_case_keeps_its_outcome(tmp_path):
    """The strongest round trip: all 314 buildingSMART cases, read and written again, judge their model alike."""
    require(IDS_TESTCASES, "the buildingSMART IDS test cases")
    differing = []
    for case in sorted(IDS_TESTCASES.glob("*/*.ids")):
        expected = case.name.split("-", 1)[0]
        try:
            text = ids_text(read_ids_xml(case.read_bytes()))
            document = load_ids_text(text)
        except (IdsReadError, IdsWriteError, IdsError):
            if expected != "invalid":
                differing.append(case.name)
            continue
        if expected == "invalid":
            differing.append(case.name)
            continue
        model = ifcopenshell.open(str(case.with_suffix(".ifc")))
        result = run_ids([CheckedModel(case.stem, case.stem, model)], document, only_targeted_schemas=False)
        if ("fail" if result.status is Status.FAIL else "pass") != expected:
            differing.append(case.name)
    assert not differing, differing


# -- a rule set's IDS files, edited through the draft the editor uses ----------------------------------


def test_a_specification_added_to_an_empty_rule_set_gets_an_ids_file_of_its_own():
    draft = RuleSetDraft(new_payload("facades", "Façades"))
    draft.save_specification(spec(Facet("attribute", name=IdsValue.of("Name")), identifier="FAC-01"))
    (name, xml), = draft.payload()["ids_files"].items()
    assert name == "facades.ids" and draft.payload()["ruleset"]["ids"] == [{"file": name, "severity": "error"}]
    assert load_ids_text(xml).title == "Façades"
    assert not payload_problems(draft.payload())


def test_renaming_a_specification_carries_its_rule_set_setting_along():
    draft = RuleSetDraft(new_payload("facades", "Façades"))
    index = draft.save_specification(spec(Facet("material"), identifier="FAC-01"))
    draft.set_specification(index, "FAC-01", enabled=False, severity="warning")
    draft.save_specification(spec(Facet("material"), identifier="FAC-02"), index, old_key="FAC-01")
    assert draft.specification_setting(index, "FAC-02") == {"enabled": False, "severity": "warning"}
    assert [s.key for s in draft.entry_document(index).specifications] == ["FAC-02"]


def test_editing_a_shipped_ids_in_a_rule_set_edits_a_copy(tmp_path):
    draft = RuleSetDraft({"ruleset": {**new_payload("q", "Q")["ruleset"],
                                      "ids": [{"bundled": "model-quality-basics", "severity": "error"}]}})
    original = draft.entry_document(0).specification("MQ-01")
    draft.save_specification(replace(original, name="Projects are named"), 0, old_key="MQ-01")
    assert draft.ids_entries[0]["file"] == "model-quality-basics.ids"
    assert draft.entry_document(0).specification("MQ-01").name == "Projects are named"
    assert read_ids_xml((RULESETS / "model-quality-basics.ids").read_bytes()).specification("MQ-01") == original
    assert ruleset_from_payload(draft.payload(), tmp_path).ids[0].path.parent == tmp_path.resolve()
