"""The rule-set manager: the shipped rule sets and the project's, and what a BIM manager does with them.

Shipped sets (``resources/rulesets``) are read-only: they can be viewed,
exported, or duplicated into the project. Project sets live in the project
database (``project.rule_sets``), shared with the team: create, edit
(:class:`~ui.ids_ruleset_editor.RuleSetEditor`), duplicate, rename, delete,
import from a ``.ruleset.json`` or ``.ids`` file, export as files (the JSON
with its IDS files) or as one IDS file other tools open.

Every database call and every file read or write runs in the background
(:meth:`ui.project_session.ProjectSession.run`, :func:`ui.tasks.run_in_background`);
the dialog says what happened in its status line. A rule set's key never
changes once created (stored check runs refer to it): "Rename" changes its
title. Saving is optimistically locked: a set a colleague saved meanwhile is
not overwritten, the editor says so and stays open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from bim.i18n import _
from ui.ids_ruleset_editor import RuleSetEditor
from ui.prompts import ask
from ui.tasks import run_in_background

BUNDLED, PROJECT = "bundled", "project"
_ROLE = Qt.UserRole
_BUNDLED_CACHE: list = []  # shipped rule sets, read once per run (they do not change while it runs)


def _bundled_sets() -> list:
    from checks.rulesets import bundled_rule_sets

    if not _BUNDLED_CACHE:
        _BUNDLED_CACHE.extend(bundled_rule_sets())
    return list(_BUNDLED_CACHE)


def _bundled_payload(key: str) -> dict:
    from checks.ruleset_payload import payload_from_ruleset

    return payload_from_ruleset(next(r for r in _bundled_sets() if r.key == key))


def _store(project, key: str, payload: dict, author: str, expected_version: int | None):
    """Check ``payload`` (rules, parameters, every IDS) and save it; runs on a database thread."""
    from checks.ruleset_payload import payload_problems
    from checks.rulesets import RulesetError

    found = payload_problems(payload)
    if found:
        raise RulesetError(None, "\n".join(found))
    return project.rule_sets.save(key, payload, author, expected_version)


def _free_key(project, title: str) -> str:
    """A key for a new project rule set, unused by the project and the shipped sets."""
    from checks.ruleset_payload import ruleset_key

    taken = {s.key for s in project.rule_sets.list(include_deleted=True)} | {r.key for r in _bundled_sets()}
    return ruleset_key(title, taken)


class RuleSetManager(QDialog):
    """Lists the shipped and the project rule sets; see the module docstring."""

    listed = Signal()  # the lists were refreshed
    finished_operation = Signal(str)  # what was done, in words (also shown in the status line)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session  # ui.project_session.ProjectSession, or None without the issues feature
        self.setWindowTitle(_("Rule sets"))
        self.resize(860, 520)
        self.bundled: list = []
        self.stored: dict[str, Any] = {}  # key -> project_db.records.StoredRuleSet
        self.editor: RuleSetEditor | None = None
        self.prompt = None
        self.pending = 0
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Rule set"), _("Key"), _("Version"), _("Saved by")])
        self.tree.setColumnWidth(0, 380)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_args: self.edit_selected())
        self.bundled_group = QTreeWidgetItem([_("Shipped with Synthese (read-only)")])
        self.project_group = QTreeWidgetItem([_("This project (shared with the team)")])
        for group in (self.bundled_group, self.project_group):
            group.setFlags(Qt.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self._build()
        if session is not None:
            session.opened.connect(lambda _project: self.refresh())
            session.closed.connect(self.refresh)
            session.changed.connect(lambda changes: changes.rule_sets_changed and self.refresh_project())
        self.refresh()

    def _build(self) -> None:
        actions: list[tuple[str, str, Callable]] = [
            ("new", _("New…"), self.ask_new), ("edit", _("Edit…"), self.edit_selected),
            ("duplicate", _("Duplicate…"), self.ask_duplicate), ("rename", _("Rename…"), self.ask_rename),
            ("delete", _("Delete"), self.ask_delete), ("import", _("Import…"), self.ask_import),
            ("export", _("Export…"), self.ask_export), ("export_ids", _("Export as IDS…"), self.ask_export_ids),
        ]
        row = QHBoxLayout()
        for name, label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(row)

    # -- state --------------------------------------------------------------------------------

    @property
    def has_project(self) -> bool:
        """Whether a project is open (project rule sets can be listed and saved)."""
        return self.session is not None and self.session.is_open

    @property
    def idle(self) -> bool:
        """Whether no background operation of this dialog is under way."""
        return self.pending == 0

    def project_keys(self) -> list[str]:
        """Keys of the project's rule sets, as listed."""
        return list(self.stored)

    def selected(self) -> tuple[str, str] | None:
        """``(BUNDLED or PROJECT, key)`` of the selected rule set."""
        item = self.tree.currentItem()
        return item.data(0, _ROLE) if item is not None else None

    def select(self, origin: str, key: str) -> None:
        """Select a rule set in the list."""
        group = self.bundled_group if origin == BUNDLED else self.project_group
        for n in range(group.childCount()):
            if group.child(n).data(0, _ROLE) == (origin, key):
                self.tree.setCurrentItem(group.child(n))
                return
        raise KeyError(key)

    def _update_buttons(self) -> None:
        selected = self.selected()
        project = self.has_project
        on_project = bool(selected) and selected[0] == PROJECT
        self.buttons["new"].setEnabled(project)
        self.buttons["import"].setEnabled(project)
        self.buttons["edit"].setEnabled(bool(selected))
        self.buttons["edit"].setText(_("Edit…") if on_project or not selected else _("View…"))
        self.buttons["duplicate"].setEnabled(project and bool(selected))
        self.buttons["rename"].setEnabled(on_project)
        self.buttons["delete"].setEnabled(on_project)
        self.buttons["export"].setEnabled(bool(selected))
        self.buttons["export_ids"].setEnabled(bool(selected))

    def _say(self, message: str) -> None:
        self.status_label.setText(message)
        self.finished_operation.emit(message)

    def _failed(self, exc: Exception) -> None:
        self.pending = max(0, self.pending - 1)
        self._say(str(exc))

    def _background(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Run a file operation off the UI thread."""
        self.pending += 1

        def done(result):
            self.pending -= 1
            on_done(result)

        run_in_background(fn, done, self._failed, owner=self)

    def _on_project(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        """Run ``fn(project)`` on a database thread."""
        if not self.has_project:
            self._say(_("Open a project to keep rule sets for the team."))
            return
        self.pending += 1

        def done(result):
            self.pending -= 1
            on_done(result)

        if self.session.run(fn, done, self._failed) is None:
            self.pending -= 1

    # -- listing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read both lists again (the shipped one once)."""
        if not self.bundled:
            self._background(_bundled_sets, self._show_bundled)
        self.refresh_project()

    def refresh_project(self) -> None:
        """Read the project's rule sets again."""
        if not self.has_project:
            self._show_project([])
            return
        self._on_project(lambda project: project.rule_sets.list(), self._show_project)

    def _show_bundled(self, rulesets: list) -> None:
        self.bundled = rulesets
        self.bundled_group.takeChildren()
        for ruleset in rulesets:
            item = QTreeWidgetItem([ruleset.title, ruleset.key, ruleset.version, ruleset.author])
            item.setData(0, _ROLE, (BUNDLED, ruleset.key))
            item.setToolTip(0, ruleset.description)
            self.bundled_group.addChild(item)
        self._update_buttons()
        self.listed.emit()

    def _show_project(self, stored: list) -> None:
        selected = self.selected()
        self.stored = {s.key: s for s in stored}
        self.project_group.takeChildren()
        for record in stored:
            item = QTreeWidgetItem([record.title, record.key, str(record.version), record.updated_by])
            item.setData(0, _ROLE, (PROJECT, record.key))
            self.project_group.addChild(item)
        if not self.has_project:
            hint = QTreeWidgetItem([_("Open a project to keep rule sets for the team.")])
            hint.setFlags(Qt.ItemIsEnabled)
            self.project_group.addChild(hint)
        if selected and selected[0] == PROJECT and selected[1] in self.stored:
            self.select(*selected)
        self._update_buttons()
        self.listed.emit()

    # -- asking the user (non-blocking: results keep arriving while a question is open) ----------

    def _ask_text(self, title: str, label: str, text: str, on_text: Callable[[str], None]) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.textValueSelected.connect(lambda value: value.strip() and on_text(value.strip()))
        self.prompt = dialog
        dialog.open()
        return dialog

    def _ask_file(self, title: str, save: bool, name_filter: str, on_path: Callable[[str], None],
                  directory: bool = False, default: str = "") -> QFileDialog:
        dialog = QFileDialog(self, title, default, name_filter)
        if directory:
            dialog.setFileMode(QFileDialog.Directory)
            dialog.setOption(QFileDialog.ShowDirsOnly)
        elif save:
            dialog.setAcceptMode(QFileDialog.AcceptSave)
        else:
            dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.fileSelected.connect(on_path)
        self.prompt = dialog
        dialog.open()
        return dialog

    def ask_new(self) -> None:
        self._ask_text(_("New rule set"), _("Title of the new rule set:"), "", self.create)

    def ask_duplicate(self) -> None:
        selected = self.selected()
        if selected:
            title = _("Copy of {title}").format(title=self._title(*selected))
            self._ask_text(_("Duplicate rule set"), _("Title of the copy:"), title,
                           lambda new: self.duplicate(selected, new))

    def ask_rename(self) -> None:
        selected = self.selected()
        if selected and selected[0] == PROJECT:
            self._ask_text(_("Rename rule set"), _("New title:"), self._title(*selected),
                           lambda new: self.rename(selected[1], new))

    def ask_delete(self) -> None:
        selected = self.selected()
        if not selected or selected[0] != PROJECT:
            return
        key = selected[1]
        self.prompt = ask(self, QMessageBox.Question, _("Delete rule set"),
                          _("Delete the rule set “{title}” for the whole team?").format(title=self._title(*selected)),
                          [("delete", _("Delete"), QMessageBox.DestructiveRole),
                           ("keep", _("Keep"), QMessageBox.RejectRole)],
                          lambda choice: choice == "delete" and self.delete(key))

    def ask_import(self) -> None:
        name_filter = _("Rule sets or IDS files") + " (*.ruleset.json *.json *.ids)"
        self._ask_file(_("Import a rule set"), False, name_filter, self.import_file)

    def ask_export(self) -> None:
        selected = self.selected()
        if selected:
            self._ask_file(_("Export the rule set into a folder"), True, "", lambda d: self.export_files(selected, d),
                           directory=True)

    def ask_export_ids(self) -> None:
        selected = self.selected()
        if selected:
            self._ask_file(_("Export the IDS specifications"), True, "IDS (*.ids)",
                           lambda p: self.export_ids(selected, p), default=f"{selected[1]}.ids")

    def _title(self, origin: str, key: str) -> str:
        if origin == PROJECT:
            return self.stored[key].title if key in self.stored else key
        return next((r.title for r in self.bundled if r.key == key), key)

    # -- operations (what the buttons do once the user has answered) ------------------------------

    def _payload_then(self, source: tuple[str, str], on_payload: Callable[[dict, Any], None]) -> None:
        """Fetch a rule set's payload (and, for a project set, its record) and pass them on."""
        origin, key = source
        if origin == BUNDLED:
            self._background(lambda: _bundled_payload(key), lambda payload: on_payload(payload, None))
        else:
            self._on_project(lambda project: (project.rule_sets.get(key), project.rule_sets.info(key)),
                             lambda found: on_payload(*found))

    def _save_new(self, payload_of: Callable[[Any, str], dict], title: str, message: str) -> None:
        """Save a new project rule set whose payload ``payload_of(project, key)`` makes on the database thread."""
        author = self.session.author

        def work(project):
            key = _free_key(project, title)
            return _store(project, key, payload_of(project, key), author, 0)

        def done(record):
            self.refresh_project()
            self._say(message.format(title=record.title, key=record.key))

        self._on_project(work, done)

    def create(self, title: str) -> None:
        """Create an empty project rule set titled ``title``."""
        from checks.ruleset_payload import new_payload

        author = self.session.author if self.session else ""
        self._save_new(lambda _project, key: new_payload(key, title, author), title,
                       _("Rule set “{title}” created ({key})."))

    def duplicate(self, source: tuple[str, str], title: str) -> None:
        """Copy a shipped or project rule set into the project under a new title."""
        origin, key = source

        def payload_of(project, new_key):
            payload = _bundled_payload(key) if origin == BUNDLED else project.rule_sets.get(key)
            payload["ruleset"].update(key=new_key, title=title)
            return payload

        self._save_new(payload_of, title, _("“{title}” created as a copy ({key})."))

    def import_file(self, path: str | Path) -> None:
        """Import a ``.ruleset.json`` (with its IDS files) or an ``.ids`` file as a new project rule set."""
        from checks.ruleset_payload import import_payload

        path = Path(path)
        author = self.session.author if self.session else ""

        def work(project):
            payload = import_payload(path)
            title = payload["ruleset"].get("title") or path.stem
            key = _free_key(project, payload["ruleset"].get("key") or title)
            payload["ruleset"]["key"] = key
            return _store(project, key, payload, author, 0)

        def done(record):
            self.refresh_project()
            self._say(_("{file} imported as “{title}” ({key}).").format(file=path.name, title=record.title,
                                                                           key=record.key))

        self._on_project(work, done)

    def rename(self, key: str, title: str) -> None:
        """Give a project rule set a new title (its key stays: check runs refer to it)."""
        author = self.session.author

        def work(project):
            info = project.rule_sets.info(key)
            payload = project.rule_sets.get(key)
            payload["ruleset"]["title"] = title
            return project.rule_sets.save(key, payload, author, info.version)

        self._on_project(work, lambda record: (self.refresh_project(),
                                                self._say(_("Renamed to “{title}”.").format(title=record.title))))

    def delete(self, key: str) -> None:
        """Delete a project rule set for the team (the history keeps who did it)."""
        author, version = self.session.author, getattr(self.stored.get(key), "version", None)
        self._on_project(lambda project: project.rule_sets.delete(key, author, version),
                         lambda _none: (self.refresh_project(), self._say(_("Rule set {key} deleted.").format(key=key))))

    def export_files(self, source: tuple[str, str], directory: str | Path) -> None:
        """Write the rule set's JSON and its IDS files into ``directory``."""
        from checks.ruleset_payload import export_payload

        self._payload_then(source, lambda payload, _record: self._background(
            lambda: export_payload(payload, directory),
            lambda path: self._say(_("Exported to {path}.").format(path=path))))

    def export_ids(self, source: tuple[str, str], path: str | Path) -> None:
        """Write the rule set's enabled IDS specifications as one IDS file."""
        from checks.ruleset_payload import export_payload_ids

        self._payload_then(source, lambda payload, _record: self._background(
            lambda: export_payload_ids(payload, path),
            lambda written: self._say(_("IDS exported to {path}.").format(path=written))))

    # -- editing ---------------------------------------------------------------------------------

    def edit_selected(self) -> None:
        """Open the selected rule set in the editor (read-only for a shipped one)."""
        selected = self.selected()
        if selected:
            self.edit(selected)

    def edit(self, source: tuple[str, str]) -> None:
        """Open a rule set in the editor; ``self.editor`` is set once its content arrived."""
        origin, key = source
        self._payload_then(source, lambda payload, record: self._open_editor(origin, key, payload, record))

    def _open_editor(self, origin: str, key: str, payload: dict, record) -> None:
        editor = RuleSetEditor(payload, self, read_only=origin == BUNDLED)
        editor.setAttribute(Qt.WA_DeleteOnClose)
        version = record.version if record is not None else None
        editor.save_requested.connect(lambda edited: self._save_edited(editor, key, edited, version))
        self.editor = editor
        editor.open()

    def _save_edited(self, editor: RuleSetEditor, key: str, payload: dict, version: int | None) -> None:
        author = self.session.author

        def done(record):
            self.pending -= 1
            editor.saved()
            self.refresh_project()
            self._say(_("Rule set “{title}” saved (version {version}).").format(title=record.title,
                                                                               version=record.version))

        def failed(exc):
            self.pending -= 1
            editor.save_failed(str(exc))
            self._say(str(exc))

        if not self.has_project:
            editor.save_failed(_("Open a project to keep rule sets for the team."))
            return
        self.pending += 1
        if self.session.run(lambda project: _store(project, key, payload, author, version), done, failed) is None:
            self.pending -= 1
