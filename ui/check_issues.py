"""Filing check results as issues: skip those already filed, snapshot each one's elements, write them.

:class:`CheckIssueFiler` does it in three steps so the window never freezes:

1. on the database threads, which fingerprints already have an issue (those are skipped
   and counted, so re-running a check and filing again duplicates nothing);
2. on the main thread, one event-loop turn per issue (VTK renders there only): show its
   failing elements red and its rule's passing elements green, x-ray the rest, frame
   them and capture the viewpoint with its snapshot;
3. on the database threads again, create each issue and attach its viewpoint.

Steps 2 and 3 report progress and can be cancelled; what was written stays written.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from bim.i18n import _
from project_db.issues import DuplicateFingerprint
from project_db.records import new_guid
from ui.check_issue_drafts import IssueContext, plan_issues
from ui.check_keys import PickedKeys
from ui.new_issue import model_name, suggested_due
from ui.tasks import Task, guarded


@dataclass(frozen=True)
class FilingReport:
    """What filing did: the issues created, how many were already filed, whether it was cancelled."""

    created: tuple
    skipped: int
    cancelled: bool = False


def filed_fingerprints(project, fingerprints) -> set[str]:
    """Those of ``fingerprints`` an issue was already filed for (open, closed or deleted)."""
    return {fp for fp in fingerprints if project.issues.by_fingerprint(fp) is not None}


def write_issues(project, items, author: str, progress=None, cancel=None) -> FilingReport:
    """Create each ``(draft, viewpoint, viewpoint_guid)`` issue with its viewpoint.

    An issue someone else filed meanwhile (same fingerprint) is skipped and counted;
    the guids were chosen beforehand, so writing again after a failure duplicates nothing.
    """
    created, skipped = [], 0
    for done, (draft, viewpoint, guid) in enumerate(items):
        if cancel is not None and cancel():
            return FilingReport(tuple(created), skipped, cancelled=True)
        if progress is not None:
            progress(done, len(items), _("Writing issue {n} of {total}").format(n=done + 1, total=len(items)))
        try:
            issue = project.issues.create(draft, author)
        except DuplicateFingerprint:
            skipped += 1
            continue
        if viewpoint is not None:
            project.issues.add_viewpoint(issue.id, viewpoint, author, guid=guid)
        created.append(issue)
    return FilingReport(tuple(created), skipped)


def issue_context(window, vocabulary) -> IssueContext:
    """The trades, model names and project vocabulary drafts need, read from the window."""
    models = window.federation.models
    return IssueContext(
        trades={mid: model.trade for mid, model in models.items()},
        model_names={mid: model_name(window, mid) for mid in models},
        known_trades=frozenset(t.code for t in vocabulary.trades),
        priorities=frozenset(p.code for p in vocabulary.priorities),
        types=frozenset(t.code for t in vocabulary.types),
        due=lambda trade, priority: suggested_due(vocabulary, trade, priority),
    )


class CheckIssueFiler(QObject):
    """Files issues from check results for the window's open project (see the module docstring)."""

    progress = Signal(int, int, str)
    snapshots_taken = Signal()  # the scene is the user's again
    finished = Signal(object)  # FilingReport
    failed = Signal(object)  # the exception

    def __init__(self, window, session, view, parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.session = session
        self.view = view  # ui.check_view.CheckView
        self.busy = False
        self.snapshotting = False  # the scene shows the issues' views: leave it alone
        self._cancelled = False
        self._task: Task | None = None

    def file(self, result, nodes, mode: str) -> bool:
        """File issues for the picked ``nodes`` of ``result`` (``mode``: per element or per rule).

        Returns False when nothing was started (no project, or already filing).
        """
        if self.busy or not self.session.is_open or result is None:
            return False
        planned = plan_issues(result, nodes, mode, issue_context(self.window, self.session.vocabulary))
        if not planned:
            self.finished.emit(FilingReport((), 0))
            return True
        self.busy, self._cancelled = True, False
        fingerprints = [p.fingerprint for p in planned]
        self.progress.emit(0, 0, _("Looking for issues already filed…"))
        started = self.session.run(lambda project: filed_fingerprints(project, fingerprints),
                                   lambda found: self._snapshot_all(planned, found), self._failed)
        if started is None:
            self.busy = False
            return False
        return True

    def cancel(self) -> None:
        """Stop after the issue in hand (those already written stay)."""
        self._cancelled = True
        if self._task is not None:
            self._task.cancel()

    # ------------------------------------------------------------------ snapshots (main thread)

    def _snapshot_all(self, planned, already: set) -> None:
        todo = [p for p in planned if p.fingerprint not in already]
        skipped = len(planned) - len(todo)
        if not todo:
            self._finish(FilingReport((), skipped))
            return
        scene = self.window.scene
        camera = scene.camera_state()
        items = []
        self.snapshotting = True

        def step() -> None:
            if self._cancelled:
                done(cancelled=True)
                return
            planned_issue = todo[len(items)]
            self.progress.emit(len(items), len(todo), _("Snapshot {n} of {total}").format(n=len(items) + 1,
                                                                                          total=len(todo)))
            self.view.show(PickedKeys(set(planned_issue.failing), set(planned_issue.passing)))
            viewpoint = scene.capture_viewpoint(with_snapshot=True)
            items.append((planned_issue.draft, viewpoint, new_guid()))
            if len(items) < len(todo):
                QTimer.singleShot(0, guarded(self, step))
            else:
                done(cancelled=False)

        def done(cancelled: bool) -> None:
            # Back to what the user looked at before the snapshots.
            scene.set_camera_state(camera)
            self.view.restore()
            self.snapshotting = False
            self.snapshots_taken.emit()
            if cancelled:
                self._finish(FilingReport((), skipped, cancelled=True))
            else:
                self._write(items, skipped)

        step()

    # ------------------------------------------------------------------ writing (database threads)

    def _write(self, items, skipped: int) -> None:
        project, author = self.session.project, self.session.author
        if project is None:
            self._finish(FilingReport((), skipped, cancelled=True))
            return
        task = Task(lambda progress, cancel: write_issues(project, items, author, progress, cancel))
        task.progress.connect(guarded(self, self.progress.emit))
        task.finished.connect(guarded(self, lambda report: self._written(project, report, skipped)))
        task.failed.connect(guarded(self, self._failed))
        task.cancelled.connect(guarded(self, lambda: self._finish(FilingReport((), skipped, cancelled=True))))
        self._task = task
        task.start(self.session.pool)

    def _written(self, project, report: FilingReport, skipped: int) -> None:
        if self.session.project is not project:
            self.busy = False  # the user switched projects meanwhile: nothing to show
            return
        self._finish(FilingReport(report.created, report.skipped + skipped, report.cancelled))

    def _finish(self, report: FilingReport) -> None:
        self.busy, self._task = False, None
        self.finished.emit(report)

    def _failed(self, exc) -> None:
        self.busy, self._task, self.snapshotting = False, None, False
        self.failed.emit(exc)
