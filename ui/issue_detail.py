"""The issue detail dock: editable fields, viewpoint thumbnails, comments thread and history timeline.

Like the issues panel it does no database work: it shows an :class:`IssueDetail`
and asks for saves, comments and viewpoints through signals, which the window's
issue features run in the background. What the user typed stays in the widgets
until a save succeeds or the user reverts, whatever goes wrong in between.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QScrollArea, QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from bim.i18n import _
from ui.issue_form import IssueForm
from ui.issue_text import field_label, format_moment, format_value
from ui.project_session import Vocabulary

THUMB = QSize(160, 100)


def thumbnail(png: bytes | None, caption: str) -> QIcon:
    """An icon from a viewpoint snapshot, or a neutral tile naming the viewpoint when it has none."""
    pixmap = QPixmap()
    if png and pixmap.loadFromData(png):
        return QIcon(pixmap.scaled(THUMB, Qt.KeepAspectRatio, Qt.SmoothTransformation))
    tile = QPixmap(THUMB)
    tile.fill(QColor(225, 228, 232))
    painter = QPainter(tile)
    painter.setPen(QColor(90, 90, 90))
    painter.drawText(tile.rect(), Qt.AlignCenter | Qt.TextWordWrap, caption)
    painter.end()
    return QIcon(tile)


class IssueDetailPanel(QWidget):
    """One issue: fields to edit and save, its viewpoints, comments and history."""

    save_requested = Signal(object)  # the edited Issue
    revert_requested = Signal()
    comment_requested = Signal(str)
    viewpoint_activated = Signal(object)  # ViewpointRecord
    add_viewpoint_requested = Signal()
    select_elements_requested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.detail = None
        self.header = QLabel(_("Select an issue in the list."))
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.viewpoints = QListWidget()
        self.viewpoints.setViewMode(QListView.IconMode)
        self.viewpoints.setFlow(QListView.LeftToRight)
        self.viewpoints.setWrapping(False)
        self.viewpoints.setIconSize(THUMB)
        self.viewpoints.setFixedHeight(THUMB.height() + 36)
        self.viewpoints.setMovement(QListView.Static)
        self.viewpoints.setSelectionMode(QAbstractItemView.SingleSelection)
        self.viewpoints.setToolTip(_("Click a viewpoint to see it in 3D"))
        self.viewpoints.itemClicked.connect(self._on_viewpoint_clicked)
        self.add_viewpoint_button = QPushButton(_("Add current view"))
        self.add_viewpoint_button.setToolTip(_("Attach the current 3D view to this issue"))
        self.add_viewpoint_button.clicked.connect(self.add_viewpoint_requested)

        self.form = IssueForm()
        self.form.edited_changed.connect(self._update_state)
        self.form.select_elements_requested.connect(self.select_elements_requested)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.comments = QTextBrowser()
        self.comments.setOpenExternalLinks(True)
        self.comment_text = QPlainTextEdit()
        self.comment_text.setPlaceholderText(_("Write a comment…"))
        self.comment_text.setMaximumHeight(70)
        self.comment_button = QPushButton(_("Add comment"))
        self.comment_button.clicked.connect(self._on_comment)
        comments_tab = QWidget()
        comments_layout = QVBoxLayout(comments_tab)
        comments_layout.addWidget(self.comments, 1)
        comments_layout.addWidget(self.comment_text)
        comments_layout.addWidget(self.comment_button, 0, Qt.AlignRight)
        self.history = QTreeWidget()
        self.history.setHeaderLabels([_("When"), _("Who"), _("What"), _("Old → new")])
        self.history.setRootIsDecorated(False)
        for column, width in enumerate((120, 150, 150)):
            self.history.setColumnWidth(column, width)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, _("Fields"))
        self.tabs.addTab(comments_tab, _("Comments"))
        self.tabs.addTab(self.history, _("History"))

        self.state = QLabel()
        self.state.setWordWrap(True)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.request_save)
        self.revert_button = QPushButton(_("Revert"))
        self.revert_button.clicked.connect(self.revert_requested)
        viewpoint_row = QHBoxLayout()
        viewpoint_row.addWidget(self.viewpoints, 1)
        viewpoint_row.addWidget(self.add_viewpoint_button, 0, Qt.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.header)
        layout.addLayout(viewpoint_row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.busy = False
        self.note = ""
        self.show_detail(None, Vocabulary())

    # ------------------------------------------------------------------ showing

    @property
    def issue_id(self) -> int | None:
        return self.detail.issue.id if self.detail is not None else None

    @property
    def is_dirty(self) -> bool:
        """True while the user has edits that are not saved."""
        return self.detail is not None and bool(self.form.changed_fields())

    def show_detail(self, detail, vocabulary: Vocabulary) -> None:
        """Show an issue (None: nothing), dropping any unsaved edits."""
        self.detail = detail
        self.note = ""
        enabled = detail is not None
        for widget in (self.form, self.viewpoints, self.add_viewpoint_button, self.comment_text,
                       self.comment_button, self.tabs):
            widget.setEnabled(enabled)
        if detail is None:
            self.header.setText(_("Select an issue in the list."))
            self.viewpoints.clear()
            self.comments.clear()
            self.history.clear()
            self._update_state()
            return
        issue = detail.issue
        self.header.setText(_("<b>#{number} {title}</b><br>Created by {author} on {date}").format(
            number=issue.number, title=_escape(issue.title), author=_escape(issue.creation_author or "?"),
            date=format_moment(issue.creation_date)))
        self.form.show_issue(issue, vocabulary)
        self._show_viewpoints(detail.viewpoints)
        self._show_comments(detail.comments)
        self._show_history(detail.history)
        self.tabs.setTabText(1, _("Comments ({n})").format(n=len(detail.comments)))
        self.tabs.setTabText(2, _("History ({n})").format(n=len(detail.history)))
        self._update_state()

    def show_extras(self, detail) -> None:
        """Refresh viewpoints, comments and history only, keeping the user's unsaved field edits."""
        self.detail = type(self.detail)(issue=self.detail.issue, comments=detail.comments,
                                        viewpoints=detail.viewpoints, history=detail.history)
        self._show_viewpoints(detail.viewpoints)
        self._show_comments(detail.comments)
        self._show_history(detail.history)
        self.tabs.setTabText(1, _("Comments ({n})").format(n=len(detail.comments)))
        self.tabs.setTabText(2, _("History ({n})").format(n=len(detail.history)))

    def _show_viewpoints(self, viewpoints) -> None:
        self.viewpoints.clear()
        for n, record in enumerate(viewpoints, 1):
            caption = _("Viewpoint {n}").format(n=n)
            item = QListWidgetItem(thumbnail(record.viewpoint.snapshot_png, caption), caption)
            item.setData(Qt.UserRole, n - 1)
            item.setToolTip(_("{who}, {when}").format(who=record.created_by or "?",
                                                       when=format_moment(record.created_at)))
            self.viewpoints.addItem(item)

    def _show_comments(self, comments) -> None:
        parts = []
        for comment in comments:
            text = _escape(comment.text).replace("\n", "<br>")
            parts.append(f"<p><b>{_escape(comment.author)}</b> <span style='color:gray'>"
                         f"{format_moment(comment.date)}</span><br>{text}</p>")
        no_comment = _("No comments yet.")
        self.comments.setHtml("".join(parts) or f"<p style='color:gray'>{no_comment}</p>")

    def _show_history(self, history) -> None:
        self.history.clear()
        for entry in reversed(history):  # newest first: what changed last matters most in a meeting
            what = field_label(entry.field)
            if entry.entity != "issue":
                what = f"{field_label(entry.entity)}: {what}"
            if entry.field.endswith("added") and entry.entity == "viewpoint":
                change = ""  # its guid says nothing to a reader; the thumbnail is above
            elif entry.field == "created" or entry.field.endswith("added"):
                change = format_value(entry.new)
            else:
                change = f"{format_value(entry.old)} → {format_value(entry.new)}"
            item = QTreeWidgetItem([format_moment(entry.at), entry.author, what, change])
            item.setToolTip(3, change)
            self.history.addTopLevelItem(item)

    # ------------------------------------------------------------------ state and requests

    def set_busy(self, busy: bool, message: str = "") -> None:
        """Disable saving while a save runs; show what is going on."""
        self.busy = busy
        self.note = message
        self.form.setEnabled(not busy and self.detail is not None)  # typing during a save would be lost
        self._update_state()

    def set_note(self, message: str) -> None:
        """A remark shown beside the buttons (e.g. someone else changed the issue)."""
        self.note = message
        self._update_state()

    def _update_state(self) -> None:
        dirty = self.is_dirty
        self.save_button.setEnabled(dirty and not self.busy)
        self.revert_button.setEnabled(dirty and not self.busy)
        text = self.note
        if not text and dirty:
            fields = ", ".join(field_label(f) for f in self.form.changed_fields())
            text = _("Unsaved changes: {fields}").format(fields=fields)
        self.state.setText(text)

    def request_save(self) -> None:
        """Ask for the edited issue to be saved."""
        edited = self.form.edited()
        if edited is not None and self.is_dirty and not self.busy:
            self.save_requested.emit(edited)

    def _on_comment(self) -> None:
        text = self.comment_text.toPlainText().strip()
        if text and self.detail is not None:
            self.comment_requested.emit(text)

    def _on_viewpoint_clicked(self, item: QListWidgetItem) -> None:
        if self.detail is not None:
            self.viewpoint_activated.emit(self.detail.viewpoints[item.data(Qt.UserRole)])

    def viewpoint_item(self, n: int) -> QListWidgetItem:
        """The thumbnail of the ``n``-th viewpoint (for tests and keyboard use)."""
        return self.viewpoints.item(n)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
