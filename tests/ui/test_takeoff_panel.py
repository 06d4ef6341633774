"""The Quantities (métré) dock in the real window, over the five demo models, driven as a user would.

One window serves the module (loading the models is the slow part); each test sets
the template, grouping and filter it needs, then reads the table, the 3D selection
or the written file.
"""

from __future__ import annotations


import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtTest import QTest

from bim.demo import element_global_id
from checks.takeoff import Discrepancy, ElementTakeoff, Quantity, TakeoffTemplate
from ui.takeoff_model import (
    COUNT_COLUMN, FLAG_BACKGROUND, KEYS_ROLE, LABEL_COLUMN, SOURCE_ROLE, TakeoffTreeModel,
)
from tests.ui.conftest import TRADES, close_main_window, open_main_window, wait_until

MODEL_IDS = {"ARC": "demo-ARC-architecture", "STR": "demo-STR-structure", "CVC": "demo-CVC-hvac",
             "PLB": "demo-PLB-plumbing", "ELE": "demo-ELE-electrical"}


def settle(features) -> None:
    """Wait until the takeoff and the regrouping of the table are done."""
    wait_until(lambda: not features.is_busy, 60, "the quantities table")


def key(trade: str, element: str):
    return (MODEL_IDS[trade], element_global_id(trade, element))


@pytest.fixture(scope="module")
def win(qapp, demo_project):
    """The main window with the five demo models loaded and the Quantities dock in front."""
    window = open_main_window()
    window.open_files([demo_project.paths[t] for t in TRADES])
    wait_until(lambda: not window.is_loading and len(window.federation) == 5, 90, "the demo models")
    assert not window.errors, window.errors
    window.takeoff_features.dock.show()
    window.takeoff_features.dock.raise_()
    yield window
    window.issue_features.session.close(emit=False)
    close_main_window(window)


@pytest.fixture
def takeoff(win):
    """The Quantities dock after running the default template grouped by storey, then class, over everything."""
    features = win.takeoff_features
    panel = features.panel
    panel.set_scope("all")
    panel.search.clear()
    panel.choose_template("builtin:default")
    panel.set_grouping(("storey", "class"))
    if features.result is None:
        done = []
        features.finished.connect(done.append)
        panel.run_button.click()
        wait_until(lambda: done, 60, "the takeoff")
        features.finished.disconnect(done.append)
    settle(features)
    assert panel.model.fields == ("storey", "class")
    win.select([])
    return features


def child(model, parent, label: str):
    """The line called ``label`` under ``parent`` (an invalid index for the top)."""
    for row in range(model.rowCount(parent)):
        index = model.index(row, LABEL_COLUMN, parent)
        if index.data() == label:
            return index
    raise AssertionError(f"no line {label!r} under {parent.data()!r}: "
                         f"{[model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]}")


def number(text: str) -> float:
    value, ok = QLocale().toDouble(text.replace("⚠", "").strip())
    assert ok, text
    return value


def click_line(tree, index, modifier=Qt.NoModifier) -> None:
    tree.scrollTo(index)
    QTest.mouseClick(tree.viewport(), Qt.LeftButton, modifier, tree.visualRect(index).center())


def test_the_walls_net_volume_subtotal_of_each_storey_is_the_sum_of_their_exact_volumes(takeoff, demo_project):
    model = takeoff.panel.model
    column = model.quantity_column("net_volume")
    for storey in ("RDC", "R+1"):
        walls = child(model, child(model, model.index(-1, 0), storey), "IfcWall")
        exact = [s.quantities.net_volume for s in demo_project.elements
                 if s.ifc_class == "IfcWall" and s.storey == storey]
        shown = walls.siblingAtColumn(column).data()
        assert number(shown) == pytest.approx(sum(exact), abs=1e-3)
        assert walls.siblingAtColumn(COUNT_COLUMN).data() == str(len(exact))
        assert model.rowCount(walls) == len(exact)


def test_hovering_a_value_tells_where_it_comes_from_and_what_the_other_source_says(takeoff):
    model = takeoff.panel.model
    walls = child(model, child(model, model.index(-1, 0), "RDC"), "IfcWall")
    wall = model.index(0, model.quantity_column("net_volume"), walls)
    assert wall.data(SOURCE_ROLE) == "declared"
    tip = wall.data(Qt.ToolTipRole)
    assert "Qto_WallBaseQuantities.NetVolume" in tip
    assert "Other value" in tip and "geometry" in tip
    assert "m³" in model.headerData(model.quantity_column("net_volume"), Qt.Horizontal)


