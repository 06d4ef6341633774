"""The toolbar's search box in the real window: a project with the five demo models and a few issues.

One window and one project serve the module (opening them is the slow part); each test
types into the field as a user would and reads what the popup lists.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QToolBar

from bim.demo import element_global_id
from project_db import open_project
from project_db.global_search import ELEMENTS, ISSUES
from project_db.records import Issue
from ui.highlight_delegate import SPANS_ROLE, pieces
from tests.ui.conftest import (
    close_main_window, open_main_window, open_project_and_wait, project_with_demo_models, wait_until,
)


@pytest.fixture(scope="module")
def project_path(tmp_path_factory, demo_project):
    """The demo models and three issues: one found by its title, one by a comment, one with a viewpoint."""
    path = project_with_demo_models(tmp_path_factory.mktemp("project") / "search.synthese", demo_project)
    with open_project(path) as project:
        titled = project.issues.create(Issue(title="Poteau C2 trop près de la gaine", responsible_trade="STR"),
                                       "coordinator")
        commented = project.issues.create(Issue(title="Réservation manquante"), "coordinator")
        project.issues.add_comment(commented.id, "Le poteau doit rester, décaler la gaine.", "bet")
        project.issues.create(Issue(title="Cloison P1 à reprendre", labels=("Openings",)), "coordinator")
        assert (titled.number, commented.number) == (1, 2)
    return path


@pytest.fixture(scope="module")
def win(qapp, project_path):
    """The main window with the project open and its models loaded."""
    window = open_main_window()
    open_project_and_wait(window, project_path)
    yield window
    close_main_window(window)


@pytest.fixture
def search(win):
    """The search features, with the field focused and empty, and the popup closed."""
    features = win.global_search_features
    win.activateWindow()
    features.field.setFocus()
    wait_until(lambda: features.field.hasFocus(), 10, "the focus in the search field")
    features.field.clear()
    yield features
    features.field.clear()
    features.popup.hide()


def type_and_wait(qtbot, search, text: str) -> None:
    """Type ``text`` in the field and wait until both kinds of results are listed."""
    qtbot.keyClicks(search.field, text)
    wait_until(lambda: search.popup.isVisible() and search.text == text and not search.pending
               and search.results is not None and search.results.text == text, 20, f"the results for {text!r}")


def rows(search) -> list[tuple[str, str]]:
    """What the popup lists, top to bottom: (first column, third column)."""
    lst = search.popup.list
    return [(lst.topLevelItem(i).text(0), lst.topLevelItem(i).text(2)) for i in range(lst.topLevelItemCount())]


def key(trade: str, element: str):
    names = {"ARC": "architecture", "STR": "structure", "CVC": "hvac", "PLB": "plumbing", "ELE": "electrical"}
    return (f"demo-{trade}-{names[trade]}", element_global_id(trade, element))


def test_the_search_field_is_shown_at_the_top_right_and_ctrl_f_puts_the_cursor_in_it(qtbot, win):
    features = win.global_search_features
    field = win.findChild(QLineEdit, "global-search")
    assert field is features.field
    assert field.placeholderText() == "Search elements and issues…"
    assert field.isVisible()
    top_right = field.mapTo(win, field.rect().topRight())
    assert top_right.x() > win.width() - 60 and top_right.y() < win.findChild(QToolBar, "main-toolbar").y()
    shortcuts = [a for a in win.findChildren(type(features.find_action)) if a.shortcut() == QKeySequence("Ctrl+F")]
    assert shortcuts == [features.find_action]  # nobody else uses Ctrl+F
    field.setText("poteau")
    win.activateWindow()
    win.tree_panel.setFocus()
    wait_until(lambda: win.isActiveWindow() and not field.hasFocus(), 10, "the focus elsewhere")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_F, Qt.ControlModifier)
    wait_until(field.hasFocus, 10, "the focus")
    assert field.selectedText() == "poteau"
    field.clear()


def test_typing_lists_elements_and_issues_in_two_groups_with_what_matched(qtbot, search):
    type_and_wait(qtbot, search, "poteau")
    listed = rows(search)
    headers = [text for text, _m in listed if text.startswith(("Elements (", "Issues ("))]
    assert headers == ["Elements (6)", "Issues (2)"]  # the demo's six columns, then two issues
    elements = listed[1:7]
    assert [name for name, _m in elements] == ["Poteau C1", "Poteau C1", "Poteau C2", "Poteau C2", "Poteau C3",
                                               "Poteau C3"]
    issues = listed[8:]
    assert issues[0] == ("#1 Poteau C2 trop près de la gaine", "")  # a title match comes before
    assert issues[1][0] == "#2 Réservation manquante"  # ... a comment match, shown with its text
    assert issues[1][1] == "Comment: Le poteau doit rester, décaler la gaine."


def bold_runs(item, column: int) -> list[tuple[str, bool]]:
    """A cell's text as the popup draws it: (run, bold) pieces."""
    return pieces(item.text(column), item.data(column, SPANS_ROLE))


