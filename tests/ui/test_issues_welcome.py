"""The welcome screen: the demo project, a new project, recent projects, and what the app shows at start-up."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtCore import Qt

from bim.demo import element_global_id
from ui.application import open_start_content
from ui.project_session import recent_projects
from tests.ui.conftest import wait_loaded

TRADES = {"ARC", "STR", "CVC", "PLB", "ELE"}


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    """The user data folder (where the demo project lives) in a temporary place."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_starting_without_a_project_or_files_shows_the_welcome_screen(window):
    open_start_content(window, argparse.Namespace(project=None, demo=False, files=[]))
    assert window.issue_features.welcome.isVisible()
    window.issue_features.welcome.reject()


def test_the_welcome_screen_opens_the_demo_project_with_models_and_issues_of_every_trade(qtbot, window, user_data):
    from ui.demo_project import demo_project_path, ensure_demo_project

    features = window.issue_features
    welcome = features.show_welcome()
    qtbot.mouseClick(welcome.demo_button, Qt.LeftButton)
    assert not welcome.isVisible()
    qtbot.waitUntil(lambda: features.session.is_open and len(window.federation) == 5, timeout=60_000)
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: len(features.panel.model.rows) >= 10, timeout=10_000)
    qtbot.waitUntil(lambda: all(r.viewpoint_count == 1 for r in features.panel.model.rows), timeout=20_000)
    rows = features.panel.model.rows
    assert {r.responsible_trade for r in rows} == TRADES
    assert {m.trade for m in window.federation} == TRADES
    path = demo_project_path()
    assert path.is_relative_to(user_data) and str(path) in recent_projects()

    duct_issue = next(r for r in rows if "Supply duct runs through beam" in r.title)
    with qtbot.waitSignal(features.detail_shown, timeout=10_000):
        features.panel.issue_activated.emit(duct_issue.id)
    assert {gid for _model, gid in window.scene.selection} == {
        element_global_id("CVC", "RDC/duct-N"), element_global_id("STR", "RDC/beam-B1")}
    assert features.detail.detail.viewpoints[0].viewpoint.snapshot_png.startswith(b"\x89PNG")

    built = path.stat().st_mtime_ns
    assert ensure_demo_project() == path and path.stat().st_mtime_ns == built  # built once, reused after


def test_a_new_project_from_the_welcome_screen_is_created_and_remembered(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "chantier.synthese"
    monkeypatch.setattr("ui.welcome.choose_new_project_file", lambda parent: str(target))
    features = window.issue_features
    qtbot.mouseClick(features.show_welcome().new_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: features.session.is_open, timeout=10_000)
    assert target.exists() and recent_projects()[0] == str(target)
    assert features.new_issue_action.isEnabled() and "chantier" in window.windowTitle()

    features.close_project()
    assert not features.new_issue_action.isEnabled()
    welcome = features.show_welcome()
    assert welcome.recent.item(0).data(Qt.UserRole) == str(target)
    welcome.recent.itemActivated.emit(welcome.recent.item(0))
    qtbot.waitUntil(lambda: features.session.is_open, timeout=10_000)


def test_a_missing_project_offers_to_create_it(qtbot, window, tmp_path):
    features = window.issue_features
    features.open_project(str(tmp_path / "nowhere.synthese"))
    qtbot.waitUntil(lambda: features.prompt is not None and features.prompt.isVisible(), timeout=10_000)
    assert "nowhere.synthese" in features.prompt.text()
    features.prompt.choose("create")
    qtbot.waitUntil(lambda: features.session.is_open, timeout=10_000)
    assert (tmp_path / "nowhere.synthese").exists()