def test_clicking_a_column_header_sorts_the_lines_of_each_group_by_that_quantity(takeoff):
    tree, model = takeoff.panel.tree, takeoff.panel.model
    header = tree.header()
    column = model.quantity_column("net_volume")
    tree.scrollTo(model.index(0, column))
    position = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    try:
        QTest.mouseClick(header.viewport(), Qt.LeftButton, Qt.NoModifier, QPoint(position, header.height() // 2))
        if header.sortIndicatorOrder() != Qt.DescendingOrder:
            QTest.mouseClick(header.viewport(), Qt.LeftButton, Qt.NoModifier, QPoint(position, header.height() // 2))
        assert header.sortIndicatorSection() == column
        walls = child(model, child(model, model.index(-1, 0), "RDC"), "IfcWall")
        volumes = [number(model.index(r, column, walls).data()) for r in range(model.rowCount(walls))]
        assert volumes == sorted(volumes, reverse=True)
    finally:
        header.setSortIndicator(-1, Qt.AscendingOrder)
    assert [model.index(r, 0).data() for r in range(model.rowCount())][:2] == ["RDC", "R+1"]


def test_a_quantity_that_cannot_be_measured_says_why_and_its_subtotal_warns(takeoff):
    panel = takeoff.panel
    panel.set_quantity_shown("net_weight", True)
    settle(takeoff)
    try:
        model = panel.model
        column = model.quantity_column("net_weight")
        walls = child(model, child(model, model.index(-1, 0), "RDC"), "IfcWall")
        cell = model.index(0, column, walls)
        assert cell.data(SOURCE_ROLE) == "not computable"
        assert "no density" in cell.data()
        assert "not computable" in cell.data(Qt.ToolTipRole)
        assert walls.siblingAtColumn(column).data().startswith("⚠")
        assert "could not be measured" in walls.siblingAtColumn(column).data(Qt.ToolTipRole)
    finally:
        panel.set_quantity_shown("net_weight", False)
        settle(takeoff)


def test_selecting_a_group_line_selects_and_frames_its_elements_in_3d(takeoff, win):
    tree, model = takeoff.panel.tree, takeoff.panel.model
    storey = child(model, model.index(-1, 0), "R+1")
    tree.expand(storey)
    walls = child(model, storey, "IfcWall")
    camera_before = win.scene.camera_state()
    click_line(tree, walls)
    expected = {key("ARC", f"R+1/wall-{side}") for side in ("N", "S", "E", "W")}
    assert expected <= win.scene.selection
    assert win.scene.selection == set(walls.data(KEYS_ROLE))
    assert win.scene.camera_state() != camera_before


def test_a_3d_selection_with_the_selection_filter_lists_only_the_picked_elements(takeoff, win):
    panel, model = takeoff.panel, takeoff.panel.model
    panel.set_scope("selection")
    settle(takeoff)
    try:
        assert model.element_count == 0
        assert "Select elements" in panel.status.text()
        win.viewport.element_clicked.emit(key("STR", "RDC/col-C1"), False)
        wait_until(lambda: model.element_count == 1, 5, "the picked column")
        win.viewport.element_clicked.emit(key("ARC", "RDC/wall-S"), True)
        wait_until(lambda: model.element_count == 2, 5, "the column and the wall")
        listed = {k for top in range(model.rowCount()) for k in model.index(top, 0).data(KEYS_ROLE)}
        assert listed == {key("STR", "RDC/col-C1"), key("ARC", "RDC/wall-S")}
        # Choosing a line of the filtered table selects it without shrinking the table to it.
        storey = model.index(0, 0)
        panel.tree.expand(storey)
        click_line(panel.tree, model.index(0, 0, storey))
        QTest.qWait(50)
        settle(takeoff)
        assert len(win.scene.selection) == 1
        assert model.element_count == 2
    finally:
        panel.set_scope("all")
        settle(takeoff)


def test_grouping_by_a_property_measures_again_and_groups_the_walls_by_its_value(takeoff, demo_project):
    panel, model = takeoff.panel, takeoff.panel.model
    panel.set_grouping(("property:Pset_WallCommon.FireRating", "class"))
    try:
        settle(takeoff)
        assert "Pset_WallCommon.FireRating" in takeoff.result.template.property_keys()
        assert "Pset_WallCommon.FireRating" in model.headerData(LABEL_COLUMN, Qt.Horizontal)
        interior = child(model, child(model, model.index(-1, 0), "EI 30"), "IfcWall")
        partitions = [s for s in demo_project.elements if s.ifc_class == "IfcWall"
                      and s.pset("Pset_WallCommon").get("FireRating") == "EI 30"]
        assert partitions and model.rowCount(interior) == len(partitions)
    finally:
        panel.set_grouping(("storey", "class"))
        settle(takeoff)


def test_cancelling_a_run_keeps_the_table_of_the_previous_one(takeoff, win):
    panel = takeoff.panel
    previous = takeoff.result
    panel.run_button.click()
    assert panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    settle(takeoff)
    assert takeoff.result is previous
    assert panel.run_button.isEnabled() and not panel.progress.isVisible()
    assert win.statusBar().currentMessage() == "Takeoff cancelled"


def test_the_search_box_filters_the_lines_without_measuring_again(takeoff):
    panel, model = takeoff.panel, takeoff.panel.model
    result = takeoff.result
    panel.search.setText("Poteau")
    try:
        wait_until(lambda: 0 < model.element_count < len(result.elements), 5, "the search")
        assert takeoff.result is result
        assert {r.ifc_class for r in model.group.all_rows()} == {"IfcColumn"}
    finally:
        panel.search.clear()
        wait_until(lambda: model.element_count == len(result.elements), 5, "every element back")


def test_the_xlsx_export_has_the_cover_the_grouping_and_subtotal_formulas(takeoff, win, tmp_path, monkeypatch):
    path = tmp_path / "metre.xlsx"
    monkeypatch.setattr("ui.takeoff_features.QFileDialog.getSaveFileName",
                        lambda *_a, **_k: (str(path), "Excel (*.xlsx)"))
    written = []
    takeoff.exported.connect(written.append)
    try:
        takeoff.panel.export_buttons["xlsx"].click()
        wait_until(lambda: written, 30, "the XLSX file")
    finally:
        takeoff.exported.disconnect(written.append)
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Cover"
    assert "By Storey › Class" in workbook.sheetnames
    assert {"Problems", "Sources"} <= set(workbook.sheetnames)
    sheet = workbook["By Storey › Class"]
    formulas = [c.value for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=SUBTOTAL(")]
    assert formulas
    assert sheet.freeze_panes


def test_a_template_saved_in_the_project_is_listed_after_reopening_it(takeoff, win, tmp_path):
    features, panel = takeoff, takeoff.panel
    issues = win.issue_features
    project = tmp_path / "chantier.synthese"
    listed = []
    features.templates_listed.connect(lambda: listed.append(True))
    issues.open_project(str(project), create=True)
    wait_until(lambda: issues.session.is_open and listed, 20, "the new project")
    panel.set_grouping(("material", "class"))
    panel.set_quantity_shown("height", False)
    panel.save_button.click()
    saved = []
    features.template_saved.connect(saved.append)
    panel.name_dialog.setTextValue("Gros œuvre par matériau")
    panel.name_dialog.accept()
    wait_until(lambda: saved, 10, "the saved template")

    issues.close_project()
    assert "project:Gros œuvre par matériau" not in panel.template_ids()
    panel.choose_template("builtin:default")
    listed.clear()
    issues.open_project(str(project))
    wait_until(lambda: issues.session.is_open and listed, 20, "the reopened project")
    assert "project:Gros œuvre par matériau" in panel.template_ids()

    applied = []
    features.template_applied.connect(applied.append)
    panel.choose_template("project:Gros œuvre par matériau")
    wait_until(lambda: applied, 10, "the project template")
    settle(features)
    assert panel.grouping() == ("material", "class")
    assert "height" not in panel.model.quantities and "net_volume" in panel.model.quantities
    issues.close_project()


def test_declared_and_computed_values_that_disagree_are_marked_in_their_cell(qapp):
    declared = Quantity("net_volume", 2.0, "declared", "Qto_WallBaseQuantities.NetVolume", "as declared")
    computed = Quantity("net_volume", 2.5, "geometry", "mesh", "closed mesh volume")
    row = ElementTakeoff("m", "m.ifc", "ARC", "gid", "IfcWall", "Mur", "RDC", "T", "Béton", "", "wall",
                         declared={"net_volume": declared}, computed={"net_volume": computed},
                         discrepancies=(Discrepancy("net_volume", declared, computed),))
    model = TakeoffTreeModel()
    model.show_rows([row], TakeoffTemplate(quantities=("net_volume",)), ("class",))
    group = model.index(0, 0)
    cell = model.index(0, model.quantity_column("net_volume"), group)
    assert cell.data(Qt.BackgroundRole).color() == FLAG_BACKGROUND
    assert group.siblingAtColumn(model.quantity_column("net_volume")).data(Qt.BackgroundRole).color() == \
        FLAG_BACKGROUND
    tip = cell.data(Qt.ToolTipRole)
    assert "2.5" in tip and "+25.0 %" in tip
