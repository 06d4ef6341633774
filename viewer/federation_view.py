"""Put the models of a :class:`bim.federation.Federation` into a :class:`viewer.scene.Scene`.

The one path from loaded IFC models to drawn buckets, shared by the desktop
window and the headless ``synthese render``.
"""

from __future__ import annotations

from bim.elements import HIDDEN_BY_DEFAULT_CLASSES
from bim.federation import Federation, LoadedModel
from bim.tessellation import InstancedMesh

from viewer.types import ElementDisplayInfo, ModelMesh


def display_infos(model: LoadedModel) -> list[ElementDisplayInfo]:
    """What the scene needs per element of ``model`` (spaces start hidden)."""
    return [ElementDisplayInfo(e.global_id, e.ifc_class, e.ifc_class in HIDDEN_BY_DEFAULT_CLASSES)
            for e in model.elements]


def model_mesh(federation: Federation, model: LoadedModel, mesh: InstancedMesh | None = None) -> ModelMesh:
    """``model``'s geometry (or a partial ``mesh`` of it) placed in the federation's local frame."""
    mesh = model.mesh if mesh is None else mesh
    origin = federation.ensure_origin(mesh)
    expanded = mesh.expand(origin)
    return ModelMesh(model.model_id, expanded.vertices, expanded.triangles, expanded.triangle_element,
                     expanded.triangle_rgba, display_infos(model), mesh.element_bounds(len(model.elements), origin))


def show_model(scene, federation: Federation, model: LoadedModel, mesh: InstancedMesh | None = None) -> None:
    """Draw ``model`` (replacing what the scene had for it), keeping the scene's origin in step."""
    bundle = model_mesh(federation, model, mesh)
    scene.origin = federation.origin
    scene.add_mesh(bundle)
    scene.set_model_visible(model.model_id, model.visible)
