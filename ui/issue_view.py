"""Issues in 3D: restoring a stored viewpoint across the federated models, selecting linked elements."""

from __future__ import annotations

from dataclasses import replace


def adapt_viewpoint(viewpoint, loaded_model_ids, model_id_for):
    """The viewpoint with each element's model named the way this viewer names it.

    Components may name a loaded model, a registered model (``model_id_for(name)``),
    or a model of another workstation or tool; an unknown one is dropped so the
    GlobalId alone finds the element in whichever model has it.
    """
    loaded = set(loaded_model_ids)

    def fix_all(refs):
        return tuple(ref if ref.model_id is None or ref.model_id in loaded
                     else replace(ref, model_id=model_id_for(ref.model_id)) for ref in refs)

    return replace(viewpoint, exceptions=fix_all(viewpoint.exceptions), selection=fix_all(viewpoint.selection),
                   colourings=tuple(replace(c, components=fix_all(c.components)) for c in viewpoint.colourings))


def restore_issue_viewpoint(window, models, record) -> None:
    """Show a stored viewpoint (camera, visibility, selection, colours, clipping planes) in the window."""
    window.restore_viewpoint(adapt_viewpoint(record.viewpoint, window.scene.model_ids, models.model_id_for))
    if not record.has_camera:  # BCF 2.1 viewpoints may come without one: frame what they select
        if window.scene.selection:
            window.fit_selection()
        else:
            window.fit_all()
    window.viewport.render()


def select_linked_elements(window, models, linked) -> None:
    """Select and frame an issue's linked elements (GlobalId + registered model)."""
    keys = []
    for element in linked:
        model_id = models.model_id_for(element.model) if element.model else None
        key = window.scene.resolve(element.global_id, model_id)
        if key is not None:
            keys.append(key)
    window.select(keys)
    window.fit_selection()