def test_the_typed_words_are_in_bold_in_titles_and_in_the_matched_text(qtbot, search):
    type_and_wait(qtbot, search, "POTEAU gaine")
    issues = [i for i in search.popup.choices() if i.data(0, Qt.UserRole + 1)[0] == ISSUES]
    assert bold_runs(issues[0], 0) == [("#1 ", False), ("Poteau", True), (" C2 trop près de la ", False),
                                       ("gaine", True)]
    assert bold_runs(issues[1], 0) == [("#2 Réservation manquante", False)]
    # in the comment, not in the field's name before it
    assert bold_runs(issues[1], 2) == [("Comment: Le ", False), ("poteau", True), (" doit rester, décaler la ", False),
                                       ("gaine", True), (".", False)]


def test_a_word_typed_without_accents_is_in_bold_where_the_text_has_them(qtbot, search):
    type_and_wait(qtbot, search, "reservation")
    (issue,) = search.popup.choices()
    assert bold_runs(issue, 0) == [("#2 ", False), ("Réservation", True), (" manquante", False)]
    assert bold_runs(issue, 1) == [(issue.text(1), False)]  # status and trade: not searched, never bold


def test_the_bold_words_are_drawn_on_the_selected_row_too(qtbot, search):
    type_and_wait(qtbot, search, "cloison")
    lst = search.popup.list
    item = lst.currentItem()
    assert item.isSelected() and bold_runs(item, 0)[0] == ("Cloison", True)
    rect = lst.visualRect(lst.indexFromItem(item, 0))
    highlighted = lst.viewport().grab(rect).toImage()
    item.setData(0, SPANS_ROLE, None)  # the same row drawn plain
    plain = lst.viewport().grab(rect).toImage()
    assert highlighted != plain
    text = lst.palette().color(QPalette.Inactive, QPalette.HighlightedText)
    colours = {highlighted.pixelColor(x, y).rgb() for x in range(rect.width()) for y in range(rect.height())}
    assert text.rgb() in colours  # the selected row's text colour, readable on the selection


def test_accents_and_case_do_not_matter(qtbot, search):
    type_and_wait(qtbot, search, "RESERVATION")
    assert [g.kind for g in search.results.groups if g.total] == [ISSUES]
    assert [h.number for h in search.results.group(ISSUES).hits] == [2]


def test_an_issue_number_puts_the_issues_first(qtbot, search):
    type_and_wait(qtbot, search, "#3")
    assert search.results.groups[0].kind == ISSUES
    assert rows(search)[:2] == [("Issues (1)", ""), ("#3 Cloison P1 à reprendre", "")]


