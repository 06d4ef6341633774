"""Projects and issues in the main window: one call, :func:`install_issue_features`, adds them.

It adds the Issues and Issue docks, the project and BCF entries of the File menu,
"New issue from current view" (toolbar, Ctrl+N), BCF drag and drop, and polling for
other users' changes. The window itself stays unaware of the database: everything
lives in :class:`IssueFeatures`, reachable as ``window.issue_features``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMessageBox

from bim.i18n import _
from ui.bcf_transfer import BcfTransfer
from ui.demo_viewpoints import DemoViewpoints
from ui.issue_detail import IssueDetailPanel
from ui.issue_menus import build_issue_actions
from ui.issue_saving import IssueWriter
from ui.issue_view import restore_issue_viewpoint, select_linked_elements
from ui.issues_panel import IssuesPanel
from ui.new_issue import NewIssueDialog, draft_from_view
from ui.project_models import ProjectModels
from ui.project_session import ProjectSession, describe_open_error, forget_project, shown_target
from ui.prompts import ask
from ui.tasks import Task, guarded
from ui.welcome import WelcomeDialog, choose_new_project_file, choose_project_file


def install_issue_features(window) -> "IssueFeatures":
    """Give ``window`` projects, issues and BCF (kept as ``window.issue_features``)."""
    window.issue_features = IssueFeatures(window)
    return window.issue_features


class IssueFeatures(QObject):
    """The window's project and issue workflow; see the module docstring."""

    rows_shown = Signal()  # the issues table was refreshed
    detail_shown = Signal()  # the issue detail was (re)loaded
    created = Signal(object)  # an Issue created from the view

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = ProjectSession(self)
        self.models = ProjectModels(window, self.session)
        self.bcf = BcfTransfer(window, self.session)
        self.writer = IssueWriter(self)
        self.demo_viewpoints = DemoViewpoints(self)
        self._seed_demo = False
        self.welcome: WelcomeDialog | None = None
        self.new_issue_dialog: NewIssueDialog | None = None
        self.prompt = None
        self._rows_request = 0
        self._select_after_refresh: int | None = None
        self._detail_request = 0
        self._pending_detail: tuple[int, bool] | None = None  # (issue id, restore its viewpoint) being read
        self._discard_pending = False
        self._build_docks()
        build_issue_actions(self)
        self._update_actions()
        self._connect()
        window.installEventFilter(self)

    # ------------------------------------------------------------------ layout

    def _build_docks(self) -> None:
        window = self.window
        self.panel = IssuesPanel()
        self.detail = IssueDetailPanel()
        self.issues_dock = QDockWidget(_("Issues"), window)
        self.issues_dock.setObjectName("issues")
        self.issues_dock.setWidget(self.panel)
        self.detail_dock = QDockWidget(_("Issue"), window)
        self.detail_dock.setObjectName("issue-detail")
        self.detail_dock.setWidget(self.detail)
        window.addDockWidget(Qt.BottomDockWidgetArea, self.issues_dock)
        window.addDockWidget(Qt.BottomDockWidgetArea, self.detail_dock)
        window.splitDockWidget(self.issues_dock, self.detail_dock, Qt.Horizontal)
        window.resizeDocks([self.issues_dock], [300], Qt.Vertical)

    def _connect(self) -> None:
        session = self.session
        session.opened.connect(self._on_opened)
        session.open_failed.connect(self._on_open_failed)
        session.closed.connect(self._on_closed)
        session.changed.connect(self._on_changes)
        session.vocabulary_changed.connect(self._on_vocabulary)
        session.unavailable.connect(lambda exc: self.window.statusBar().showMessage(str(exc), 5000))
        self.panel.filter_changed.connect(self.refresh_rows)
        self.panel.issue_selected.connect(self.open_issue)
        self.panel.issue_activated.connect(lambda issue_id: self.open_issue(issue_id, restore=True))
        self.panel.new_issue_requested.connect(self.new_issue_from_view)
        self.detail.save_requested.connect(self.writer.save)
        self.detail.revert_requested.connect(lambda: self.detail.issue_id and self.load_detail(self.detail.issue_id))
        self.detail.comment_requested.connect(self.writer.add_comment)
        self.detail.viewpoint_activated.connect(self.restore_viewpoint)
        self.detail.add_viewpoint_requested.connect(
            lambda: self.writer.add_viewpoint(self.window.scene.capture_viewpoint(with_snapshot=True)))
        self.detail.select_elements_requested.connect(self.select_linked)
        self.bcf.imported.connect(lambda _report: self.refresh_rows())
        self.window.loads_finished.connect(self._after_loads)

    def _update_actions(self) -> None:
        has_project = self.session.is_open
        for act in (self.new_issue_action, self.close_project_action, self.import_bcf_action, self.export_bcf_action):
            act.setEnabled(has_project)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """Release the project's connections when the window closes."""
        if obj is self.window and event.type() == QEvent.Close:
            self.session.close(emit=False)
        return False

    # ------------------------------------------------------------------ projects

    def show_welcome(self) -> WelcomeDialog:
        """The welcome screen (also File › Switch project…)."""
        if self.welcome is None:
            self.welcome = WelcomeDialog(self.window)
            self.welcome.project_chosen.connect(self.open_project)
            self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.refresh()
        self.welcome.open()
        return self.welcome

    def choose_new_project(self) -> None:
        path = choose_new_project_file(self.window)
        if path:
            self.open_project(path, create=True)

    def choose_project(self) -> None:
        path = choose_project_file(self.window)
        if path:
            self.open_project(path)

    def open_project(self, target, create: bool = False) -> None:
        """Open (or create) a project and show its models and issues."""
        self.window.statusBar().showMessage(_("Opening project {target}…").format(target=shown_target(str(target))))
        self.session.open(target, create=create)

    def open_demo(self) -> None:
        """Open the demo project, building it first on the first use."""
        from ui.demo_project import ensure_demo_project

        bar = self.window.statusBar()
        bar.showMessage(_("Preparing the demo project…"))
        task = Task(lambda progress, cancel: ensure_demo_project(progress=progress, cancel=cancel))
        task.progress.connect(guarded(self, lambda _d, _t, message: bar.showMessage(message)))
        task.finished.connect(guarded(self, lambda path: self.open_project(path)))
        task.failed.connect(guarded(self, lambda exc: self._warn(_("Demo project"), str(exc))))
        task.start(self.session.pool)

    def close_project(self) -> None:
        """Close the project (its models stay loaded until another project opens)."""
        self.session.close()

    def _on_opened(self, project) -> None:
        target = self.session.target
        name = Path(target).stem if "://" not in target else shown_target(target)
        self.window.setWindowTitle(f"Synthese — {name}")
        self.window.statusBar().showMessage(_("Project {name} open").format(name=name), 5000)
        self.panel.set_enabled_for_project(True)
        self._on_vocabulary(self.session.vocabulary)
        self.detail.show_detail(None, self.session.vocabulary)
        self.models.clear_viewer()
        self.models.load_all()
        self._seed_demo = self._is_demo(self.session.target)
        self.demo_viewpoints.running = False
        self.refresh_rows()
        self._update_actions()

    @staticmethod
    def _is_demo(target: str) -> bool:
        from ui.demo_project import demo_project_path

        return "://" not in target and Path(target).resolve() == demo_project_path().resolve()

    def _after_loads(self) -> None:
        # The demo's example issues get their viewpoints once its models are drawn.
        window = self.window
        if self._seed_demo and not window.is_loading and not self.models.fetching and len(window.federation):
            self._seed_demo = False
            self.demo_viewpoints.start()

    def _on_open_failed(self, target: str, exc: Exception) -> None:
        from project_db.errors import NotAProject, ProjectNotFound

        self.window.statusBar().clearMessage()
        message = describe_open_error(target, exc)
        if isinstance(exc, ProjectNotFound) or (isinstance(exc, NotAProject) and exc.empty):
            if isinstance(exc, ProjectNotFound) and "://" not in target:
                forget_project(target)
            self.prompt = ask(self.window, QMessageBox.Question, _("Open project"),
                              message + "\n" + _("Create a new project there?"),
                              [("create", _("Create"), QMessageBox.AcceptRole),
                               ("cancel", _("Cancel"), QMessageBox.RejectRole)],
                              lambda choice: choice == "create" and self.open_project(target, create=True))
        else:
            self._warn(_("Open project"), message)

    def _on_closed(self) -> None:
        self.window.setWindowTitle("Synthese")
        self.panel.set_enabled_for_project(False)
        self.detail.show_detail(None, self.session.vocabulary)
        self._update_actions()

    def _on_vocabulary(self, vocabulary) -> None:
        self.panel.set_vocabulary(vocabulary)
        self.refresh_rows()

    def _warn(self, title: str, text: str) -> None:
        self.prompt = ask(self.window, QMessageBox.Warning, title, text, [("ok", _("OK"), QMessageBox.AcceptRole)],
                          lambda _choice: None)

    # ------------------------------------------------------------------ rows and detail

    def refresh_rows(self, select: int | None = None) -> None:
        """Query the issues the filters ask for (in the background) and show them."""
        if select is not None:
            self._select_after_refresh = select
        self._rows_request += 1
        request = self._rows_request
        flt = self.panel.current_filter()

        def done(rows):
            if request != self._rows_request:
                return  # a newer query is on its way
            self.panel.set_rows(rows)
            if self._select_after_refresh is not None:
                self.panel.select_issue(self._select_after_refresh, emit=False)
                self._select_after_refresh = None
            self.rows_shown.emit()

        self.session.run(lambda project: project.issues.list_rows(flt), done,
                         lambda exc: self.window.statusBar().showMessage(str(exc), 8000))

    def open_issue(self, issue_id: int, restore: bool = False) -> None:
        """Show an issue in the detail (``restore``: also go to its first viewpoint)."""
        if self.detail.is_dirty and self.detail.issue_id != issue_id:
            shown = self.detail.issue_id

            def choose(choice):
                if choice == "discard":
                    self.load_detail(issue_id, restore=restore)
                else:
                    self.panel.select_issue(shown, emit=False)

            self.prompt = ask(self.window, QMessageBox.Question, _("Unsaved changes"),
                              _("Issue #{number} has unsaved changes. Discard them?").format(
                                  number=self.detail.detail.issue.number),
                              [("discard", _("Discard"), QMessageBox.DestructiveRole),
                               ("keep", _("Keep editing"), QMessageBox.RejectRole)], choose)
            return
        self.detail_dock.show()
        self.load_detail(issue_id, restore=restore)

    def load_detail(self, issue_id: int, restore: bool = False, extras_only: bool = False,
                    discard_edits: bool = True) -> None:
        """Read an issue's detail in the background and show it.

        ``extras_only`` refreshes comments, viewpoints and history but keeps the fields;
        without ``discard_edits`` the fields are also kept if the user started editing
        while the detail was being read (a refresh must never eat what someone types).
        """
        self._detail_request += 1
        request = self._detail_request
        if discard_edits and not extras_only:
            self._discard_pending = True  # a later refresh that supersedes this read must still discard
        if self._pending_detail is not None and self._pending_detail[0] == issue_id:
            restore = restore or self._pending_detail[1]  # a refresh superseding an open keeps its viewpoint
        self._pending_detail = (issue_id, restore)

        def done(detail):
            if request != self._detail_request:
                return
            self._pending_detail = None
            same = self.detail.issue_id == detail.issue.id
            keep_fields = not self._discard_pending and (extras_only or self.detail.is_dirty)
            self._discard_pending = False
            if same and keep_fields:
                if detail.issue.version != self.detail.form.issue.version and not extras_only:
                    self.detail.set_note(_("This issue was changed by someone else: saving will offer to merge."))
                self.detail.show_extras(detail)
            else:
                self.detail.show_detail(detail, self.session.vocabulary)
            if restore and detail.viewpoints:
                self.restore_viewpoint(detail.viewpoints[0])
            self.detail_shown.emit()

        def failed(exc):
            if request == self._detail_request:
                self._pending_detail = None
            self.detail.set_note(str(exc))

        self.session.run(lambda project: project.issues.detail(issue_id), done, failed)

    def _on_changes(self, changes) -> None:
        """Another user (or this window) changed something: refresh what is shown."""
        if changes.issue_ids:
            self.refresh_rows()
        # An issue being opened is the one to refresh, not the one it is about to replace.
        shown = self._pending_detail[0] if self._pending_detail is not None else self.detail.issue_id
        if shown is not None and shown in changes.issue_ids:
            if self.detail.busy:
                self.load_detail(shown, extras_only=True)
            else:
                self.load_detail(shown, discard_edits=False)
        if changes.models_changed:
            self.models.load_changed()

    # ------------------------------------------------------------------ 3D

    def new_issue_from_view(self) -> NewIssueDialog | None:
        """Capture the view and selection, propose the trade, and ask for the rest."""
        if not self.session.is_open:
            self._warn(_("New issue"), _("Open or create a project first: issues are kept in a project."))
            return None
        viewpoint = self.window.scene.capture_viewpoint(with_snapshot=True)
        draft = draft_from_view(self.window, self.session.vocabulary)
        dialog = NewIssueDialog(draft, viewpoint.snapshot_png, self.session.vocabulary, self.window)
        dialog.accepted.connect(lambda: self.writer.create(dialog.issue(), viewpoint))
        dialog.finished.connect(dialog.deleteLater)
        self.new_issue_dialog = dialog
        dialog.open()
        return dialog

    def restore_viewpoint(self, record) -> None:
        """Show a stored viewpoint in 3D across the federated models."""
        restore_issue_viewpoint(self.window, self.models, record)

    def select_linked(self, linked) -> None:
        """Select and frame an issue's linked elements."""
        select_linked_elements(self.window, self.models, linked)
