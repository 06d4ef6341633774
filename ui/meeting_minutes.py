"""Ending a meeting and its minutes: confirm, close, generate (PDF, XLSX, HTML) off the UI thread, save a copy.

The minutes are gathered once and rendered in each chosen format by
:mod:`project_db.reports.minutes`, then stored in the project (so they can be
downloaded or regenerated later, from any workstation). A copy is written to a
file only when the user asks, through a temporary file so a failed write never
leaves half a PDF.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget,
)

from bim.i18n import _, current_language, ngettext
from project_db.errors import DatabaseUnavailable
from project_db.records import MINUTES_FORMATS
from ui.progress_task import start_with_progress
from ui.prompts import ask
from ui.tasks import Task

LAST_DIR_KEY = "meetings/last_dir"
FORMAT_NAMES = {"pdf": "PDF", "xlsx": "Excel (XLSX)", "html": "HTML"}
FORMAT_FILTERS = {"pdf": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)", "html": "HTML (*.html)"}


def format_list(formats) -> str:
    """"PDF, HTML" for a list of format codes."""
    return ", ".join(FORMAT_NAMES.get(f, f) for f in formats)


def minutes_file_name(meeting, fmt: str) -> str:
    """A file name for a meeting's minutes: ``minutes-meeting-3-2025-03-14.pdf``."""
    day = meeting.held_at.strftime("%Y-%m-%d") if meeting.held_at else ""
    stem = _("minutes-meeting-{number}").format(number=meeting.number)
    return f"{stem}-{day}.{fmt}" if day else f"{stem}.{fmt}"


def write_minutes(project, meeting_id: int, formats, author: str, language: str, progress=None, cancel=None):
    """Gather a meeting's minutes once, render them in ``formats`` and store each in the project (a worker)."""
    from project_db.reports.minutes import gather_minutes, render_minutes

    content = gather_minutes(project, meeting_id, language, generated_by=author, progress=progress, cancel=cancel)
    for fmt in formats:
        project.meetings.store_minutes(meeting_id, fmt, render_minutes(content, fmt), author)
    return tuple(formats)


