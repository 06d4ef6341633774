"""Quantity takeoff (métré) in the main window: the Quantities dock and what drives it.

:func:`install` adds the dock (kept as ``window.takeoff_features``). This module
runs the takeoff and the exports in the background with progress and cancel,
keeps the table in step with the 3D view (a selected line selects and frames its
elements; the "current selection" and "visible elements" filters follow the view),
and stores templates in the open project so the whole team prices from the same
sheet layout. The widgets are in :mod:`ui.takeoff_panel`, the table's model in
:mod:`ui.takeoff_model`, the measuring in :mod:`checks.takeoff`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

from bim.i18n import _, ngettext
from ui.menus import panels_menu
from checks.takeoff import BUILTIN_TEMPLATES, TakeoffTemplate, filter_rows, run_takeoff, write_takeoff
from ui.prompts import ask
from ui.takeoff_model import build_table
from ui.takeoff_panel import TakeoffPanel
from ui.tasks import Task, guarded

BUILTIN, PROJECT = "builtin:", "project:"
EXPORT_FILTERS = {"xlsx": "Excel (*.xlsx)", "csv": "CSV (*.csv)", "json": "JSON (*.json)"}


def install(window) -> "TakeoffFeatures":
    """Give ``window`` the Quantities dock (kept as ``window.takeoff_features``)."""
    window.takeoff_features = TakeoffFeatures(window)
    return window.takeoff_features


def _run_settings(template: TakeoffTemplate) -> tuple:
    """What a template changes in the measuring itself (the rest only changes how rows are shown)."""
    return (template.classes, template.exclude_classes, template.tolerance, template.layers)


class TakeoffFeatures(QObject):
    """The Quantities dock's controller; see the module docstring."""

    finished = Signal(object)  # the TakeoffResult now shown
    exported = Signal(str)  # the path of a written sheet
    templates_listed = Signal()  # the project's templates were (re)read
    template_saved = Signal(str)  # name
    template_applied = Signal(str)  # template id, once its settings are on the panel
    table_shown = Signal()  # the table was regrouped or filtered

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel = TakeoffPanel()
        self.dock = QDockWidget(_("Quantities"), window)
        self.dock.setObjectName("takeoff")
        self.dock.setWidget(self.panel)
        self.result = None
        self.template: TakeoffTemplate = BUILTIN_TEMPLATES["default"]  # the template the view started from
        self.project_templates: dict = {}  # name -> project_db.records.StoredTemplate
        self.prompt = None
        self._task: Task | None = None
        self._rerun = False
        self._export_task: Task | None = None
        self._stale = False
        self._table_request = 0
        self._table_pending = False
        self._seen_selection: frozenset | None = frozenset()
        self._own_selection: frozenset | None = None
        self._place_dock()
        self._connect()
        window.installEventFilter(self)
        self.panel.set_templates(self._template_items(), BUILTIN + self.template.name)
        self.panel.show_template(self.template)
        self._show_status()

    # ------------------------------------------------------------------ layout and wiring

    def _place_dock(self) -> None:
        window = self.window
        window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        issues = getattr(getattr(window, "issue_features", None), "issues_dock", None)
        if issues is not None:
            window.tabifyDockWidget(issues, self.dock)
            issues.raise_()
        panels = panels_menu(self.window)
        if panels is not None:
            panels.addAction(self.dock.toggleViewAction())

    def _connect(self) -> None:
        window, panel = self.window, self.panel
        panel.run_requested.connect(self.run)
        panel.cancel_requested.connect(self.cancel)
        panel.template_chosen.connect(self.choose_template)
        panel.view_changed.connect(self.refresh_table)
        panel.filter_changed.connect(self._on_filter_changed)
        panel.export_requested.connect(self.choose_export)
        panel.save_requested.connect(self.save_template)
        panel.delete_requested.connect(self.delete_template)
        panel.elements_chosen.connect(self.select_elements)
        panel.elements_activated.connect(self.select_elements)
        # Bound methods, not lambdas: Qt drops them by itself if this object goes first.
        window.selection_changed.connect(self._check_selection)
        window.visibility_changed.connect(self._visibility_changed)
        window.models_panel.unload_requested.connect(self._models_changed)
        window.loads_finished.connect(self._models_changed)
        session = self._session()
        if session is not None:
            session.opened.connect(self._on_project_opened)
            session.closed.connect(self._on_project_closed)
            session.changed.connect(self._on_project_changes)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """Stop a takeoff under way when the window closes: nobody will read its result."""
        if obj is self.window and event.type() == QEvent.Close:
            self.cancel()
        return False

    def _session(self):
        return getattr(getattr(self.window, "issue_features", None), "session", None)

    # ------------------------------------------------------------------ templates

    def _template_items(self) -> list[tuple[str, str, str]]:
        items = [(BUILTIN + name, name, template.description or _("Built-in template"))
                 for name, template in BUILTIN_TEMPLATES.items()]
        for name, stored in sorted(self.project_templates.items(), key=lambda kv: kv[0].lower()):
            tip = _("Shared in the project; saved by {who} on {date}").format(
                who=stored.updated_by, date=stored.updated_at.strftime("%Y-%m-%d %H:%M"))
            items.append((PROJECT + name, _("{name} (project)").format(name=name), tip))
        return items

    def current_template(self, name: str | None = None) -> TakeoffTemplate:
        """The template as the panel shows it now (quantities, grouping, search, units, rounding)."""
        return self.panel.template_from_view(self.template, name)

    def choose_template(self, template_id: str) -> None:
        """Apply a built-in template, or read a project template (in the background) and apply it."""
        if template_id.startswith(BUILTIN):
            self.apply_template(BUILTIN_TEMPLATES[template_id[len(BUILTIN):]], template_id)
            return
        session, name = self._session(), template_id[len(PROJECT):]
        if session is None or not session.is_open:
            return

        def done(data):
            try:
                template = TakeoffTemplate.from_dict(data)
            except ValueError as exc:
                self._warn(_("Takeoff template"), _("{name}: {problem}").format(name=name, problem=exc))
                return
            self.apply_template(template, template_id)

        session.run(lambda project: project.takeoff_templates.get(name), done,
                    lambda exc: self._warn(_("Takeoff template"), str(exc)))

    def apply_template(self, template: TakeoffTemplate, template_id: str = "") -> None:
        """Show ``template``'s settings; measure again only if it measures differently."""
        previous = self.result.template if self.result is not None else None
        self.template = template
        self.panel.show_template(template)
        if previous is not None and (_run_settings(previous) != _run_settings(template)
                                     or self._missing_properties(template)):
            self.run()
        else:
            self.refresh_table()
        self.template_applied.emit(template_id or self.panel.template_id())

    def refresh_templates(self) -> None:
        """Read the project's templates again (another user may have saved one)."""
        session = self._session()
        if session is None or not session.is_open:
            return

        def done(records):
            self.project_templates = {r.name: r for r in records}
            self.panel.set_templates(self._template_items())
            self.templates_listed.emit()

        session.run(lambda project: project.takeoff_templates.list(), done,
                    lambda exc: self.window.statusBar().showMessage(str(exc), 8000))

    def save_template(self, name: str) -> None:
        """Store the current template in the project under ``name``, for the whole team."""
        session = self._session()
        if session is None or not session.is_open:
            return
        try:
            template = self.current_template(name)
        except ValueError as exc:
            self._warn(_("Save takeoff template"), str(exc))
            return
        stored = self.project_templates.get(name)
        # Optimistic locking: overwrite only the version this workstation has seen (0: must be new).
        expected = stored.version if stored is not None else 0
        author, document = session.author, template.to_dict()

        def done(record):
            self.project_templates[name] = record
            self.template = template
            self.panel.set_templates(self._template_items(), PROJECT + name)
            self.window.statusBar().showMessage(_("Template {name} saved in the project").format(name=name), 5000)
            self.template_saved.emit(name)

        def failed(exc):
            self._warn(_("Save takeoff template"), _("{name}: {problem}").format(name=name, problem=exc))
            self.refresh_templates()

        session.run(lambda project: project.takeoff_templates.save(name, document, author, expected), done, failed)

    def delete_template(self, template_id: str) -> None:
        """Remove a project template (kept in the project's history)."""
        session, name = self._session(), template_id[len(PROJECT):]
        stored = self.project_templates.get(name)
        if session is None or not session.is_open or not template_id.startswith(PROJECT) or stored is None:
            return
        author = session.author

        def done(_nothing):
            self.project_templates.pop(name, None)
            self.panel.set_templates(self._template_items())
            self.panel.choose_template(BUILTIN + "default")
            self.window.statusBar().showMessage(_("Template {name} deleted").format(name=name), 5000)

        def failed(exc):
            self._warn(_("Delete takeoff template"), _("{name}: {problem}").format(name=name, problem=exc))
            self.refresh_templates()

        session.run(lambda project: project.takeoff_templates.delete(name, author, stored.version), done, failed)

    def _on_project_changes(self, changes) -> None:
        if changes.templates_changed:
            self.refresh_templates()

    def _on_project_opened(self, *_project) -> None:
        self.panel.set_project_open(True)
        self.refresh_templates()

    def _on_project_closed(self) -> None:
        was_project_template = self.panel.template_id().startswith(PROJECT)
        self.project_templates = {}
        self.panel.set_project_open(False)
        self.panel.set_templates(self._template_items())
        if was_project_template:  # its name is gone from the list: do not leave its settings under another name
            self.panel.choose_template(BUILTIN + "default")

    # ------------------------------------------------------------------ running

    @property
    def is_running(self) -> bool:
        return self._task is not None

    def run(self) -> Task | None:
        """Take the current template's quantities off every loaded model, in the background."""
        if self._task is not None:
            # Settings that change the measuring arrived meanwhile: stop this run, start again once it stopped.
            self._rerun = True
            self._task.cancel()
            return self._task
        self._rerun = False
        models = list(self.window.federation.models.values())
        if not models:
            self.panel.set_status(_("Open models first: there is nothing to measure."))
            return None
        try:
            template = self.current_template()
        except ValueError as exc:
            self._warn(_("Quantities"), str(exc))
            return None
        # The search box filters finished rows, so typing never measures anything again.
        template = replace(template, search="")
        task = Task(lambda progress, cancel: run_takeoff(models, template, progress=progress, cancel=cancel))
        task.progress.connect(guarded(self, self.panel.set_progress))
        task.finished.connect(guarded(self, self._on_finished))
        task.failed.connect(guarded(self, self._on_failed))
        task.cancelled.connect(guarded(self, self._on_cancelled))
        self._task = task
        self.panel.set_running(True)
        self.panel.set_status(ngettext("Taking quantities off {n} model…", "Taking quantities off {n} models…",
                                       len(models)).format(n=len(models)))
        return task.start()

    def cancel(self) -> None:
        """Stop the takeoff under way (the table keeps the previous result)."""
        if self._task is not None:
            self._task.cancel()

    def _on_finished(self, result) -> None:
        self._task = None
        self.result = result
        self._stale = False
        self.panel.set_running(False)
        self.panel.set_result_available(True)
        if self._rerun:
            self.run()
            return
        self.refresh_table()
        self.finished.emit(result)

    def _on_failed(self, exc: Exception) -> None:
        self._task = None
        self.panel.set_running(False)
        self._show_status()
        self._warn(_("Quantities"), _("The takeoff failed: {error}").format(error=exc),
                   getattr(exc, "traceback_text", ""))

    def _on_cancelled(self) -> None:
        self._task = None
        self.panel.set_running(False)
        if self._rerun:
            self.run()
            return
        self._show_status()
        self.window.statusBar().showMessage(_("Takeoff cancelled"), 5000)

    def _models_changed(self, *_args) -> None:
        if self.result is not None:
            self._stale = True
            self._show_status()

    def _missing_properties(self, template: TakeoffTemplate) -> set:
        # Property values are read while measuring: grouping by a new property needs a new run.
        if self.result is None:
            return set()
        return set(template.property_keys()) - set(self.result.template.property_keys())

    # ------------------------------------------------------------------ the table

    def shown_rows(self) -> list:
        """The rows the filters let through (what the table and the exported sheet contain)."""
        if self.result is None:
            return []
        return filter_rows(self.result.elements, keys=self._scope_keys(), search=self.panel.search_text())

    def _scope_keys(self):
        scope = self.panel.scope()
        if scope == "selection":
            return set(self.window.scene.selection)
        if scope == "visible":
            return set(self.window.scene.visible_keys())
        if scope == "check":
            checks = getattr(self.window, "check_features", None)
            return checks.failing_keys() if checks is not None else set()
        return None

    @property
    def is_busy(self) -> bool:
        """True while a takeoff runs or the table is being regrouped."""
        return self._task is not None or self._table_pending

    def refresh_table(self) -> None:
        """Filter, group and show the result with the panel's settings (no new measuring).

        Grouping runs in the pool (a large model has tens of thousands of rows); a newer
        request makes an older one's table be dropped when it arrives.
        """
        if self.result is None:
            self._show_status()
            return
        try:
            template = self.current_template()
        except ValueError as exc:
            self.panel.set_status(str(exc))
            return
        if self._missing_properties(template):
            self.run()
            return
        self._table_request += 1
        request, elements = self._table_request, self.result.elements
        keys, search, fields = self._scope_keys(), self.panel.search_text(), self.panel.grouping()
        order, sort = self.result.value_order, self.panel.model.sort_order

        def build(progress, cancel):
            return build_table(filter_rows(elements, keys=keys, search=search), template, fields, order, sort)

        def done(table):
            if request == self._table_request:
                self._table_pending = False
                self.panel.model.show_table(table)
                self._show_status()
                self.table_shown.emit()

        def failed(exc):
            if request == self._table_request:
                self._table_pending = False
                self.panel.set_status(_("The table could not be built: {error}").format(error=exc))

        self._table_pending = True
        task = Task(build)
        task.finished.connect(guarded(self, done))
        task.failed.connect(guarded(self, failed))
        task.start()

    def _show_status(self) -> None:
        result, panel = self.result, self.panel
        if result is None:
            panel.set_status(_("Choose a template and press Run to take quantities off the loaded models."))
            return
        if panel.scope() == "selection" and not self.window.scene.selection:
            panel.set_status(_("Select elements in the 3D view to list their quantities."))
            return
        table = panel.model.table
        parts = [ngettext("{shown} of {n} element listed", "{shown} of {n} elements listed",
                          len(result.elements)).format(shown=table.element_count, n=len(result.elements)),
                 ngettext("{n} with sources that disagree", "{n} with sources that disagree",
                          table.flagged).format(n=table.flagged),
                 ngettext("{n} with a quantity not computable", "{n} with a quantity not computable",
                          table.not_computable).format(n=table.not_computable),
                 _("measured in {seconds:.1f} s").format(seconds=result.duration_s)]
        if self._stale:
            parts.append(_("the models changed: run again"))
        panel.set_status(" · ".join(parts))

    # ------------------------------------------------------------------ following the 3D view

    def select_elements(self, keys) -> None:
        """Select and frame the elements of the chosen lines in 3D."""
        window = self.window
        # Remember it: when the table follows the selection, it must not shrink to the line just
        # clicked (the window announces the selection while select() runs).
        self._own_selection = frozenset(tuple(k) for k in keys)
        window.select(keys)
        self._own_selection = frozenset(window.scene.selection)
        self._seen_selection = self._own_selection
        window.fit_selection()

    def _check_selection(self) -> None:
        selection = frozenset(self.window.scene.selection)
        if selection == self._seen_selection:
            return
        self._seen_selection = selection
        if selection == self._own_selection:
            return
        self._own_selection = None
        if self.panel.scope() == "selection":
            self.refresh_table()

    def _visibility_changed(self, *_args) -> None:
        if self.panel.scope() == "visible":
            QTimer.singleShot(0, self, self.refresh_table)

    def _on_filter_changed(self) -> None:
        self._own_selection = None
        self._seen_selection = frozenset(self.window.scene.selection)
        self.refresh_table()

    # ------------------------------------------------------------------ export

    def result_for_export(self):
        """The result as the table shows it: the current template, the filtered rows."""
        return replace(self.result, template=self.current_template(), elements=tuple(self.shown_rows()), _index={})

    def choose_export(self, fmt: str) -> None:
        """Ask where to write the quantity sheet, then write it in the background."""
        if self.result is None:
            return
        folder = str(QSettings().value("takeoff/last_dir", str(Path.home())))
        name = f"{self.result.project or _('quantities')}.{fmt}"
        path, _filter = QFileDialog.getSaveFileName(self.window, _("Export quantities"), str(Path(folder) / name),
                                                    EXPORT_FILTERS[fmt])
        if not path:
            return
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        QSettings().setValue("takeoff/last_dir", str(Path(path).parent))
        self.export(path)

    def export(self, path) -> Task | None:
        """Write the shown quantities to ``path`` (.xlsx, .csv or .json) off the UI thread."""
        if self.result is None or self._export_task is not None:
            return None
        path = Path(path)
        try:
            result = self.result_for_export()
        except ValueError as exc:
            self._warn(_("Export quantities"), str(exc))
            return None
        task = Task(lambda progress, cancel: write_takeoff(result, path))
        task.finished.connect(guarded(self, lambda _p: self._on_exported(path)))
        task.failed.connect(guarded(self, lambda exc: self._on_export_failed(path, exc)))
        self._export_task = task
        self.panel.set_result_available(False)
        self.window.statusBar().showMessage(_("Writing {file}…").format(file=path.name))
        return task.start()

    def _on_exported(self, path: Path) -> None:
        self._export_task = None
        self.panel.set_result_available(True)
        self.window.statusBar().showMessage(_("Quantity sheet saved: {file}").format(file=path), 8000)
        self.exported.emit(str(path))

    def _on_export_failed(self, path: Path, exc: Exception) -> None:
        self._export_task = None
        self.panel.set_result_available(True)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        self._warn(_("Export quantities"), _("{file}: cannot be written: {detail}").format(file=path, detail=detail))

    # ------------------------------------------------------------------ messages

    def _warn(self, title: str, text: str, details: str = "") -> None:
        self.prompt = ask(self.window, QMessageBox.Warning, title, text, [("ok", _("OK"), QMessageBox.AcceptRole)],
                          lambda _choice: None, details)
