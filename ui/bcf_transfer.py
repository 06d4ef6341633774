"""BCF in and out of the open project from the window: File menu, drag and drop, progress and report.

Import and export run in the thread pool with a progress dialog that can cancel;
an import is one transaction, so a cancelled one leaves the project as it was.
The report names the topics that could not come in and why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QMessageBox, QWidget,
)

from bim.i18n import _
from ui.progress_task import start_with_progress
from ui.tasks import Task

BCF_SUFFIXES = (".bcf", ".bcfzip")
BCF_FILTER = "BCF (*.bcf *.bcfzip)"
LAST_DIR_KEY = "bcf/last_dir"


def bcf_paths(paths) -> list[str]:
    """The BCF files among ``paths``."""
    return [str(p) for p in paths if str(p).lower().endswith(BCF_SUFFIXES)]


def import_summary(report) -> str:
    """One paragraph on what an import did."""
    text = _("{file}: {created} new issues, {updated} updated, {unchanged} unchanged; "
             "{comments} comments and {viewpoints} viewpoints added.").format(
        file=Path(report.file).name, created=report.created, updated=report.updated, unchanged=report.unchanged,
        comments=report.comments_added, viewpoints=report.viewpoints_added)
    if report.skipped_topics:
        text += "\n" + _("{n} topics could not be imported (see the details).").format(n=report.skipped_topics)
    elif report.problems:
        text += "\n" + _("{n} remarks (see the details).").format(n=len(report.problems))
    return text


def problems_text(problems) -> str:
    """Every problem, one per line: the entry, what was left out, why."""
    lines = []
    for problem in problems:
        left_out = f" [{problem.skipped}]" if problem.skipped else ""
        lines.append(f"{problem.entry}{left_out}: {problem.reason}")
    return "\n".join(lines)


class ExportDialog(QDialog):
    """BCF version and an optional trade filter for an export."""

    def __init__(self, trades, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Export BCF"))
        self.version = QComboBox()
        self.version.addItem("BCF 3.0", "3.0")
        self.version.addItem(_("BCF 2.1 (older tools)"), "2.1")
        self.trade = QComboBox()
        self.trade.addItem(_("All trades"), "")
        for trade in trades:
            self.trade.addItem(f"{trade.code} – {trade.name()}", trade.code)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Version:"), self.version)
        form.addRow(_("Issues of:"), self.trade)
        form.addRow(buttons)


class BcfTransfer(QObject):
    """BCF import (menu and drop) and export for a window's project."""

    imported = Signal(object)  # ImportReport
    exported = Signal(object)  # ExportReport
    transfer_failed = Signal(str)

    def __init__(self, window, session):
        super().__init__(window)
        self.window = window
        self.session = session
        self.last_report = None
        self.message_box: QMessageBox | None = None
        self._pending: list[str] = []
        self._task: Task | None = None
        window.installEventFilter(self)

    # ------------------------------------------------------------------ drag and drop

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        """BCF files dropped on the window are imported; IFC files go on to the window's own handler."""
        if obj is self.window and event.type() == QEvent.Drop and event.mimeData().hasUrls():
            paths = bcf_paths(u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile())
            if paths:
                self.import_files(paths)
        return False

    # ------------------------------------------------------------------ import

    def choose_import(self) -> None:
        """File › Import BCF…"""
        if not self._need_project():
            return
        paths, _f = QFileDialog.getOpenFileNames(self.window, _("Import BCF"), self._last_dir(), BCF_FILTER)
        if paths:
            QSettings().setValue(LAST_DIR_KEY, str(Path(paths[0]).parent))
            self.import_files(paths)

    def import_files(self, paths) -> None:
        """Import BCF files one after the other into the open project."""
        if not self._need_project():
            return
        self._pending.extend(str(p) for p in paths)
        if self._task is None:
            self._import_next()

    def _import_next(self) -> None:
        if not self._pending or self.session.project is None:
            self._pending.clear()
            return
        path = self._pending.pop(0)
        project, author = self.session.project, self.session.author
        from project_db.bcf import import_bcf

        self._run(lambda progress, cancel: import_bcf(project, path, author, progress, cancel),
                  _("Importing {file}…").format(file=Path(path).name), self._on_imported, path)

    def _on_imported(self, report) -> None:
        self.last_report = report
        self.imported.emit(report)
        box = self._message(QMessageBox.Warning if report.skipped_topics else QMessageBox.Information,
                            _("BCF import"), import_summary(report))
        if report.problems:
            box.setDetailedText(problems_text(report.problems))
        box.open()
        self._import_next()

    # ------------------------------------------------------------------ export

    def choose_export(self) -> None:
        """File › Export BCF…: version, trade, then where."""
        if not self._need_project():
            return
        dialog = ExportDialog(self.session.vocabulary.trades, self.window)
        if dialog.exec() != QDialog.Accepted:
            return
        suggestion = str(Path(self._last_dir()) / f"{self.window.windowTitle().split(' — ')[-1] or 'issues'}.bcf")
        path, _f = QFileDialog.getSaveFileName(self.window, _("Export BCF"), suggestion, BCF_FILTER)
        if path:
            if not path.lower().endswith(BCF_SUFFIXES):
                path += ".bcf"
            QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
            self.export(path, dialog.version.currentData(), dialog.trade.currentData() or None)

    def export(self, path, version: str = "3.0", trade: str | None = None) -> None:
        """Write the project's issues (``trade``'s only, if given) to ``path``."""
        if not self._need_project():
            return
        project = self.session.project
        from project_db.bcf import export_bcf

        self._run(lambda progress, cancel: export_bcf(project, path, version, trade, progress=progress,
                                                      cancel=cancel),
                  _("Exporting {file}…").format(file=Path(path).name), self._on_exported, str(path))

    def _on_exported(self, report) -> None:
        self.exported.emit(report)
        text = _("{n} issues written to {file} (BCF {version}).").format(
            n=report.topics, file=report.file, version=report.version)
        self.window.statusBar().showMessage(text, 10000)
        if report.problems:
            box = self._message(QMessageBox.Information, _("BCF export"), text + "\n" + _(
                "{n} values were adjusted to keep the file valid (see the details).").format(n=len(report.problems)))
            box.setDetailedText(problems_text(report.problems))
            box.open()

    # ------------------------------------------------------------------ shared

    def _run(self, fn, label: str, on_done, path: str) -> None:
        def done(report):
            self._task = None
            on_done(report)

        def failed(exc):
            self._task = None
            self.transfer_failed.emit(str(exc))
            self._message(QMessageBox.Warning, _("BCF"), str(exc)).open()
            self._import_next()

        def cancelled():
            self._task = None
            self.window.statusBar().showMessage(_("{file}: cancelled, nothing was changed").format(
                file=Path(path).name), 8000)
            self._pending.clear()

        self._task = start_with_progress(self, self.window, fn, label=label, title=_("BCF"), pool=self.session.pool,
                                         done=done, failed=failed, cancelled=cancelled, minimum_duration=400)

    def _message(self, icon, title: str, text: str) -> QMessageBox:
        self.message_box = QMessageBox(icon, title, text, QMessageBox.Ok, self.window)
        return self.message_box

    def _need_project(self) -> bool:
        if self.session.project is not None:
            return True
        self._message(QMessageBox.Information, _("BCF"),
                      _("Open or create a project first: BCF issues are imported into a project.")).open()
        return False

    def _last_dir(self) -> str:
        return str(QSettings().value(LAST_DIR_KEY, str(Path.home())))