def test_down_and_enter_select_and_frame_an_element_without_leaving_the_field(qtbot, win, search):
    win.fit_all()
    camera_before = win.scene.capture_viewpoint(with_snapshot=False).camera
    type_and_wait(qtbot, search, "poteau c2")
    assert [text for text, _m in rows(search)] == ["Elements (2)", "Poteau C2", "Poteau C2", "Issues (1)",
                                                   "#1 Poteau C2 trop près de la gaine"]
    columns = [item.data(0, Qt.UserRole + 1) for item in search.popup.choices()[:2]]
    assert {k for _kind, k in columns} == {key("STR", "RDC/col-C2"), key("STR", "R+1/col-C2")}
    assert search.popup.current_choice() == columns[0]  # the best result is ready for Enter
    qtbot.keyClick(search.field, Qt.Key_Down)
    assert search.popup.current_choice() == columns[1]
    assert search.field.hasFocus()
    qtbot.keyClick(search.field, Qt.Key_Return)
    assert win.scene.selection == {columns[1][1]}
    assert win.selection_label.text() == "1 selected"
    assert not search.popup.isVisible()
    assert win.scene.capture_viewpoint(with_snapshot=False).camera != camera_before  # framed
    win.select([])


def test_up_page_down_and_escape_move_within_the_results_and_close_them(qtbot, search):
    type_and_wait(qtbot, search, "r")
    choices = search.popup.choices()
    assert len(choices) > 12
    first = search.popup.current_choice()
    assert first == choices[0].data(0, Qt.UserRole + 1)
    qtbot.keyClick(search.field, Qt.Key_Up)  # already at the top: stays
    assert search.popup.current_choice() == first
    qtbot.keyClick(search.field, Qt.Key_PageDown)
    moved = search.popup.current_choice()
    assert moved != first
    qtbot.keyClick(search.field, Qt.Key_PageUp)
    assert search.popup.current_choice() == first
    qtbot.keyClick(search.field, Qt.Key_Escape)
    assert not search.popup.isVisible()
    assert search.field.text() == "r"
    qtbot.keyClick(search.field, Qt.Key_Down)  # brings the results back
    assert search.popup.isVisible()


def test_enter_on_an_issue_opens_it_and_restores_its_viewpoint(qtbot, win, search, project_path):
    column = key("STR", "RDC/col-C2")
    win.select([column])
    viewpoint = win.scene.capture_viewpoint(with_snapshot=False)
    win.select([])
    with open_project(project_path) as project:
        project.issues.add_viewpoint(1, viewpoint, "coordinator")
    type_and_wait(qtbot, search, "trop pres")  # typed without its accent
    assert search.popup.current_choice() == (ISSUES, 1)
    qtbot.keyClick(search.field, Qt.Key_Enter)
    detail = win.issue_features.detail
    wait_until(lambda: detail.issue_id == 1 and win.scene.selection == {column}, 20, "the issue and its viewpoint")
    assert not search.popup.isVisible()


def test_clicking_a_result_opens_it(qtbot, win, search):
    type_and_wait(qtbot, search, "cloison")
    item = next(i for i in search.popup.choices() if i.data(0, Qt.UserRole + 1)[0] == ISSUES)
    rect = search.popup.list.visualItemRect(item)
    qtbot.mouseClick(search.popup.list.viewport(), Qt.LeftButton, pos=rect.center())
    wait_until(lambda: win.issue_features.detail.issue_id == 3, 20, "issue #3")


def test_answers_for_an_older_text_are_dropped(qtbot, search):
    qtbot.keyClicks(search.field, "gaine")
    search.search_now()
    search.field.setText("zzzz-nothing")
    search.search_now()
    wait_until(lambda: not search.pending and search.results is not None, 20, "the last search")
    assert search.results.text == "zzzz-nothing"
    assert search.results.total == 0
    assert rows(search) == [("Elements (0)", ""), ("Issues (0)", "")]
    assert search.popup.note.text() == "Nothing found"


def test_property_values_are_searched_once_read(qtbot, search):
    type_and_wait(qtbot, search, "REI 60")
    wait_until(lambda: not search._reading_properties, 60, "the property values")
    search.search_now()
    wait_until(lambda: not search.pending, 20, "the refreshed results")
    elements = search.results.group(ELEMENTS)
    assert key("ARC", "RDC/wall-E") in {h.key for h in elements.hits}
    assert all(h.field == "Property" for h in elements.hits)