class EndMeetingDialog(QDialog):
    """"End meeting #3?" with how much was discussed and the minutes' formats to write."""

    def __init__(self, meeting, parent: QWidget | None = None, title: str | None = None,
                 button: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title or _("End meeting"))
        total = len(meeting.items)
        discussed = sum(1 for item in meeting.items if item.discussed)
        text = _("<b>Meeting #{number} — {title}</b><br>{discussed} of {total} issues discussed.").format(
            number=meeting.number, title=_html(meeting.title), discussed=discussed, total=total)
        if discussed < total and button is None:
            text += "<br>" + ngettext("{n} issue was not discussed: it stays open on its own list.",
                                      "{n} issues were not discussed: they stay open on their own lists.",
                                      total - discussed).format(n=total - discussed)
        message = QLabel(text)
        message.setWordWrap(True)
        self.checks = {}
        formats = QHBoxLayout()
        formats.addWidget(QLabel(_("Minutes as:")))
        for fmt in MINUTES_FORMATS:
            box = QCheckBox(FORMAT_NAMES[fmt])
            box.setChecked(fmt == "pdf")
            box.toggled.connect(self._update)
            self.checks[fmt] = box
            formats.addWidget(box)
        formats.addStretch(1)
        note = QLabel(_("The minutes are stored in the project; you can save a copy afterwards."))
        note.setStyleSheet("color: gray")
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(button or _("End meeting and write minutes"),
                                                QDialogButtonBox.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addLayout(formats)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def set_formats(self, formats) -> None:
        """Tick exactly ``formats``."""
        for fmt, box in self.checks.items():
            box.setChecked(fmt in formats)

    def formats(self) -> tuple[str, ...]:
        """The ticked formats, in MINUTES_FORMATS order."""
        return tuple(fmt for fmt, box in self.checks.items() if box.isChecked())

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.formats()))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class MinutesWriter(QObject):
    """Ends meetings and writes, regenerates and saves their minutes (``features``: the MeetingFeatures)."""

    closed = Signal(object)  # the Meeting, closed
    generated = Signal(int, tuple)  # meeting id, formats stored
    saved = Signal(object)  # Path of a saved copy

    def __init__(self, features):
        super().__init__(features)
        self.features = features
        self.dialog: QDialog | None = None
        self.prompt = None
        self._task: Task | None = None

    @property
    def session(self):
        return self.features.session

    @property
    def window(self):
        return self.features.window

    @property
    def busy(self) -> bool:
        """True while minutes are being generated."""
        return self._task is not None

    # ------------------------------------------------------------------ ending

    def confirm_end(self, meeting) -> EndMeetingDialog:
        """Ask whether to end ``meeting`` and in which formats to write its minutes."""
        dialog = EndMeetingDialog(meeting, self.window)
        dialog.accepted.connect(lambda: self.end(meeting, dialog.formats()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def end(self, meeting, formats) -> None:
        """Close ``meeting``, then generate and store its minutes in ``formats``."""
        author = self.session.author

        def done(closed):
            self.closed.emit(closed)
            self.generate(closed, formats)

        def failed(exc):
            self._failed(exc, _("Meeting not ended"), lambda: self.end(meeting, formats))

        self.session.run(lambda project: project.meetings.close(meeting.id, author), done, failed)

    # ------------------------------------------------------------------ generating

    def confirm_regenerate(self, meeting, formats) -> EndMeetingDialog:
        """Ask which formats to regenerate for a stored meeting (``formats`` ticked first)."""
        dialog = EndMeetingDialog(meeting, self.window, _("Regenerate minutes"), _("Regenerate"))
        dialog.set_formats(formats or ("pdf",))
        dialog.accepted.connect(lambda: self.generate(meeting, dialog.formats()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def generate(self, meeting, formats) -> Task | None:
        """Generate ``meeting``'s minutes in ``formats`` in the background, with progress, and store them."""
        project = self.session.project
        if project is None or not formats or self._task is not None:
            return None
        author, language, meeting_id = self.session.author, current_language(), meeting.id

        def done(written):
            self._task = None
            self.generated.emit(meeting_id, tuple(written))
            self._offer_save(meeting, tuple(written))

        def failed(exc):
            self._task = None
            self._failed(exc, _("Minutes not written"), lambda: self.generate(meeting, formats))

        def cancelled():
            self._task = None
            self.window.statusBar().showMessage(_("Minutes of meeting #{number} not written (cancelled).").format(
                number=meeting.number), 8000)

        self._task = start_with_progress(
            self, self.window,
            lambda progress, cancel: write_minutes(project, meeting_id, formats, author, language, progress, cancel),
            label=_("Writing the minutes of meeting #{number}…").format(number=meeting.number), title=_("Minutes"),
            pool=self.session.pool, done=done, failed=failed, cancelled=cancelled, show_messages=True)
        return self._task

    def _offer_save(self, meeting, formats) -> None:
        text = _("The minutes of meeting #{number} are stored in the project ({formats}).").format(
            number=meeting.number, formats=format_list(formats))
        self.window.statusBar().showMessage(text, 10000)
        choices = [(f"save-{fmt}", _("Save {format}…").format(format=FORMAT_NAMES[fmt].split(" ")[0]),
                    QMessageBox.AcceptRole) for fmt in formats]
        choices.append(("close", _("Close"), QMessageBox.RejectRole))
        self.prompt = ask(self.window, QMessageBox.Information, _("Minutes written"),
                          text + "\n" + _("Save a copy to a file?"), choices,
                          lambda choice: choice.startswith("save-") and self.choose_file(meeting, choice[5:]))

    # ------------------------------------------------------------------ saving a copy

    def choose_file(self, meeting, fmt: str) -> QFileDialog:
        """Ask where to save a copy of ``meeting``'s stored minutes in ``fmt``."""
        folder = QSettings().value(LAST_DIR_KEY, str(Path.home()))
        dialog = QFileDialog(self.window, _("Save minutes"), str(Path(folder) / minutes_file_name(meeting, fmt)),
                             FORMAT_FILTERS[fmt])
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setDefaultSuffix(fmt)
        dialog.fileSelected.connect(lambda path: path and self.save_copy(meeting.id, fmt, path))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save_copy(self, meeting_id: int, fmt: str, path) -> None:
        """Write the stored minutes of ``meeting_id`` in ``fmt`` to ``path`` (in the background)."""
        from bim.atomic_file import write_atomically

        path = Path(path)
        QSettings().setValue(LAST_DIR_KEY, str(path.parent))

        def write(project):
            return write_atomically(path, project.meetings.minutes_data(meeting_id, fmt))

        def done(written):
            self.saved.emit(Path(written))
            text = _("Minutes saved: {path}").format(path=written)
            self.window.statusBar().showMessage(text, 10000)
            self.prompt = ask(self.window, QMessageBox.Information, _("Minutes saved"), text,
                              [("folder", _("Open folder"), QMessageBox.ActionRole),
                               ("open", _("Open file"), QMessageBox.ActionRole),
                               ("ok", _("OK"), QMessageBox.AcceptRole)],
                              lambda choice: self._open(Path(written), choice))

        def failed(exc):
            self._failed(exc, _("Minutes not saved"), lambda: self.save_copy(meeting_id, fmt, path),
                         _("{file}: {error}").format(file=path, error=exc))

        self.session.run(write, done, failed)

    @staticmethod
    def _open(path: Path, choice: str) -> None:
        if choice == "folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        elif choice == "open":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # ------------------------------------------------------------------ errors

    def _failed(self, exc, title: str, retry, text: str | None = None) -> None:
        choices = [("ok", _("OK"), QMessageBox.RejectRole)]
        if isinstance(exc, DatabaseUnavailable):
            choices.insert(0, ("retry", _("Retry"), QMessageBox.AcceptRole))
        self.prompt = ask(self.window, QMessageBox.Warning, title, text or str(exc), choices,
                          lambda choice: choice == "retry" and retry(), getattr(exc, "traceback_text", ""))
