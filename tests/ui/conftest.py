"""GUI fixtures: the real main window with the real VTK widget, on an X server (Xvfb).

scripts/test runs the session under xvfb-run when there is no display. Qt's ``offscreen``
platform cannot host VTK's OpenGL widget, so without a display these tests skip
locally and fail under CI=true.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session", autouse=True)
def _x_display():
    if not os.environ.get("DISPLAY"):
        message = "GUI tests need an X display (install Xvfb; scripts/test starts it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _qt_settings_sandbox(tmp_path_factory):
    """Keep QSettings (language, last folder) out of the user's real settings."""
    from PySide6.QtCore import QSettings

    path = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(path))
    yield path


@pytest.fixture
def window(qtbot):
    """A fresh main window, shown, in English."""
    from ui.application import configure_application_identity, create_main_window

    configure_application_identity()
    main_window = create_main_window("en")
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    _dispose(qtbot, main_window)


def _dispose(qtbot, main_window) -> None:
    """Close and delete the window now, while Qt and VTK are alive: left to the
    interpreter's final garbage collection, VTK and Qt objects die in any order."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    main_window.cancel_loading()
    main_window.close()
    main_window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    qtbot.wait(10)
    gc.collect()


def wait_loaded(qtbot, window, timeout: int = 60_000) -> None:
    """Wait until the window has no model loading or queued."""
    qtbot.waitUntil(lambda: not window.is_loading, timeout=timeout)


@pytest.fixture
def demo_window(qtbot, window, demo_project):
    """The main window with the five demo models loaded."""
    window.open_files([demo_project.paths[t] for t in ("ARC", "STR", "CVC", "PLB", "ELE")])
    wait_loaded(qtbot, window)
    assert not window.errors, window.errors
    return window


# --- helpers for module-scoped windows (module fixtures cannot use qtbot) ------------

TRADES = ("ARC", "STR", "CVC", "PLB", "ELE")


def wait_until(predicate, timeout: float = 30.0, what: str = "") -> None:
    """Turn the event loop until ``predicate()`` holds."""
    import time

    from PySide6.QtTest import QTest

    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        QTest.qWait(20)


def project_with_demo_models(path, demo_project, trades=TRADES):
    """A new project at ``path`` with the demo models of ``trades`` registered, as a coordinator sets it up."""
    from project_db import open_project

    with open_project(path, create=True) as project:
        for trade in trades:
            project.models.store_model_file(demo_project.paths[trade], trade, "coordinator")
    return path


def project_with_demo_issues(path, demo_project, author: str = "coordinator"):
    """A new project at ``path`` with the five demo models and the demo's example issues (as the demo writes them)."""
    from project_db import open_project
    from ui.demo_project import _write_issues

    project_with_demo_models(path, demo_project)
    with open_project(path) as project:
        _write_issues(project, demo_project, author, None)
    return path


def open_main_window():
    """A new main window in English, shown and exposed."""
    from PySide6.QtTest import QTest

    from ui.application import configure_application_identity, create_main_window

    configure_application_identity()
    window = create_main_window("en")
    window.show()
    QTest.qWaitForWindowExposed(window)
    return window


def close_main_window(window) -> None:
    """Stop what the window loads, close it and let Qt delete it now."""
    from PySide6.QtTest import QTest

    window.cancel_loading()
    window.close()
    window.deleteLater()
    QTest.qWait(50)


def open_project_and_wait(window, path, models: int = 5) -> None:
    """Open a project in ``window`` and wait until its ``models`` are loaded."""
    features = window.issue_features
    features.open_project(str(path))
    wait_until(lambda: features.session.is_open and len(window.federation) == models and not window.is_loading
               and not features.models.fetching, 90, "the project's models")


def open_window_on_project(path, poll_ms: int | None = None, models: int = 5):
    """A new main window with the project at ``path`` open and its ``models`` loaded.

    ``poll_ms``: how often the window looks for other workstations' changes (tests want it quick).
    """
    window = open_main_window()
    if poll_ms is not None:
        window.issue_features.session.set_poll_interval(poll_ms)
    open_project_and_wait(window, path, models)
    return window


@pytest.fixture
def other(project_path):
    """A second connection to the module's project (its ``project_path`` fixture): another workstation."""
    from project_db import open_project

    with open_project(project_path) as project:
        yield project
