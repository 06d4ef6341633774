"""One search box for elements and issues, at the top right of the window (Ctrl+F), added by :func:`install`.

Typing waits a moment (debounce), then searches the federation's element index and
the project's issues in the background, each on its own thread; answers for an older
text are dropped. The popup shows each kind as soon as it arrives, strongest group
first (:func:`project_db.global_search.combine`). Choosing an element selects and
frames it; choosing an issue opens it and restores its viewpoint.

Property values join the element search once each model's values are indexed: the
first search starts that reading in the background and the results refresh when it
is done.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolBar, QWidget

from bim.i18n import _
from bim.search import federation_index, model_index, properties_ready
from project_db.global_search import ELEMENTS, ISSUES, combine
from project_db.issue_search import DEFAULT_LIMIT, search_issues
from ui.global_search_popup import GlobalSearchPopup
from ui.tasks import Task, guarded

DEBOUNCE_MS = 120
# Threads of their own: in the global pool, searches would wait behind model loading,
# and behind the reading of property values (seconds per large model), which has one.
SEARCH_THREADS = 2
SHORTCUT = QKeySequence.Find  # Ctrl+F; nothing else in the window uses it


def install(window) -> "GlobalSearch":
    """Put the search field in ``window``'s main toolbar (kept as ``window.global_search_features``)."""
    window.global_search_features = GlobalSearch(window)
    return window.global_search_features


