"""Project settings in the real window: trades and their delays, users and labels, edited and shared through the project."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from project_db import open_project
from ui.settings_features import install

TIMEOUT = 20_000


@pytest.fixture
def project_path(tmp_path):
    """A new SQLite project, with the French-practice defaults."""
    path = tmp_path / "chantier.synthese"
    open_project(path, create=True).close()
    return path


@pytest.fixture
def settings(qtbot, window, project_path):
    """The window's settings features, with the project open."""
    features = install(window)
    session = window.issue_features.session
    window.issue_features.open_project(str(project_path))
    qtbot.waitUntil(lambda: session.is_open, timeout=TIMEOUT)
    return features


@pytest.fixture
def dialog(qtbot, settings):
    """The Project settings dialog, opened from its menu entry, its settings read."""
    settings.action.trigger()
    qtbot.waitUntil(lambda: settings.dialog is not None and bool(settings.dialog.baseline.trades)
                    and not settings.dialog.busy, timeout=TIMEOUT)
    return settings.dialog


def save(qtbot, dialog):
    """Click Save and wait until the saved settings are shown again."""
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    return blocker.args[0]


def test_the_project_settings_entry_is_disabled_with_a_reason_until_a_project_is_open(window):
    features = install(window)
    assert install(window) is features  # installing twice adds one entry
    file_menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in file_menu.actions()].count("Project settings…") == 1
    assert not features.action.isEnabled()
    assert "Open a project" in features.action.statusTip()
    assert features.open_dialog() is None


def test_delays_users_and_labels_edited_in_the_dialog_are_saved_to_the_project(qtbot, dialog, project_path):
    trades = dialog.trades_tab
    row = trades.select_trade("CVC")
    assert "CVC" in trades.delays_label.text()
    response, resolution = trades.delay_spins("High")
    assert (response.value(), resolution.value()) == (2, 7)
    resolution.setValue(12)
    trades.set_colour(row, "#112233")

    users = dialog.users_tab
    qtbot.mouseClick(users.add_button, Qt.LeftButton)
    user_row = users.table.rowCount() - 1
    users.table.item(user_row, users.NAME).setText("Camille Martin")
    users.table.item(user_row, users.EMAIL).setText("camille.martin@bet-fluides")
    users.set_role(user_row, "coordinator")

    labels = dialog.vocabulary_tabs["label"]
    qtbot.mouseClick(labels.add_button, Qt.LeftButton)
    label_row = labels.table.rowCount() - 1
    labels.table.item(label_row, labels.CODE).setText("Acoustics")
    labels.table.item(label_row, labels.NAME_FR).setText("Acoustique")
    labels.table.item(label_row, labels.NAME_EN).setText("Acoustics")

    with qtbot.waitSignal(dialog.save_failed, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "not a valid e-mail address" in dialog.message.text()

    users.table.item(user_row, users.EMAIL).setText("camille.martin@bet-fluides.fr")
    report = save(qtbot, dialog)
    assert report.saved == 3 and not report.conflicts
    assert "3 changes saved" in dialog.message.text()

    with open_project(project_path) as project:
        cvc = project.settings.trade("CVC")
        assert cvc.delay_for("High").resolution_days == 12 and cvc.delay_for("High").response_days == 2
        assert cvc.delay_for("Critical").resolution_days == 3 and cvc.colour == "#112233"
        camille = next(u for u in project.settings.users() if u.name == "Camille Martin")
        assert (camille.email, camille.role) == ("camille.martin@bet-fluides.fr", "coordinator")
        acoustics = next(v for v in project.settings.labels() if v.code == "Acoustics")
        assert (acoustics.name_fr, acoustics.name_en) == ("Acoustique", "Acoustics")


def test_a_deactivated_trade_is_hidden_from_the_active_trades_but_kept(qtbot, dialog, project_path):
    trades = dialog.trades_tab
    trades.select_trade("OTH")
    qtbot.mouseClick(trades.deactivate_button, Qt.LeftButton)
    save(qtbot, dialog)

    with open_project(project_path) as project:
        assert "OTH" not in {t.code for t in project.settings.trades()}
        assert not project.settings.trade("OTH").active
    qtbot.waitUntil(lambda: dialog.session.vocabulary.trade("OTH") is None, timeout=TIMEOUT)
    assert trades.table.item(trades.row_of(trades.CODE, "OTH"), trades.ACTIVE).checkState() == Qt.Unchecked


def test_a_closed_status_and_a_renamed_stage_are_saved(qtbot, dialog, project_path):
    statuses = dialog.vocabulary_tabs["status"]
    row = statuses.row_of(statuses.CODE, "Resolved")
    statuses.table.item(row, statuses.closed_column).setCheckState(Qt.Checked)
    stages = dialog.vocabulary_tabs["stage"]
    stages.table.item(stages.row_of(stages.CODE, "EXE"), stages.NAME_FR).setText("Exécution (EXE)")
    save(qtbot, dialog)

    with open_project(project_path) as project:
        assert next(s for s in project.settings.statuses() if s.code == "Resolved").is_closed
        assert next(s for s in project.settings.stages() if s.code == "EXE").name_fr == "Exécution (EXE)"


def test_a_trade_changed_by_someone_else_meanwhile_is_reported_and_not_overwritten(qtbot, dialog, project_path):
    from dataclasses import replace

    with open_project(project_path) as other:
        other.settings.save_trade(replace(other.settings.trade("ELE"), name_fr="Électricité CFO/CFA"), "alice")
    trades = dialog.trades_tab
    trades.table.item(trades.row_of(trades.CODE, "ELE"), trades.NAME_FR).setText("Électricité")
    report = save(qtbot, dialog)

    assert report.saved == 0 and report.conflicts == ("trade ELE",)
    assert "Someone else changed" in dialog.message.text() and "trade ELE" in dialog.message.text()
    with open_project(project_path) as project:
        assert project.settings.trade("ELE").name_fr == "Électricité CFO/CFA"
    assert trades.table.item(trades.row_of(trades.CODE, "ELE"), trades.NAME_FR).text() == "Électricité CFO/CFA"


def test_the_dialog_is_disabled_with_a_message_when_the_project_is_closed(qtbot, dialog):
    dialog.session.close()
    assert not dialog.tabs.isEnabled() and not dialog.save_button.isEnabled()
    assert "No project is open" in dialog.message.text()
