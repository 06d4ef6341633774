"""The rule-set manager and the IDS editor in the real window, driven as a BIM manager would.

One window and one (empty) project serve the module: opening them is the slow
part. What the dialogs save is read back through a second connection to the
project, as a colleague's workstation would, and the IDS it holds is checked
with our loader and with ifctester.
"""

from __future__ import annotations

import ifctester.ids
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from checks.ids import load_ids, load_ids_text
from checks.ruleset_payload import ruleset_from_payload
from project_db import open_project
from tests.checks.shared_data import RULESETS
from tests.ui.conftest import close_main_window, open_main_window, wait_until


@pytest.fixture(scope="module")
def project_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("rulesets") / "site.synthese"
    with open_project(path, create=True):
        pass
    return path


@pytest.fixture(scope="module")
def win(qapp, project_path):
    """The main window with the project open."""
    window = open_main_window()
    window.issue_features.open_project(str(project_path))
    wait_until(lambda: window.issue_features.session.is_open, what="the project")
    yield window
    close_main_window(window)


@pytest.fixture(scope="module")
def manager(win):
    """The manager, opened from Checks › Rule sets…, with both lists shown."""
    win.ruleset_features.action.trigger()
    dialog = win.ruleset_features.manager
    wait_until(lambda: dialog.bundled and dialog.idle, what="the shipped rule sets")
    yield dialog
    dialog.close()


def stored_payload(project_path, key: str) -> dict:
    """The rule set as another workstation reads it from the project."""
    with open_project(project_path) as project:
        return project.rule_sets.get(key)


def created(manager, action, *args) -> str:
    """Run a manager operation that creates a project rule set and return the new key."""
    before = set(manager.project_keys())
    action(*args)
    wait_until(lambda: manager.idle and set(manager.project_keys()) - before, what="the new rule set")
    (key,) = set(manager.project_keys()) - before
    return key


def open_editor(manager, key: str):
    manager.editor = None
    manager.edit(("project", key))
    wait_until(lambda: manager.editor is not None, what="the rule-set editor")
    return manager.editor


def save(manager, editor) -> None:
    """Press Save and wait until the editor closed (it stays open, saying why, when saving fails)."""
    closed = []
    editor.finished.connect(closed.append)
    editor.buttons.button(QDialogButtonBox.Save).click()
    wait_until(lambda: closed or not editor.saving, what="the rule set to be saved")
    assert closed, editor.status_label.text()
    wait_until(lambda: manager.idle, what="the list to be refreshed")


def test_the_checks_menu_offers_the_rule_sets_and_the_manager_lists_the_shipped_ones(win, manager):
    assert win.ruleset_features.action.text() == "Rule sets…"
    assert [r.key for r in manager.bundled] == [
        "accessibility-erp", "model-quality-basics", "trade-architecture", "trade-mep", "trade-structure"]
    manager.select("bundled", "model-quality-basics")
    assert manager.buttons["edit"].text() == "View…" and not manager.buttons["delete"].isEnabled()


def test_a_specification_built_in_the_form_is_saved_to_the_project_as_valid_ids(manager, project_path):
    key = created(manager, manager.create, "Contrôle façades")
    assert key == "controle-facades"
    editor = open_editor(manager, key)

    form = editor.new_specification()
    form.name_edit.setText("External walls are fire rated")
    form.identifier_edit.setText("FAC-01")
    form.description_edit.setPlainText("Façade walls carry their fire rating.")
    form.set_ifc_versions(["IFC4", "IFC4X3_ADD2"])
    form.set_usage("required")
    form.applicability.add_facet("entity").name.set_simple("ifcwall")  # upper-cased as IDS wants
    external = form.applicability.add_facet("property")
    external.property_set.set_simple("Pset_WallCommon")
    external.name.set_simple("IsExternal")
    external.value.set_simple("true")
    rating = form.requirements.add_facet("property")
    rating.property_set.set_simple("Pset_WallCommon")
    rating.name.set_pattern("Fire.*")
    rating.value.set_enumeration(["REI60", "REI90", "REI120"])
    rating.data_type.setCurrentText("IFCLABEL")
    thickness = form.requirements.add_facet("attribute")
    thickness.name.set_simple("Name")
    thickness.value.set_pattern("FAC-[0-9]{2}.*")
    thickness.set_cardinality("optional")
    storey = form.requirements.add_facet("partOf")
    storey.name.set_simple("IFCBUILDINGSTOREY")
    storey.relation.setCurrentIndex(storey.relation.findData("IFCRELCONTAINEDINSPATIALSTRUCTURE"))
    form.requirements.add_facet("material").value.set_simple("Béton")
    classification = form.requirements.add_facet("classification")
    classification.system.set_simple("Uniclass 2015")
    classification.set_cardinality("prohibited")
    kept = []
    form.kept.connect(kept.append)
    form.buttons.button(QDialogButtonBox.Save).click()
    wait_until(lambda: kept, what="the specification to be kept")
    assert editor.specification_item("FAC-01") is not None
    save(manager, editor)

    payload = stored_payload(project_path, key)
    (xml,) = payload["ids_files"].values()
    ours = load_ids_text(xml)
    theirs = ifctester.ids.from_string(xml)
    assert [s.name for s in ours.specifications] == [s.name for s in theirs.specifications] == [
        "External walls are fire rated"]
    spec = theirs.specifications[0]
    assert spec.ifcVersion == ["IFC4", "IFC4X3_ADD2"] and spec.minOccurs == 1
    assert sorted(type(f).__name__ for f in spec.requirements) == [
        "Attribute", "Classification", "Material", "PartOf", "Property"]
    assert spec.requirements[0].value.options["enumeration"] == ["REI60", "REI90", "REI120"]