class GlobalSearch(QObject):
    """The search field, its popup and the searches behind them; see the module docstring."""

    results_shown = Signal()  # the popup was filled (maybe partly: see ``pending``)
    opened = Signal(str, object)  # kind, ElementKey or issue id: what the user chose

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.field = QLineEdit()
        self.field.setObjectName("global-search")
        self.field.setPlaceholderText(_("Search elements and issues…"))
        self.field.setToolTip(_("Search elements (GlobalId, name, class, type, storey, property value) and "
                                "issues (number, title, description, comments, labels, assignee) — Ctrl+F"))
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(220)
        self.field.setMaximumWidth(340)
        self.popup = GlobalSearchPopup(window)
        self.search_pool = QThreadPool(self)
        self.search_pool.setMaxThreadCount(SEARCH_THREADS)
        self.index_pool = QThreadPool(self)
        self.index_pool.setMaxThreadCount(1)
        self.popup.model_label = self._trade_of
        self.popup.status_label = lambda code: window.issue_features.session.vocabulary.name("status", code)
        self.find_action = QAction(_("Search elements and issues"), self)
        self.find_action.setShortcut(SHORTCUT)
        self.find_action.triggered.connect(self.focus_field)
        window.addAction(self.find_action)
        self._place_field()
        self.generation = 0
        self.text = ""
        self.pending: set[str] = set()
        self._elements = None
        self._issues = None
        self._note = ""
        self._reading_properties = False
        self._unreadable: set[int] = set()  # models whose property values could not be read (by id())
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.field.textChanged.connect(self._on_text_changed)
        self.field.installEventFilter(self)
        window.installEventFilter(self)
        self.popup.chosen.connect(self.open_result)
        window.model_loaded.connect(self._on_model_loaded)
        session = self._session()
        if session is not None:  # another project: its issues, not an answer that will never come
            session.opened.connect(lambda _project: self._refresh_if_shown())
            session.closed.connect(self._refresh_if_shown)

    def _place_field(self) -> None:
        # At the right end of the menu bar: the main toolbar is already wider than a
        # 1500-pixel window, and a field pushed into its overflow menu cannot be typed in.
        bar = self.window.menuBar()
        if not bar.isNativeMenuBar():
            holder = QWidget()
            layout = QHBoxLayout(holder)
            layout.setContentsMargins(4, 1, 4, 1)
            layout.addWidget(self.field)
            bar.setCornerWidget(holder, Qt.TopRightCorner)
            self._holder = holder  # the menu bar does not own its corner widget
            return
        toolbar = self.window.findChild(QToolBar, "main-toolbar")  # a native (macOS) menu bar has no corner
        if toolbar is None:
            toolbar = QToolBar(_("Search"), self.window)
            toolbar.setObjectName("search-toolbar")
            self.window.addToolBar(toolbar)
        toolbar.insertWidget(toolbar.actions()[0] if toolbar.actions() else None, self.field)

    # ------------------------------------------------------------------ typing

    def focus_field(self) -> None:
        """Ctrl+F: put the cursor in the field with its text selected, showing the last results."""
        self.field.setFocus()
        self.field.selectAll()
        if self.field.text().strip() and self.popup.results is not None:
            self.popup.place_under(self.field)

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.generation += 1  # answers still on their way are for a text that is gone
            self.popup.hide()
            return
        self._timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """Navigation keys typed in the field go to the popup; the popup follows the window."""
        kind = event.type()
        if obj is self.field:
            if kind == QEvent.KeyPress and self.popup.handle_key(event.key()):
                return True
            if kind == QEvent.KeyPress and event.key() in (Qt.Key_Down, Qt.Key_PageDown) \
                    and self.field.text().strip() and self.popup.results is not None:
                self._show()  # Down on a closed popup opens it again with its results
                return True
            if kind == QEvent.FocusOut:
                self.popup.hide()
        elif obj is self.window and kind in (QEvent.Move, QEvent.Resize, QEvent.Hide, QEvent.WindowDeactivate):
            self.popup.hide()
        return False

    # ------------------------------------------------------------------ searching

    def search_now(self) -> None:
        """Search for the field's text (elements and issues in parallel, in the background)."""
        self._timer.stop()
        text = self.field.text().strip()
        self.generation += 1
        generation = self.generation
        self.text, self._elements, self._issues, self._note = text, None, None, ""
        if not text:
            self.popup.hide()
            return
        federation = self.window.federation
        self.pending = {ELEMENTS}
        self._background(self.search_pool,
                         lambda: federation_index(federation, only_ready=True).search(text, DEFAULT_LIMIT),
                         lambda found: self._arrived(generation, ELEMENTS, found),
                         lambda exc: self._failed(generation, ELEMENTS, exc))
        session = self._session()
        if session is not None and session.is_open:
            self.pending.add(ISSUES)
            session.run(lambda project: search_issues(project, text, DEFAULT_LIMIT),
                        lambda found: self._arrived(generation, ISSUES, found),
                        lambda exc: self._failed(generation, ISSUES, exc))
        self._read_properties()

    def _trade_of(self, model_id: str) -> str:
        model = self.window.federation.models.get(model_id)
        return model.trade if model is not None else ""

    def _session(self):
        features = getattr(self.window, "issue_features", None)
        return features.session if features is not None else None

    def _arrived(self, generation: int, kind: str, found) -> None:
        if generation != self.generation:
            return  # the user typed on: this answer is for an older text
        if kind == ELEMENTS:
            self._elements = found
        else:
            self._issues = found
        self.pending.discard(kind)
        self._show()

    def _failed(self, generation: int, kind: str, exc: Exception) -> None:
        if generation != self.generation:
            return
        self.pending.discard(kind)
        what = _("Issues") if kind == ISSUES else _("Elements")
        self._note = _("{what}: search failed: {error}").format(what=what, error=exc)
        self._show()

    def _show(self) -> None:
        if not self.field.hasFocus():
            return  # the user went elsewhere meanwhile: do not pop up over their work
        results = combine(self.text, self._elements, self._issues)
        self.popup.show_results(results, tuple(k for k in (ELEMENTS, ISSUES) if k in self.pending), self._note)
        self.popup.place_under(self.field)
        self.results_shown.emit()

    @property
    def results(self):
        """What the popup shows now (:class:`project_db.global_search.GlobalResults`), if anything."""
        return self.popup.results

    def _on_model_loaded(self, model_id: str) -> None:
        # Index the new model now, in the background, so the next keystroke finds it ready.
        model = self.window.federation.models.get(model_id)
        if model is not None:
            # a failure shows when searching, with its message
            self._background(self.index_pool, lambda: model_index(model), lambda _index: self._refresh_if_shown(),
                             lambda _exc: None)

    def _refresh_if_shown(self) -> None:
        if self.popup.isVisible() and self.field.text().strip():
            self._timer.start()

    def _read_properties(self) -> None:
        # One model at a time, in the background; each one done refreshes what is shown.
        if self._reading_properties:
            return
        model = next((m for m in self.window.federation
                      if not properties_ready(m) and id(m) not in self._unreadable), None)
        if model is None:
            return
        self._reading_properties = True

        def done(_index) -> None:
            self._reading_properties = False
            self._refresh_if_shown()
            self._read_properties()

        def failed(exc) -> None:
            # A model whose file went away keeps its attribute search; say why once.
            self._reading_properties = False
            self._unreadable.add(id(model))
            self.window.statusBar().showMessage(
                _("Search: cannot read the property values of {model}: {error}").format(model=model.name, error=exc),
                8000)

        self._background(self.index_pool, lambda: model_index(model, include_properties=True), done, failed)

    def _background(self, pool: QThreadPool, fn, done, failed) -> Task:
        task = Task(lambda progress, cancel: fn())
        task.finished.connect(guarded(self, done))
        task.failed.connect(guarded(self, failed))
        return task.start(pool)

    # ------------------------------------------------------------------ opening

    def open_result(self, kind: str, key) -> None:
        """Open what the user chose: select and frame an element, or open an issue with its viewpoint."""
        window = self.window
        if kind == ELEMENTS:
            if window.federation.element(key) is None:
                window.statusBar().showMessage(_("That element is no longer loaded."), 5000)
                return
            window.select([key])  # selects in 3D, the trees and properties, and emits selection_changed
            window.scene.fit([key])
            window.viewport.render()
        else:
            features = getattr(window, "issue_features", None)
            if features is None or not features.session.is_open:
                return
            features.open_issue(key, restore=True)
        self.opened.emit(kind, key)
