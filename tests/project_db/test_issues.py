"""Issues: create, read, edit with history, soft delete, comments, viewpoints, panel rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bim.viewpoint import Camera, ClippingPlane, Colouring, ComponentRef, Line, Viewpoint
from project_db.errors import InvalidValue, NotFound
from project_db.issues import DuplicateFingerprint
from project_db.records import (
    BimSnippet,
    DocumentReference,
    HeaderFile,
    Issue,
    IssueFilter,
    LinkedElement,
)

DUE = datetime(2025, 4, 1, 12, 0, tzinfo=timezone.utc)


def full_issue(**changes) -> Issue:
    """An issue with every field set."""
    issue = Issue(
        title="Gaine CVC en conflit avec la poutre P12",
        description="La gaine passe sous la poutre :\nprévoir une réservation.",
        topic_type="Clash", status="Open", priority="High", labels=("Openings", "Fire safety"), stage="EXE",
        assigned_to="bet.fluides@example.fr", due_date=DUE, reference_links=("https://example.fr/doc/12",),
        document_references=(DocumentReference("6f1c3c1e-1a7e-4d1c-9f57-2b64a3f1e001", url="https://x.fr/cctp.pdf",
                                               description="CCTP lot CVC"),),
        related_topics=("a0000000-0000-4000-8000-000000000001",), index=3, server_assigned_id="SRV-12",
        bim_snippet=BimSnippet("IfcWall", "snippet.ifc", "http://ifc", False, b"ISO-10303-21;"),
        header_files=(HeaderFile("CVC.ifc", DUE, "https://x.fr/CVC.ifc", "0YvctVUKr0kugbFTf53O9L", None, True),),
        responsible_trade="CVC", involved_trades=("STR", "ELE"), location_model="CVC.ifc",
        location_storey="R+1", location_space="Local technique",
        linked_elements=(LinkedElement("2O2Fr$t4X7Zf8NOew3FLOH", "CVC.ifc"), LinkedElement("1hOSvn6df7F8_7GcBWlRGQ",
                                                                                            "STR.ifc")),
        origin="clash", origin_detail="CVC × STR tolérance 20 mm", fingerprint="clash:CVC-STR:2O2Fr:1hOSv",
    )
    return replace(issue, **changes)


def a_viewpoint(snapshot: bytes | None = b"\x89PNG\r\n\x1a\n-snapshot-") -> Viewpoint:
    """A viewpoint using every feature."""
    return Viewpoint(
        camera=Camera((12.5, -3.25, 7.0), (0.0, 0.7071067811865476, -0.7071067811865476), (0.0, 0.0, 1.0),
                      perspective=False, field_of_view=50.0, view_to_world_scale=17.5, aspect_ratio=1.777),
        default_visibility=False,
        exceptions=(ComponentRef("2O2Fr$t4X7Zf8NOew3FLOH", "CVC.ifc"), ComponentRef("1hOSvn6df7F8_7GcBWlRGQ",
                                                                                    "STR.ifc", "Revit-123")),
        selection=(ComponentRef("2O2Fr$t4X7Zf8NOew3FLOH", "CVC.ifc"),),
        colourings=(Colouring("#FF0000", (ComponentRef("2O2Fr$t4X7Zf8NOew3FLOH", "CVC.ifc"),)),
                    Colouring("#8000FF00", (ComponentRef("1hOSvn6df7F8_7GcBWlRGQ"),))),
        clipping_planes=(ClippingPlane((0.0, 0.0, 3.2), (0.0, 0.0, 1.0)),),
        lines=(Line((0.0, 0.0, 0.0), (1.5, 2.5, 3.5)),),
        spaces_visible=True, openings_visible=True, snapshot_png=snapshot,
    )


def test_a_created_issue_reads_back_with_every_field(project):
    created = project.issues.create(full_issue(), "alice")
    assert (created.number, created.version, created.creation_author) == (1, 1, "alice")
    again = project.issues.get(created.id)
    assert again == created
    assert again.bim_snippet.data == b"ISO-10303-21;"


def test_issues_are_numbered_one_after_the_other(project):
    numbers = [project.issues.create(Issue(title=f"#{i}"), "alice").number for i in range(3)]
    assert numbers == [1, 2, 3]


def test_saving_an_edited_issue_records_who_changed_which_field_from_what_to_what(project):
    issue = project.issues.create(full_issue(), "alice")
    saved = project.issues.save(replace(issue, status="In Progress", labels=("Openings",)), "bob")
    assert (saved.version, saved.status, saved.modified_author) == (2, "In Progress", "bob")
    changes = [(h.author, h.field, h.old, h.new) for h in project.issues.history(issue.id)[1:]]
    assert changes == [("bob", "status", "Open", "In Progress"),
                       ("bob", "labels", ["Openings", "Fire safety"], ["Openings"])]


def test_saving_an_unchanged_issue_changes_nothing(project):
    issue = project.issues.create(Issue(title="Rien"), "alice")
    assert project.issues.save(issue, "bob") == issue
    assert len(project.issues.history(issue.id)) == 1


def test_values_the_project_does_not_know_are_refused(project):
    with pytest.raises(InvalidValue, match="status"):
        project.issues.create(Issue(title="x", status="Perdu"), "alice")
    with pytest.raises(InvalidValue, match="trade"):
        project.issues.create(Issue(title="x", responsible_trade="ZZZ"), "alice")
    with pytest.raises(InvalidValue, match="title"):
        project.issues.create(Issue(title="  "), "alice")


def test_a_fingerprint_is_filed_once_per_project(project):
    first = project.issues.create(Issue(title="clash", origin="clash", fingerprint="fp-1"), "checks")
    with pytest.raises(DuplicateFingerprint) as error:
        project.issues.create(Issue(title="same clash", origin="clash", fingerprint="fp-1"), "checks")
    assert error.value.existing_id == first.id
    assert project.issues.by_fingerprint("fp-1") == first


def test_deleting_an_issue_hides_it_keeps_it_and_records_it(project):
    issue = project.issues.create(Issue(title="Doublon"), "alice")
    deleted = project.issues.delete(issue, "bob")
    assert deleted.deleted and project.issues.list_rows() == []
    assert [r.id for r in project.issues.list_rows(IssueFilter(include_deleted=True))] == [issue.id]
    assert project.issues.history(issue.id)[-1].field == "deleted"
    restored = project.issues.restore(deleted, "bob")
    assert not restored.deleted and len(project.issues.list_rows()) == 1


def test_comments_are_added_edited_and_soft_deleted_with_history(project):
    issue = project.issues.create(Issue(title="Fuite"), "alice")
    comment = project.issues.add_comment(issue.id, "Vu en réunion de synthèse", "bob")
    edited = project.issues.edit_comment(replace(comment, text="Vu en réunion de synthèse n°4"), "bob")
    assert edited.version == 2 and edited.modified_author == "bob"
    project.issues.delete_comment(comment.id, "bob")
    detail = project.issues.detail(issue.id)
    assert detail.comments == ()
    assert [c.deleted for c in project.issues.detail(issue.id, include_deleted=True).comments] == [True]
    assert [h.field for h in detail.history] == ["created", "comment added", "comment text", "comment deleted"]


def test_commenting_does_not_bump_the_issue_version(project):
    issue = project.issues.create(Issue(title="Fuite"), "alice")
    project.issues.add_comment(issue.id, "ok", "bob")
    assert project.issues.get(issue.id).version == issue.version


def test_a_retried_comment_with_the_same_guid_is_stored_once(project):
    issue = project.issues.create(Issue(title="Fuite"), "alice")
    first = project.issues.add_comment(issue.id, "ok", "bob", guid="11111111-2222-4333-8444-555555555555")
    again = project.issues.add_comment(issue.id, "ok", "bob", guid="11111111-2222-4333-8444-555555555555")
    assert first == again and len(project.issues.detail(issue.id).comments) == 1


def test_a_viewpoint_is_stored_faithfully_with_its_snapshot(project):
    issue = project.issues.create(Issue(title="Vue"), "alice")
    viewpoint = a_viewpoint()
    stored = project.issues.add_viewpoint(issue.id, viewpoint, "alice")
    (again,) = project.issues.detail(issue.id).viewpoints
    assert again == stored
    assert again.viewpoint == viewpoint
    assert again.viewpoint.snapshot_png == viewpoint.snapshot_png and again.snapshot_format == "png"


def test_an_issue_holds_several_viewpoints_and_deleting_one_keeps_it_stored(project):
    issue = project.issues.create(Issue(title="Vue"), "alice")
    first = project.issues.add_viewpoint(issue.id, a_viewpoint(), "alice")
    project.issues.add_viewpoint(issue.id, a_viewpoint(snapshot=None), "alice")
    project.issues.delete_viewpoint(first.id, "alice")
    assert len(project.issues.detail(issue.id).viewpoints) == 1
    assert len(project.issues.detail(issue.id, include_deleted=True).viewpoints) == 2


def test_the_panel_rows_carry_counts_labels_and_the_closed_flag(project):
    issue = project.issues.create(full_issue(), "alice")
    project.issues.add_comment(issue.id, "a", "bob")
    project.issues.add_comment(issue.id, "b", "bob")
    project.issues.add_viewpoint(issue.id, a_viewpoint(), "bob")
    (row,) = project.issues.list_rows()
    assert (row.number, row.responsible_trade, row.comment_count, row.viewpoint_count) == (1, "CVC", 2, 1)
    assert row.labels == ("Openings", "Fire safety") and not row.is_closed
    assert row.is_overdue(DUE + timedelta(days=1)) and not row.is_overdue(DUE - timedelta(days=1))


def test_the_panel_filters_by_trade_status_label_text_and_overdue(project):
    cvc = project.issues.create(full_issue(), "alice")
    plb = project.issues.create(Issue(title="Siphon", responsible_trade="PLB", status="Closed",
                                      involved_trades=("CVC",), due_date=DUE), "alice")
    arc = project.issues.create(Issue(title="Porte coupe-feu", responsible_trade="ARC", labels=("Fire safety",),
                                      due_date=DUE + timedelta(days=30)), "alice")

    def ids(**criteria):
        return [r.id for r in project.issues.list_rows(IssueFilter(**criteria))]

    assert ids(trades=("CVC",)) == [cvc.id]
    assert ids(trades=("CVC",), include_involved=True) == [cvc.id, plb.id]
    assert ids(statuses=("Closed",)) == [plb.id]
    assert ids(open_only=True) == [cvc.id, arc.id]
    assert ids(labels=("Fire safety",)) == [cvc.id, arc.id]
    assert ids(text="coupe-FEU") == [arc.id]
    assert ids(text="#2") == [plb.id]
    assert ids(overdue_at=DUE + timedelta(days=1)) == [cvc.id]
    assert ids(assignees=("bet.fluides@example.fr",), priorities=("High",)) == [cvc.id]
    assert ids(ids=(arc.id, plb.id)) == [plb.id, arc.id]
    assert ids(ids=(arc.id, plb.id), open_only=True) == [arc.id]
    assert ids(ids=()) == []


def test_the_change_poll_names_the_issues_others_touched(project, second_workstation):
    a = project.issues.create(Issue(title="A"), "alice")
    b = project.issues.create(Issue(title="B"), "alice")
    token = project.changes_since(0).token
    assert project.changes_since(token).any is False
    second_workstation.issues.add_comment(b.id, "vu", "bob")
    changes = project.changes_since(token)
    assert changes.issue_ids == (b.id,) and changes.token > token
    second_workstation.issues.delete(second_workstation.issues.get(a.id), "bob")
    assert project.changes_since(changes.token).issue_ids == (a.id,)


def test_asking_for_a_missing_issue_says_so(project):
    with pytest.raises(NotFound):
        project.issues.get(999)


def test_an_issue_without_a_due_date_is_due_when_its_trades_contract_says(project):
    cvc = project.settings.trade("CVC")
    delay = cvc.delay_for("High")
    assert delay is not None, "the default trades carry contractual delays per priority"
    late = project.issues.create(Issue(title="Gaine sans date", responsible_trade="CVC", priority="High"), "alice")
    dated = project.issues.create(Issue(title="Gaine datée", responsible_trade="CVC", priority="High",
                                        due_date=DUE + timedelta(days=3650)), "alice")
    rows = {r.id: r for r in project.issues.list_rows(IssueFilter())}
    assert rows[late.id].contractual_due == late.creation_date + timedelta(days=delay.resolution_days)
    assert rows[late.id].effective_due == rows[late.id].contractual_due
    assert rows[dated.id].effective_due == dated.due_date
    after = late.creation_date + timedelta(days=delay.resolution_days, hours=1)
    assert rows[late.id].is_overdue(after) and not rows[dated.id].is_overdue(after)
    assert [r.id for r in project.issues.list_rows(IssueFilter(overdue_at=after))] == [late.id]
