"""Start the desktop application: Qt application, translations, main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from bim.i18n import current_language, set_language
from ui.settings_dialog import saved_language

ORGANISATION = "Synthese"
APPLICATION = "Synthese"


def configure_application_identity() -> None:
    """Names under which QSettings stores preferences."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)


def install_translations(app: QApplication, language: str | None = None) -> str:
    """Apply the chosen (or saved, or system) language to our strings and to Qt's own dialogs."""
    code = set_language(language or saved_language())
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    if code != "en" and translator.load(QLocale(code), "qtbase", "_", path):
        app.installTranslator(translator)
    return current_language()


def create_main_window(language: str | None = None):
    """The application's main window (the QApplication must exist)."""
    from ui.main_window import MainWindow

    install_translations(QApplication.instance(), language)
    return MainWindow()


def demo_files() -> list[Path]:
    """The demo's IFC files, generated on first use (the demo project stores copies of them)."""
    from bim.commands import default_demo_dir
    from bim.demo import generate_demo

    directory = default_demo_dir()
    project = generate_demo(directory)
    return list(project.paths.values())


def open_start_content(window, args: argparse.Namespace) -> None:
    """What the window shows first: ``--project``, ``--demo`` (the demo project), files, else the welcome screen."""
    features = window.issue_features
    project = getattr(args, "project", None)
    files = list(getattr(args, "files", []) or [])
    if project:
        features.open_project(project)
    elif getattr(args, "demo", False):
        features.open_demo()
    if files:
        window.open_files(files)
    if not (project or getattr(args, "demo", False) or files):
        features.show_welcome()


def run_gui(args: argparse.Namespace) -> int:
    """``synthese gui``: show the window, open the project, the demo or the files given, run the event loop."""
    configure_application_identity()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_main_window(getattr(args, "lang", None))
    window.show()
    open_start_content(window, args)
    return app.exec()
