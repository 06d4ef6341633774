"""The welcome screen: recent projects, new project, open project, connect to a server, open the demo.

It only says what the user chose (``project_chosen``, ``demo_requested``); the window's
issue features do the opening. It also serves as File › Switch project.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QVBoxLayout, QWidget,
)

from bim.i18n import _
from ui.demo_project import DEMO_SUFFIX
from ui.project_session import recent_projects

PROJECT_FILTER = "Synthese (*.synthese *.sqlite *.db);;*"
LAST_DIR_KEY = "projects/last_dir"


def _last_dir() -> str:
    return str(QSettings().value(LAST_DIR_KEY, str(Path.home())))


def choose_new_project_file(parent: QWidget | None) -> str | None:
    """Ask where to create a new SQLite project; the file name gets the ``.synthese`` suffix."""
    path, _f = QFileDialog.getSaveFileName(parent, _("New project"), str(Path(_last_dir()) / f"project{DEMO_SUFFIX}"),
                                           PROJECT_FILTER)
    if not path:
        return None
    if not Path(path).suffix:
        path += DEMO_SUFFIX
    QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
    return path


def choose_project_file(parent: QWidget | None) -> str | None:
    """Ask for an existing SQLite project file."""
    path, _f = QFileDialog.getOpenFileName(parent, _("Open project"), _last_dir(), PROJECT_FILTER)
    if path:
        QSettings().setValue(LAST_DIR_KEY, str(Path(path).parent))
    return path or None


class WelcomeDialog(QDialog):
    """What to work on: a recent project, a new one, one on a server, or the demo."""

    project_chosen = Signal(str, bool)  # target (path or URL), create
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Synthese"))
        self.setMinimumWidth(560)
        title = QLabel(_("Synthese"))
        font = QFont()
        font.setPointSize(18)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(_("BIM review and coordination: open a project to see its models and issues."))
        intro.setWordWrap(True)

        self.recent = QListWidget()
        self.recent.itemActivated.connect(self._open_recent)
        self.recent.itemDoubleClicked.connect(self._open_recent)
        self.open_recent_button = QPushButton(_("Open"))
        self.open_recent_button.clicked.connect(lambda: self._open_recent(self.recent.currentItem()))
        recent_box = QGroupBox(_("Recent projects"))
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.addWidget(self.recent)
        recent_layout.addWidget(self.open_recent_button, 0, Qt.AlignRight)

        self.new_button = QPushButton(_("New project…"))
        self.new_button.setToolTip(_("A project file on this computer (SQLite)"))
        self.open_button = QPushButton(_("Open project…"))
        self.demo_button = QPushButton(_("Open the demo project"))
        self.demo_button.setToolTip(_("Five trade models with example issues, to try Synthese"))
        self.new_button.clicked.connect(self._new)
        self.open_button.clicked.connect(self._open)
        self.demo_button.clicked.connect(self._demo)
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.demo_button):
            actions.addWidget(button)

        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://user@server/project")
        self.connect_button = QPushButton(_("Connect"))
        self.create_button = QPushButton(_("Create"))
        self.create_button.setToolTip(_("Create the project database on the server"))
        self.connect_button.clicked.connect(lambda: self._server(False))
        self.create_button.clicked.connect(lambda: self._server(True))
        self.url.returnPressed.connect(lambda: self._server(False))
        server_box = QGroupBox(_("Shared project on a PostgreSQL server"))
        server_layout = QHBoxLayout(server_box)
        server_layout.addWidget(self.url, 1)
        server_layout.addWidget(self.connect_button)
        server_layout.addWidget(self.create_button)

        self.skip_button = QPushButton(_("Continue without a project"))
        self.skip_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(recent_box, 1)
        layout.addWidget(server_box)
        layout.addWidget(self.skip_button, 0, Qt.AlignRight)
        self.refresh()

    def refresh(self) -> None:
        """List the recent projects; files that are gone are shown greyed out."""
        self.recent.clear()
        for target in recent_projects():
            item = QListWidgetItem(target)
            item.setData(Qt.UserRole, target)
            if "://" not in target and not Path(target).exists():
                item.setText(_("{target} (missing)").format(target=target))
                item.setFlags(item.flags() & ~Qt.ItemIsEnabled)
            self.recent.addItem(item)
        self.open_recent_button.setEnabled(self.recent.count() > 0)
        if self.recent.count():
            self.recent.setCurrentRow(0)

    def _choose(self, target: str, create: bool) -> None:
        self.accept()
        self.project_chosen.emit(target, create)

    def _open_recent(self, item) -> None:
        if item is not None and item.flags() & Qt.ItemIsEnabled:
            self._choose(item.data(Qt.UserRole), False)

    def _new(self) -> None:
        path = choose_new_project_file(self)
        if path:
            self._choose(path, True)

    def _open(self) -> None:
        path = choose_project_file(self)
        if path:
            self._choose(path, False)

    def _server(self, create: bool) -> None:
        url = self.url.text().strip()
        if url:
            self._choose(url, create)

    def _demo(self) -> None:
        self.accept()
        self.demo_requested.emit()
