"""BCF 2.1 and 3.0: import every feature, export valid files, and lose nothing on the way back."""

from __future__ import annotations

import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from project_db.bcf import export_bcf, import_bcf, read_bcf
from project_db.records import VOCABULARY_KINDS, DocumentReference, Issue, IssueFilter
from tests.project_db import bcf_samples as samples
from tests.project_db.bcf_checks import schema_errors
from tests.project_db.test_issues import a_viewpoint, full_issue

VERSIONS = ("2.1", "3.0")


def snapshot(project) -> dict:
    """Everything a project holds that BCF carries, without database ids and import times."""
    issues = []
    for issue in project.issues.get_many():
        detail = project.issues.detail(issue.id)
        issues.append({
            "issue": replace(issue, id=None, change_seq=0, version=0),  # local counters
            "comments": [replace(c, id=0, issue_id=0) for c in detail.comments],
            "viewpoints": [(replace(v, id=0, issue_id=0, created_at=None, created_by=None), v.viewpoint.snapshot_png)
                           for v in detail.viewpoints],
            "documents": [project.issues.document(r.document_guid) for r in issue.document_references
                          if r.document_guid],
        })
    settings = {kind: sorted(v.code for v in project.settings.vocabulary(kind, include_inactive=True))
                for kind in VOCABULARY_KINDS}
    settings["trades"] = sorted(t.code for t in project.settings.trades(include_inactive=True))
    settings["users"] = sorted(u.bcf_id for u in project.settings.users(include_inactive=True))
    return {"issues": issues, "settings": settings}


