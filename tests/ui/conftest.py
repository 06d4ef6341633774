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
