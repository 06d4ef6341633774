"""While the camera moves only the largest elements are drawn, within a triangle budget."""

from vtkmodules.vtkCommonCore import vtkCommand
from vtkmodules.vtkRenderingUI import vtkGenericRenderWindowInteractor

from .conftest import TRIANGLES_PER_BOX, box_model


def city(scene, budget=10 * TRIANGLES_PER_BOX):
    """Five big boxes and forty small ones; the budget fits ten boxes."""
    big = [(i * 10.0, 0.0, 0.0) for i in range(5)]
    small = [(i * 1.0, 20.0, 0.0) for i in range(40)]
    scene.add_mesh(box_model("A", big + small, sizes=[4.0] * 5 + [0.3] * 40))
    scene.lod_budget = budget
    return scene


def test_interaction_draws_at_most_the_budget_and_keeps_the_largest_elements(scene):
    city(scene)
    scene.begin_interaction()
    assert scene.interacting
    assert scene.drawn_triangle_count() <= scene.lod_budget
    lod = scene.geometry("A").opaque.lod_tri
    assert set(range(5 * TRIANGLES_PER_BOX)) <= set(lod.tolist())
    scene.render()


def test_ending_the_interaction_draws_everything_again(scene):
    city(scene)
    scene.begin_interaction()
    scene.end_interaction()
    assert scene.drawn_triangle_count() == 45 * TRIANGLES_PER_BOX


def test_a_scene_within_the_budget_is_drawn_whole_while_moving(scene):
    city(scene, budget=1_000_000)
    scene.begin_interaction()
    assert scene.drawn_triangle_count() == 45 * TRIANGLES_PER_BOX


def test_hidden_elements_stay_hidden_while_moving(scene):
    city(scene)
    scene.hide([("A", f"A-{i}") for i in range(5)])
    scene.begin_interaction()
    drawn = scene.geometry("A").opaque.lod_tri
    assert drawn.min() >= 5 * TRIANGLES_PER_BOX
    assert len(drawn) == 10 * TRIANGLES_PER_BOX


def test_the_interactor_events_switch_detail_down_and_back(scene):
    city(scene)
    # The kind of interactor the Qt widget drives; left off the window so that
    # rendering never tries to open a display for it.
    interactor = vtkGenericRenderWindowInteractor()
    scene.attach_interactor(interactor)
    interactor.InvokeEvent(vtkCommand.StartInteractionEvent)
    assert scene.drawn_triangle_count() <= scene.lod_budget
    interactor.InvokeEvent(vtkCommand.EndInteractionEvent)
    assert scene.drawn_triangle_count() == 45 * TRIANGLES_PER_BOX
    scene.detach_interactor()
    interactor.InvokeEvent(vtkCommand.StartInteractionEvent)
    assert not scene.interacting


def test_isolating_while_moving_redraws_the_new_subset(scene):
    city(scene)
    scene.begin_interaction()
    scene.isolate([("A", "A-30"), ("A", "A-0")])
    assert scene.drawn_triangle_count() == 2 * TRIANGLES_PER_BOX
    scene.show_all()
    assert scene.drawn_triangle_count() <= scene.lod_budget
    scene.end_interaction()
    assert scene.drawn_triangle_count() == 45 * TRIANGLES_PER_BOX


def test_a_model_hidden_while_moving_leaves_the_subset(scene):
    city(scene)
    scene.add_mesh(box_model("B", [(0.0, -10.0, 0.0)], sizes=10.0))
    scene.begin_interaction()
    assert len(scene.geometry("B").opaque.lod_tri) == TRIANGLES_PER_BOX
    scene.set_model_visible("B", False)
    assert scene.drawn_triangle_count() <= scene.lod_budget
    assert not scene.geometry("B").opaque.actor.GetVisibility()