@pytest.mark.parametrize("version", VERSIONS)
def test_the_hand_written_sample_files_are_valid_bcf(version, tmp_path):
    path = samples.SAMPLES[version](tmp_path / f"sample-{version}.bcf")
    assert schema_errors(path, version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_importing_a_file_from_another_tool_brings_in_every_field(project, version, tmp_path):
    path = samples.SAMPLES[version](tmp_path / "in.bcf")
    report = import_bcf(project, path, "coordinateur")
    assert (report.version, report.created, report.comments_added, report.viewpoints_added) == (version, 2, 3, 2)
    assert report.problems == ()
    a = project.issues.by_guid(samples.TOPIC_A)
    b = project.issues.by_guid(samples.TOPIC_B.lower())
    assert a.responsible_trade == ("PLB" if version == "2.1" else "CVC")
    assert "Trade: PLB" not in a.labels and "Trade: CVC" not in a.labels
    assert a.index == 17 and a.assigned_to == "jean@bet-fluides.fr" and a.stage == "EXE"
    assert a.creation_date.isoformat() == ("2024-11-05T09:00:00.123000+00:00" if version == "2.1"
                                           else "2024-11-05T09:00:00.123456+00:00")
    assert a.related_topics == (b.guid,)
    assert a.header_files[0].ifc_project == "0YvctVUKr0kugbFTf53O9L"
    internal, external = a.document_references
    assert internal.document_guid == samples.DOC_GUID and external.url.startswith("https://x.fr/dtu")
    assert project.issues.document(samples.DOC_GUID).data
    detail = project.issues.detail(a.id)
    assert [c.viewpoint_guid for c in detail.comments][0] == samples.VP_1
    vp1, vp2 = detail.viewpoints
    assert vp1.viewpoint.snapshot_png == samples.PNG and vp1.bitmaps[0].data == samples.BITMAP
    assert [c.color for c in vp1.viewpoint.colourings] == ["#FF0000", "#8000FF00"]
    assert dict(vp1.originating_systems)[samples.GID_DUCT] == "Revit"
    assert vp1.viewpoint.selection[0].authoring_tool_id == "4711"
    assert not vp1.viewpoint.default_visibility and len(vp1.viewpoint.exceptions) == 2
    assert len(vp1.viewpoint.clipping_planes) >= 1 and len(vp1.viewpoint.lines) == 1
    assert vp2.viewpoint.camera.perspective is False and vp2.viewpoint.camera.view_to_world_scale == 42.0
    assert b.status == "Closed" and len(project.issues.detail(b.id).comments) == 1
    statuses = [s.code for s in project.settings.statuses()]
    assert ("Active" if version == "2.1" else "Reopened") in statuses


@pytest.mark.parametrize("version", VERSIONS)
def test_import_then_export_then_import_loses_nothing(project, fresh_project, version, tmp_path):
    first = fresh_project()
    import_bcf(first, samples.SAMPLES[version](tmp_path / "in.bcf"), "coordinateur")
    before = snapshot(first)
    out = tmp_path / "out.bcf"
    report = export_bcf(first, out, version=version)
    assert report.topics == 2 and report.problems == ()
    assert schema_errors(out, version) == []
    second = fresh_project()
    import_bcf(second, out, "coordinateur")
    assert snapshot(second) == before


@pytest.mark.parametrize("version", VERSIONS)
def test_a_project_exported_and_reimported_into_synthese_keeps_every_field(project, fresh_project, version, tmp_path):
    document = project.issues.store_document("Note CVC.txt", "Débit 1200 m³/h".encode(), "alice", "Note de calcul")
    issue = project.issues.create(full_issue(document_references=(
        DocumentReference("6f1c3c1e-1a7e-4d1c-9f57-2b64a3f1e001", document_guid=document.guid, description="note"),
        DocumentReference("6f1c3c1e-1a7e-4d1c-9f57-2b64a3f1e002", url="https://x.fr/cctp.pdf"),
    )), "alice")
    issue = project.issues.save(replace(issue, status="In Progress"), "bob")
    vp = project.issues.add_viewpoint(issue.id, a_viewpoint(), "alice")
    project.issues.add_viewpoint(issue.id, replace(a_viewpoint(snapshot=None), camera=replace(
        a_viewpoint().camera, perspective=True, field_of_view=38.0)), "alice")
    project.issues.add_comment(issue.id, "Vu", "carol", viewpoint_guid=vp.guid)
    project.issues.create(Issue(title="Sans rien"), "alice")
    before = snapshot(project)
    out = tmp_path / "out.bcf"
    export_bcf(project, out, version=version)
    assert schema_errors(out, version) == []
    again = fresh_project()
    import_bcf(again, out, "alice")
    after = snapshot(again)
    assert after["issues"] == before["issues"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_trade_travels_as_a_label_and_comes_back_as_the_trade(project, fresh_project, version, tmp_path):
    project.issues.create(Issue(title="Gaine", responsible_trade="CVC", labels=("Openings",)), "alice")
    out = tmp_path / "out.bcf"
    export_bcf(project, out, version=version)
    with zipfile.ZipFile(out) as archive:
        markup = next(n for n in archive.namelist() if n.endswith("markup.bcf"))
        labels = [e.text for e in etree.fromstring(archive.read(markup)).iter("Labels", "Label") if e.text]
        assert "Trade: CVC" in labels and "Openings" in labels
        # what another tool would send back: the same topics, without Synthese's sidecar
        stripped = tmp_path / "other-tool.bcf"
        with zipfile.ZipFile(stripped, "w") as copy:
            for name in archive.namelist():
                if not name.endswith("synthese.json"):
                    copy.writestr(name, archive.read(name))
    other = fresh_project()
    import_bcf(other, stripped, "alice")
    (row,) = other.issues.list_rows()
    assert row.responsible_trade == "CVC" and row.labels == ("Openings",)


@pytest.mark.parametrize("version", VERSIONS)
def test_reimporting_the_same_file_changes_nothing(project, version, tmp_path):
    path = samples.SAMPLES[version](tmp_path / "in.bcf")
    import_bcf(project, path, "alice")
    history_before = [len(project.issues.history(r.id)) for r in project.issues.list_rows()]
    report = import_bcf(project, path, "alice")
    assert (report.created, report.updated, report.unchanged, report.comments_added) == (0, 0, 2, 0)
    assert [len(project.issues.history(r.id)) for r in project.issues.list_rows()] == history_before


def test_reimporting_an_edited_file_updates_the_issue_with_history(project, tmp_path):
    import_bcf(project, samples.bcf_30(tmp_path / "v1.bcf"), "alice")
    content = zipfile.ZipFile(tmp_path / "v1.bcf").read(f"{samples.TOPIC_A}/markup.bcf").decode()
    edited = content.replace("TopicStatus=\"Open\"", "TopicStatus=\"Closed\"")
    report = import_bcf(project, samples.bcf_30(tmp_path / "v2.bcf", {f"{samples.TOPIC_A}/markup.bcf": edited}),
                        "bob")
    assert (report.updated, report.unchanged) == (1, 1)
    issue = project.issues.by_guid(samples.TOPIC_A)
    assert issue.status == "Closed"
    last = project.issues.history(issue.id)[-1]
    assert (last.author, last.field, last.old, last.new) == ("bob", "status", "Open", "Closed")


def test_an_export_for_one_trade_holds_only_that_trades_issues(project, tmp_path):
    project.issues.create(Issue(title="CVC", responsible_trade="CVC"), "alice")
    project.issues.create(Issue(title="PLB", responsible_trade="PLB", involved_trades=("CVC",)), "alice")
    assert export_bcf(project, tmp_path / "cvc.bcf", trade="CVC").topics == 1
    assert export_bcf(project, tmp_path / "all.bcf", trade="CVC", include_involved=True).topics == 2
    content, problems = read_bcf(tmp_path / "cvc.bcf")
    assert [t.issue.title for t in content.topics] == ["CVC"] and problems == []


def test_exported_viewpoints_stay_slim(project, tmp_path):
    issue = project.issues.create(Issue(title="Vue"), "alice")
    project.issues.add_viewpoint(issue.id, a_viewpoint(), "alice")
    export_bcf(project, tmp_path / "out.bcf")
    with zipfile.ZipFile(tmp_path / "out.bcf") as archive:
        name = next(n for n in archive.namelist() if n.endswith(".bcfv"))
        root = etree.fromstring(archive.read(name))
    visibility = root.find("Components/Visibility")
    assert visibility.get("DefaultVisibility") == "false"
    assert len(visibility.findall("Exceptions/Component")) == 2  # the exceptions only, not every GlobalId


def test_a_broken_topic_is_reported_and_the_others_come_in(project, tmp_path):
    broken = "9b9b9b9b-0000-4000-8000-000000000000"
    path = samples.bcf_30(tmp_path / "in.bcf", {f"{broken}/markup.bcf": b"this is not XML <"})
    report = import_bcf(project, path, "alice")
    assert report.created == 2 and report.skipped_topics == 1
    (problem,) = [p for p in report.problems if p.skipped == "topic"]
    assert problem.entry == f"{broken}/markup.bcf" and "XML" in problem.reason


def test_a_broken_viewpoint_is_reported_and_its_topic_comes_in(project, tmp_path):
    path = samples.bcf_30(tmp_path / "in.bcf", {f"{samples.TOPIC_A}/{samples.VP_2}.bcfv": b"<VisualizationInfo"})
    report = import_bcf(project, path, "alice")
    assert report.created == 2 and report.viewpoints_added == 1
    assert [p.skipped for p in report.problems] == ["viewpoint"]


def test_an_exported_file_is_written_whole_or_not_at_all(project, tmp_path, monkeypatch):
    project.issues.create(Issue(title="x"), "alice")
    from project_db.bcf import writer

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.markup, "build", failing)
    with pytest.raises(RuntimeError):
        export_bcf(project, tmp_path / "out.bcf")
    assert list(tmp_path.iterdir()) == []


def test_a_topic_with_no_title_or_date_still_comes_in_and_is_reported(project, tmp_path):
    topic = "8c8c8c8c-0000-4000-8000-000000000000"
    markup = f'<Markup><Topic Guid="{topic}" TopicType="Issue" TopicStatus="Open"/></Markup>'
    report = import_bcf(project, samples.bcf_30(tmp_path / "in.bcf", {f"{topic}/markup.bcf": markup}), "alice")
    assert report.created == 3 and len([p for p in report.problems if p.entry.startswith(topic)]) == 2
    assert project.issues.list_rows(IssueFilter(text=topic))[0].title == topic
