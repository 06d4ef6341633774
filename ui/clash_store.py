"""What the clash panel reads from and writes to the project, as plain functions of a project.

Each function runs on the database threads (through ``ProjectSession.run``) and
turns the repository's JSON documents into the clash engine's frozen objects, so
the panel only ever sees :class:`ClashTest`, :class:`ClashRun` and dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.clash import ClashDefinitionError, ClashRun, ClashTest


@dataclass(frozen=True)
class StoredTest:
    """A clash test shared in the project, and the version to expect when saving it again."""

    test: ClashTest
    version: int
    updated_by: str = ""


@dataclass(frozen=True)
class TestState:
    """What the panel shows for a test: its current run, the run before it, and the coordinators' marks."""

    current: ClashRun | None = None
    previous: ClashRun | None = None
    decisions: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)


def load_tests(project) -> tuple[list[StoredTest], list[str]]:
    """Every shared test, by name; and the names of stored tests this version cannot read."""
    tests, unreadable = [], []
    for info in project.clash_tests.list_tests():
        try:
            tests.append(StoredTest(ClashTest.from_dict(project.clash_tests.get_test(info.name)), info.version,
                                    info.updated_by))
        except ClashDefinitionError:
            unreadable.append(info.name)
    return tests, unreadable


def save_test(project, test: ClashTest, author: str, expected_version: int | None,
              replaces: str | None = None) -> None:
    """Save ``test``; when it was renamed from ``replaces``, the old name is deleted."""
    repository = project.clash_tests
    repository.save_test(test.name, test.to_dict(), author, expected_version if replaces in (None, test.name) else 0)
    if replaces and replaces != test.name:
        repository.delete_test(replaces, author)


def delete_test(project, name: str, author: str, version: int) -> None:
    """Delete a shared test (its runs and marks are kept, should it come back)."""
    project.clash_tests.delete_test(name, author, version)


def _run(document: dict | None) -> ClashRun | None:
    if document is None:
        return None
    try:
        return ClashRun.from_dict(document)
    except (ClashDefinitionError, KeyError, TypeError, ValueError):
        return None  # a run stored by an incompatible version: its clashes count as new


def load_state(project, test_name: str) -> TestState:
    """The test's latest stored run (whoever ran it), the one before, and its marks."""
    repository = project.clash_tests
    stored = [_run(repository.get_run(info.id)) for info in repository.runs(test_name)[:2]]
    current, previous = (stored + [None, None])[:2]
    return TestState(current, previous, repository.decisions(test_name), repository.manual_groups(test_name))


def store_run(project, run: ClashRun, author: str) -> TestState:
    """Store a new run; the state holds it, the run stored before it, and the marks."""
    repository = project.clash_tests
    previous = _run(repository.latest_run(run.test.name))
    repository.save_run(run.test.name, run.to_dict(), author)
    return TestState(run, previous, repository.decisions(run.test.name), repository.manual_groups(run.test.name))


def set_marks(project, test_name: str, kind: str, clash_ids, value: str | None, author: str) -> tuple[dict, dict]:
    """Set a decision (``kind`` "decision") or manual group (``kind`` "group") on clashes.

    Returns the test's decisions and manual groups as they now are.
    """
    repository = project.clash_tests
    for clash_id in clash_ids:
        if kind == "decision":
            repository.set_decision(test_name, clash_id, value, author)
        else:
            repository.set_manual_group(test_name, clash_id, value, author)
    return repository.decisions(test_name), repository.manual_groups(test_name)
