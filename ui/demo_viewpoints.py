"""Viewpoints with snapshots for the demo's example issues, made once from the 3D view.

A snapshot needs the rendered models, so the demo project is written without
viewpoints and the window adds them the first time the demo's models are on screen:
for each example issue, its linked elements are isolated, selected and framed
from the isometric direction, and the view is captured. One issue per event-loop turn keeps
the window responsive; the user's own view is put back at the end, and the
viewpoints are stored in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from bim.i18n import _
from project_db.records import IssueFilter
from ui.demo_project import DEMO_AUTHOR, DEMO_MARK


def _issues_without_viewpoint(project) -> list:
    """The demo's example issues that have no viewpoint yet (in a worker)."""
    ids = [r.id for r in project.issues.list_rows(IssueFilter()) if r.viewpoint_count == 0]
    return [i for i in project.issues.get_many(ids) if i.origin_detail == DEMO_MARK] if ids else []


class DemoViewpoints(QObject):
    """Adds the missing viewpoints of the demo project's example issues."""

    finished = Signal()

    def __init__(self, features):
        super().__init__(features)
        self.features = features
        self.running = False

    def start(self) -> None:
        """Look for example issues without a viewpoint and give them one."""
        if self.running:
            return
        self.running = True
        self.features.session.run(_issues_without_viewpoint, self._capture_all, lambda _exc: self._done())

    def _capture_all(self, issues) -> None:
        window = self.features.window
        if not issues or not len(window.federation):
            self._done()
            return
        window.statusBar().showMessage(_("Preparing the demo's viewpoints…"))
        users_view = window.scene.capture_viewpoint(with_snapshot=False)
        captured = []
        pending = list(issues)

        def next_one():
            if self.features.session.project is None or not pending:
                window.restore_viewpoint(users_view)
                window.viewport.render()
                self._store(captured)
                return
            issue = pending.pop(0)
            keys = [k for k in (window.scene.resolve(e.global_id, self.features.models.model_id_for(e.model))
                                for e in issue.linked_elements) if k is not None]
            window.scene.show_all()
            if keys:
                window.scene.isolate(keys)  # the elements at stake alone: walls would hide a clash inside
            window.scene.select(keys)
            window.scene.set_standard_view("iso")
            if keys:
                window.scene.fit(keys)
            captured.append((issue.id, window.scene.capture_viewpoint(with_snapshot=True)))
            QTimer.singleShot(0, self, next_one)  # dropped if the window closes meanwhile

        next_one()

    def _store(self, captured) -> None:
        author = DEMO_AUTHOR  # part of the demo's content, like its issues

        def write(project):
            for issue_id, viewpoint in captured:
                project.issues.add_viewpoint(issue_id, viewpoint, author)
            return len(captured)

        def stored(_n):
            self.features.refresh_rows()
            shown = self.features.detail.issue_id
            if shown is not None:
                self.features.load_detail(shown, extras_only=True)
            self.features.window.statusBar().clearMessage()
            self._done()

        self.features.session.run(write, stored, lambda _exc: self._done())

    def _done(self) -> None:
        self.running = False
        self.finished.emit()
