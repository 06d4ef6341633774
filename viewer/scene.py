"""The federated 3D scene: merged buckets, selection, visibility, x-ray, colour-by,
sections, measurements, cameras, picking, interaction LOD and viewpoints.

Qt-free: the widget layer hands over a ``vtkRenderer`` or ``vtkRenderWindow``,
forwards clicks to :meth:`Scene.pick` and camera motion to
:meth:`Scene.begin_interaction` / :meth:`Scene.end_interaction` (or lets
:meth:`Scene.attach_interactor` do it), and calls :meth:`Scene.render` after
changing the scene. State-changing methods never render by themselves, so a
burst of changes costs one frame.

Geometry arrives per model in a local frame (float32-safe); ``origin`` is the
float64 shift to model coordinates (model = local + origin). Elements are named
outside by :data:`~viewer.types.ElementKey` = (model_id, GlobalId) and inside by an
integer handle carried by every cell (cell array ``"element"``).

Every visibility change is a numpy mask gathered per triangle and turned into
new cell arrays (no per-element Python loop); colour changes rewrite the RGBA
cell arrays in place.

Measured on a synthetic building (3.31 M triangles, 20,770 elements: 5 storeys
of slabs, walls, columns, glass and dense furniture), 1280x800, llvmpipe, on the
2-core machine while other jobs kept its load average at 6-9 (frame times are
inflated by that; read the ratios): set_model 0.55 s; isolate 10 elements 16 ms,
isolate half 35 ms, show_all 8 ms, hide one 58 ms; select 100 (in place) 8 ms;
x-ray on 126 ms; colour_by 20 k elements 125 ms; locator build 0.8-1.2 s, then
4.4 ms a pick; entering the interaction LOD 18 ms (cached afterwards: 0);
a frame with the LOD (150 k triangles) 0.63-0.79 s against 3.5-5.5 s at full
detail. LOD frames are fill-bound (640x400 halves them); the empty gradient
frame costs ~70 ms of CPU.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
from vtkmodules.vtkCommonCore import vtkCommand, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPlaneCollection, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkLight,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkRenderWindow,
    vtkRenderWindowInteractor,
)

# Registers the OpenGL implementations behind the vtkRenderingCore factories.
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
import vtkmodules.vtkRenderingFreeType  # noqa: F401  (text of measurement labels)
import vtkmodules.vtkInteractionStyle  # noqa: F401  (default interactor style)

from bim.i18n import _
from bim.viewpoint import Viewpoint

from viewer import camera as cameras
from viewer import colours
from viewer.buckets import ModelGeometry
from viewer.elements import (
    CATEGORY_OPENING,
    CATEGORY_SPACE,
    OVERRIDE_HIDDEN,
    OVERRIDE_NONE,
    OVERRIDE_SHOWN,
    ElementRegistry,
    category_of,
)
from viewer.markers import Markers
from viewer.measure import Measurement
from viewer.picking import display_ray, model_hits
from viewer.sections import SectionState, axis_index
from viewer.types import ElementDisplayInfo, ElementKey, ModelMesh, PickResult

DEFAULT_LOD_BUDGET = 150_000
_ALPHA_BITS = np.array([0, 0, 0, 255], np.uint8).view(np.uint32)[0]
_GHOST32 = np.array(colours.GHOST_RGBA, np.uint8).view(np.uint32)[0]
BOX_OUTLINE_COLOUR = (0.95, 0.45, 0.05)


class Scene:
    """A federation of models drawn in one VTK renderer.

    ``renderer``: use this renderer (else one is made); ``render_window``: add the
    renderer to this window (the Qt widget's, or an offscreen one).
    """

    def __init__(self, renderer: vtkRenderer | None = None, render_window: vtkRenderWindow | None = None,
                 *, lod_budget: int = DEFAULT_LOD_BUDGET) -> None:
        self.renderer = renderer if renderer is not None else vtkRenderer()
        if render_window is not None and not render_window.HasRenderer(self.renderer):
            render_window.AddRenderer(self.renderer)
        self._render_window = render_window
        self._setup_look()
        self._registry = ElementRegistry()
        self._models: dict[str, ModelGeometry] = {}
        self._global_ids: dict[str, frozenset[str]] = {}
        self._origin = np.zeros(3, np.float64)
        self._spaces_visible = False
        self._openings_visible = False
        self._xray = False
        self._xray_follows_selection = True
        self._colour_by = False
        self._colour_mapping: dict[ElementKey, tuple[int, int, int]] = {}
        self._legend: list[tuple[str, tuple[int, int, int]]] = []
        self._sections = SectionState()
        self._planes = vtkPlaneCollection()
        self._box_actor = self._make_box_actor()
        self._measurements: list[Measurement] = []
        self._markers = Markers()
        self.renderer.AddViewProp(self._markers.actor)
        self.lod_budget = int(lod_budget)
        self._interacting = False
        self._lod_ready = False
        self._observers: list[tuple[vtkRenderWindowInteractor, int]] = []
        self._visible_elements = np.zeros(0, bool)
        self._ghost_elements = np.zeros(0, bool)
        self._codes = np.zeros(0, np.uint8)
        self._batch_depth = 0
        self._pending: set[str] | None = None  # model ids; None: nothing pending
        self._pending_all = False

    # ------------------------------------------------------------------ set-up

    def _setup_look(self) -> None:
        renderer = self.renderer
        renderer.GradientBackgroundOn()
        renderer.SetBackground(*colours.BACKGROUND_BOTTOM)
        renderer.SetBackground2(*colours.BACKGROUND_TOP)
        renderer.RemoveAllLights()
        renderer.AutomaticLightCreationOff()
        # A two-light kit riding with the camera: a key light from above-left so
        # faces of different orientation read apart, and a headlight fill so no
        # face goes black. On software GL each light costs fragment time: the
        # five-light vtkLightKit made navigation frames ~40 % slower than one
        # light, these two ~13 %.
        key = vtkLight()
        key.SetLightTypeToCameraLight()
        key.SetDirectionAngle(45.0, -20.0)
        key.SetIntensity(0.6)
        fill = vtkLight()
        fill.SetLightTypeToHeadlight()
        fill.SetIntensity(0.6)
        renderer.AddLight(key)
        renderer.AddLight(fill)
        camera = renderer.GetActiveCamera()
        camera.SetViewUp(0.0, 0.0, 1.0)

    def _make_box_actor(self) -> vtkActor:
        data = vtkPolyData()
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(data)
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetColor(*BOX_OUTLINE_COLOUR)
        prop.SetLineWidth(1.5)
        prop.LightingOff()
        actor.PickableOff()
        actor.VisibilityOff()
        self.renderer.AddActor(actor)
        return actor

    @property
    def render_window(self) -> vtkRenderWindow | None:
        """The window drawn into (the one given, or the renderer's)."""
        return self._render_window or self.renderer.GetRenderWindow()

    def render(self) -> None:
        """Draw a frame now, if the scene is in a window."""
        window = self.render_window
        if window is not None:
            window.Render()

    # ------------------------------------------------------------------ models

    def set_model(self, model_id: str, *, vertices: np.ndarray, triangles: np.ndarray,
                  triangle_element: np.ndarray, triangle_rgba: np.ndarray,
                  elements: Sequence[ElementDisplayInfo],
                  element_bounds: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Add a model or replace its geometry (called again as loading streams in more).

        ``element_bounds`` (per-element local min and max, when the caller knows
        them) saves a pass over every triangle.

        Selection, hiding and colours of elements already known are kept.
        """
        registry = self._registry
        handles = registry.handles((model_id, e.global_id) for e in elements)
        if len(handles):
            registry.hidden_by_default[handles] = np.fromiter((e.hidden_by_default for e in elements), bool, len(handles))
            registry.category[handles] = np.fromiter((category_of(e.ifc_class) for e in elements), np.int8, len(handles))
        model = ModelGeometry(model_id, vertices, triangles, triangle_element, triangle_rgba, elements, handles,
                              element_bounds)
        old = self._models.get(model_id)
        if old is not None:
            model.visible = old.visible
            self._remove_actors(old)
        self._models[model_id] = model
        self._global_ids[model_id] = frozenset(e.global_id for e in elements)
        for bucket in model.buckets:
            self.renderer.AddActor(bucket.actor)
        self._apply_clipping(model)
        self._refresh([model])

    def add_mesh(self, mesh: ModelMesh) -> None:
        """:meth:`set_model` from a :class:`~viewer.types.ModelMesh` bundle."""
        self.set_model(mesh.model_id, vertices=mesh.vertices, triangles=mesh.triangles,
                       triangle_element=mesh.triangle_element, triangle_rgba=mesh.triangle_rgba,
                       elements=mesh.elements, element_bounds=mesh.element_bounds)

    def remove_model(self, model_id: str) -> None:
        """Take a model out of the scene (its elements' state is kept should it come back)."""
        model = self._models.pop(model_id, None)
        if model is not None:
            self._remove_actors(model)
            self._global_ids.pop(model_id, None)
            self._lod_ready = False
            if self._interacting:
                self._enter_lod()

    def _remove_actors(self, model: ModelGeometry) -> None:
        for bucket in model.buckets:
            self.renderer.RemoveActor(bucket.actor)

    def set_model_visible(self, model_id: str, visible: bool) -> None:
        """Show or hide a whole model (its element states are untouched)."""
        model = self._models[model_id]
        model.visible = bool(visible)
        self._sync_actor_visibility(model)
        self._lod_ready = False
        if self._interacting:
            self._enter_lod()

    def is_model_visible(self, model_id: str) -> bool:
        """Whether a model is shown."""
        return self._models[model_id].visible

    @property
    def model_ids(self) -> tuple[str, ...]:
        """Loaded models, in load order."""
        return tuple(self._models)

    def geometry(self, model_id: str) -> ModelGeometry:
        """A model's arrays and buckets (read them; change the scene through its methods)."""
        return self._models[model_id]

    def model_actors(self) -> list[vtkActor]:
        """The bucket actors of every model (two per model)."""
        return [bucket.actor for model in self._models.values() for bucket in model.buckets]

    def helper_actors(self) -> list:
        """Actors that are not model geometry: the section box outline and measurements."""
        out: list = [self._box_actor]
        for measurement in self._measurements:
            out.extend(measurement.actors)
        return out

    def key_for_handle(self, handle: int) -> ElementKey:
        """The element key carried by a cell's ``"element"`` value."""
        return self._registry.key(int(handle))

    def handle_for_key(self, key: ElementKey) -> int | None:
        """The handle of an element key, if the scene knows it."""
        return self._registry.find(tuple(key))

    @property
    def origin(self) -> np.ndarray:
        """Float64 shift from the local frame to model coordinates (model = local + origin)."""
        return self._origin.copy()

    @origin.setter
    def origin(self, value) -> None:
        # The geometry is the caller's to shift; only what the scene keeps in model
        # coordinates (sections, measurements) is re-expressed.
        self._origin = np.asarray(value, np.float64).reshape(3).copy()
        self._apply_sections()
        for measurement in self._measurements:
            measurement.place(self._origin)
        self._markers.place(self._origin)

    # ------------------------------------------------------------------ element state

    def _element_visibility(self) -> np.ndarray:
        """Per handle: visible by its own state (ignores model visibility)."""
        r = self._registry
        n = len(r)
        category = r.category[:n]
        default = ~r.hidden_by_default[:n]
        default = np.where(category == CATEGORY_SPACE, self._spaces_visible, default)
        default = np.where(category == CATEGORY_OPENING, self._openings_visible, default)
        override = r.override[:n]
        return np.where(override == OVERRIDE_NONE, default, override == OVERRIDE_SHOWN)

    def _default_visibility(self) -> np.ndarray:
        """Per handle: visible with no hide/isolate override (the viewpoint's default)."""
        r = self._registry
        n = len(r)
        category = r.category[:n]
        default = ~r.hidden_by_default[:n]
        default = np.where(category == CATEGORY_SPACE, self._spaces_visible, default)
        return np.where(category == CATEGORY_OPENING, self._openings_visible, default)

    def _ghosts(self, visible: np.ndarray) -> np.ndarray:
        if not self._xray:
            return np.zeros(len(visible), bool)
        n = len(visible)
        keep = self._registry.selected[:n] if self._xray_follows_selection else self._registry.xray_keep[:n]
        return visible & ~keep

    def _loaded_handles(self, visible_models_only: bool = False) -> np.ndarray:
        parts = [m.element_handles for m in self._models.values() if m.visible or not visible_models_only]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)

    def _models_with(self, handles: np.ndarray) -> list[ModelGeometry]:
        """Models holding any of ``handles``."""
        mask = np.zeros(len(self._registry), bool)
        mask[handles] = True
        return [m for m in self._models.values() if len(m.element_handles) and mask[m.element_handles].any()]

    def _handles(self, keys: Iterable[ElementKey]) -> np.ndarray:
        return self._registry.handles(keys)

    # ------------------------------------------------------------------ bucket rebuilds

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group changes so the buckets are rebuilt once, when the block ends."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and (self._pending_all or self._pending):
                models = None if self._pending_all else [self._models[m] for m in self._pending if m in self._models]
                self._pending, self._pending_all = None, False
                self._refresh(models)

    def _refresh(self, models: Iterable[ModelGeometry] | None = None) -> None:
        """Rebuild the cell arrays of ``models`` (all by default) from the current masks."""
        if self._batch_depth:
            if models is None:
                self._pending_all = True
            else:
                self._pending = (self._pending or set()) | {m.model_id for m in models}
            return
        self._visible_elements = self._element_visibility()
        self._ghost_elements = self._ghosts(self._visible_elements)
        # One uint8 code per element (0 hidden, 1 shown, 3 shown ghosted): a single
        # gather per triangle gives both masks.
        self._codes = self._visible_elements.astype(np.uint8) | (self._ghost_elements.astype(np.uint8) << 1)
        palette = self._palette()
        for model in self._models.values() if models is None else models:
            self._rebuild(model, palette)
        self._lod_ready = False
        if self._interacting:
            self._enter_lod()

    def _rebuild(self, model: ModelGeometry, palette) -> None:
        eh = model.element_handles
        plain = not len(eh) or bool(np.all(self._codes[eh] == 1))
        if plain:
            # Every element shown, none ghosted: the buckets are the style split, cached.
            parts = (model.default_cells(False), model.default_cells(True))
        else:
            code = self._codes[model.triangle_handle]
            visible = code != 0
            translucent = model.style_translucent | (code == 3)
            parts = tuple((tri, *model.cells_of(tri)) for tri in (
                np.flatnonzero(visible & ~translucent), np.flatnonzero(visible & translucent)))
        for bucket, (tri, triangles, handles) in zip(model.buckets, parts):
            bucket.set_cells(tri, triangles, model.offsets, self._colours(model, tri, handles, palette), handles)
        self._sync_actor_visibility(model)

    def _palette(self):
        """Per-element colour decisions for :meth:`_colours`, computed once per rebuild.

        Returns (replace, rgb32, any_selected): whether an element's style colour is
        replaced (colour-by), the replacing colour as uint32 with zero alpha bits,
        and whether anything is selected.
        """
        r = self._registry
        n = len(r)
        any_selected = bool(r.selected[:n].any())
        if not self._colour_by:
            return None, None, any_selected
        table = np.zeros((n, 4), np.uint8)
        table[:, :3] = colours.NEUTRAL
        coloured = r.has_colour[:n]
        table[coloured, :3] = r.colour[:n][coloured]
        return True, table.view(np.uint32).reshape(-1), any_selected

    def _colours(self, model: ModelGeometry, tri: np.ndarray, handles: np.ndarray, palette) -> np.ndarray:
        """Colours (uint32 per triangle, bytes r, g, b, a) of triangles ``tri`` with their
        handles: style, then colour-by, x-ray ghost and selection highlight."""
        colour_by, rgb32, any_selected = palette
        rgba32 = model.style_rgba32[tri]
        if colour_by:
            rgba32 = rgb32[handles] | (rgba32 & _ALPHA_BITS)
        if self._xray:
            ghost = self._ghost_elements[handles]
            if ghost.any():
                rgba32[ghost] = _GHOST32
        if any_selected:
            selected = self._registry.selected[handles]
            if selected.any():
                rgba = rgba32.view(np.uint8).reshape(-1, 4)
                alpha = rgba[selected, 3]
                picked = np.empty((len(alpha), 4), np.uint8)
                picked[:, :3] = colours.HIGHLIGHT
                # Translucent things stay translucent (and in their bucket) but
                # opaque enough for the highlight to read.
                picked[:, 3] = np.where(alpha < 255, np.maximum(alpha, 110), 255)
                rgba[selected] = picked
        return rgba32

    def _recolour(self, models: Iterable[ModelGeometry] | None = None, touched: np.ndarray | None = None) -> None:
        """Rewrite the colour arrays in place (cells unchanged): all cells of ``models``,
        or only the cells of the ``touched`` handles."""
        if self._batch_depth:
            # Colours are rewritten by the rebuild at the end of the batch.
            self._refresh(models)
            return
        palette = self._palette()
        mask = None
        if touched is not None:
            mask = np.zeros(len(self._registry), bool)
            mask[touched] = True
        for model in self._models.values() if models is None else models:
            for bucket in model.buckets:
                if not len(bucket.tri):
                    continue
                if mask is None:
                    bucket.rgba32[:] = self._colours(model, bucket.tri, bucket.handles, palette)
                else:
                    cells = np.flatnonzero(mask[bucket.handles])
                    if not len(cells):
                        continue
                    bucket.rgba32[cells] = self._colours(model, bucket.tri[cells], bucket.handles[cells], palette)
                bucket.colours_modified()
        self._lod_ready = False
        if self._interacting:
            self._enter_lod()

    def _sync_actor_visibility(self, model: ModelGeometry) -> None:
        for bucket in model.buckets:
            bucket.actor.SetVisibility(model.visible and bucket.triangle_count > 0)

    # ------------------------------------------------------------------ selection

    @property
    def selection(self) -> set[ElementKey]:
        """Selected elements."""
        r = self._registry
        return r.keys_of(np.flatnonzero(r.selected[: len(r)]))

    def select(self, keys: Iterable[ElementKey], add: bool = False) -> None:
        """Select ``keys`` (added to the selection when ``add``), drawn in the highlight colour."""
        r = self._registry
        handles = self._handles(keys)
        before = np.flatnonzero(r.selected[: len(r)])
        if not add:
            r.selected[: len(r)] = False
        r.selected[handles] = True
        self._selection_changed(np.concatenate([before, handles]))

    def clear_selection(self) -> None:
        """Select nothing."""
        r = self._registry
        before = np.flatnonzero(r.selected[: len(r)])
        r.selected[: len(r)] = False
        self._selection_changed(before)

    def _selection_changed(self, touched: np.ndarray) -> None:
        if self._xray and self._xray_follows_selection:
            self._refresh()  # ghosted cells move between buckets
        else:
            self._recolour(self._models_with(touched), touched)

    # ------------------------------------------------------------------ visibility

    def hide(self, keys: Iterable[ElementKey]) -> None:
        """Hide elements."""
        handles = self._handles(keys)
        self._registry.override[handles] = OVERRIDE_HIDDEN
        self._refresh(self._models_with(handles))

    def show(self, keys: Iterable[ElementKey]) -> None:
        """Show elements (even spaces or openings while their category is off)."""
        handles = self._handles(keys)
        self._registry.override[handles] = OVERRIDE_SHOWN
        self._refresh(self._models_with(handles))

    def isolate(self, keys: Iterable[ElementKey]) -> None:
        """Show only ``keys``; everything else is hidden."""
        handles = self._handles(keys)
        r = self._registry
        r.override[: len(r)] = OVERRIDE_HIDDEN
        r.override[handles] = OVERRIDE_SHOWN
        self._refresh()

    def show_all(self) -> None:
        """Undo every hide and isolate (spaces and openings follow their switches)."""
        self._registry.override[:] = OVERRIDE_NONE
        self._refresh()

    def set_spaces_visible(self, visible: bool) -> None:
        """Show or hide the spaces (drawn transparent)."""
        self._spaces_visible = bool(visible)
        self._refresh()

    @property
    def spaces_visible(self) -> bool:
        """Whether spaces are shown."""
        return self._spaces_visible

    def set_openings_visible(self, visible: bool) -> None:
        """Show or hide opening elements."""
        self._openings_visible = bool(visible)
        self._refresh()

    @property
    def openings_visible(self) -> bool:
        """Whether openings are shown."""
        return self._openings_visible

    def visible_keys(self) -> set[ElementKey]:
        """Loaded elements that are shown (in a shown model)."""
        handles = self._loaded_handles(visible_models_only=True)
        return self._registry.keys_of(handles[self._visible_elements[handles]])

    def is_visible(self, key: ElementKey) -> bool:
        """Whether an element is loaded and shown."""
        handle = self._registry.find(tuple(key))
        model = self._models.get(key[0])
        if handle is None or model is None or not model.visible or handle >= len(self._visible_elements):
            return False
        return bool(self._visible_elements[handle]) and key[1] in self._global_ids[key[0]]

    def visibility_exceptions(self) -> tuple[bool, list[ElementKey]]:
        """Visibility as BCF encodes it: (default visibility, exceptions), the shorter way.

        Either everything visible by default (spaces and openings following their
        switches) except the hidden exceptions, or everything hidden except the
        visible exceptions. Elements of a hidden model count as hidden.
        """
        n = len(self._registry)
        loaded = self._loaded_handles()
        shown = self._loaded_handles(visible_models_only=True)
        visible = np.zeros(n, bool)
        visible[shown] = self._visible_elements[shown]
        default = self._default_visibility()
        visible_handles = loaded[visible[loaded]]
        hidden_defaults = loaded[default[loaded] & ~visible[loaded]]
        # "Default visible" can only say "hidden" as an exception, so it fits only
        # when nothing visible is off by default (an isolated space, say).
        if default[visible_handles].all() and len(hidden_defaults) <= len(visible_handles):
            return True, sorted(self._registry.keys_of(hidden_defaults))
        return False, sorted(self._registry.keys_of(visible_handles))

    def set_visibility(self, default_visible: bool, exceptions: Iterable[ElementKey]) -> None:
        """Apply a BCF-style visibility; every model is shown (BCF has no model switch)."""
        r = self._registry
        handles = self._handles(exceptions)
        r.override[: len(r)] = OVERRIDE_NONE if default_visible else OVERRIDE_HIDDEN
        r.override[handles] = OVERRIDE_HIDDEN if default_visible else OVERRIDE_SHOWN
        for model in self._models.values():
            model.visible = True
        self._refresh()

    # ------------------------------------------------------------------ x-ray

    def set_xray(self, enabled: bool, keys: Iterable[ElementKey] | None = None) -> None:
        """Ghost every visible element but ``keys`` (default: the selection, followed as it changes)."""
        self._xray = bool(enabled)
        self._xray_follows_selection = keys is None
        r = self._registry
        r.xray_keep[:] = False
        if keys is not None:
            r.xray_keep[self._handles(keys)] = True
        self._refresh()

    @property
    def xray(self) -> bool:
        """Whether x-ray is on."""
        return self._xray

    def xrayed_keys(self) -> set[ElementKey]:
        """Visible elements drawn ghosted now."""
        handles = self._loaded_handles(visible_models_only=True)
        return self._registry.keys_of(handles[self._ghost_elements[handles]])

    # ------------------------------------------------------------------ colours

    def colour_by(self, mapping: Mapping[ElementKey, tuple[int, int, int]],
                  legend: Sequence[tuple[str, tuple[int, int, int]]] = ()) -> None:
        """Colour elements by ``mapping``; the others are drawn neutral light grey."""
        r = self._registry
        self._colour_mapping = {tuple(k): tuple(int(c) for c in v[:3]) for k, v in mapping.items()}
        self._legend = [(str(label), tuple(int(c) for c in rgb[:3])) for label, rgb in legend]
        r.has_colour[:] = False
        handles = self._handles(self._colour_mapping)
        if len(handles):
            r.colour[handles] = np.array(list(self._colour_mapping.values()), np.uint8)
            r.has_colour[handles] = True
        self._colour_by = True
        self._recolour()

    def reset_colours(self) -> None:
        """Back to the models' own colours."""
        self._colour_by = False
        self._colour_mapping = {}
        self._legend = []
        self._registry.has_colour[:] = False
        self._recolour()

    @property
    def legend(self) -> list[tuple[str, tuple[int, int, int]]]:
        """Legend of the current colour-by (empty with the models' own colours)."""
        return list(self._legend)

    @property
    def colour_mapping(self) -> dict[ElementKey, tuple[int, int, int]]:
        """The current colour-by mapping (empty with the models' own colours)."""
        return dict(self._colour_mapping)

    @property
    def colouring_active(self) -> bool:
        """Whether a colour-by is applied."""
        return self._colour_by

    # ------------------------------------------------------------------ picking

    def pick(self, display_x: float, display_y: float) -> PickResult | None:
        """The nearest visible, not cut away element under a display point.

        Coordinates are VTK display pixels from the bottom-left corner: a Qt widget
        flips y and multiplies by the device pixel ratio. X-rayed elements are
        picked only when nothing else is under the point.
        """
        if not self._models:
            return None
        self.renderer.ResetCameraClippingRange()
        start, direction = display_ray(self.renderer, display_x, display_y)
        best: tuple[float, ModelGeometry, int, np.ndarray] | None = None
        best_ghost: tuple[float, ModelGeometry, int, np.ndarray] | None = None
        for model in self._models.values():
            if not model.visible:
                continue
            hits = model_hits(model, start, direction, allow_behind=False)
            if hits is None:
                continue
            handles = model.triangle_handle[hits.cells]
            ok = self._visible_elements[handles] & (hits.t >= 0)
            if self._sections.active:
                ok &= ~self._sections.clipped(hits.points + self._origin)
            ghost = self._ghost_elements[handles]
            for mask, slot in ((ok & ~ghost, 0), (ok & ghost, 1)):
                if mask.any():
                    i = int(np.flatnonzero(mask)[np.argmin(hits.t[mask])])
                    candidate = (float(hits.t[i]), model, int(hits.cells[i]), hits.points[i])
                    current = best if slot == 0 else best_ghost
                    if current is None or candidate[0] < current[0]:
                        if slot == 0:
                            best = candidate
                        else:
                            best_ghost = candidate
        chosen, xrayed = (best, False) if best is not None else (best_ghost, True)
        if chosen is None:
            return None
        _t, model, cell, point = chosen
        handle = int(model.triangle_handle[cell])
        return PickResult(
            key=self._registry.key(handle),
            local_point=tuple(float(c) for c in point),
            model_point=tuple(float(c) for c in point + self._origin),
            cell_id=cell,
            xrayed=xrayed,
        )

    def prepare_picking(self) -> None:
        """Build every model's cell locator now (else the first pick pays for it)."""
        for model in self._models.values():
            model.locator()

    # ------------------------------------------------------------------ camera

    def _bounds(self, handles_mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
        """Local bounds of the elements in ``handles_mask`` (default: visible ones)."""
        lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
        for model in self._models.values():
            eh = model.element_handles
            if not len(eh):
                continue
            if handles_mask is None:
                if not model.visible:
                    continue
                use = self._visible_elements[eh]
            else:
                use = handles_mask[eh]
            use = use & (model.element_triangles > 0)
            if use.any():
                lo = np.minimum(lo, model.element_min[use].min(axis=0))
                hi = np.maximum(hi, model.element_max[use].max(axis=0))
        if not np.all(np.isfinite(lo)):
            return None
        return lo, hi

    def bounds(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(min, max) of the visible elements in the local frame, or None."""
        return self._bounds()

    def _fit_box(self) -> tuple[np.ndarray, np.ndarray]:
        box = self._bounds()
        if box is None:
            all_mask = np.ones(len(self._registry), bool)
            box = self._bounds(all_mask)
        if box is None:
            box = (np.full(3, -1.0), np.full(3, 1.0))
        return box

    def fit_all(self) -> None:
        """Frame every visible element, keeping the viewing direction."""
        cameras.fit_bounds(self.renderer, *self._fit_box())

    def fit(self, keys: Iterable[ElementKey]) -> None:
        """Frame the given elements, keeping the viewing direction."""
        handles = self._handles(keys)
        mask = np.zeros(len(self._registry), bool)
        mask[handles] = True
        box = self._bounds(mask)
        cameras.fit_bounds(self.renderer, *(box if box is not None else self._fit_box()))

    def set_standard_view(self, name: str) -> None:
        """Look from a standard direction ("top", "bottom", "front", "back", "left",
        "right", "iso") and frame the visible elements."""
        direction, up = cameras.standard_view(name)
        cameras.look(self.renderer, direction, up, *self._fit_box())

    def set_perspective(self, perspective: bool) -> None:
        """Perspective (True) or parallel projection, keeping the framing."""
        cameras.set_perspective(self.renderer.GetActiveCamera(), bool(perspective))
        self.renderer.ResetCameraClippingRange()

    @property
    def perspective(self) -> bool:
        """Whether the camera uses a perspective projection."""
        return not self.renderer.GetActiveCamera().GetParallelProjection()

    def _aspect_ratio(self) -> float:
        window = self.render_window
        if window is not None:
            width, height = self.renderer.GetSize()
            if width > 0 and height > 0:
                return width / height
        return 1.6

    def camera_state(self):
        """The camera as a :class:`bim.viewpoint.Camera` in model coordinates."""
        return cameras.to_bcf(self.renderer.GetActiveCamera(), self._origin, self._aspect_ratio())

    def set_camera_state(self, camera) -> None:
        """Put the camera where a :class:`bim.viewpoint.Camera` (model coordinates) says."""
        cameras.apply_bcf(self.renderer, camera, self._origin)

    # ------------------------------------------------------------------ interaction LOD

    def drawn_triangle_count(self) -> int:
        """Triangles drawn by the next frame (the LOD subset while interacting)."""
        return sum(b.triangle_count for m in self._models.values() if m.visible for b in m.buckets)

    @property
    def interacting(self) -> bool:
        """Whether the camera is moving (LOD drawn)."""
        return self._interacting

    def begin_interaction(self) -> None:
        """The camera starts moving: draw only the largest elements, up to ``lod_budget`` triangles."""
        self._interacting = True
        self._enter_lod()

    def end_interaction(self) -> None:
        """The camera stopped: draw everything again (the caller renders)."""
        self._interacting = False
        for model in self._models.values():
            for bucket in model.buckets:
                if bucket.using_lod:
                    bucket.use_lod(False)
            self._sync_actor_visibility(model)

    def _enter_lod(self) -> None:
        full = sum(len(b.tri) for m in self._models.values() if m.visible for b in m.buckets)
        if full <= self.lod_budget:
            for model in self._models.values():
                for bucket in model.buckets:
                    if bucket.using_lod:
                        bucket.use_lod(False)
                self._sync_actor_visibility(model)
            return
        if not self._lod_ready:
            self._build_lod()
        for model in self._models.values():
            for bucket in model.buckets:
                bucket.use_lod(True)
            self._sync_actor_visibility(model)

    def _build_lod(self) -> None:
        """Choose the largest visible elements (bounding-box diagonal) within the budget."""
        diagonals, counts, handles = [], [], []
        for model in self._models.values():
            if not model.visible or not len(model.element_handles):
                continue
            eh = model.element_handles
            drawn = self._visible_elements[eh] & (model.element_triangles > 0)
            diagonals.append(model.element_diagonal[drawn])
            counts.append(model.element_triangles[drawn])
            handles.append(eh[drawn])
        keep = np.zeros(len(self._registry), bool)
        if handles:
            diagonal, count, handle = (np.concatenate(a) for a in (diagonals, counts, handles))
            order = np.argsort(-diagonal, kind="stable")
            count, handle = count[order], handle[order]
            # One huge element (a terrain) must not starve all the others: skip what
            # alone exceeds the budget, then take the largest ones while they fit.
            fits = count <= self.lod_budget
            total = np.cumsum(np.where(fits, count, 0))
            keep[handle[fits & (total <= self.lod_budget)]] = True
        for model in self._models.values():
            for bucket in model.buckets:
                chosen = keep[bucket.handles]
                bucket.set_lod(chosen, np.take(model.triangles, bucket.tri[chosen], axis=0), model.offsets)
        self._lod_ready = True

    def attach_interactor(self, interactor: vtkRenderWindowInteractor, restore_detail: bool = True) -> None:
        """Switch to LOD on the interactor's Start/EndInteractionEvent.

        With ``restore_detail`` False only the start is hooked: the widget calls
        :meth:`end_interaction` and renders itself, e.g. from a short timer, so a
        burst of wheel steps does not draw the full model between each.
        """
        def on_start(_obj, _event) -> None:
            self.begin_interaction()

        def on_end(_obj, _event) -> None:
            self.end_interaction()
            self.render()

        self._observers.append((interactor, interactor.AddObserver(vtkCommand.StartInteractionEvent, on_start)))
        if restore_detail:
            self._observers.append((interactor, interactor.AddObserver(vtkCommand.EndInteractionEvent, on_end)))

    def detach_interactor(self) -> None:
        """Remove the observers added by :meth:`attach_interactor`."""
        for interactor, tag in self._observers:
            interactor.RemoveObserver(tag)
        self._observers.clear()

    # ------------------------------------------------------------------ sections

    def set_section_plane(self, axis: str, position: float, flip: bool = False) -> None:
        """Cut along an axis at ``position`` (model coordinates): what lies beyond is cut
        away, or what lies before with ``flip``. One plane per axis; a new one replaces it."""
        axis_index(axis)
        self._sections.planes[axis.lower()] = (float(position), bool(flip))
        self._apply_sections()

    def clear_section_plane(self, axis: str) -> None:
        """Remove the section plane of an axis."""
        self._sections.planes.pop(axis.lower(), None)
        self._apply_sections()

    def set_section_box(self, min_xyz, max_xyz) -> None:
        """Keep only what lies inside the box (model coordinates)."""
        lo = tuple(float(v) for v in min_xyz)
        hi = tuple(float(v) for v in max_xyz)
        if len(lo) != 3 or len(hi) != 3 or any(a >= b for a, b in zip(lo, hi)):
            raise ValueError(_("a section box needs three minimums below three maximums"))
        self._sections.box = (lo, hi)
        self._apply_sections()

    def clear_section_box(self) -> None:
        """Remove the section box."""
        self._sections.box = None
        self._apply_sections()

    def clear_sections(self) -> None:
        """Remove every section plane and the box."""
        self._sections = SectionState()
        self._apply_sections()

    @property
    def sections(self) -> SectionState:
        """The section state (a copy; change it through the methods above)."""
        s = self._sections
        return SectionState(dict(s.planes), s.box, list(s.extra))

    def set_sections(self, state: SectionState) -> None:
        """Replace the whole section state (viewpoints)."""
        self._sections = SectionState(dict(state.planes), state.box, list(state.extra))
        self._apply_sections()

    def _apply_sections(self) -> None:
        self._sections.fill_collection(self._planes, self._origin)
        for model in self._models.values():
            self._apply_clipping(model)
        self._update_box_outline()

    def _apply_clipping(self, model: ModelGeometry) -> None:
        # One shared collection: editing its planes reaches every bucket; an empty
        # collection clips nothing.
        for bucket in model.buckets:
            for mapper in bucket.mappers:
                if mapper.GetClippingPlanes() is not self._planes:
                    mapper.SetClippingPlanes(self._planes)

    def _update_box_outline(self) -> None:
        box = self._sections.box
        if box is None:
            self._box_actor.VisibilityOff()
            return
        lo = np.asarray(box[0]) - self._origin
        hi = np.asarray(box[1]) - self._origin
        corners = np.array([[(hi if (i >> k) & 1 else lo)[k] for k in range(3)] for i in range(8)], np.float32)
        edges = [(a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count("1") == 1]
        points = vtkPoints()
        for corner in corners:
            points.InsertNextPoint(*corner)
        lines = vtkCellArray()
        for a, b in edges:
            lines.InsertNextCell(2, (a, b))
        data = vtkPolyData()
        data.SetPoints(points)
        data.SetLines(lines)
        self._box_actor.GetMapper().SetInputData(data)
        self._box_actor.VisibilityOn()

    # ------------------------------------------------------------------ measurements

    def measure(self, p1_model, p2_model) -> float:
        """Measure and draw the distance between two model points; returns it (metres)."""
        measurement = Measurement(p1_model, p2_model)
        measurement.place(self._origin)
        for actor in measurement.actors:
            self.renderer.AddActor(actor)
        self._measurements.append(measurement)
        return measurement.distance

    def clear_measurements(self) -> None:
        """Remove every measurement."""
        for measurement in self._measurements:
            for actor in measurement.actors:
                self.renderer.RemoveActor(actor)
        self._measurements.clear()

    @property
    def measurements(self) -> list[tuple[tuple[float, float, float], tuple[float, float, float], float]]:
        """(start, end, distance) of every measurement, model coordinates."""
        return [(m.start, m.end, m.distance) for m in self._measurements]

    # ------------------------------------------------------------------ markers

    def set_markers(self, points_model) -> None:
        """Mark these model points (a clash point…) with a dot and a cross drawn over everything; () clears."""
        self._markers.set_points(points_model, self._origin)

    @property
    def markers(self) -> tuple[tuple[float, float, float], ...]:
        """The marked points, model coordinates."""
        return self._markers.points

    @property
    def marker_actor(self):
        """The overlay actor drawing the markers."""
        return self._markers.actor

    # ------------------------------------------------------------------ viewpoints & images

    def capture_viewpoint(self, with_snapshot: bool = True) -> Viewpoint:
        """What the user sees now, as a BCF-style viewpoint (model coordinates)."""
        from viewer.viewpoints import capture_viewpoint

        return capture_viewpoint(self, with_snapshot=with_snapshot)

    def restore_viewpoint(self, viewpoint: Viewpoint) -> None:
        """Go back to a captured viewpoint (camera, visibility, selection, colours, sections, lines)."""
        from viewer.viewpoints import restore_viewpoint

        restore_viewpoint(self, viewpoint)

    def resolve(self, global_id: str, model_id: str | None = None) -> ElementKey | None:
        """The key of a GlobalId: in ``model_id``, or in the first loaded model having it."""
        if model_id is not None:
            return (model_id, global_id)
        for mid, ids in self._global_ids.items():
            if global_id in ids:
                return (mid, global_id)
        return None

    def snapshot_png(self, width: int | None = None, height: int | None = None) -> bytes:
        """A PNG of the current view (rendered now), optionally resized."""
        from viewer.offscreen import png_bytes

        window = self.render_window
        if window is None:
            raise RuntimeError(_("the scene is not in a render window"))
        return png_bytes(window, width, height)

    def save_screenshot(self, path) -> None:
        """Write a PNG of the current view to ``path``."""
        from pathlib import Path

        Path(path).write_bytes(self.snapshot_png())
