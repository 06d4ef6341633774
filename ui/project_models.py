"""The open project's registered models in the viewer.

Opening a project fetches the newest version of each registered model into the local
cache (downloaded from the database once, checked against its hash) and loads it with
its trade. When another user registers a newer version, polling notices and the
model is replaced in place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from bim import geometry_cache
from bim.i18n import _
from ui.tasks import Task, guarded

IDLE_RETRY_MS = 100


def model_cache_dir() -> Path:
    """Where fetched model files are kept (beside the geometry cache, so tests sandbox both)."""
    return geometry_cache.cache_dir().parent / "models"


def _fetch(project, only_changed: dict[str, int] | None, progress, cancel) -> list[tuple[Path, str | None, str, int]]:
    """(local path, trade, registered name, version id) of each model to show; runs in a worker."""
    wanted = []
    for info in project.models.models():
        if info.latest is None:
            continue
        if only_changed is not None and only_changed.get(info.name) == info.latest.id:
            continue
        wanted.append(info)
    fetched = []
    for n, info in enumerate(wanted):
        progress(n, len(wanted), info.name)
        path = project.models.fetch_model_file(info.latest.id, model_cache_dir(), cancel=cancel)
        fetched.append((Path(path), info.trade, info.name, info.latest.id))
    return fetched


class ProjectModels(QObject):
    """Loads the project's models into the window and keeps them up to date."""

    def __init__(self, window, session):
        super().__init__(window)
        self.window = window
        self.session = session
        self.names: dict[Path, str] = {}  # local file -> registered model name
        self.versions: dict[str, int] = {}  # registered name -> version id shown
        self.fetching = False

    def registered_name(self, path) -> str | None:
        """The project's name for a loaded file, if it came from the project."""
        return self.names.get(Path(path).resolve())

    def model_id_for(self, name: str) -> str | None:
        """The viewer's id of the loaded model registered as ``name``."""
        for model in self.window.federation:
            if self.registered_name(model.path) == name:
                return model.model_id
        return None

    def clear_viewer(self) -> None:
        """Unload the previous project's models (files the user opened by hand stay)."""
        from_project = [m.model_id for m in self.window.federation if self.registered_name(m.path)]
        if from_project or self.fetching:
            self.window.cancel_loading()
        for model_id in from_project:
            self.window.unload_model(model_id)
        self.names.clear()
        self.versions.clear()

    def load_all(self) -> None:
        """Fetch and load the newest version of every registered model."""
        self._fetch(None)

    def load_changed(self) -> None:
        """Fetch the models whose newest version is not the one shown, and show it."""
        self._fetch(dict(self.versions))

    def _fetch(self, only_changed) -> None:
        project = self.session.project
        if project is None:
            return
        self.fetching = True
        bar = self.window.statusBar()
        task = Task(lambda progress, cancel: _fetch(project, only_changed, progress, cancel))
        task.progress.connect(guarded(self, lambda done, total, name: bar.showMessage(
            _("Fetching models from the project ({done}/{total}): {name}").format(
                done=done + 1, total=total, name=name))))
        task.finished.connect(guarded(self, lambda fetched: self._when_idle(
            lambda: self._show(project, fetched))))
        task.failed.connect(guarded(self, lambda exc: self._failed(exc)))
        task.cancelled.connect(guarded(self, lambda: setattr(self, "fetching", False)))
        task.start(self.session.pool)

    def _failed(self, exc: Exception) -> None:
        self.fetching = False
        self.window.statusBar().showMessage(_("Cannot fetch the project's models: {error}").format(error=exc), 10000)

    def _when_idle(self, then) -> None:
        # A cancelled load must finish before new files are queued, or the window's queue would stall.
        if self.window.is_loading:
            QTimer.singleShot(IDLE_RETRY_MS, self, lambda: self._when_idle(then))
            return
        then()

    def _show(self, project, fetched) -> None:
        self.fetching = False
        if project is not self.session.project:
            return  # the user switched projects meanwhile
        for path, trade, name, version_id in fetched:
            self.names[path.resolve()] = name
            self.versions[name] = version_id
            loaded = self.model_id_for(name)
            if loaded is not None and self.window.federation.models[loaded].path.resolve() != path.resolve():
                self.window.replace_model(loaded, path)
            elif loaded is None:
                self.window.open_files([path], trade=trade)
        if fetched:
            self.window.statusBar().showMessage(_("{n} models from the project").format(n=len(fetched)), 5000)
