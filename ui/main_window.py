"""The main window: 3D view in the middle, models, trees, properties, search,
legend and sections in docks, loading in the background with progress and cancel."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QFileDialog, QInputDialog, QLabel, QListWidget, QListWidgetItem, QMainWindow,
    QMessageBox, QProgressBar, QPushButton, QToolBar, QWidget,
)

from bim.federation import ElementKey, Federation, LoadedModel, load_model
from bim.i18n import _, ngettext
from bim.ifc_file import ModelError
from bim.properties import element_properties, property_names, property_values
from bim.tessellation import InstancedMesh
from bim.trades import TRADE_BY_CODE, trade_name
from viewer.colours import categorical_colouring
from viewer.federation_view import show_model
from ui.issue_integration import install_issue_features
from ui.models_panel import ModelsPanel
from ui.properties_panel import PropertiesPanel
from ui.search_panel import SearchPanel
from ui.sections_panel import SectionsPanel
from ui.settings_dialog import SettingsDialog
from ui.tasks import Task, guarded, run_in_background
from ui.tree_panel import TreePanel
from ui.viewport import Viewport

IFC_FILTER = "IFC (*.ifc *.ifczip *.IFC)"
# Feature modules that plug docks and actions into the window, each through
# ``install(window)``; a module not present in this build is skipped.
OPTIONAL_FEATURES = ("ui.checks_features", "ui.ruleset_features", "ui.clash_features", "ui.takeoff_features",
                     "ui.settings_features", "ui.board_features", "ui.alert_features", "ui.hit_parade_features",
                     "ui.global_search_features", "ui.meeting_features")
PARTIAL_REFRESH_MS = 700
STANDARD_VIEWS = (("iso", "Isometric"), ("top", "Top"), ("front", "Front"), ("back", "Back"),
                  ("left", "Left"), ("right", "Right"), ("bottom", "Bottom"))


def install_optional_features(window) -> None:
    """Let each feature module in :data:`OPTIONAL_FEATURES` add its docks and actions."""
    import importlib

    for name in OPTIONAL_FEATURES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.install(window)


class MainWindow(QMainWindow):
    """Synthese's main window over one :class:`Federation` and one scene."""

    model_loaded = Signal(str)  # model id, once its geometry is complete
    load_failed = Signal(str, str)  # path, message
    loads_finished = Signal()
    selection_changed = Signal()  # whoever selected: a click, a tree, a search, a feature
    visibility_changed = Signal()  # hide, isolate, show all, spaces, tree or model checkboxes

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Synthese")
        self.resize(1500, 920)
        self.federation = Federation()
        self.viewport = Viewport(self)
        self.scene = self.viewport.scene
        self.setCentralWidget(self.viewport)
        self._queue: deque[tuple[Path, str | None, str | None]] = deque()
        self._current_task: Task | None = None
        self._partials: dict[str, list[InstancedMesh]] = {}
        self._partial_models: dict[str, LoadedModel] = {}
        self._partial_timer = QTimer(self, interval=PARTIAL_REFRESH_MS)
        self._partial_timer.timeout.connect(self._flush_partials)
        self.errors: list[str] = []
        self._build_docks()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.statusBar().showMessage(_("Open IFC models (Ctrl+O) or drop them here."))
        self.setAcceptDrops(True)
        install_issue_features(self)  # projects, issues and BCF: see ui/issue_integration.py
        install_optional_features(self)

    # ------------------------------------------------------------------ layout

    def _dock(self, title: str, widget: QWidget, area, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.models_panel = ModelsPanel()
        self.tree_panel = TreePanel()
        self.properties_panel = PropertiesPanel()
        self.search_panel = SearchPanel(self.federation)
        self.sections_panel = SectionsPanel()
        self.legend = QListWidget()
        self.models_dock = self._dock(_("Models"), self.models_panel, Qt.LeftDockWidgetArea, "models")
        self.tree_dock = self._dock(_("Elements"), self.tree_panel, Qt.LeftDockWidgetArea, "tree")
        self.search_dock = self._dock(_("Search"), self.search_panel, Qt.RightDockWidgetArea, "search")
        self.properties_dock = self._dock(_("Properties"), self.properties_panel, Qt.RightDockWidgetArea, "properties")
        self.legend_dock = self._dock(_("Legend"), self.legend, Qt.RightDockWidgetArea, "legend")
        self.sections_dock = self._dock(_("Sections"), self.sections_panel, Qt.RightDockWidgetArea, "sections")
        self.tabifyDockWidget(self.legend_dock, self.sections_dock)
        self.legend_dock.raise_()
        self.resizeDocks([self.models_dock, self.tree_dock], [200, 520], Qt.Vertical)
        self.resizeDocks([self.models_dock, self.search_dock], [430, 380], Qt.Horizontal)

    def _action(self, text: str, slot, shortcut=None, checkable=False, tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.setToolTip(tip or text)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.open_action = a(_("Open…"), self.choose_files, QKeySequence.Open)
        self.screenshot_action = a(_("Save screenshot…"), self.choose_screenshot, "Ctrl+Shift+S")
        self.settings_action = a(_("Settings…"), self.open_settings)
        self.quit_action = a(_("Quit"), self.close, QKeySequence.Quit)
        self.fit_all_action = a(_("Fit all"), self.fit_all, "F")
        self.fit_selection_action = a(_("Fit selection"), self.fit_selection, "Shift+F")
        self.perspective_action = a(_("Perspective"), self.toggle_perspective, "P", checkable=True)
        self.perspective_action.setChecked(True)
        self.hide_action = a(_("Hide"), self.hide_selection, "H", tip=_("Hide the selected elements"))
        self.isolate_action = a(_("Isolate"), self.isolate_selection, "I", tip=_("Show only the selected elements"))
        self.show_all_action = a(_("Show all"), self.show_all, "Shift+H")
        self.xray_action = a(_("X-ray"), self.toggle_xray, "X", checkable=True,
                             tip=_("Draw everything but the selection transparent"))
        self.spaces_action = a(_("Spaces"), self.toggle_spaces, checkable=True, tip=_("Show spaces (transparent)"))
        self.measure_action = a(_("Measure"), self.toggle_measure, "M", checkable=True,
                                tip=_("Click two points to measure their distance"))
        self.clear_measure_action = a(_("Clear measurements"), self.clear_measurements)
        self.capture_viewpoint_action = a(_("Save viewpoint"), self.capture_viewpoint, "Ctrl+Shift+V")
        self.view_actions = {}
        for name, label in STANDARD_VIEWS:
            self.view_actions[name] = a(_(label), lambda _c=False, n=name: self.set_view(n))
        self.colour_combo = QComboBox()
        self.colour_combo.addItem(_("Model colours"), "none")
        self.colour_combo.addItem(_("Colour by class"), "class")
        self.colour_combo.addItem(_("Colour by trade"), "trade")
        self.colour_combo.addItem(_("Colour by model"), "model")
        self.colour_combo.addItem(_("Colour by property…"), "property")
        self.colour_combo.activated.connect(self._on_colour_choice)

        menu = self.menuBar()
        file_menu = menu.addMenu(_("&File"))
        for action in (self.open_action, self.screenshot_action, self.settings_action, self.quit_action):
            file_menu.addAction(action)
        view_menu = menu.addMenu(_("&View"))
        for action in (self.fit_all_action, self.fit_selection_action, self.perspective_action):
            view_menu.addAction(action)
        views = view_menu.addMenu(_("Standard views"))
        for action in self.view_actions.values():
            views.addAction(action)
        view_menu.addSeparator()
        for action in (self.hide_action, self.isolate_action, self.show_all_action, self.xray_action,
                       self.spaces_action, self.measure_action, self.clear_measure_action,
                       self.capture_viewpoint_action):
            view_menu.addAction(action)
        docks_menu = menu.addMenu(_("&Panels"))
        for dock in (self.models_dock, self.tree_dock, self.properties_dock, self.search_dock, self.legend_dock,
                     self.sections_dock):
            docks_menu.addAction(dock.toggleViewAction())

        toolbar = QToolBar(_("Main"), self)
        toolbar.setObjectName("main-toolbar")
        self.addToolBar(toolbar)
        for action in (self.open_action, None, self.fit_all_action, self.fit_selection_action,
                       self.view_actions["iso"], self.view_actions["top"], self.view_actions["front"],
                       self.perspective_action, None, self.hide_action, self.isolate_action, self.show_all_action,
                       self.xray_action, self.spaces_action, None, self.measure_action, self.screenshot_action):
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.colour_combo)

    def _build_status_bar(self) -> None:
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setFormat(_("%v / %m elements"))
        self.progress_bar.setMaximumWidth(260)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_loading)
        self.selection_label = QLabel()
        bar = self.statusBar()
        bar.addPermanentWidget(self.selection_label)
        bar.addPermanentWidget(self.progress_label)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self._show_progress(False)

    def _show_progress(self, visible: bool) -> None:
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(visible)

    def _connect(self) -> None:
        self.viewport.element_clicked.connect(lambda key, ctrl: self._on_clicked(tuple(key), ctrl))
        self.viewport.point_measured.connect(
            lambda d, _p1, _p2: self.statusBar().showMessage(_("Distance: {d:.3f} m").format(d=d)))
        self.viewport.measure_point_picked.connect(
            lambda _p: self.statusBar().showMessage(_("Measure: click the second point")))
        self.models_panel.visibility_changed.connect(self._on_model_visibility)
        self.models_panel.trade_changed.connect(self._on_trade_changed)
        self.models_panel.unload_requested.connect(self.unload_model)
        self.models_panel.replace_requested.connect(self.choose_replacement)
        self.models_panel.add_requested.connect(self.choose_files)
        self.tree_panel.selection_changed_by_user.connect(lambda keys: self.select(keys, from_tree=True))
        self.tree_panel.visibility_changed_by_user.connect(self._on_tree_visibility)
        self.tree_panel.activated_keys.connect(self._frame)
        self.search_panel.result_chosen.connect(lambda key: (self.select([key]), self._frame([key])))
        self.sections_panel.changed.connect(self.apply_sections)

    # ------------------------------------------------------------------ loading

    def open_files(self, paths, trade: str | None = None) -> None:
        """Load IFC files one after the other in the background (each uses every core)."""
        for path in paths:
            self._queue.append((Path(path), trade, None))
        self._start_next()

    def replace_model(self, model_id: str, path) -> None:
        """Load a newer version of a model's file in place of the old one."""
        self._queue.append((Path(path), None, model_id))
        self._start_next()

    @property
    def is_loading(self) -> bool:
        return self._current_task is not None or bool(self._queue)

    def _start_next(self) -> None:
        if self._current_task is not None or not self._queue:
            return
        path, trade, replaces = self._queue.popleft()
        model_id = replaces or self.federation.new_model_id(path)
        placeholder_id = f"{model_id}\u2009…" if replaces else model_id

        def job(progress, cancel, emit_partial):
            return load_model(path, model_id=model_id, trade=trade, progress=progress, cancel=cancel,
                              on_partial=lambda model, mesh: emit_partial((model, mesh)))

        task = Task(job, wants_partial=True)
        task.progress.connect(guarded(self, self._on_progress))
        task.partial.connect(guarded(self, lambda payload, mid=placeholder_id: self._on_partial(mid, *payload)))
        task.finished.connect(guarded(self, lambda model, r=replaces, pid=placeholder_id: self._on_loaded(model, r, pid)))
        task.failed.connect(guarded(self, lambda exc, p=path, pid=placeholder_id: self._on_failed(p, exc, pid)))
        task.cancelled.connect(guarded(self, lambda pid=placeholder_id: self._on_cancelled(pid)))
        self._current_task = task
        self.progress_label.setText(_("Loading {name}").format(name=path.name))
        self.progress_bar.setRange(0, 0)
        self._show_progress(True)
        self._partial_timer.start()
        task.start()

    def cancel_loading(self) -> None:
        """Stop the model being loaded and drop the queued ones."""
        self._queue.clear()
        if self._current_task is not None:
            self._current_task.cancel()

    def _on_progress(self, done: int, total: int, _message: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _on_partial(self, model_id: str, provisional: LoadedModel, mesh: InstancedMesh) -> None:
        # Elements appear while the rest is tessellated: keep the pieces, draw them on a timer.
        self._partials.setdefault(model_id, []).append(mesh)
        if self._partial_models.get(model_id) is None:
            provisional.model_id = model_id
            self._partial_models[model_id] = provisional

    def _flush_partials(self) -> None:
        for model_id, parts in list(self._partials.items()):
            if not parts:
                continue
            index_model = self._partial_models.get(model_id)
            if index_model is None:
                continue
            mesh = InstancedMesh.concatenate(parts)
            self._partials[model_id] = [mesh]
            show_model(self.scene, self.federation, index_model, mesh)
            if len(self.scene.model_ids) == 1:
                self.scene.set_standard_view("iso")
            self.viewport.render()

    def _stop_task(self) -> None:
        self._current_task = None
        self._partial_timer.stop()
        if not self._queue:
            self._show_progress(False)
            self.loads_finished.emit()

    def _on_loaded(self, model: LoadedModel, replaces: str | None, placeholder_id: str) -> None:
        self._partials.pop(placeholder_id, None)
        self._partial_models.pop(placeholder_id, None)
        if placeholder_id != model.model_id:
            self.scene.remove_model(placeholder_id)
        first = len(self.federation) == 0
        if replaces and replaces in self.federation.models:
            self.federation.replace(replaces, model)
        else:
            self.federation.add(model)
        show_model(self.scene, self.federation, model)
        self._after_models_changed()
        if first:
            self.scene.set_standard_view("iso")
        self.viewport.render()
        message = ngettext("{name}: {n} element, {t} triangles", "{name}: {n} elements, {t} triangles",
                           len(model.elements)).format(name=model.name, n=len(model.elements),
                                                       t=model.mesh.triangle_count)
        if model.failures:
            message += " · " + _("{n} without geometry").format(n=len(model.failures))
        self.statusBar().showMessage(message, 8000)
        self.model_loaded.emit(model.model_id)
        self._stop_task()
        # Properties and search need the parsed file; a warm open skipped it, so parse it now, off the UI thread.
        run_in_background(model.ifc, lambda _f: None, lambda _e: None, owner=self)
        self._start_next()

    def _on_failed(self, path: Path, exc: Exception, placeholder_id: str) -> None:
        self._drop_partial(placeholder_id)
        message = str(exc) if isinstance(exc, ModelError) else _("{file}: unexpected error: {detail}").format(
            file=path, detail=exc)
        self.errors.append(message)
        self.load_failed.emit(str(path), message)
        self._stop_task()
        box = QMessageBox(QMessageBox.Warning, _("Cannot open model"), message, QMessageBox.Ok, self)
        if not isinstance(exc, ModelError):
            box.setDetailedText(getattr(exc, "traceback_text", ""))
        box.open()
        self._start_next()

    def _on_cancelled(self, placeholder_id: str) -> None:
        self._drop_partial(placeholder_id)
        self.statusBar().showMessage(_("Loading cancelled"), 5000)
        self._stop_task()

    def _drop_partial(self, placeholder_id: str) -> None:
        self._partials.pop(placeholder_id, None)
        self._partial_models.pop(placeholder_id, None)
        if placeholder_id not in self.federation.models:
            self.scene.remove_model(placeholder_id)
            self.viewport.render()

    def _after_models_changed(self) -> None:
        self.models_panel.refresh(self.federation)
        self.tree_panel.rebuild(self.federation)
        bounds = self.scene.bounds()
        if bounds is not None:
            origin = self.federation.origin if self.federation.origin is not None else 0.0
            self.sections_panel.bounds = (tuple(bounds[0] + origin), tuple(bounds[1] + origin))
        self._refresh_colours()

    def unload_model(self, model_id: str) -> None:
        """Remove a model from the federation and the view."""
        self.federation.remove(model_id)
        self.scene.remove_model(model_id)
        self._after_models_changed()
        self.viewport.render()

    # ------------------------------------------------------------------ file dialogs

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Open IFC models"), self._last_dir(), IFC_FILTER)
        if paths:
            QSettings().setValue("last_dir", str(Path(paths[0]).parent))
            self.open_files(paths)

    def choose_replacement(self, model_id: str) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("New version of {model}").format(model=model_id), self._last_dir(), IFC_FILTER)
        if path:
            self.replace_model(model_id, path)

    def _last_dir(self) -> str:
        return str(QSettings().value("last_dir", str(Path.home())))

    def choose_screenshot(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save screenshot"), self._last_dir(), "PNG (*.png)")
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            self.save_screenshot(path)

    def save_screenshot(self, path) -> Path:
        """Write the current view to a PNG file."""
        self.scene.save_screenshot(path)
        self.statusBar().showMessage(_("Screenshot saved: {path}").format(path=path), 5000)
        return Path(path)

    def open_settings(self) -> None:
        SettingsDialog(self).exec()

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        ifc = [p for p in paths if p.lower().endswith((".ifc", ".ifczip"))]
        if ifc:
            self.open_files(ifc)

    # ------------------------------------------------------------------ selection

    def select(self, keys, add: bool = False, from_tree: bool = False) -> None:
        """Select elements in 3D, in the trees, and show the properties of one."""
        keys = [tuple(k) for k in keys]
        self.scene.select(keys, add=add)
        selection = self.scene.selection
        if not from_tree:
            self.tree_panel.show_selection(selection)
        self._show_properties(selection)
        self.selection_changed.emit()
        self.selection_label.setText(ngettext("{n} selected", "{n} selected", len(selection)).format(n=len(selection)) if selection else "")
        self.viewport.render()

    def _on_clicked(self, key, ctrl: bool) -> None:
        if not key:
            if not ctrl:
                self.select([])
            return
        if ctrl and key in self.scene.selection:
            self.select([k for k in self.scene.selection if k != key])
        else:
            self.select([key], add=ctrl)

    def _show_properties(self, selection: set[ElementKey]) -> None:
        if len(selection) != 1:
            self.properties_panel.show_message(
                ngettext("{n} element selected", "{n} elements selected", len(selection)).format(n=len(selection)) if selection else _("Nothing selected"))
            return
        key = next(iter(selection))
        model = self.federation.models.get(key[0])
        record = self.federation.element(key)
        if model is None or record is None:
            return
        title = f"{record.name or record.global_id} [{record.ifc_class}]"
        self.properties_panel.show_message(_("Reading properties…"))
        self._properties_for = key

        def done(groups):
            if getattr(self, "_properties_for", None) == key:
                self.properties_panel.show_groups(title, groups)

        run_in_background(lambda: element_properties(model.ifc(), key[1]), done,
                          lambda exc: self.properties_panel.show_message(str(exc)), owner=self)

    def _frame(self, keys) -> None:
        keys = [tuple(k) for k in keys]
        if keys:
            self.scene.fit(keys)
            self.viewport.render()

    # ------------------------------------------------------------------ view commands

    def fit_all(self) -> None:
        self.scene.fit_all()
        self.viewport.render()

    def fit_selection(self) -> None:
        self._frame(self.scene.selection)

    def set_view(self, name: str) -> None:
        self.scene.set_standard_view(name)
        self.viewport.render()

    def toggle_perspective(self, checked: bool) -> None:
        self.scene.set_perspective(checked)
        self.viewport.render()

    def hide_selection(self) -> None:
        selection = self.scene.selection
        if selection:
            self.scene.hide(selection)
            self.scene.clear_selection()
            self._visibility_changed()

    def isolate_selection(self) -> None:
        selection = self.scene.selection
        if selection:
            self.scene.isolate(selection)
            self._visibility_changed()

    def show_all(self) -> None:
        self.scene.show_all()
        self._visibility_changed()

    def _visibility_changed(self) -> None:
        self.tree_panel.show_visibility(self.scene.is_visible)
        self.viewport.render()
        self.visibility_changed.emit()

    def toggle_xray(self, checked: bool) -> None:
        self.scene.set_xray(checked)
        self.viewport.render()

    def toggle_spaces(self, checked: bool) -> None:
        self.scene.set_spaces_visible(checked)
        self._visibility_changed()

    def toggle_measure(self, checked: bool) -> None:
        self.viewport.set_measuring(checked)
        if checked:
            self.statusBar().showMessage(_("Measure: click the first point"))

    def clear_measurements(self) -> None:
        self.scene.clear_measurements()
        self.viewport.render()

    def _on_model_visibility(self, model_id: str, visible: bool) -> None:
        model = self.federation.models.get(model_id)
        if model is not None:
            model.visible = visible
        self.scene.set_model_visible(model_id, visible)
        self.viewport.render()
        self.visibility_changed.emit()

    def _on_trade_changed(self, model_id: str, trade: str) -> None:
        model = self.federation.models.get(model_id)
        if model is not None:
            model.trade = trade
            self.tree_panel.rebuild(self.federation)
            self._refresh_colours()

    def _on_tree_visibility(self, keys, visible: bool) -> None:
        if visible:
            self.scene.show(keys)
        else:
            self.scene.hide(keys)
        self.viewport.render()
        self.visibility_changed.emit()

    def apply_sections(self) -> None:
        """Apply the section panel's planes and box to the scene."""
        self.scene.clear_sections()
        for axis, position, flip in self.sections_panel.planes():
            self.scene.set_section_plane(axis, position, flip)
        box = self.sections_panel.box()
        if box is not None:
            self.scene.set_section_box(*box)
        self.viewport.render()

    # ------------------------------------------------------------------ colours

    def _on_colour_choice(self, _index: int) -> None:
        mode = self.colour_combo.currentData()
        if mode == "property":
            self._choose_property()
            return
        self._colour_mode = (mode, None)
        self._refresh_colours()

    def _choose_property(self) -> None:
        models = list(self.federation)

        def collect():
            names: set = set()
            for model in models:
                names.update(property_names(model.ifc()))
            return sorted(names)

        def chosen(names):
            items = [f"{pset}.{prop}" for pset, prop in names]
            if not items:
                return
            text, ok = QInputDialog.getItem(self, _("Colour by property"), _("Property:"), items, 0, False)
            if ok and text:
                pset, prop = text.split(".", 1)
                self.colour_by_property(pset, prop)

        self.statusBar().showMessage(_("Reading property names…"), 3000)
        run_in_background(collect, chosen, owner=self)

    def colour_by_property(self, pset: str, prop: str) -> None:
        """Colour elements by the value of ``pset.prop`` (computed off the UI thread)."""
        models = list(self.federation)

        def compute():
            values = {}
            for model in models:
                for gid, value in property_values(model.ifc(), pset, prop).items():
                    values[(model.model_id, gid)] = value
            return values

        def apply(values):
            self._colour_mode = ("property", (pset, prop, values))
            self.colour_combo.setCurrentIndex(self.colour_combo.findData("property"))
            self._refresh_colours()

        run_in_background(compute, apply, owner=self)

    def colour_by(self, mode: str) -> None:
        """Colour by "class", "trade", "model" or "none"."""
        self.colour_combo.setCurrentIndex(max(0, self.colour_combo.findData(mode)))
        self._colour_mode = (mode, None)
        self._refresh_colours()

    def _refresh_colours(self) -> None:
        mode, extra = getattr(self, "_colour_mode", ("none", None))
        if mode == "none":
            self.scene.reset_colours()
        else:
            if mode == "class":
                values = {key: record.ifc_class for key, record, _m in self.federation.elements()}
                mapping, legend = categorical_colouring(values)
            elif mode == "model":
                values = {key: model.model_id for key, _r, model in self.federation.elements()}
                mapping, legend = categorical_colouring(values)
            elif mode == "trade":
                mapping, seen = {}, {}
                for key, _record, model in self.federation.elements():
                    trade = TRADE_BY_CODE.get(model.trade)
                    colour = trade.colour if trade else (128, 128, 128)
                    mapping[key] = colour
                    seen[model.trade] = colour
                legend = [(f"{code} – {trade_name(code)}", colour) for code, colour in sorted(seen.items())]
            else:  # property
                mapping, legend = categorical_colouring(extra[2])
            self.scene.colour_by(mapping, legend)
        self._show_legend()
        self.viewport.render()

    def _show_legend(self) -> None:
        self.legend.clear()
        for label, rgb in self.scene.legend:
            pixmap = QPixmap(14, 14)
            pixmap.fill(QColor(*rgb))
            self.legend.addItem(QListWidgetItem(QIcon(pixmap), _(label) if label == "no value" else label))

    # ------------------------------------------------------------------ viewpoints

    def capture_viewpoint(self):
        """Capture the current view (camera, visibility, selection, colours, sections, snapshot)."""
        viewpoint = self.scene.capture_viewpoint(with_snapshot=True)
        self.viewpoints = getattr(self, "viewpoints", []) + [viewpoint]
        self.statusBar().showMessage(_("Viewpoint saved"), 3000)
        return viewpoint

    def restore_viewpoint(self, viewpoint) -> None:
        """Restore a captured view across the federated models."""
        self.scene.restore_viewpoint(viewpoint)
        self.sections_panel.reset()
        # The toolbar must say what the view now shows: BCF carries no x-ray and its
        # colours are the viewpoint's own, not one of our colour-by modes.
        self.xray_action.setChecked(self.scene.xray)
        self.spaces_action.setChecked(self.scene.spaces_visible)
        self._colour_mode = ("none", None)
        self.colour_combo.setCurrentIndex(0)
        self._show_legend()
        self.tree_panel.show_selection(self.scene.selection)
        self._show_properties(self.scene.selection)
        self.selection_changed.emit()
        self._visibility_changed()

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event) -> None:  # noqa: N802
        self.cancel_loading()
        if self._current_task is not None:
            self._current_task.done.wait(10)
        self._drain_background_work()
        self.viewport.close_view()
        super().closeEvent(event)

    def _drain_background_work(self, timeout_s: float = 15.0) -> None:
        """Let queries and tasks still running end before the window (and its thread pools) go.

        A thread pool deleted while a worker runs Python waits for it while the
        main thread holds the interpreter lock: both would wait for ever. Sleeping
        here releases the lock so the workers can finish.
        """
        import time

        from PySide6.QtCore import QCoreApplication, QThreadPool

        pools = [QThreadPool.globalInstance(), *self.findChildren(QThreadPool)]
        deadline = time.monotonic() + timeout_s
        while any(pool.activeThreadCount() for pool in pools) and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.01)
