"""Clash detection in the main window: ``install(window)`` adds the Clashes dock and the Clashes menu.

Clash tests are shared in the open project. Running one uses the geometry the
window already loaded (nothing is tessellated again) in the thread pool, with
progress and cancel; each run is stored, and its clashes are shown grouped, with
their status against the run before and the coordinators' decisions. Selecting a
clash frames it in 3D; clashes and groups become issues (see
:mod:`ui.clash_issues`). Everything is reachable as ``window.clash_features``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMessageBox

from bim.i18n import _, ngettext
from checks.clash import ClashRun, ClashStatus, GroupBy, compare_runs, group_clashes, run_clash_test
from ui import clash_store
from ui.clash_assign import AssignTradeDialog
from ui.clash_issues import ClashIssueFiler, FilingReport, clash_filing, group_filing
from ui.clash_manager import ClashTestDialog
from ui.clash_results import ClashResultsPanel, summary_text
from ui.clash_store import StoredTest, TestState
from ui.clash_view import leave_clash_view, show_clashes
from ui.prompts import ask
from ui.tasks import Task, guarded

OPEN_STATUSES = (ClashStatus.NEW, ClashStatus.ACTIVE)


def install(window) -> "ClashFeatures":
    """Give ``window`` clash tests, runs and results (kept as ``window.clash_features``)."""
    window.clash_features = ClashFeatures(window)
    return window.clash_features


class ClashFeatures(QObject):
    """The window's clash workflow; see the module docstring."""

    tests_loaded = Signal()  # the list of tests was (re)read
    results_shown = Signal()  # the results tree was refreshed
    run_finished = Signal(object)  # the ClashRun just made (and stored)
    issues_filed = Signal(object)  # FilingReport

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.issue_features.session
        self.tests: dict[str, StoredTest] = {}
        self.state = TestState()
        self.report = None
        self.group_by = GroupBy.TYPES
        self.task: Task | None = None
        self.dialog: ClashTestDialog | None = None
        self.assign_dialog: AssignTradeDialog | None = None
        self.group_dialog: QInputDialog | None = None
        self.prompt = None
        self._shown_ids: tuple[str, ...] = ()
        self._clashes: dict = {}  # clash id -> Clash, of the results shown
        self._state_request = 0
        self.filer = ClashIssueFiler(window, self.session, self)
        self._build()
        self._connect()
        window.installEventFilter(self)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        window = self.window
        self.panel = ClashResultsPanel()
        self.dock = QDockWidget(_("Clashes"), window)
        self.dock.setObjectName("clashes")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.issue_features.issues_dock, self.dock)
        window.issue_features.issues_dock.raise_()
        self.new_test_action = QAction(_("New clash test…"), window)
        self.new_test_action.triggered.connect(self.new_test)
        self.run_action = QAction(_("Run clash test"), window)
        self.run_action.triggered.connect(self.run_test)
        menu = window.menuBar().addMenu(_("&Clashes"))
        menu.addAction(self.new_test_action)
        menu.addAction(self.run_action)
        menu.addAction(self.dock.toggleViewAction())
        self._update_actions()

    def _connect(self) -> None:
        session, panel = self.session, self.panel
        session.opened.connect(self._on_opened)
        session.closed.connect(self._on_closed)
        session.changed.connect(self._on_changes)
        panel.test_chosen.connect(self._on_test_chosen)
        panel.new_requested.connect(self.new_test)
        panel.edit_requested.connect(self.edit_test)
        panel.delete_requested.connect(self.delete_test)
        panel.run_requested.connect(self.run_test)
        panel.cancel_requested.connect(self.cancel_run)
        panel.group_by_changed.connect(self.set_group_by)
        panel.selection_changed.connect(self._on_selection)
        panel.decision_requested.connect(lambda value: self.decide(panel.chosen_clash_ids(), value or None))
        panel.group_requested.connect(self.ask_group_name)
        panel.ungroup_requested.connect(lambda: self.put_in_group(panel.chosen_clash_ids(), None))
        panel.issues_requested.connect(self.create_issues)
        self.filer.progress.connect(self.panel.show_progress)
        self.filer.finished.connect(self._on_filed)
        self.filer.failed.connect(self._on_filing_failed)

    def _update_actions(self) -> None:
        is_open = self.session.is_open
        self.new_test_action.setEnabled(is_open)
        self.run_action.setEnabled(is_open and self.panel.current_test() is not None and self.task is None)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """Stop a running test when the window closes."""
        if obj is self.window and event.type() == QEvent.Close:
            self.cancel_run()
        return False

    def _status(self, text: str, timeout: int = 5000) -> None:
        self.window.statusBar().showMessage(text, timeout)

    def _warn(self, title: str, text: str, details: str = "") -> None:
        self.prompt = ask(self.window, QMessageBox.Warning, title, text, [("ok", _("OK"), QMessageBox.AcceptRole)],
                          lambda _choice: None, details)

    # ------------------------------------------------------------------ project

    def _on_opened(self, _project) -> None:
        self.state, self.report = TestState(), None
        self.panel.set_project_open(True)
        self.reload_tests()

    def _on_closed(self) -> None:
        self.cancel_run()
        self.tests, self.state, self.report = {}, TestState(), None
        self.panel.set_project_open(False)
        self._leave_view()
        self._update_actions()

    def _on_changes(self, changes) -> None:
        # Another workstation saved a test, ran one or marked clashes (or this one did).
        if changes.clashes_changed:
            self.reload_tests()
            if self.task is None and self.panel.current_test():
                self._load_state(self.panel.current_test())

    def reload_tests(self, select: str | None = None) -> None:
        """Read the project's clash tests (in the background) and list them."""
        def done(result):
            tests, unreadable = result
            self.tests = {stored.test.name: stored for stored in tests}
            self.panel.set_tests(list(self.tests), select)
            if unreadable:
                self._status(_("Clash tests this version cannot read: {names}").format(names=", ".join(unreadable)))
            self._update_actions()
            self.tests_loaded.emit()

        self.session.run(clash_store.load_tests, done, lambda exc: self._status(str(exc), 8000))

    def _on_test_chosen(self, name: str) -> None:
        self.state, self.report = TestState(), None
        self._show()
        self._leave_view()
        self._update_actions()
        if name:
            self._load_state(name)

    def _load_state(self, name: str) -> None:
        self._state_request += 1
        request = self._state_request

        def done(state: TestState):
            if request == self._state_request and self.panel.current_test() == name:
                self.state = state
                self._show()

        self.session.run(lambda project: clash_store.load_state(project, name), done,
                         lambda exc: self._status(str(exc), 8000))

    # ------------------------------------------------------------------ defining tests

    def _model_ids(self) -> list[str]:
        return list(self.window.federation.models)

    def _storeys(self) -> list[str]:
        return sorted({record.storey for model in self.window.federation for record in model.elements
                       if record.storey})

    def new_test(self) -> ClashTestDialog | None:
        """Open the editor for a new test; saving shares it in the project."""
        if not self.session.is_open:
            self._warn(_("Clash tests"), _("Open or create a project first: clash tests are kept in a project."))
            return None
        return self._open_editor(None)

    def edit_test(self) -> ClashTestDialog | None:
        """Open the editor on the chosen test."""
        stored = self.tests.get(self.panel.current_test() or "")
        return self._open_editor(stored) if stored else None

    def _open_editor(self, stored: StoredTest | None) -> ClashTestDialog:
        taken = set(self.tests) - ({stored.test.name} if stored else set())
        dialog = ClashTestDialog(stored.test if stored else None, self._model_ids(), self._storeys(), taken,
                                 self.window)
        dialog.accepted.connect(lambda: self.save_test(dialog.test(), stored))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save_test(self, test, stored: StoredTest | None = None) -> None:
        """Share ``test`` in the project (``stored``: the test it replaces, possibly under another name)."""
        author = self.session.author
        version = stored.version if stored else 0
        replaces = stored.test.name if stored else None

        def saved(_result):
            self._status(_("Clash test {name} saved").format(name=test.name))
            self.reload_tests(select=test.name)

        self.session.run(lambda project: clash_store.save_test(project, test, author, version, replaces), saved,
                         lambda exc: self._warn(_("Clash test not saved"), str(exc)))

    def delete_test(self) -> None:
        """Delete the chosen test, once confirmed."""
        stored = self.tests.get(self.panel.current_test() or "")
        if stored is None:
            return
        author = self.session.author

        def choose(choice):
            if choice == "delete":
                self.session.run(
                    lambda project: clash_store.delete_test(project, stored.test.name, author, stored.version),
                    lambda _r: self.reload_tests(), lambda exc: self._warn(_("Clash test not deleted"), str(exc)))

        self.prompt = ask(self.window, QMessageBox.Question, _("Delete clash test"),
                          _("Delete the clash test {name}? Its runs and decisions are kept.").format(
                              name=stored.test.name),
                          [("delete", _("Delete"), QMessageBox.DestructiveRole),
                           ("cancel", _("Cancel"), QMessageBox.RejectRole)], choose)

    # ------------------------------------------------------------------ running

    def run_test(self) -> Task | None:
        """Run the chosen test on the loaded models in the background, then store and show the run."""
        stored = self.tests.get(self.panel.current_test() or "")
        if stored is None or self.task is not None:
            return None
        models = list(self.window.federation.models.values())
        if not models:
            self._warn(_("Clash tests"), _("Load the models to test first."))
            return None
        test = stored.test
        task = Task(lambda progress, cancel: run_clash_test(test, models, progress=progress, cancel=cancel))
        task.progress.connect(guarded(self, self.panel.show_progress))
        task.finished.connect(guarded(self, self._on_run))
        task.failed.connect(guarded(self, self._on_run_failed))
        task.cancelled.connect(guarded(self, self._on_run_cancelled))
        self.task = task
        self.panel.set_running(True)
        self._update_actions()
        self._status(_("Running clash test {name}…").format(name=test.name), 0)
        return task.start()

    def cancel_run(self) -> None:
        """Stop the running test (its results are dropped)."""
        if self.task is not None:
            self.task.cancel()

    def _run_over(self) -> None:
        self.task = None
        self.panel.set_running(False)
        self._update_actions()

    def _on_run(self, run: ClashRun) -> None:
        self._run_over()
        author = self.session.author

        def stored(state: TestState):
            if self.panel.current_test() == run.test.name:
                self._state_request += 1  # a state read still on its way is older than this
                self.state = state
                self._show()
            self._status(ngettext("{test}: {n} clash found", "{test}: {n} clashes found", len(run.clashes)).format(
                test=run.test.name, n=len(run.clashes)))
            self.run_finished.emit(run)

        def not_stored(exc):
            self._warn(_("Clash run not saved"), str(exc))
            self.state = TestState(run, self.state.current, self.state.decisions, self.state.groups)
            self._show()
            self.run_finished.emit(run)

        self.session.run(lambda project: clash_store.store_run(project, run, author), stored, not_stored)

    def _on_run_failed(self, exc) -> None:
        self._run_over()
        self.window.statusBar().clearMessage()
        self._warn(_("Clash test failed"), str(exc), getattr(exc, "traceback_text", ""))

    def _on_run_cancelled(self) -> None:
        self._run_over()
        self._status(_("Clash test cancelled"))

    # ------------------------------------------------------------------ results

    def set_group_by(self, by: str) -> None:
        """Group the results by types, storey, system, trades, proximity or manual groups."""
        self.group_by = GroupBy(by)
        index = self.panel.group_by.findData(self.group_by.value)
        if self.panel.group_by.currentIndex() != index:
            self.panel.group_by.setCurrentIndex(index)  # comes back here through the signal
            return
        self._show()

    def _show(self) -> None:
        state = self.state
        if state.current is None:
            self.report, self._clashes = None, {}
            self.panel.show_results([], {})
            if self.panel.current_test():
                self.panel.set_summary(_("Not run yet: press Run."))
            self.results_shown.emit()
            return
        self.report = compare_runs(state.current, state.previous, state.decisions)
        tracked = {t.clash.id: t for t in self.report.tracked}
        self._clashes = {clash_id: t.clash for clash_id, t in tracked.items()}
        groups = group_clashes([t.clash for t in self.report.tracked], self.group_by, manual=state.groups)
        self.panel.show_results(groups, tracked)
        self.panel.set_summary(summary_text(state.current.test.name, self.report.counts(),
                                            state.current.stats.seconds))
        self.results_shown.emit()

    def clash(self, clash_id: str):
        """A clash shown in the results (resolved ones included)."""
        return self._clashes[clash_id]

    def status_of(self, clash_id: str) -> ClashStatus:
        return self.report.status_of()[clash_id]

    def _on_selection(self) -> None:
        ids = tuple(self.panel.chosen_clash_ids())
        if ids == self._shown_ids:
            return  # a refresh kept the selection: leave the camera where the user put it
        self._shown_ids = ids
        if ids:
            show_clashes(self.window, [self.clash(i) for i in ids])
        else:
            leave_clash_view(self.window)

    def _leave_view(self) -> None:
        if self._shown_ids:
            self._shown_ids = ()
            leave_clash_view(self.window)

    # ------------------------------------------------------------------ decisions and manual groups

    def decide(self, clash_ids, decision: str | None) -> None:
        """Approve or ignore clashes (``None``: undecided again); stored, and kept on re-runs."""
        self._mark("decision", clash_ids, decision)

    def ask_group_name(self) -> QInputDialog:
        """Ask for the name of the manual group to put the chosen clashes in."""
        ids = self.panel.chosen_clash_ids()
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(_("Group clashes"))
        dialog.setLabelText(ngettext("Put {n} clash in the group:", "Put {n} clashes in the group:", len(ids)).format(
            n=len(ids)))
        names = sorted(set(self.state.groups.values()))
        if names:
            dialog.setComboBoxItems(names)
            dialog.setComboBoxEditable(True)
        dialog.textValueSelected.connect(lambda name: name.strip() and self.put_in_group(ids, name.strip()))
        dialog.finished.connect(dialog.deleteLater)
        self.group_dialog = dialog
        dialog.open()
        return dialog

    def put_in_group(self, clash_ids, name: str | None) -> None:
        """Put clashes in a manual group (``None``: out of it); stored, and kept on re-runs."""
        self._mark("group", clash_ids, name)

    def _mark(self, kind: str, clash_ids, value: str | None) -> None:
        test_name = self.panel.current_test()
        clash_ids = list(clash_ids)
        if not test_name or not clash_ids:
            return
        author = self.session.author

        def done(result):
            decisions, groups = result
            if self.panel.current_test() == test_name:
                self.state = TestState(self.state.current, self.state.previous, decisions, groups)
                self._show()

        self.session.run(lambda project: clash_store.set_marks(project, test_name, kind, clash_ids, value, author),
                         done, lambda exc: self._warn(_("Not saved"), str(exc)))

    # ------------------------------------------------------------------ issues

    def _open_clash_ids(self) -> list[str]:
        return [t.clash.id for t in self.report.tracked if t.status in OPEN_STATUSES] if self.report else []

    def _planned(self, all_open: bool) -> list[tuple[str, object]]:
        """What to file: ("clash", Clash) or ("group", (ClashGroup, clashes)), open clashes only."""
        open_ids = set(self._open_clash_ids())
        if all_open:
            return [("clash", self.clash(i)) for i in self._open_clash_ids()]
        planned, in_groups = [], set()
        for group in self.panel.selected_groups():
            clashes = [self.clash(i) for i in group.clash_ids if i in open_ids]
            in_groups.update(group.clash_ids)
            if clashes:
                planned.append(("group", (group, clashes)))
        planned += [("clash", self.clash(i)) for i in self.panel.selected_clash_ids()
                    if i in open_ids and i not in in_groups]
        return planned

    def create_issues(self, all_open: bool = False) -> AssignTradeDialog | None:
        """Ask for the responsible trade, then file an issue per chosen clash or group (or per open clash)."""
        if self.report is None or self.filer.busy:
            return None
        planned = self._planned(all_open)
        if not planned:
            self._status(_("No open clash chosen: approved, ignored and resolved clashes get no issue."))
            return None
        summary = ngettext("{n} issue will be created (clashes already filed are skipped).",
                           "{n} issues will be created (clashes already filed are skipped).",
                           len(planned)).format(n=len(planned))
        dialog = AssignTradeDialog(summary, self.session.vocabulary.trades, self.window)
        dialog.accepted.connect(lambda: self._file(planned, dialog.choice()))
        dialog.finished.connect(dialog.deleteLater)
        self.assign_dialog = dialog
        dialog.open()
        return dialog

    def _file(self, planned, trade_choice: str) -> None:
        window, vocabulary, test = self.window, self.session.vocabulary, self.state.current.test
        filings = []
        for kind, what in planned:
            if kind == "clash":
                filings.append(clash_filing(window, vocabulary, test, what, trade_choice))
            else:
                group, clashes = what
                filings.append(group_filing(window, vocabulary, test, group, clashes, trade_choice))
        self.panel.set_running(True)
        self.panel.cancel_button.clicked.connect(self.filer.cancel)
        self.filer.file(filings)

    def _filing_over(self) -> None:
        self.panel.cancel_button.clicked.disconnect(self.filer.cancel)
        self.panel.set_running(False)
        shown, self._shown_ids = self._shown_ids, ()
        self._on_selection()  # back to what was shown before the viewpoints were rendered
        if not shown:
            leave_clash_view(self.window)

    def _on_filed(self, report: FilingReport) -> None:
        self._filing_over()
        created = len(report.created)
        text = ngettext("{n} issue created", "{n} issues created", created).format(n=created)
        if report.existing:
            text += " · " + ngettext("{n} already filed", "{n} already filed", report.existing).format(
                n=report.existing)
        self._status(text)
        self.window.issue_features.refresh_rows()
        self.issues_filed.emit(report)

    def _on_filing_failed(self, exc) -> None:
        self._filing_over()
        self._warn(_("Issues not created"), str(exc), getattr(exc, "traceback_text", ""))


__all__ = ["ClashFeatures", "install"]
