"""Two workstations editing one issue: no save is ever lost silently."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from project_db.errors import ConflictError
from project_db.issues import merge
from project_db.records import Issue


def test_the_second_of_two_concurrent_saves_is_refused_with_both_versions(project, second_workstation):
    original = project.issues.create(Issue(title="Trémie trop petite"), "alice")
    mine = second_workstation.issues.get(original.id)
    project.issues.save(replace(original, status="In Progress"), "alice")
    with pytest.raises(ConflictError) as error:
        second_workstation.issues.save(replace(mine, priority="High"), "bob")
    conflict = error.value
    assert conflict.mine.priority == "High" and conflict.mine.version == 1
    assert conflict.theirs.status == "In Progress" and conflict.theirs.version == 2
    assert "alice" in str(conflict) and second_workstation.database in str(conflict)
    assert project.issues.get(original.id).priority is None  # nothing of the refused save landed


def test_after_a_conflict_merging_keeps_both_changes(project, second_workstation):
    base = project.issues.create(Issue(title="Trémie trop petite"), "alice")
    project.issues.save(replace(base, status="In Progress"), "alice")
    mine = replace(base, priority="High")
    with pytest.raises(ConflictError) as error:
        second_workstation.issues.save(mine, "bob")
    merged, conflicts = merge(base, mine, error.value.theirs)
    assert conflicts == ()
    saved = second_workstation.issues.save(merged, "bob")
    assert (saved.status, saved.priority, saved.version) == ("In Progress", "High", 3)


def test_merging_reports_the_fields_both_sides_changed():
    base = Issue(title="A", status="Open", version=1)
    mine = replace(base, title="B", status="Resolved")
    theirs = replace(base, title="C", version=2)
    merged, conflicts = merge(base, mine, theirs)
    assert conflicts == ("title",) and merged.title == "B" and merged.status == "Resolved"
    assert merged.version == 2


def test_two_workstations_saving_at_the_same_moment_lose_no_update(project, second_workstation):
    issue = project.issues.create(Issue(title="Course"), "alice")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(name, workstation, edited):
        barrier.wait()
        try:
            outcomes[name] = workstation.issues.save(edited, name)
        except ConflictError as error:
            outcomes[name] = error

    threads = [
        threading.Thread(target=save, args=("alice", project, replace(issue, status="Resolved"))),
        threading.Thread(target=save, args=("bob", second_workstation, replace(issue, priority="Low"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    saved = [o for o in outcomes.values() if isinstance(o, Issue)]
    refused = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    assert len(saved) == 1 and len(refused) == 1
    final = project.issues.get(issue.id)
    assert final.version == 2
    assert (final.status, final.priority) in {("Resolved", None), ("Open", "Low")}
    assert final == saved[0]


def test_a_comment_from_someone_else_does_not_block_an_edit(project, second_workstation):
    issue = project.issues.create(Issue(title="Fuite"), "alice")
    second_workstation.issues.add_comment(issue.id, "je regarde", "bob")
    saved = project.issues.save(replace(issue, status="In Progress"), "alice")
    assert saved.version == 2


def test_a_second_concurrent_comment_edit_is_refused(project, second_workstation):
    issue = project.issues.create(Issue(title="Fuite"), "alice")
    comment = project.issues.add_comment(issue.id, "v1", "alice")
    project.issues.edit_comment(replace(comment, text="v2 alice"), "alice")
    with pytest.raises(ConflictError) as error:
        second_workstation.issues.edit_comment(replace(comment, text="v2 bob"), "bob")
    assert error.value.theirs.text == "v2 alice"
