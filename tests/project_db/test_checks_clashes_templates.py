"""Check runs, shared rule sets, clash tests with their runs and marks, and take-off templates."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from project_db import migrate
from project_db.connection import engine_for, open_project
from project_db.errors import ConflictError, InvalidValue, NotFound


def _check_run(key="structure", version="1.2", status="fail", findings=3):
    return {
        "format": "synthese-check-run", "format_version": 1,
        "summary": {"status": status, "rules": 4, "findings": findings},
        "ruleset": {"key": key, "title": "Structure", "version": version, "path": None, "content_hash": "abc"},
        "models": [{"model_id": "STR", "name": "STR.ifc", "schema": "IFC4", "file_hash": "h-str"},
                   {"model_id": "CVC", "name": "CVC.ifc", "schema": "IFC4", "file_hash": "h-cvc"}],
        "rules": [{"rule_id": "walls-have-fire-rating", "status": "fail"}],
        "started_at": "2025-02-03T10:00:00+00:00",
    }


def _rule_set(title="Structure"):
    return {"ruleset": {"key": "structure", "title": title, "version": "1.0", "rules": []},
            "ids_files": {"walls.ids": "<ids xmlns='http://standards.buildingsmart.org/IDS'>é</ids>"}}


# -- check runs ------------------------------------------------------------------------------


def test_a_saved_check_run_is_listed_with_its_rule_set_status_summary_and_model_hashes(project):
    record = project.check_runs.save_run(_check_run(), "alice")
    assert (record.author, record.ruleset_key, record.ruleset_version, record.status) == (
        "alice", "structure", "1.2", "fail")
    assert record.summary["findings"] == 3
    assert record.model_hashes == {"STR": "h-str", "CVC": "h-cvc"}
    assert project.check_runs.list_runs() == [record]
    assert project.check_runs.get_run(record.id) == _check_run()


def test_check_runs_are_listed_newest_first_filtered_by_rule_set_and_limited(project):
    first = project.check_runs.save_run(_check_run(), "alice")
    other = project.check_runs.save_run(_check_run(key="mep"), "bob")
    last = project.check_runs.save_run(_check_run(status="pass", findings=0), "alice")
    assert [r.id for r in project.check_runs.list_runs()] == [last.id, other.id, first.id]
    assert [r.id for r in project.check_runs.list_runs(ruleset_key="structure")] == [last.id, first.id]
    assert [r.id for r in project.check_runs.list_runs(limit=1)] == [last.id]


def test_a_run_document_without_the_usual_keys_is_still_stored(project):
    record = project.check_runs.save_run({"anything": [1, 2]}, "alice")
    assert (record.ruleset_key, record.ruleset_version, record.status, record.summary, record.model_hashes) == (
        None, None, None, {}, {})
    assert project.check_runs.get_run(record.id) == {"anything": [1, 2]}


def test_an_unknown_check_run_is_not_found(project):
    with pytest.raises(NotFound):
        project.check_runs.get_run(999)


def test_a_teammate_notices_a_new_check_run(project, second_workstation):
    token = second_workstation.changes_since(0).token
    project.check_runs.save_run(_check_run(), "alice")
    changes = second_workstation.changes_since(token)
    assert changes.checks_changed and changes.any
    assert not (changes.clashes_changed or changes.rule_sets_changed or changes.templates_changed or changes.issue_ids)


# -- rule sets -------------------------------------------------------------------------------


def test_a_shared_rule_set_comes_back_with_its_ids_files_and_is_listed_with_its_title(project, second_workstation):
    stored = project.rule_sets.save("structure", _rule_set(), "alice")
    assert (stored.key, stored.title, stored.version, stored.updated_by, stored.deleted) == (
        "structure", "Structure", 1, "alice", False)
    assert second_workstation.rule_sets.get("structure") == _rule_set()
    assert second_workstation.rule_sets.list() == [stored]


def test_saving_a_rule_set_from_its_current_version_bumps_the_version(project):
    first = project.rule_sets.save("structure", _rule_set(), "alice")
    second = project.rule_sets.save("structure", _rule_set("Structure v2"), "bob", expected_version=first.version)
    assert (second.version, second.title, second.updated_by) == (2, "Structure v2", "bob")


def test_saving_a_rule_set_edited_from_a_stale_version_is_a_conflict_naming_who_saved_first(
        project, second_workstation):
    loaded = project.rule_sets.save("structure", _rule_set(), "alice")
    second_workstation.rule_sets.save("structure", _rule_set("Bob's"), "bob", expected_version=loaded.version)
    token = project.changes_since(0).token
    with pytest.raises(ConflictError, match="bob") as error:
        project.rule_sets.save("structure", _rule_set("Alice's"), "alice", expected_version=loaded.version)
    assert (error.value.mine.version, error.value.theirs.version) == (1, 2)
    assert project.rule_sets.get("structure")["ruleset"]["title"] == "Bob's"
    assert project.changes_since(token).any is False  # the refused save wrote nothing


def test_creating_a_rule_set_that_a_teammate_just_created_is_a_conflict(project, second_workstation):
    second_workstation.rule_sets.save("structure", _rule_set(), "bob", expected_version=0)
    with pytest.raises(ConflictError):
        project.rule_sets.save("structure", _rule_set(), "alice", expected_version=0)


def test_a_deleted_rule_set_is_hidden_recorded_and_can_be_saved_again(project):
    project.rule_sets.save("structure", _rule_set(), "alice")
    project.rule_sets.delete("structure", "bob")
    assert project.rule_sets.list() == []
    (gone,) = project.rule_sets.list(include_deleted=True)
    assert (gone.deleted, gone.updated_by) == (True, "bob")
    with pytest.raises(NotFound):
        project.rule_sets.get("structure")
    assert [e.field for e in project.rule_sets.history("structure")] == ["created", "deleted"]
    restored = project.rule_sets.save("structure", _rule_set(), "alice", expected_version=0)
    assert (restored.deleted, restored.version) == (False, 3)


def test_a_rule_set_payload_without_a_rule_set_is_refused(project):
    with pytest.raises(InvalidValue):
        project.rule_sets.save("structure", {"ids_files": {}}, "alice")
    with pytest.raises(InvalidValue):
        project.rule_sets.save("", _rule_set(), "alice")


def test_deleting_an_unknown_rule_set_is_not_found(project):
    with pytest.raises(NotFound):
        project.rule_sets.delete("nope", "alice")


def test_a_teammate_notices_a_saved_rule_set(project, second_workstation):
    token = second_workstation.changes_since(0).token
    project.rule_sets.save("structure", _rule_set(), "alice")
    changes = second_workstation.changes_since(token)
    assert changes.rule_sets_changed and not changes.checks_changed


# -- clash tests -----------------------------------------------------------------------------


_TEST = {"name": "STR x CVC", "kind": "hard", "tolerance": 0.01, "left": {"trades": ["STR"]},
         "right": {"trades": ["CVC"]}}


def _clash_run(*ids):
    return {"test": _TEST, "started_at": "2025-02-03T10:00:00", "models": [], "stats": {},
            "clashes": [{"id": i, "depth": 0.05} for i in ids]}


def test_a_saved_clash_test_is_listed_and_comes_back_whole(project, second_workstation):
    stored = project.clash_tests.save_test("STR x CVC", _TEST, "alice")
    assert (stored.name, stored.updated_by, stored.version) == ("STR x CVC", "alice", 1)
    assert second_workstation.clash_tests.list_tests() == [stored]
    assert second_workstation.clash_tests.get_test("STR x CVC") == _TEST


def test_a_clash_test_edited_from_a_stale_version_is_a_conflict(project, second_workstation):
    loaded = project.clash_tests.save_test("STR x CVC", _TEST, "alice")
    second_workstation.clash_tests.save_test("STR x CVC", {**_TEST, "tolerance": 0.02}, "bob",
                                             expected_version=loaded.version)
    with pytest.raises(ConflictError):
        project.clash_tests.save_test("STR x CVC", _TEST, "alice", expected_version=loaded.version)


def test_a_deleted_clash_test_is_hidden_but_its_runs_are_kept(project):
    project.clash_tests.save_test("STR x CVC", _TEST, "alice")
    project.clash_tests.save_run("STR x CVC", _clash_run("a"), "alice")
    project.clash_tests.delete_test("STR x CVC", "bob")
    assert project.clash_tests.list_tests() == []
    with pytest.raises(NotFound):
        project.clash_tests.get_test("STR x CVC")
    assert len(project.clash_tests.runs("STR x CVC")) == 1


def test_clash_runs_are_listed_newest_first_with_their_clash_counts(project):
    first = project.clash_tests.save_run("STR x CVC", _clash_run("a", "b"), "alice")
    last = project.clash_tests.save_run("STR x CVC", _clash_run("a"), "bob")
    project.clash_tests.save_run("other", _clash_run(), "bob")
    runs = project.clash_tests.runs("STR x CVC")
    assert [(r.id, r.author, r.clash_count) for r in runs] == [(last, "bob", 1), (first, "alice", 2)]
    run_id, created_at, author, count = runs[0]
    assert created_at.tzinfo is not None
    assert project.clash_tests.latest_run("STR x CVC") == _clash_run("a")
    assert project.clash_tests.get_run(first) == _clash_run("a", "b")


def test_a_clash_test_that_never_ran_has_no_latest_run(project):
    assert project.clash_tests.latest_run("STR x CVC") is None
    assert project.clash_tests.runs("STR x CVC") == []


def test_coordinator_decisions_are_shared_changed_and_cleared(project, second_workstation):
    project.clash_tests.set_decision("STR x CVC", "a", "approved", "alice")
    project.clash_tests.set_decision("STR x CVC", "b", "ignored", "alice")
    project.clash_tests.set_decision("other", "a", "ignored", "alice")
    assert second_workstation.clash_tests.decisions("STR x CVC") == {"a": "approved", "b": "ignored"}
    project.clash_tests.set_decision("STR x CVC", "a", "ignored", "bob")
    project.clash_tests.set_decision("STR x CVC", "b", None, "bob")
    assert second_workstation.clash_tests.decisions("STR x CVC") == {"a": "ignored"}


def test_a_decision_other_than_approved_or_ignored_is_refused(project):
    with pytest.raises(InvalidValue, match="approved"):
        project.clash_tests.set_decision("STR x CVC", "a", "maybe", "alice")


def test_manual_groups_are_kept_apart_from_decisions(project):
    project.clash_tests.set_manual_group("STR x CVC", "a", "Gaine R+1", "alice")
    project.clash_tests.set_manual_group("STR x CVC", "b", "Gaine R+1", "alice")
    project.clash_tests.set_decision("STR x CVC", "a", "approved", "alice")
    project.clash_tests.set_manual_group("STR x CVC", "b", None, "alice")
    assert project.clash_tests.manual_groups("STR x CVC") == {"a": "Gaine R+1"}
    assert project.clash_tests.decisions("STR x CVC") == {"a": "approved"}


def test_a_teammate_notices_clash_decisions(project, second_workstation):
    token = second_workstation.changes_since(0).token
    project.clash_tests.set_decision("STR x CVC", "a", "approved", "alice")
    changes = second_workstation.changes_since(token)
    assert changes.clashes_changed and not changes.checks_changed


# -- take-off templates ----------------------------------------------------------------------


_TEMPLATE = {"name": "Walls by storey", "rows": [{"class": "IfcWall", "quantity": "NetSideArea"}]}


def test_a_takeoff_template_is_saved_listed_versioned_and_deleted(project, second_workstation):
    first = project.takeoff_templates.save("Walls by storey", _TEMPLATE, "alice")
    assert second_workstation.takeoff_templates.list() == [first]
    assert second_workstation.takeoff_templates.get("Walls by storey") == _TEMPLATE
    second = project.takeoff_templates.save("Walls by storey", {**_TEMPLATE, "rows": []}, "bob",
                                            expected_version=first.version)
    assert second.version == 2
    with pytest.raises(ConflictError):
        second_workstation.takeoff_templates.save("Walls by storey", _TEMPLATE, "alice", expected_version=1)
    project.takeoff_templates.delete("Walls by storey", "bob")
    assert project.takeoff_templates.list() == []


def test_templates_rule_sets_and_clash_tests_of_the_same_name_do_not_mix(project):
    project.takeoff_templates.save("shared", _TEMPLATE, "alice")
    project.rule_sets.save("shared", _rule_set(), "alice")
    project.clash_tests.save_test("shared", _TEST, "alice")
    assert project.takeoff_templates.get("shared") == _TEMPLATE
    assert project.clash_tests.get_test("shared") == _TEST


def test_a_teammate_notices_a_saved_template(project, second_workstation):
    token = second_workstation.changes_since(0).token
    project.takeoff_templates.save("Walls by storey", _TEMPLATE, "alice")
    changes = second_workstation.changes_since(token)
    assert changes.templates_changed and not changes.rule_sets_changed


def test_a_stored_document_is_a_copy_that_later_edits_of_the_callers_dict_do_not_change(project):
    template = {"rows": [1]}
    project.takeoff_templates.save("t", template, "alice")
    template["rows"].append(2)
    assert project.takeoff_templates.get("t") == {"rows": [1]}


# -- migration from revision 0003 ------------------------------------------------------------


def _project_at_revision_0003(location: str) -> None:
    """Build a project as revision 0003 left it, with an issue in it and a change counter at 7."""
    engine = engine_for(location)
    migrate.upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO project_state (id, project_id, name, created_at, change_seq, settings_seq, models_seq,"
            " next_issue_number) VALUES (1, 'p-1', 'Old', '2024-01-01 00:00:00', 7, 3, 0, 2)"))
        conn.execute(text(
            "INSERT INTO issues (guid, number, title, topic_type, status, reference_links, related_topics,"
            " header_files, creation_date, creation_author, linked_elements, origin, deleted, change_seq, version,"
            " comment_count, viewpoint_count) VALUES ('0b9cc7a6-63a4-4c0e-b5a1-9a7e1e6a2f11', 1, 'Réservation',"
            " 'Issue', 'Open', '[]', '[]', '[]', '2024-01-01 00:00:00', 'alice', '[]', 'manual', false, 7, 1, 0, 0)"))
    engine.dispose()


def _check_the_migrated_project(project) -> None:
    assert project.info().revision == migrate.head_revision()
    (row,) = project.issues.list_rows()
    assert row.title == "Réservation"
    changes = project.changes_since(0)
    assert changes.token == 7 and not (changes.checks_changed or changes.clashes_changed)
    project.check_runs.save_run(_check_run(), "alice")
    project.clash_tests.set_decision("STR x CVC", "a", "approved", "alice")
    changes = project.changes_since(7)
    assert changes.checks_changed and changes.clashes_changed and not changes.templates_changed
    assert project.clash_tests.decisions("STR x CVC") == {"a": "approved"}


def test_opening_a_sqlite_project_at_revision_0003_backs_it_up_and_adds_the_new_tables(tmp_path):
    path = tmp_path / "old.synthese"
    _project_at_revision_0003(str(path))
    with open_project(path) as project:
        assert project.backup_path is not None
        _check_the_migrated_project(project)
    with sqlite3.connect(project.backup_path) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)


def test_opening_a_postgresql_project_at_revision_0003_adds_the_new_tables(pg_database):
    from tests.project_db.conftest import pg_url

    name, engine, _seed = pg_database
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    _project_at_revision_0003(pg_url(name))
    with open_project(pg_url(name)) as project:
        _check_the_migrated_project(project)
