"""Coordination meetings: agenda from a filter, recorded decisions on the issues, header, minutes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from project_db.errors import ConflictError, InvalidValue, NotFound
from project_db.meetings import MeetingClosed, NotOnAgenda, agenda_issue_ids
from project_db.records import Issue, IssueFilter, Meeting, MeetingItem

HELD = datetime(2025, 3, 10, 9, 30, tzinfo=timezone.utc)
DUE = datetime(2025, 4, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def issues(project) -> dict[str, Issue]:
    """Six issues of several trades, priorities and due dates; one is closed."""
    drafts = {
        "gaine": Issue("Gaine CVC sous poutre", responsible_trade="CVC", priority="High",
                       due_date=DUE + timedelta(days=10)),
        "dalle": Issue("Réservation dalle R+1", responsible_trade="STR", priority="Critical"),
        "cables": Issue("Chemin de câbles", responsible_trade="ELE", priority="Normal",
                        due_date=DUE + timedelta(days=2)),
        "porte": Issue("Porte coupe-feu", responsible_trade="ARC", priority="Low", status="In Progress",
                       due_date=DUE + timedelta(days=5)),
        "fermé": Issue("Déjà réglé", responsible_trade="CVC", priority="Critical", status="Closed"),
        "voile": Issue("Voile épaisseur", responsible_trade="STR", priority="Low", due_date=DUE + timedelta(days=1),
                       assigned_to="bet.structure@example.fr"),
    }
    return {key: project.issues.create(draft, "alice") for key, draft in drafts.items()}


def a_meeting(project, issues, keys=("gaine", "dalle", "porte"), **changes) -> Meeting:
    """A stored meeting whose agenda holds ``keys`` in this order."""
    meeting = Meeting(title="Synthèse hebdo", held_at=HELD, attendees=("alice", "Bob (CVC)"), location="Salle 2",
                      agenda_filter={"statuses": ["Open"], "order": "trade"},
                      items=tuple(MeetingItem(issues[k].id, position) for position, k in enumerate(keys)))
    return project.meetings.create(replace(meeting, **changes), "alice")


# -- agenda ------------------------------------------------------------------------------------


@pytest.mark.parametrize("order, expected", [
    ("trade", ["porte", "dalle", "voile", "gaine", "cables"]),  # ARC, STR (Critical, Low), CVC, ELE
    ("priority", ["dalle", "gaine", "cables", "porte", "voile"]),
    ("due", ["voile", "cables", "porte", "gaine", "dalle"]),  # undated last
    ("number", ["gaine", "dalle", "cables", "porte", "voile"]),
])
def test_a_meeting_created_from_a_filtered_agenda_lists_its_issues_in_the_chosen_order(project, issues, order,
                                                                                       expected):
    names = {issue.id: key for key, issue in issues.items()}
    ids = agenda_issue_ids(project, IssueFilter(open_only=True), order)
    assert [names[i] for i in ids] == expected

    meeting = project.meetings.create(
        Meeting(title="Réunion", held_at=HELD, items=tuple(MeetingItem(i, n) for n, i in enumerate(ids))), "alice")
    stored = project.meetings.get(meeting.id)
    assert [names[item.issue_id] for item in stored.items] == expected
    assert [item.position for item in stored.items] == [1, 2, 3, 4, 5]
    first = issues[expected[0]]
    assert (stored.items[0].issue_number, stored.items[0].issue_title, stored.items[0].trade,
            stored.items[0].status_before, stored.items[0].discussed) == (
        first.number, first.title, first.responsible_trade, first.status, False)


def test_an_agenda_keeps_only_the_issues_the_filter_matches(project, issues):
    ids = agenda_issue_ids(project, IssueFilter(trades=("STR", "CVC"), open_only=True), "priority")
    assert ids == [issues["dalle"].id, issues["gaine"].id, issues["voile"].id]


def test_an_unknown_agenda_order_is_refused(project, issues):
    with pytest.raises(InvalidValue, match="alphabetical"):
        agenda_issue_ids(project, IssueFilter(), "alphabetical")


def test_meetings_are_numbered_in_turn_and_listed_most_recently_held_first(project, issues):
    first = a_meeting(project, issues)
    second = a_meeting(project, issues, title="Point façades", held_at=HELD + timedelta(days=7))
    assert (first.number, second.number) == (1, 2)
    listed = project.meetings.list()
    assert [(m.number, m.title, m.items) for m in listed] == [(2, "Point façades", ()), (1, "Synthèse hebdo", ())]
    stored = project.meetings.get(first.id)
    assert (stored.held_at, stored.attendees, stored.location, stored.state, stored.created_by) == (
        HELD, ("alice", "Bob (CVC)"), "Salle 2", "planned", "alice")
    assert stored.agenda_filter == {"statuses": ["Open"], "order": "trade"}


def test_a_meeting_is_found_by_the_number_people_call_it_by(project, issues):
    first = a_meeting(project, issues)
    second = a_meeting(project, issues, keys=("dalle",), title="Synthèse structure")
    assert project.meetings.by_number(second.number).id == second.id != first.id
    assert [i.issue_id for i in project.meetings.by_number(second.number).items] == [issues["dalle"].id]
    with pytest.raises(NotFound):
        project.meetings.by_number(99)


def test_creating_the_same_meeting_again_after_a_failed_call_returns_the_stored_one(project, issues):
    meeting = a_meeting(project, issues)
    again = project.meetings.create(replace(meeting, id=None, number=None), "alice")
    assert (again.id, again.number) == (meeting.id, 1)
    assert len(project.meetings.list()) == 1


def test_a_meeting_on_an_unknown_issue_is_not_created(project, issues):
    with pytest.raises(NotFound, match="999"):
        project.meetings.create(Meeting(title="R", held_at=HELD, items=(MeetingItem(999, 0),)), "alice")
    assert project.meetings.list() == []


def test_an_unknown_meeting_is_not_found(project):
    with pytest.raises(NotFound, match="meeting"):
        project.meetings.get(42)


def test_changing_the_agenda_reorders_it_and_keeps_what_was_recorded(project, issues):
    meeting = a_meeting(project, issues)
    project.meetings.record(meeting.id, issues["dalle"].id, "alice", decision="Réservation à créer")
    changed = project.meetings.set_agenda(meeting.id, [issues["cables"].id, issues["dalle"].id], "bob")
    assert [(i.issue_id, i.position) for i in changed.items] == [(issues["cables"].id, 1), (issues["dalle"].id, 2)]
    kept = changed.items[1]
    assert (kept.discussed, kept.decision, kept.discussed_by) == (True, "Réservation à créer", "alice")
    (entry,) = [h for h in project.meetings.history(meeting.id) if h.field == "agenda"]
    assert (entry.author, entry.old, entry.new) == (
        "bob", [issues[k].id for k in ("gaine", "dalle", "porte")], [issues["cables"].id, issues["dalle"].id])


# -- recording decisions -------------------------------------------------------------------------


def test_recording_a_decision_changes_the_issue_with_its_history_comment_and_the_item(project, issues):
    meeting = a_meeting(project, issues)
    gaine = issues["gaine"]
    new_due = DUE + timedelta(days=21)
    item, issue = project.meetings.record(
        meeting.id, gaine.id, "coordinator", decision="Dévoyer la gaine sous la poutre", action="Plan révisé",
        comment="Voir coupe AA", status="In Progress", assigned_to="bet.fluides@example.fr", due_date=new_due)

    assert (issue.status, issue.assigned_to, issue.due_date, issue.version) == (
        "In Progress", "bet.fluides@example.fr", new_due, gaine.version + 1)
    assert project.issues.get(gaine.id) == issue

    detail = project.issues.detail(gaine.id)
    changes = {h.field: (h.old, h.new, h.author, h.entity) for h in detail.history if h.field != "created"}
    assert changes["status"] == ("Open", "In Progress", "coordinator", "issue")
    assert changes["assigned_to"] == (None, "bet.fluides@example.fr", "coordinator", "issue")
    assert changes["due_date"] == ((DUE + timedelta(days=10)).isoformat(), new_due.isoformat(), "coordinator", "issue")
    old, new, author, _entity = changes["meeting"]
    assert old is None and author == "coordinator"
    assert (new["number"], new["title"], new["decision"], new["action"]) == (
        1, "Synthèse hebdo", "Dévoyer la gaine sous la poutre", "Plan révisé")

    (thread,) = detail.comments
    assert thread.author == "coordinator"
    assert "#1" in thread.text and "Synthèse hebdo" in thread.text
    assert "Dévoyer la gaine sous la poutre" in thread.text and "Voir coupe AA" in thread.text
    assert project.issues.list_rows(IssueFilter(ids=(gaine.id,)))[0].comment_count == 1

    assert (item.discussed, item.decision, item.action, item.comment, item.discussed_by) == (
        True, "Dévoyer la gaine sous la poutre", "Plan révisé", "Voir coupe AA", "coordinator")
    assert (item.status_before, item.status_after, item.assignee_before, item.owner, item.due_date) == (
        "Open", "In Progress", None, "bet.fluides@example.fr", new_due)
    assert item.discussed_at is not None and item.discussed_at.tzinfo is not None
    assert project.meetings.get(meeting.id).items[0] == item


def test_recording_only_a_decision_leaves_the_issue_fields_alone(project, issues):
    meeting = a_meeting(project, issues)
    gaine = issues["gaine"]
    item, issue = project.meetings.record(meeting.id, gaine.id, "alice", decision="À revoir la semaine prochaine")
    assert (issue.status, issue.assigned_to, issue.due_date, issue.version) == (
        gaine.status, gaine.assigned_to, gaine.due_date, gaine.version)
    assert (item.status_before, item.status_after) == ("Open", "Open")
    assert [h.field for h in project.issues.history(gaine.id)] == ["created", "comment added", "meeting"]


def test_recording_can_clear_a_due_date_so_the_contractual_delay_applies_again(project, issues):
    meeting = a_meeting(project, issues)
    gaine = issues["gaine"]
    item, issue = project.meetings.record(meeting.id, gaine.id, "alice", decision="Date à refixer",
                                          clear_due_date=True)
    assert issue.due_date is None and item.due_date is None
    due_entries = [h for h in project.issues.history(gaine.id) if h.field == "due_date"]
    assert len(due_entries) == 1 and due_entries[0].new is None


def test_recording_again_updates_the_item_without_repeating_the_comment(project, issues):
    meeting = a_meeting(project, issues)
    dalle = issues["dalle"]
    project.meetings.record(meeting.id, dalle.id, "alice", decision="Réservation à créer")
    item, issue = project.meetings.record(meeting.id, dalle.id, "alice", status="Resolved")
    assert (item.decision, item.status_before, item.status_after, issue.status) == (
        "Réservation à créer", "Open", "Resolved", "Resolved")
    assert len(project.issues.detail(dalle.id).comments) == 1

    item, _issue = project.meetings.record(meeting.id, dalle.id, "bob", decision="Réservation refusée")
    comments = project.issues.detail(dalle.id).comments
    assert [("refusée" in c.text) for c in comments] == [False, True]
    entries = [h for h in project.issues.history(dalle.id) if h.field == "meeting"]
    assert [e.new["decision"] for e in entries] == ["Réservation à créer", "Réservation à créer",
                                                    "Réservation refusée"]
    assert entries[-1].old["decision"] == "Réservation à créer"
    assert (item.decision, item.status_before, item.discussed_by) == ("Réservation refusée", "Open", "bob")


def test_recording_for_an_issue_not_on_the_agenda_is_refused_and_changes_nothing(project, issues):
    meeting = a_meeting(project, issues)
    cables = issues["cables"]
    with pytest.raises(NotOnAgenda, match=f"#{cables.number}") as error:
        project.meetings.record(meeting.id, cables.id, "alice", decision="x", status="Closed")
    assert isinstance(error.value, InvalidValue)
    assert project.issues.get(cables.id) == cables
    assert project.issues.detail(cables.id).comments == ()


def test_an_unknown_status_is_refused_and_nothing_is_recorded(project, issues):
    meeting = a_meeting(project, issues)
    gaine = issues["gaine"]
    with pytest.raises(InvalidValue, match="Done"):
        project.meetings.record(meeting.id, gaine.id, "alice", decision="Fini", status="Done")
    assert project.issues.get(gaine.id) == gaine
    detail = project.issues.detail(gaine.id)
    assert detail.comments == () and [h.field for h in detail.history] == ["created"]
    assert project.meetings.get(meeting.id).items[0].discussed is False


def test_recording_for_an_unknown_meeting_or_issue_is_not_found(project, issues):
    meeting = a_meeting(project, issues)
    with pytest.raises(NotFound, match="meeting"):
        project.meetings.record(999, issues["gaine"].id, "alice", decision="x")
    with pytest.raises(NotFound, match="issue"):
        project.meetings.record(meeting.id, 999, "alice", decision="x")


def test_a_meeting_runs_then_closes_and_a_closed_meeting_takes_no_more_decisions(project, issues):
    meeting = a_meeting(project, issues)
    assert project.meetings.start(meeting.id, "alice").state == "running"
    closed = project.meetings.close(meeting.id, "alice")
    assert closed.state == "closed" and closed.closed_at is not None
    with pytest.raises(MeetingClosed):
        project.meetings.record(meeting.id, issues["gaine"].id, "alice", decision="trop tard")
    reopened = project.meetings.start(meeting.id, "bob")
    assert (reopened.state, reopened.closed_at) == ("running", None)
    assert [h.field for h in project.meetings.history(meeting.id)] == ["created", "started", "closed", "reopened"]


# -- header --------------------------------------------------------------------------------------


def test_saving_the_header_records_each_changed_field(project, issues):
    meeting = a_meeting(project, issues)
    saved = project.meetings.save_header(
        replace(meeting, title="Synthèse n°1", attendees=("alice", "Chloé (ELE)"), notes="Compte rendu à diffuser"),
        "bob")
    assert (saved.title, saved.attendees, saved.notes, saved.version, saved.updated_by) == (
        "Synthèse n°1", ("alice", "Chloé (ELE)"), "Compte rendu à diffuser", meeting.version + 1, "bob")
    assert len(saved.items) == 3
    entries = {h.field: (h.old, h.new, h.author) for h in project.meetings.history(meeting.id)}
    assert entries["title"] == ("Synthèse hebdo", "Synthèse n°1", "bob")
    assert entries["attendees"] == (["alice", "Bob (CVC)"], ["alice", "Chloé (ELE)"], "bob")


def test_a_header_saved_meanwhile_by_someone_else_is_a_conflict(project, second_workstation, issues):
    meeting = a_meeting(project, issues)
    theirs = second_workstation.meetings.save_header(replace(meeting, location="Salle 5"), "bob")
    with pytest.raises(ConflictError) as error:
        project.meetings.save_header(replace(meeting, title="Autre titre"), "alice")
    assert error.value.theirs.location == "Salle 5" and "bob" in str(error.value)
    assert project.meetings.get(meeting.id).title == "Synthèse hebdo"
    # a retried save that had already gone through is no conflict
    assert second_workstation.meetings.save_header(replace(meeting, location="Salle 5"), "bob") == theirs


def test_recording_decisions_does_not_make_a_header_edit_conflict(project, issues):
    meeting = a_meeting(project, issues)
    project.meetings.record(meeting.id, issues["gaine"].id, "alice", decision="ok")
    project.meetings.start(meeting.id, "alice")
    assert project.meetings.save_header(replace(meeting, location="Salle 3"), "alice").location == "Salle 3"


# -- other workstations and minutes --------------------------------------------------------------


def test_a_second_workstation_notices_meetings_and_the_issues_they_changed(project, second_workstation, issues):
    token = second_workstation.changes_since(0).token
    meeting = a_meeting(project, issues)
    changes = second_workstation.changes_since(token)
    assert changes.meetings_changed and not (changes.issue_ids or changes.settings_changed or changes.clashes_changed)

    project.meetings.record(meeting.id, issues["gaine"].id, "alice", decision="ok")
    later = second_workstation.changes_since(changes.token)
    assert later.meetings_changed and later.issue_ids == (issues["gaine"].id,)

    project.meetings.store_minutes(meeting.id, "pdf", b"%PDF-1.7", "alice")
    assert second_workstation.changes_since(later.token).meetings_changed
    assert second_workstation.meetings.get(meeting.id).items[0].decision == "ok"


def test_minutes_are_stored_and_read_back_keeping_the_latest_per_format(project, issues):
    meeting = a_meeting(project, issues)
    project.meetings.store_minutes(meeting.id, "pdf", b"%PDF-1.7 first", "alice")
    project.meetings.store_minutes(meeting.id, "html", b"<html>compte rendu</html>", "alice")
    latest = project.meetings.store_minutes(meeting.id, "pdf", b"%PDF-1.7 second, regenerated", "bob")
    assert (latest.format, latest.generated_by, latest.size) == ("pdf", "bob", len(b"%PDF-1.7 second, regenerated"))
    assert [(m.format, m.generated_by) for m in project.meetings.minutes(meeting.id)] == [
        ("pdf", "bob"), ("html", "alice")]
    assert project.meetings.minutes_data(meeting.id, "pdf") == b"%PDF-1.7 second, regenerated"
    assert project.meetings.minutes_data(meeting.id, "html") == b"<html>compte rendu</html>"
    with pytest.raises(NotFound):
        project.meetings.minutes_data(meeting.id, "xlsx")
    assert [h.field for h in project.meetings.history(meeting.id)].count("minutes") == 3


def test_minutes_in_an_unknown_format_are_refused(project, issues):
    meeting = a_meeting(project, issues)
    with pytest.raises(InvalidValue, match="docx"):
        project.meetings.store_minutes(meeting.id, "docx", b"x", "alice")
    assert project.meetings.minutes(meeting.id) == []
