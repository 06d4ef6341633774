"""Coordination › Export issue report…: the issues panel's current filter as a PDF or XLSX report.

The issues are gathered and the file rendered off the UI thread
(:mod:`project_db.reports.issue_report`), with progress and cancel; the file is
written through a temporary file, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from bim.i18n import _, current_language
from ui.progress_task import start_with_progress
from ui.prompts import ask
from ui.tasks import Task

LAST_DIR_KEY = "reports/last_dir"
REPORT_FILTERS = ("PDF (*.pdf)", "Excel (*.xlsx)")


def report_format(path: str | Path, chosen_filter: str = "") -> tuple[Path, str]:
    """``path`` with a report extension (its own if known, else the chosen filter's) and that format."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("pdf", "xlsx"):
        return path, suffix
    fmt = "xlsx" if "xlsx" in chosen_filter else "pdf"
    return path.with_name(f"{path.name}.{fmt}"), fmt


def write_issue_report(project, flt, path: Path, fmt: str, progress=None, cancel=None) -> Path:
    """Gather the issues ``flt`` selects and write the report to ``path`` (a worker)."""
    from bim.atomic_file import write_atomically
    from project_db.reports.issue_report import gather_issues, render_issue_report

    content = gather_issues(project, flt, language=current_language(), progress=progress, cancel=cancel)
    return write_atomically(path, render_issue_report(content, fmt))


class IssueReportExport(QObject):
    """Exports the issues panel's filtered issues; ``features``: the MeetingFeatures."""

    written = Signal(object)  # Path

    def __init__(self, features):
        super().__init__(features)
        self.features = features
        self.dialog = None
        self.prompt = None
        self._task: Task | None = None

    def choose_file(self) -> QFileDialog:
        """Ask where to write the report (non-blocking)."""
        folder = QSettings().value(LAST_DIR_KEY, str(Path.home()))
        name = _("issue-report-{date}").format(date=datetime.now().strftime("%Y-%m-%d")) + ".pdf"
        dialog = QFileDialog(self.features.window, _("Export issue report"), str(Path(folder) / name),
                             ";;".join(REPORT_FILTERS))
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.fileSelected.connect(lambda path: path and self.export(path, dialog.selectedNameFilter()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def export(self, path, chosen_filter: str = "") -> Task | None:
        """Write the report of the issues the panel's filters select to ``path`` (PDF or XLSX by extension)."""
        session = self.features.session
        project = session.project
        if project is None or self._task is not None:
            return None
        path, fmt = report_format(path, chosen_filter)
        QSettings().setValue(LAST_DIR_KEY, str(path.parent))
        flt = self.features.issues.panel.current_filter()
        window = self.features.window

        def done(written):
            self._task = None
            window.statusBar().showMessage(_("Issue report saved: {path}").format(path=written), 10000)
            self.written.emit(Path(written))

        def failed(exc):
            self._task = None
            self.prompt = ask(window, QMessageBox.Warning, _("Issue report not written"),
                              _("{file}: {error}").format(file=path, error=exc),
                              [("ok", _("OK"), QMessageBox.AcceptRole)], lambda _c: None,
                              getattr(exc, "traceback_text", ""))

        def cancelled():
            self._task = None
            window.statusBar().showMessage(_("{file}: cancelled, nothing was written").format(file=path.name), 8000)

        self._task = start_with_progress(
            self, window, lambda progress, cancel: write_issue_report(project, flt, path, fmt, progress, cancel),
            label=_("Writing {file}…").format(file=path.name), title=_("Issue report"), pool=session.pool,
            done=done, failed=failed, cancelled=cancelled)
        return self._task
