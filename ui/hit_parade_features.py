"""The hit parade and the heat-map in the main window.

:func:`install` adds the Hit parade dock (Panels menu, Coordination › Hit parade),
kept as ``window.hit_parade_features``. The ranking is recomputed in the background
when a project opens, when models finish loading and when issues change (polling),
a burst of changes at a time. Places come from the loaded models
(:func:`bim.places.element_places`, kept until the models change) and the counts
from the project (:func:`project_db.hit_parade.hit_parade`).

Clicking a row restricts the Issues panel to that place's issues and selects and
frames its elements (while the heat-map is on the big places are only framed, so
the highlight does not hide the colours). With the heat-map on, the 3D view is
coloured by the chosen level and measure with the ramp in the Legend dock, and
clicking an element lists the issues of its place.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QDockWidget, QListWidgetItem

from bim.i18n import _
from bim.places import element_places, place_key
from project_db.hit_parade import hit_parade, place_label
from ui.hit_parade_panel import LEVEL_PHRASES, HitParadePanel, measure_phrase
from ui.menus import coordination_menu, panels_menu
from viewer.heatmap import HeatMap, heat_legend, heat_mapping, place_elements

REFRESH_DELAY_MS = 300  # gather a burst of changes (several models, several saves) into one count
# Places this coarse hold many elements: with the heat-map on they are framed, not highlighted.
FRAME_ONLY_LEVELS = ("storey", "space", "type")
DOCK_WIDTH = 420


def install(window) -> "HitParadeFeatures":
    """Give ``window`` the Hit parade dock and the heat-map (kept as ``window.hit_parade_features``)."""
    window.hit_parade_features = HitParadeFeatures(window)
    return window.hit_parade_features


class HitParadeFeatures(QObject):
    """The Hit parade dock's controller; see the module docstring."""

    refreshed = Signal()  # a new ranking is shown
    heat_applied = Signal()  # the heat colours were (re)applied to the 3D view

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel = HitParadePanel()
        self.dock = QDockWidget(_("Hit parade"), window)
        self.dock.setObjectName("hit-parade")
        self.dock.setWidget(self.panel)
        self.heat = HeatMap(window.scene)
        self.parade = None
        self.places: dict = {}  # ElementKey -> bim.places.ElementPlace of the loaded models
        self._places_for: tuple | None = None  # the models the places were computed for
        self._by_gid: dict = {}
        self._request = 0
        self._selecting = False
        self.busy = False
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._place_dock()
        self._connect()

    # ------------------------------------------------------------------ layout and wiring

    def _place_dock(self) -> None:
        window = self.window
        # Beside the element tree: tall enough for a long ranking, and the Issues panel it
        # filters and the Legend it fills stay in sight.
        window.addDockWidget(Qt.LeftDockWidgetArea, self.dock)
        neighbour = getattr(window, "tree_dock", None)
        if neighbour is not None:
            window.tabifyDockWidget(neighbour, self.dock)
            neighbour.raise_()
        panels = panels_menu(window)
        if panels is not None:
            panels.addAction(self.dock.toggleViewAction())
        self.show_action = QAction(_("Hit parade"), window)
        self.show_action.setToolTip(_("Storeys, spaces, types and elements ranked by their issues; heat-map"))
        self.show_action.triggered.connect(self.show_dock)
        coordination_menu(window).addAction(self.show_action)

    def _connect(self) -> None:
        window, panel = self.window, self.panel
        panel.view_changed.connect(self._on_view_changed)
        panel.heat_toggled.connect(self.set_heat)
        panel.place_chosen.connect(self.choose_place)
        panel.see_through_changed.connect(self._on_view_changed)
        # Bound methods, not lambdas: Qt drops them by itself if this object goes first.
        window.selection_changed.connect(self._on_selection)
        window.loads_finished.connect(self.schedule)
        window.model_loaded.connect(self.schedule)
        window.models_panel.unload_requested.connect(self.schedule)
        window.colour_combo.activated.connect(self._on_colour_mode)
        session = self._session()
        if session is not None:
            session.opened.connect(self._on_opened)
            session.closed.connect(self._on_closed)
            session.changed.connect(self._on_changes)
            session.vocabulary_changed.connect(self._on_vocabulary)

    def _session(self):
        features = getattr(self.window, "issue_features", None)
        return None if features is None else features.session

    @property
    def is_idle(self) -> bool:
        """No count under way nor waiting (what is shown is up to date)."""
        return not self.busy and not self._timer.isActive()

    def show_dock(self) -> None:
        """Show and raise the Hit parade dock (wide enough for its columns)."""
        self.dock.show()
        self.dock.raise_()
        # Once the raised tab is laid out: before, the dock reports the width it had hidden.
        QTimer.singleShot(0, self, self._widen)

    def _widen(self) -> None:
        if self.dock.isVisible() and not self.dock.isFloating() and self.dock.width() < DOCK_WIDTH:
            self.window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Horizontal)

    # ------------------------------------------------------------------ counting

    def schedule(self, *_args) -> None:
        """Count again shortly (a burst of triggers costs one count)."""
        self._timer.start()

    def refresh(self) -> None:
        """Count the issues per place in the background and show the ranking."""
        self._timer.stop()
        session = self._session()
        if session is None or not session.is_open:
            self._show(None)
            return
        models = list(self.window.federation)
        signature = tuple((m.model_id, m.file_hash) for m in models)
        origin = self.window.federation.origin
        origin = None if origin is None else origin.copy()  # the worker must not see a later model's origin
        known = self.places if signature == self._places_for else None
        self._request += 1
        request = self._request
        self.busy = True
        self.panel.show_summary(_("Counting issues per place…"))

        def work(project):
            places = known if known is not None else element_places(models, origin)
            return places, hit_parade(project, {key[1]: place for key, place in places.items()})

        def done(result):
            if request != self._request:
                return  # a newer count is on its way
            self.busy = False
            self.places, parade = result
            self._places_for = signature
            self._by_gid = {key[1]: place for key, place in self.places.items()}
            self._show(parade)

        def failed(exc):
            if request != self._request:
                return
            self.busy = False
            self.panel.show_summary(_("Cannot count the issues: {error}").format(error=exc))

        if session.run(work, done, failed) is None:
            self.busy = False

    def _show(self, parade) -> None:
        self.parade = parade
        if parade is None and self.panel.heat_on:
            self.panel.set_heat(False)  # switches the heat-map off through the button's signal
        self.panel.set_parade(parade)
        if self.heat.active:
            self._apply_heat()
        self.refreshed.emit()

    def _on_opened(self, _project) -> None:
        self._on_vocabulary(self._session().vocabulary)
        self.schedule()

    def _on_closed(self) -> None:
        self._request += 1  # a count under way is for the project that went
        self.busy = False
        self._show(None)

    def _on_changes(self, changes) -> None:
        if changes.issue_ids or changes.settings_changed:
            self.schedule()

    def _on_vocabulary(self, vocabulary) -> None:
        self.panel.set_trades({t.code: t.name() for t in vocabulary.trades},
                              {t.code: t.colour for t in vocabulary.trades})

    # ------------------------------------------------------------------ the heat-map

    def set_heat(self, on: bool) -> None:
        """Colour the 3D view by the chosen level and measure, or go back to the colours it had."""
        if self.panel.heat_on != on:
            self.panel.set_heat(on, emit=False)
        if on:
            self._apply_heat()
            self.window.legend_dock.show()
            self.window.legend_dock.raise_()
        else:
            self.heat.hide()
            self._fill_legend(None)
            self.window.xray_action.setChecked(self.window.scene.xray)
            self.window.viewport.render()

    def _apply_heat(self) -> None:
        level, measure = self.panel.level, self.panel.measure
        rows = self.parade.rows(level) if self.parade is not None else ()
        counts = {row.key: row.count(measure) for row in rows}
        self.heat.show(heat_mapping(level, counts, self.places.items()),
                       heat_legend(counts.values()), see_through=self.panel.see_through.isChecked())
        self.window.xray_action.setChecked(self.window.scene.xray)
        self._fill_legend(_("{measure} per {level}").format(measure=measure_phrase(measure).capitalize(),
                                                            level=_(LEVEL_PHRASES[level])))
        self.window.viewport.render()
        self.heat_applied.emit()

    def _fill_legend(self, title: str | None) -> None:
        """The Legend dock: ``title`` (bold) over the scene's legend entries."""
        legend = self.window.legend
        legend.clear()
        if title:
            item = QListWidgetItem(title)
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
            item.setFlags(Qt.ItemIsEnabled)
            legend.addItem(item)
        for label, rgb in self.window.scene.legend:
            pixmap = QPixmap(14, 14)
            pixmap.fill(QColor(*rgb))
            legend.addItem(QListWidgetItem(QIcon(pixmap), _(label) if label == "no value" else label))

    def _on_view_changed(self, *_args) -> None:
        if self.heat.active:
            self._apply_heat()

    def _on_colour_mode(self, _index: int) -> None:
        # The user chose another colour-by: it replaced the heat-map, which has nothing to restore.
        if self.heat.active:
            self.heat.forget()
            self.panel.set_heat(False, emit=False)

    # ------------------------------------------------------------------ places in 3D

    def choose_place(self, level: str, key: str) -> None:
        """Restrict the Issues panel to a place's issues, and select and frame its elements."""
        measure = self.panel.measure
        row = self.parade.row(level, key) if self.parade is not None else None
        if row is None:
            return
        self._restrict(row.ids(measure), row.label, measure)
        keys = place_elements(level, key, self.places.items())
        if not keys:
            return
        window = self.window
        self._selecting = True
        try:
            if self.heat.active and level in FRAME_ONLY_LEVELS:
                window.scene.fit(keys)
                window.viewport.render()
            else:
                window.select(keys)
                window.fit_selection()
        finally:
            self._selecting = False

    def _restrict(self, issue_ids, label: str, measure: str) -> None:
        features = getattr(self.window, "issue_features", None)
        if features is not None:
            features.panel.restrict_to(issue_ids, _("{place} · {measure}").format(
                place=label, measure=measure_phrase(measure)))

    def _on_selection(self) -> None:
        if self.heat.active and not self.heat.still_shown():
            # A viewpoint or another colour-by replaced the heat colours.
            self.heat.forget()
            self.panel.set_heat(False, emit=False)
            return
        if self._selecting or not self.heat.active:
            return
        selection = self.window.scene.selection
        if len(selection) != 1:
            return
        place = self.places.get(next(iter(selection)))
        level, measure = self.panel.level, self.panel.measure
        key = place_key(level, place) if place is not None else None
        if key is None:
            return
        row = self.parade.row(level, key) if self.parade is not None else None
        label = row.label if row is not None else place_label(level, key, place, self._by_gid)
        self._restrict(row.ids(measure) if row is not None else (), label, measure)
        self.panel.select_place(key)