def test_a_form_with_a_mistake_stays_open_and_says_what_is_wrong(manager):
    key = created(manager, manager.create, "Brouillon")
    editor = open_editor(manager, key)
    form = editor.new_specification()
    form.name_edit.setText("Doors")
    form.applicability.add_facet("entity").name.set_simple("IFCDOR")
    width = form.requirements.add_facet("attribute")
    width.name.set_simple("OverallWidth")
    width.value.set_bounds("0,90")
    form.buttons.button(QDialogButtonBox.Save).click()
    assert "not a valid double" in form.problems_label.text() and form.isVisible()
    width.value.set_bounds("0.90", "2.5", max_included=False)
    form.buttons.button(QDialogButtonBox.Save).click()
    wait_until(lambda: not form.checking, what="the check")
    assert "IFCDOR is not an IFC class" in form.problems_label.text() and form.isVisible()
    form.reject()
    editor.reject()


def test_disabling_a_rule_and_changing_a_parameter_round_trips_through_the_project(manager, project_path):
    manager.select("bundled", "model-quality-basics")
    key = created(manager, manager.duplicate, ("bundled", "model-quality-basics"), "Qualité maquette")
    editor = open_editor(manager, key)
    editor.set_rule_enabled("ELEMENT-DUPLICATE", False)
    editor.select_rule("STOREY-CONSISTENCY").set_value("elevation_tolerance", 0.05)
    editor.set_rule_enabled("FR-ERP-DOOR-WIDTH", True)
    editor.set_rule_severity("FR-ERP-DOOR-WIDTH", "warning")
    editor.select_rule("FR-ERP-DOOR-WIDTH").set_value("doors", "flagged")
    editor.set_specification_enabled("MQ-01", False)
    save(manager, editor)

    payload = stored_payload(project_path, key)
    rules = {e["rule"]: e for e in payload["ruleset"]["rules"]}
    assert rules["ELEMENT-DUPLICATE"]["enabled"] is False
    assert rules["STOREY-CONSISTENCY"]["parameters"] == {"elevation_tolerance": 0.05}
    assert rules["FR-ERP-DOOR-WIDTH"] == {"rule": "FR-ERP-DOOR-WIDTH", "severity": "warning",
                                          "parameters": {"doors": "flagged"}}
    reopened = open_editor(manager, key)
    assert reopened.parameters["STOREY-CONSISTENCY"].values()["elevation_tolerance"] == 0.05
    assert reopened.rule_items["ELEMENT-DUPLICATE"].checkState(0).name == "Unchecked"
    assert reopened.specification_item("MQ-01").checkState(0).name == "Unchecked"
    reopened.reject()


def test_importing_a_shipped_ids_and_exporting_it_gives_valid_ids(manager, project_path, tmp_path):
    key = created(manager, manager.import_file, RULESETS / "trade-mep.ids")
    exported = tmp_path / "mep.ids"
    manager.export_ids(("project", key), exported)
    wait_until(lambda: manager.idle and exported.exists(), what="the export")
    assert len(load_ids(exported).specifications) == len(load_ids(RULESETS / "trade-mep.ids").specifications)
    assert ifctester.ids.open(str(exported), validate=True).specifications

    manager.export_files(("project", key), tmp_path / "folder")
    wait_until(lambda: manager.idle and (tmp_path / "folder" / f"{key}.ruleset.json").exists(), what="the files")
    assert (tmp_path / "folder" / "trade-mep.ids").is_file()
    assert ruleset_from_payload(stored_payload(project_path, key), tmp_path).ids


def test_importing_a_rule_set_file_brings_its_ids_files_and_rule_settings(manager, project_path, tmp_path):
    key = created(manager, manager.import_file, RULESETS / "accessibility-erp.ruleset.json")
    payload = stored_payload(project_path, key)
    assert list(payload["ids_files"]) == ["accessibility-erp.ids"]
    assert payload["ruleset"]["rules"][0]["parameters"]["min_clear_width"] == 0.83
    assert key != "accessibility-erp", "a project set never takes a shipped set's key"


def test_renaming_keeps_the_key_and_deleting_removes_the_set_for_the_team(manager, project_path):
    key = created(manager, manager.create, "À renommer")
    manager.rename(key, "Renommé")
    wait_until(lambda: manager.idle and manager.stored[key].title == "Renommé", what="the new title")
    manager.select("project", key)
    manager.ask_delete()
    manager.prompt.choose("delete")
    wait_until(lambda: manager.idle and key not in manager.project_keys(), what="the deletion")
    with open_project(project_path) as project:
        assert key not in [s.key for s in project.rule_sets.list()]


def test_a_colleagues_save_shows_up_and_is_never_overwritten_silently(win, manager, project_path):
    key = created(manager, manager.create, "Partagé")
    editor = open_editor(manager, key)
    editor.title_edit.setText("Mine")
    win.issue_features.session.set_poll_interval(150)
    with open_project(project_path) as colleague:
        payload = colleague.rule_sets.get(key)
        payload["ruleset"]["title"] = "Theirs"
        colleague.rule_sets.save(key, payload, "colleague", colleague.rule_sets.info(key).version)
    wait_until(lambda: manager.stored[key].title == "Theirs", what="the colleague's save to show")

    editor.buttons.button(QDialogButtonBox.Save).click()
    wait_until(lambda: not editor.saving, what="the refused save")
    assert editor.isVisible() and "changed by colleague" in editor.status_label.text()
    assert stored_payload(project_path, key)["ruleset"]["title"] == "Theirs"
    editor.reject()
