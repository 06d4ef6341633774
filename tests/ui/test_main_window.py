"""The desktop window driven as a user would: open, click, hide, search, export."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from bim.demo import element_global_id
from tests.ui.conftest import wait_loaded


def _screen_centre(window):
    width, height = window.scene.renderer.GetSize()
    return width / 2.0, height / 2.0


def _image(png: bytes) -> np.ndarray:
    image = QImage.fromData(png, "PNG").convertToFormat(QImage.Format_RGB888)
    # Copy while ``image`` is alive: the buffer belongs to it.
    buffer = np.frombuffer(image.constBits(), np.uint8).copy()
    return buffer.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3)


def test_opening_the_demo_shows_every_trade_model_in_the_3d_view(demo_window):
    assert sorted(m.trade for m in demo_window.federation) == ["ARC", "CVC", "ELE", "PLB", "STR"]
    assert set(demo_window.scene.model_ids) == set(demo_window.federation.models)
    assert demo_window.scene.drawn_triangle_count() > 1000
    assert demo_window.models_panel.tree.topLevelItemCount() == 5
    assert not demo_window.progress_bar.isVisible()


def test_clicking_the_roof_from_above_selects_it_and_shows_its_properties(qtbot, demo_window, demo_project):
    demo_window.set_view("top")
    demo_window.viewport.click(*_screen_centre(demo_window))
    roof = element_global_id("ARC", "R+1/slab-ROOF")
    assert {gid for _model, gid in demo_window.scene.selection} == {roof}
    qtbot.waitUntil(lambda: demo_window.properties_panel.topLevelItemCount() > 2, timeout=20_000)
    texts = [demo_window.properties_panel.topLevelItem(i).text(0)
             for i in range(demo_window.properties_panel.topLevelItemCount())]
    assert any(t.startswith("Qto_") for t in texts), texts
    selected_in_tree = [i.data(0, Qt.UserRole + 1) for i in demo_window.tree_panel.spatial.selectedItems()]
    assert [tuple(k)[1] for k in selected_in_tree] == [roof]


def test_ctrl_click_adds_to_the_selection_and_clicking_the_void_clears_it(demo_window):
    key_a = next(k for k, r, _m in demo_window.federation.elements() if r.ifc_class == "IfcColumn")
    demo_window.select([key_a])
    demo_window.set_view("top")
    demo_window.viewport.click(*_screen_centre(demo_window), ctrl=True)
    assert len(demo_window.scene.selection) == 2
    demo_window.viewport.click(2, 2)
    assert demo_window.scene.selection == set()


def test_selecting_in_the_tree_selects_in_the_view(qtbot, demo_window):
    tree = demo_window.tree_panel.by_class
    beams = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                 if tree.topLevelItem(i).text(0).startswith("IfcBeam"))
    beams.child(0).setSelected(True)
    key = tuple(beams.child(0).data(0, Qt.UserRole + 1))
    assert demo_window.scene.selection == {key}


def test_hide_isolate_and_show_all_follow_the_selection_and_tick_the_tree(demo_window):
    window = demo_window
    beams = [k for k, r, _m in window.federation.elements() if r.ifc_class == "IfcBeam"]
    window.select(beams)
    window.isolate_selection()
    assert window.scene.visible_keys() == set(beams)
    leaf = window.tree_panel.spatial.items_for(next(k for k, r, _m in window.federation.elements()
                                                     if r.ifc_class == "IfcColumn"))[0]
    assert leaf.checkState(0) == Qt.Unchecked
    window.select(beams[:1])
    window.hide_selection()
    assert beams[0] not in window.scene.visible_keys()
    window.show_all()
    assert set(beams) <= window.scene.visible_keys()
    assert leaf.checkState(0) == Qt.Checked


def test_unticking_a_storey_in_the_tree_hides_its_elements(demo_window):
    window = demo_window
    tree = window.tree_panel.spatial
    storey = next(item for key, record, _m in window.federation.elements() if record.storey == "R+1"
                  for item in tree.items_for(key))
    storey = storey.parent()
    keys = tree.keys_of(storey)
    storey.setCheckState(0, Qt.Unchecked)
    assert not (set(keys) & window.scene.visible_keys())


def test_xray_keeps_the_selection_solid_and_ghosts_the_rest(demo_window):
    duct = next(k for k, r, _m in demo_window.federation.elements() if "Duct" in r.ifc_class
                or r.ifc_class == "IfcFlowSegment")
    demo_window.select([duct])
    demo_window.xray_action.trigger()
    ghosted = demo_window.scene.xrayed_keys()
    assert duct not in ghosted and len(ghosted) > 50


def test_colour_by_trade_fills_the_legend_with_the_five_trades(demo_window):
    demo_window.colour_by("trade")
    labels = [demo_window.legend.item(i).text() for i in range(demo_window.legend.count())]
    assert [label.split(" ")[0] for label in labels] == ["ARC", "CVC", "ELE", "PLB", "STR"]


def test_search_finds_an_element_by_global_id_and_selects_it(qtbot, demo_window):
    gid = element_global_id("STR", "RDC/col-C1")
    demo_window.search_panel.field.setText(gid)
    demo_window.search_panel.run_search()
    qtbot.waitUntil(lambda: demo_window.search_panel.results.topLevelItemCount() >= 1, timeout=20_000)
    demo_window.search_panel.field.returnPressed.emit()
    assert {g for _m, g in demo_window.scene.selection} == {gid}


def test_a_section_plane_from_the_panel_cuts_the_building(demo_window):
    window = demo_window
    window.set_view("front")
    before = _image(window.scene.snapshot_png())
    panel = window.sections_panel
    panel.plane_slider["z"].setValue(300)
    panel.plane_enabled["z"].setChecked(True)
    after = _image(window.scene.snapshot_png())
    assert window.scene.sections.active
    assert (np.abs(after.astype(int) - before.astype(int)).sum(axis=2) > 30).mean() > 0.05


def test_measuring_two_points_reports_their_distance(qtbot, demo_window):
    window = demo_window
    window.set_view("top")
    window.measure_action.trigger()
    x, y = _screen_centre(window)
    with qtbot.waitSignal(window.viewport.point_measured, timeout=5_000) as signal:
        window.viewport.click(x - 40, y)
        window.viewport.click(x + 40, y)
    distance, p1, p2 = signal.args
    assert distance == pytest.approx(float(np.linalg.norm(np.subtract(p2, p1))))
    assert distance > 0.5
    assert "m" in window.statusBar().currentMessage()


def test_a_viewpoint_restores_camera_visibility_selection_and_colours(demo_window):
    window = demo_window
    columns = [k for k, r, _m in window.federation.elements() if r.ifc_class == "IfcColumn"]
    window.colour_by("class")
    window.select(columns)
    window.isolate_selection()
    window.set_view("left")
    saved = window.capture_viewpoint()
    assert saved.snapshot_png and saved.snapshot_png.startswith(b"\x89PNG")
    window.show_all()
    window.colour_by("none")
    window.select([])
    window.set_view("top")
    window.restore_viewpoint(saved)
    assert window.scene.capture_viewpoint(with_snapshot=False) == saved
    assert window.scene.visible_keys() == set(columns)


def test_a_screenshot_is_a_non_blank_png(demo_window, tmp_path):
    path = demo_window.save_screenshot(tmp_path / "view.png")
    pixels = _image(path.read_bytes())
    assert pixels.std() > 10


def test_a_non_ifc_file_gets_a_message_naming_it_and_the_app_goes_on(qtbot, window, tmp_path, demo_project):
    bad = tmp_path / "notes.ifc"
    bad.write_text("this is not an IFC file")
    with qtbot.waitSignal(window.load_failed, timeout=10_000) as signal:
        window.open_files([bad])
    assert "notes.ifc" in signal.args[1] and "not an IFC file" in signal.args[1]
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "notes.ifc" in boxes[0].text()
    boxes[0].accept()
    window.open_files([demo_project.paths["STR"]])
    wait_loaded(qtbot, window)
    assert len(window.federation) == 1


def test_a_model_can_be_hidden_unloaded_and_replaced_by_a_new_version(qtbot, demo_window, demo_project, tmp_path):
    window = demo_window
    window.models_panel.visibility_changed.emit("demo-CVC-hvac", False)
    assert not window.scene.is_model_visible("demo-CVC-hvac")
    window.models_panel.trade_changed.emit("demo-ELE-electrical", "OTH")
    newer = tmp_path / "demo-STR-structure-v2.ifc"
    shutil.copy(demo_project.paths["STR"], newer)
    window.replace_model("demo-STR-structure", newer)
    wait_loaded(qtbot, window)
    model = window.federation.models["demo-STR-structure"]
    assert model.path == newer and model.trade == "STR"
    assert window.federation.models["demo-ELE-electrical"].trade == "OTH"
    window.unload_model("demo-PLB-plumbing")
    assert "demo-PLB-plumbing" not in window.federation.models
    assert "demo-PLB-plumbing" not in window.scene.model_ids


def test_loading_can_be_cancelled_and_leaves_nothing_half_loaded(qtbot, window, corpus_model):
    window.open_files([corpus_model("office-a.ifc")])
    qtbot.waitUntil(lambda: window.progress_bar.isVisible(), timeout=5_000)
    window.cancel_loading()
    wait_loaded(qtbot, window)
    assert len(window.federation) == 0
    assert window.scene.model_ids == ()


def test_the_window_speaks_french_when_asked(qtbot):
    from ui.application import configure_application_identity, create_main_window

    configure_application_identity()
    french = create_main_window("fr")
    qtbot.addWidget(french)
    try:
        assert french.isolate_action.text() == "Isoler"
        assert french.models_dock.windowTitle() == "Maquettes"
    finally:
        from bim.i18n import set_language

        set_language("en")


def test_elements_appear_while_a_large_model_is_still_loading(qtbot, window, corpus_model):
    seen_while_loading = []
    ticks = []
    timer_id = window.startTimer(50)

    def watch(event, original=window.timerEvent):
        ticks.append(1)
        if window.is_loading and window.scene.drawn_triangle_count() > 0:
            seen_while_loading.append(window.scene.drawn_triangle_count())
        return original(event)

    window.timerEvent = watch
    window.open_files([corpus_model("office-a.ifc")])
    wait_loaded(qtbot, window, timeout=120_000)
    window.killTimer(timer_id)
    assert seen_while_loading, "nothing was drawn before the model finished loading"
    assert min(seen_while_loading) < window.scene.drawn_triangle_count()
    # The event loop kept turning during the load: the window stayed responsive.
    assert len(ticks) > 10


def test_the_language_chosen_in_settings_is_used_at_the_next_start(qtbot):
    from PySide6.QtCore import QSettings

    from ui.application import configure_application_identity, create_main_window
    from ui.settings_dialog import SettingsDialog

    configure_application_identity()
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.accept()
    assert QSettings().value("language") == "fr"
    try:
        restarted = create_main_window()
        qtbot.addWidget(restarted)
        assert restarted.hide_action.text() == "Masquer"
    finally:
        QSettings().setValue("language", "")
        from bim.i18n import set_language

        set_language("en")
