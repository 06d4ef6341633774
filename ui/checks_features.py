"""Rule checks in the main window: the Checks dock and menu, added by :func:`install`.

Running a rule set, showing its results in 3D, filing them as issues, storing the
run in the project, flagging issues whose elements now pass, and exporting reports
all live in :class:`CheckFeatures`, reachable as ``window.check_features``. The
engine itself is Qt-free (:func:`checks.rules.runner.run_ruleset`); it runs here in
the thread pool, with progress and cancel.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

from bim.i18n import _, ngettext
from ui.menus import checks_menu
from checks.ids.results import Status
from checks.rules.runner import run_ruleset
from ui.check_issues import CheckIssueFiler
from ui.check_keys import keys_for_nodes, rule_keys
from ui.check_reports import REPORT_FILTER, suggested_name, with_extension, write_check_report
from ui.check_resolved import flag_resolved, resolved_issues
from ui.check_rule_sets import bundled_choices, file_choice, load_choice, project_choices
from ui.check_view import CheckView
from ui.checks_panel import ChecksPanel
from ui.new_issue import model_name
from ui.prompts import ask
from ui.tasks import Task, guarded, run_in_background

LAST_DIR_KEY = "checks/last_dir"


def install(window) -> "CheckFeatures":
    """Give ``window`` the Checks dock and menu (kept as ``window.check_features``)."""
    window.check_features = CheckFeatures(window)
    return window.check_features


class CheckFeatures(QObject):
    """The window's rule-check workflow; see the module docstring."""

    run_finished = Signal(object)  # RulesetRunResult
    run_failed = Signal(object)  # the exception
    run_cancelled = Signal()
    run_stored = Signal(object)  # project_db.records.CheckRunRecord
    resolution_checked = Signal(object)  # ui.check_resolved.ResolutionReport
    issues_filed = Signal(object)  # ui.check_issues.FilingReport
    report_written = Signal(object)  # Path

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.issue_features = getattr(window, "issue_features", None)
        self.session = self.issue_features.session if self.issue_features is not None else None
        self.result = None
        self.prompt = None  # the last message shown (tests read and press it)
        self._task: Task | None = None
        self.panel = ChecksPanel()
        self.view = CheckView(window)
        self.filer = CheckIssueFiler(window, self.session, self.view, self) if self.session is not None else None
        self._build_dock()
        self._build_menu()
        self._connect()
        self.panel.set_choices(bundled_choices())
        self.panel.select_choice("bundled", "model-quality-basics")
        window.installEventFilter(self)

    # ------------------------------------------------------------------ layout

    def _build_dock(self) -> None:
        window = self.window
        self.dock = QDockWidget(_("Checks"), window)
        self.dock.setObjectName("checks")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        issues_dock = getattr(self.issue_features, "issues_dock", None)
        if issues_dock is not None:
            window.tabifyDockWidget(issues_dock, self.dock)
            issues_dock.raise_()

    def _build_menu(self) -> None:
        menu = checks_menu(self.window)
        self.run_action = menu.addAction(_("Run rule set"))
        self.run_action.setToolTip(_("Check the loaded models against the rule set chosen in the Checks panel"))
        self.export_action = menu.addAction(_("Export check report…"))
        menu.addSeparator()
        toggle = self.dock.toggleViewAction()
        toggle.setText(_("Checks panel"))
        menu.addAction(toggle)

    def _connect(self) -> None:
        panel = self.panel
        panel.run_requested.connect(self.run_checks)
        panel.cancel_requested.connect(self.cancel)
        panel.open_file_requested.connect(self.choose_rule_set_file)
        panel.create_issues_requested.connect(self.create_issues)
        panel.export_requested.connect(self.choose_report_file)
        panel.resolved_issue_activated.connect(self._open_issue)
        panel.tree.nodes_selected.connect(self._show_nodes)
        self.run_action.triggered.connect(lambda: (self.dock.show(), self.dock.raise_(), self.run_checks()))
        self.export_action.triggered.connect(self.choose_report_file)
        if self.session is not None:
            self.session.opened.connect(self._on_project_opened)
            self.session.closed.connect(self._on_project_closed)
            self.session.changed.connect(self._on_changes)
        if self.filer is not None:
            self.filer.progress.connect(self.panel.show_progress)
            self.filer.snapshots_taken.connect(lambda: self._show_nodes(self.panel.tree.selected_nodes(), False))
            self.filer.finished.connect(self._filed)
            self.filer.failed.connect(self._filing_failed)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """Stop a running check when the window closes."""
        if obj is self.window and event.type() == QEvent.Close:
            self.cancel()
        return False

    @property
    def project_open(self) -> bool:
        return self.session is not None and self.session.is_open

    @property
    def running(self) -> bool:
        """Whether a check runs or issues are being filed."""
        return self._task is not None or (self.filer is not None and self.filer.busy)

    # ------------------------------------------------------------------ rule sets

    def _on_project_opened(self, _project) -> None:
        self._refresh_rule_sets()
        self._refresh_resolved()
        self.panel.set_result_available(self.result is not None, True)

    def _on_changes(self, changes) -> None:
        # Another workstation shared a rule set, or closed a flagged issue.
        if getattr(changes, "rule_sets_changed", False):
            self._refresh_rule_sets()
        if changes.issue_ids:
            self._refresh_resolved()

    def _refresh_rule_sets(self) -> None:
        self.session.run(project_choices, lambda choices: self.panel.set_choices(bundled_choices() + choices),
                         lambda exc: self.panel.set_status(str(exc)))

    def _refresh_resolved(self) -> None:
        self.session.run(resolved_issues, self.panel.show_resolved, lambda _exc: None)

    def _on_project_closed(self) -> None:
        self.panel.set_choices(bundled_choices())
        self.panel.show_resolved([])
        self.panel.set_result_available(self.result is not None, False)

    def choose_rule_set_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self.window, _("Run a rule set file"), self._last_dir(),
                                               _("Rule sets (*.json *.ids)"))
        if path:
            QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
            self.panel.add_choice(file_choice(path))

    @staticmethod
    def _last_dir() -> str:
        return str(QSettings().value(LAST_DIR_KEY, str(Path.home())))

    # ------------------------------------------------------------------ running

    def run_checks(self) -> Task | None:
        """Run the chosen rule set on every loaded model, in the background."""
        window, panel = self.window, self.panel
        if self.running:
            return None
        if window.is_loading:
            panel.set_status(_("Wait until the models are loaded, then run the check."))
            return None
        models = list(window.federation.models.values())
        choice = panel.current_choice()
        if not models or choice is None:
            panel.set_status(_("Load the models to check first.") if not models else _("Choose a rule set."))
            return None
        project = self.session.project if self.project_open else None
        author = self.session.author if self.session is not None else None

        def job(progress, cancel):
            return run_ruleset(models, load_choice(choice, project), progress, cancel, run_by=author)

        task = Task(job)
        task.progress.connect(guarded(self, panel.show_progress))
        task.finished.connect(guarded(self, self._run_done))
        task.failed.connect(guarded(self, self._run_failed))
        task.cancelled.connect(guarded(self, self._run_cancelled))
        self._task = task
        panel.set_running(True)
        panel.set_status(ngettext("Checking {n} model against “{rules}”…", "Checking {n} models against “{rules}”…",
                                  len(models)).format(n=len(models), rules=choice.label))
        return task.start()

    def failing_keys(self) -> set:
        """Elements failing any rule of the last check run (empty before a run): other
        panels filter by this result set."""
        if self.result is None:
            return set()
        failing = set()
        for rule in self.result.rules:
            failing |= rule_keys(rule)[0]
        return failing

    def cancel(self) -> None:
        """Stop the running check, or the filing of issues."""
        if self._task is not None:
            self._task.cancel()
        if self.filer is not None and self.filer.busy:
            self.filer.cancel()

    def _run_done(self, result) -> None:
        self._task = None
        self.result = result
        self.view.restore()
        names = {mid: model_name(self.window, mid) for mid in self.window.federation.models}
        self.panel.tree.show_result(result, names)
        self.panel.set_running(False)
        self.panel.set_result_available(True, self.project_open)
        self.panel.set_status(self._summary_text(result))
        self.window.statusBar().showMessage(self._summary_text(result), 8000)
        if self.project_open:
            self._store(result)
        self.run_finished.emit(result)

    @staticmethod
    def _summary_text(result) -> str:
        failed = result.count(Status.FAIL)
        findings = sum(r.specification.failing_count for r in result.rules)
        rules = ngettext("{failed} of {n} rule fails", "{failed} of {n} rules fail", len(result.rules)).format(
            failed=failed, n=len(result.rules))
        elements = ngettext("{n} failing element", "{n} failing elements", findings).format(n=findings)
        return _("{rules}, {elements} ({seconds:.1f} s)").format(rules=rules, elements=elements,
                                                                 seconds=result.duration_s)

    def _run_failed(self, exc) -> None:
        self._task = None
        self.panel.set_running(False)
        self.panel.set_result_available(self.result is not None, self.project_open)
        message = _("The check could not run: {error}").format(error=exc)
        self.panel.set_status(message)
        self._warn(_("Run rule set"), message)
        self.run_failed.emit(exc)

    def _run_cancelled(self) -> None:
        self._task = None
        self.panel.set_running(False)
        self.panel.set_result_available(self.result is not None, self.project_open)
        self.panel.set_status(_("Check cancelled."))
        self.run_cancelled.emit()

    # ------------------------------------------------------------------ the project: stored runs, resolved issues

    def _store(self, result) -> None:
        author = self.session.author
        self.session.run(lambda project: project.check_runs.save_run(result.to_dict(), author), self.run_stored.emit,
                         lambda exc: self.window.statusBar().showMessage(
                             _("The check run was not stored: {error}").format(error=exc), 8000))
        self.session.run(lambda project: flag_resolved(project, result, author), self._resolution_done,
                         lambda exc: self.window.statusBar().showMessage(str(exc), 8000))

    def _resolution_done(self, report) -> None:
        self.panel.show_resolved(report.listed)
        if report.flagged or report.failing_again:
            self.issue_features.refresh_rows()
        if report.flagged:
            self.panel.set_status(self.panel.status.text() + " — " + ngettext(
                "{n} issue probably resolved", "{n} issues probably resolved", len(report.flagged)).format(
                n=len(report.flagged)))
        self.resolution_checked.emit(report)

    def _open_issue(self, issue_id: int) -> None:
        if self.issue_features is not None:
            self.issue_features.open_issue(issue_id, restore=True)

    # ------------------------------------------------------------------ 3D

    def _show_nodes(self, nodes, frame: bool = True) -> None:
        if self.filer is not None and self.filer.snapshotting:
            return  # the issues' snapshots own the scene until they are taken
        if not nodes:
            self.view.restore()
        else:
            self.view.show(keys_for_nodes(self.result, nodes), frame=frame)

    # ------------------------------------------------------------------ issues

    def create_issues(self, mode: str) -> bool:
        """File the selected results (all when none is selected) as issues, ``mode`` per element or per rule."""
        if self.result is None or self.running:
            return False
        if not self.project_open:
            self._warn(_("Create issues"), _("Open or create a project first: issues are kept in a project."))
            return False
        self.panel.set_running(True)
        self.panel.set_status(_("Creating issues…"))
        started = self.filer.file(self.result, self.panel.tree.selected_nodes(), mode)
        if not started:
            self.panel.set_running(False)
            self.panel.set_result_available(True, self.project_open)
        return started

    def _filed(self, report) -> None:
        self.panel.set_running(False)
        self.panel.set_result_available(self.result is not None, self.project_open)
        created = ngettext("{n} issue created", "{n} issues created", len(report.created)).format(
            n=len(report.created))
        parts = [created]
        if report.skipped:
            parts.append(ngettext("{n} already filed, skipped", "{n} already filed, skipped",
                                  report.skipped).format(n=report.skipped))
        if report.cancelled:
            parts.append(_("cancelled"))
        text = ", ".join(parts)
        self.panel.set_status(text)
        self.window.statusBar().showMessage(text, 8000)
        if report.created and self.issue_features is not None:
            self.issue_features.refresh_rows()
        self.issues_filed.emit(report)

    def _filing_failed(self, exc) -> None:
        self.panel.set_running(False)
        self.panel.set_result_available(self.result is not None, self.project_open)
        self.panel.set_status(_("Issues not created: {error}").format(error=exc))
        self._warn(_("Create issues"), str(exc))

    # ------------------------------------------------------------------ reports

    def choose_report_file(self) -> None:
        if self.result is None:
            return
        suggestion = str(Path(self._last_dir()) / (suggested_name(self.result) + ".html"))
        path, chosen = QFileDialog.getSaveFileName(self.window, _("Export check report"), suggestion, REPORT_FILTER)
        if path:
            QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
            self.export_report(with_extension(path, chosen))

    def export_report(self, path) -> None:
        """Write the shown results to ``path`` (HTML, XLSX, JSON or JUnit XML by extension), in the background."""
        result, path = self.result, Path(path)
        if result is None:
            return
        self.panel.set_status(_("Writing {file}…").format(file=path.name))

        def done(written):
            text = _("Report saved: {path}").format(path=written)
            self.panel.set_status(text)
            self.window.statusBar().showMessage(text, 8000)
            self.report_written.emit(Path(written))

        def failed(exc):
            self.panel.set_status(_("Report not saved: {error}").format(error=exc))
            self._warn(_("Export check report"), _("{file}: {error}").format(file=path, error=exc))

        run_in_background(lambda: write_check_report(result, path), done, failed, owner=self)

    def _warn(self, title: str, text: str) -> None:
        self.prompt = ask(self.window, QMessageBox.Warning, title, text, [("ok", _("OK"), QMessageBox.AcceptRole)],
                          lambda _choice: None)
