"""``synthese check|clash|takeoff --project P`` and ``--report OUT.bcf``, end to end on the demo models."""

from __future__ import annotations

import app
from checks.ruleset_payload import payload_from_ruleset
from checks.rulesets import bundled_rule_set
from checks.takeoff.template import TakeoffTemplate
from project_db import open_project
from project_db.bcf import TRADE_LABEL_PREFIX, import_bcf, read_bcf


def synthese(*argv) -> int:
    return app.main([str(a) for a in argv])


def models(demo_project) -> list[str]:
    return [str(p) for p in demo_project.paths.values()]


def test_a_check_run_is_stored_in_the_project_and_each_failing_element_becomes_a_bcf_topic(
        demo_project, project_location, tmp_path):
    report = tmp_path / "findings.bcf"
    assert synthese("check", *models(demo_project), "--ruleset", "model-quality-basics",
                    "--project", project_location, "--report", report, "--author", "ci", "-q") == 1
    with open_project(project_location) as project:
        [run] = project.check_runs.list_runs()
        assert (run.author, run.ruleset_key, run.status) == ("ci", "model-quality-basics", "fail")
        content, problems = read_bcf(report)
        assert problems == [] and len(content.topics) == run.summary["findings"] > 0
        for topic in content.topics:
            assert topic.issue.responsible_trade and topic.issue.title.count(": ") >= 1
            assert topic.viewpoints[0].viewpoint.selection[0].global_id == topic.issue.linked_elements[0].global_id
        assert import_bcf(project, report, "ci").created == len(content.topics)


def test_a_check_with_an_ids_file_is_stored_too(demo_project, project_location, tmp_path):
    from checks.rulesets import bundled_ruleset_path

    ids = bundled_ruleset_path("model-quality-basics").with_suffix("").with_suffix(".ids")
    synthese("check", *models(demo_project), "--ids", ids, "--project", project_location, "-q")
    with open_project(project_location) as project:
        assert len(project.check_runs.list_runs()) == 1


def test_a_rule_set_shared_in_the_project_is_found_by_its_key(demo_project, project_location):
    payload = payload_from_ruleset(bundled_rule_set("model-quality-basics"), key="team-rules", title="Team rules")
    with open_project(project_location) as project:
        project.rule_sets.save("team-rules", payload, "lead")
    assert synthese("check", *models(demo_project), "--ruleset", "team-rules", "--project", project_location,
                    "-q") == 1
    with open_project(project_location) as project:
        assert [r.ruleset_key for r in project.check_runs.list_runs()] == ["team-rules"]


def test_an_unknown_rule_set_names_the_project_it_was_looked_for_in(demo_project, project_location, capsys):
    assert synthese("check", *models(demo_project), "--ruleset", "nobodys-rules", "--project", project_location) == 2
    err = capsys.readouterr().err
    assert "nobodys-rules" in err and err.count("\n") == 1


def test_a_bcf_report_needs_no_project(demo_project, tmp_path):
    report = tmp_path / "findings.bcf"
    assert synthese("check", *models(demo_project), "--ruleset", "model-quality-basics", "--report", report,
                    "-q") == 1
    content, _problems = read_bcf(report)
    assert content.topics and all(f"{TRADE_LABEL_PREFIX}{t.issue.responsible_trade}" for t in content.topics)


def test_a_clash_run_stores_its_test_and_run_and_writes_one_topic_per_clash(demo_project, project_location, tmp_path):
    report = tmp_path / "clashes.bcf"
    cvc, structure = demo_project.paths["CVC"], demo_project.paths["STR"]
    assert synthese("clash", cvc, structure, "--name", "ducts vs beams", "--project", project_location,
                    "--report", report, "-q") == 1
    assert synthese("clash", cvc, structure, "--name", "ducts vs beams", "--project", project_location, "-q") == 1
    with open_project(project_location) as project:
        store = project.clash_tests
        assert [t.name for t in store.list_tests()] == ["ducts vs beams"]
        assert store.test_info("ducts vs beams").version == 1  # the same definition is not saved again
        runs = store.runs("ducts vs beams")
        assert len(runs) == 2 and runs[0].clash_count >= 1
        latest = store.latest_run("ducts vs beams")
    content, problems = read_bcf(report)
    assert problems == [] and len(content.topics) == len(latest["clashes"])
    for topic, clash in zip(content.topics, latest["clashes"]):
        viewpoint = topic.viewpoints[0].viewpoint
        assert {c.global_id for c in viewpoint.selection} == {clash["a"]["global_id"], clash["b"]["global_id"]}
        target = [p + d * 4.0 for p, d in zip(viewpoint.camera.position, viewpoint.camera.direction)]
        assert all(abs(t - c) < 1e-3 for t, c in zip(target, clash["point"]))


def test_ignored_clashes_do_not_count_and_approved_ones_are_reported_as_such(
        demo_project, project_location, tmp_path, capsys):
    cvc, structure = demo_project.paths["CVC"], demo_project.paths["STR"]
    argv = ("clash", cvc, structure, "--name", "ducts vs beams", "--project", project_location)
    assert synthese(*argv, "-q") == 1
    with open_project(project_location) as project:
        clash_ids = [c["id"] for c in project.clash_tests.latest_run("ducts vs beams")["clashes"]]
        for clash_id in clash_ids:
            project.clash_tests.set_decision("ducts vs beams", clash_id, "approved", "lead")
    capsys.readouterr()
    assert synthese(*argv) == 1
    assert "approved" in capsys.readouterr().out
    with open_project(project_location) as project:
        for clash_id in clash_ids:
            project.clash_tests.set_decision("ducts vs beams", clash_id, "ignored", "lead")
    report = tmp_path / "left.bcf"
    assert synthese(*argv, "--report", report) == 0
    assert "ignored" in capsys.readouterr().out
    assert read_bcf(report)[0].topics == ()


def test_a_takeoff_template_shared_in_the_project_is_used_by_its_name(demo_project, project_location, tmp_path):
    template = TakeoffTemplate().with_groupings([("storey",)]).to_dict()
    with open_project(project_location) as project:
        project.takeoff_templates.save("by storey", template, "lead")
    out = tmp_path / "quantities.json"
    assert synthese("takeoff", demo_project.paths["STR"], "-o", out, "--project", project_location,
                    "--template", "by storey", "-q") == 0
    assert out.stat().st_size > 0
    assert synthese("takeoff", demo_project.paths["STR"], "-o", out, "--project", project_location,
                    "--template", "structure", "-q") == 0


def test_an_unknown_template_names_the_project(demo_project, project_location, tmp_path, capsys):
    assert synthese("takeoff", demo_project.paths["STR"], "-o", tmp_path / "q.json", "--project", project_location,
                    "--template", "nothing") == 2
    err = capsys.readouterr().err
    assert "no template named 'nothing'" in err and err.count("\n") == 1


def test_a_missing_or_unreachable_project_exits_2_with_one_line_naming_the_database(
        demo_project, tmp_path, capsys):
    missing = tmp_path / "nowhere.synthese"
    unreachable = "postgresql://postgres@127.0.0.1:1/synthese_gone"
    structure = demo_project.paths["STR"]
    for argv in (("check", structure, "--ruleset", "model-quality-basics"), ("clash", structure),
                 ("takeoff", structure, "-o", tmp_path / "q.json")):
        for location, name in ((missing, "nowhere.synthese"), (unreachable, "synthese_gone")):
            assert synthese(*argv, "--project", location) == 2
            err = capsys.readouterr().err
            assert name in err and err.count("\n") == 1 and "Traceback" not in err
