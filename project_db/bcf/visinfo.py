"""Viewpoint files (``*.bcfv``, visinfo.xsd): read either BCF version, write 2.1 or 3.0.

Reading accepts both layouts whatever the declared version (tools mix them):
ViewSetupHints under Components (2.1) or Visibility (3.0), colours with or without a
Components wrapper, Bitmap elements bare (2.1) or in Bitmaps (3.0). Writing keeps
viewpoints slim: the default visibility plus its exceptions, never every GlobalId.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from bim.i18n import _
from bim.viewpoint import Camera, ClippingPlane, Colouring, ComponentRef, Line, Viewpoint
from project_db.bcf.model import BcfViewpoint, Problem
from project_db.bcf.xmlutil import boolean, child, children, number, point, sub, text, vector
from project_db.records import ViewpointBitmap

DEFAULT_CAMERA = Camera(position=(0.0, 0.0, 0.0), direction=(1.0, 0.0, 0.0), up=(0.0, 0.0, 1.0))
_IFC_GUID = re.compile(r"^[0-9A-Za-z_$]{22}$")
_COLOUR = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$")

Loader = Callable[[str], "bytes | None"]


# -- reading ------------------------------------------------------------------------


def read(root: etree._Element, vp_guid: str, snapshot: bytes | None, snapshot_format: str | None,
         load: Loader, entry: str, problems: list[Problem], index: int | None = None,
         sidecar: dict | None = None) -> BcfViewpoint:
    """The viewpoint in ``root``; ``load`` reads a file of the topic folder.

    ``sidecar`` is this viewpoint's part of synthese.json (component models, camera extras).
    """
    sidecar = sidecar or {}
    systems: dict[str, str] = {}
    side_models = sidecar.get("component_models") or {}

    def components(nodes: list[etree._Element], models: list | None) -> tuple[ComponentRef, ...]:
        if models is None or len(models) != len(nodes):
            models = [None] * len(nodes)  # the file was edited elsewhere: models unknown
        refs = []
        for c, model in zip(nodes, models):
            gid = (c.get("IfcGuid") or "").strip()
            system = text(c, "OriginatingSystem")
            if system:
                systems[gid] = system
            refs.append(ComponentRef(global_id=gid, model_id=model, authoring_tool_id=text(c, "AuthoringToolId")))
        return tuple(refs)

    comps = child(root, "Components")
    visibility = child(comps, "Visibility")
    hints = child(comps, "ViewSetupHints")
    if hints is None:
        hints = child(visibility, "ViewSetupHints")
    colourings = []
    colour_models = side_models.get("colourings") or []
    for i, colour in enumerate(children(comps, "Coloring", "Color")):
        value = (colour.get("Color") or "").strip()
        refs = components(children(colour, "Component") + children(colour, "Components", "Component"),
                          colour_models[i] if i < len(colour_models) else None)
        if not _COLOUR.match(value):
            problems.append(Problem(entry, _("colour {value!r} is not RRGGBB or AARRGGBB; left out").format(
                value=value), "colour"))
            continue
        colourings.append(Colouring(color="#" + value.lstrip("#").upper(), components=refs))
    camera, has_camera = _camera(root, sidecar)
    bitmaps = []
    for b in children(root, "Bitmap") + children(root, "Bitmaps", "Bitmap"):
        fmt = (text(b, "Format") or text(b, "Bitmap") or "png").lower()
        reference = text(b, "Reference")
        data = load(reference) if reference else None
        location, normal, up = vector(b, "Location"), vector(b, "Normal"), vector(b, "Up")
        if data is None or None in (location, normal, up):
            problems.append(Problem(entry, _("bitmap {name!r} missing or incomplete; left out").format(
                name=reference), "bitmap"))
            continue
        bitmaps.append(ViewpointBitmap(format="jpg" if fmt in ("jpg", "jpeg") else "png", data=data,
                                       location=location, normal=normal, up=up, height=number(b, "Height") or 1.0))
    viewpoint = Viewpoint(
        camera=camera,
        # BCF's default is false when Visibility says nothing; without Visibility everything shows
        default_visibility=boolean(visibility.get("DefaultVisibility"), False) if visibility is not None else True,
        exceptions=components(children(visibility, "Exceptions", "Component"), side_models.get("exceptions")),
        selection=components(children(comps, "Selection", "Component"), side_models.get("selection")),
        colourings=tuple(colourings),
        clipping_planes=tuple(
            ClippingPlane(location=loc, direction=dirn)
            for p in children(root, "ClippingPlanes", "ClippingPlane")
            if (loc := vector(p, "Location")) is not None and (dirn := vector(p, "Direction")) is not None
        ),
        lines=tuple(
            Line(start=s, end=e)
            for ln in children(root, "Lines", "Line")
            if (s := vector(ln, "StartPoint")) is not None and (e := vector(ln, "EndPoint")) is not None
        ),
        spaces_visible=boolean(hints.get("SpacesVisible") if hints is not None else None, False),
        openings_visible=boolean(hints.get("OpeningsVisible") if hints is not None else None, False),
        snapshot_png=snapshot,
    )
    return BcfViewpoint(
        guid=vp_guid, viewpoint=viewpoint, index=index, snapshot_format=snapshot_format if snapshot else None,
        bitmaps=tuple(bitmaps),
        space_boundaries_visible=boolean(hints.get("SpaceBoundariesVisible") if hints is not None else None, False),
        originating_systems=tuple(sorted(systems.items())), has_camera=has_camera,
    )


def without_file(vp_guid: str, snapshot: bytes | None, snapshot_format: str | None, index: int | None) -> BcfViewpoint:
    """A viewpoint listed in the markup with a snapshot but no viewpoint file."""
    return BcfViewpoint(guid=vp_guid, viewpoint=Viewpoint(camera=DEFAULT_CAMERA, snapshot_png=snapshot), index=index,
                        snapshot_format=snapshot_format if snapshot else None, has_camera=False)


def _camera(root: etree._Element, sidecar: dict) -> tuple[Camera, bool]:
    for name, perspective in (("PerspectiveCamera", True), ("OrthogonalCamera", False)):
        node = child(root, name)
        if node is None:
            continue
        position, direction, up = (vector(node, "CameraViewPoint"), vector(node, "CameraDirection"),
                                   vector(node, "CameraUpVector"))
        if None in (position, direction, up):
            continue
        aspect = number(node, "AspectRatio") or sidecar.get("aspect_ratio") or DEFAULT_CAMERA.aspect_ratio
        # BCF keeps only the parameter of the camera's kind; Synthese's sidecar keeps the other
        fov = number(node, "FieldOfView") if perspective else None
        scale = number(node, "ViewToWorldScale") if not perspective else None
        camera = Camera(
            position=position, direction=direction, up=up, perspective=perspective,
            field_of_view=fov if fov is not None else float(sidecar.get("field_of_view", DEFAULT_CAMERA.field_of_view)),
            view_to_world_scale=scale if scale is not None
            else float(sidecar.get("view_to_world_scale", DEFAULT_CAMERA.view_to_world_scale)),
            aspect_ratio=float(aspect),
        )
        return camera, bool(sidecar.get("has_camera", True))
    return DEFAULT_CAMERA, False


# -- writing ------------------------------------------------------------------------


def build(vp: BcfViewpoint, version: str, bitmap_names: list[str], warnings: list[Problem],
          entry: str) -> etree._Element:
    """The VisualizationInfo element of ``vp`` for BCF ``version``; bitmaps are named ``bitmap_names``."""
    v = vp.viewpoint
    systems = dict(vp.originating_systems)
    root = etree.Element("VisualizationInfo", Guid=vp.guid)

    def component(parent: etree._Element, ref: ComponentRef) -> None:
        gid = ref.global_id if _IFC_GUID.match(ref.global_id or "") else None
        if ref.global_id and gid is None:
            warnings.append(Problem(entry, _("{gid!r} is not an IFC GlobalId; written without it").format(
                gid=ref.global_id), ""))
        element = sub(parent, "Component", IfcGuid=gid)
        system, tool = systems.get(ref.global_id), ref.authoring_tool_id
        if system and system.strip():
            sub(element, "OriginatingSystem", system)
        if tool and tool.strip():
            sub(element, "AuthoringToolId", tool)

    comps = sub(root, "Components")
    hints = dict(SpacesVisible=v.spaces_visible, SpaceBoundariesVisible=vp.space_boundaries_visible,
                 OpeningsVisible=v.openings_visible)
    if version == "2.1":
        sub(comps, "ViewSetupHints", **hints)
    if v.selection:
        selection = sub(comps, "Selection")
        for ref in v.selection:
            component(selection, ref)
    visibility = sub(comps, "Visibility", DefaultVisibility=v.default_visibility)
    if version == "3.0":
        sub(visibility, "ViewSetupHints", **hints)
    if v.exceptions:
        exceptions = sub(visibility, "Exceptions")
        for ref in v.exceptions:
            component(exceptions, ref)
    colourings = [c for c in v.colourings if c.components]
    if len(colourings) != len(v.colourings):
        warnings.append(Problem(entry, _("a colour without elements was left out (BCF needs one)"), ""))
    if colourings:
        coloring = sub(comps, "Coloring")
        for colouring in colourings:
            colour = sub(coloring, "Color", Color=colouring.color.lstrip("#").upper())
            holder = sub(colour, "Components") if version == "3.0" else colour
            for ref in colouring.components:
                component(holder, ref)
    if vp.has_camera or version == "3.0":
        _write_camera(root, v.camera, version, warnings, entry)
    if v.lines:
        lines = sub(root, "Lines")
        for line in v.lines:
            element = sub(lines, "Line")
            point(element, "StartPoint", line.start)
            point(element, "EndPoint", line.end)
    if v.clipping_planes:
        planes = sub(root, "ClippingPlanes")
        for plane in v.clipping_planes:
            element = sub(planes, "ClippingPlane")
            point(element, "Location", plane.location)
            point(element, "Direction", plane.direction)
    if vp.bitmaps:
        holder = sub(root, "Bitmaps") if version == "3.0" else root
        for bitmap, name in zip(vp.bitmaps, bitmap_names):
            element = sub(holder, "Bitmap")
            if version == "3.0":
                sub(element, "Format", bitmap.format)
            else:
                sub(element, "Bitmap", bitmap.format.upper())
            sub(element, "Reference", name)
            point(element, "Location", bitmap.location)
            point(element, "Normal", bitmap.normal)
            point(element, "Up", bitmap.up)
            sub(element, "Height", float(bitmap.height))
    return root


def _write_camera(root: etree._Element, camera: Camera, version: str, warnings: list[Problem], entry: str) -> None:
    node = sub(root, "PerspectiveCamera" if camera.perspective else "OrthogonalCamera")
    point(node, "CameraViewPoint", camera.position)
    point(node, "CameraDirection", camera.direction)
    point(node, "CameraUpVector", camera.up)
    if camera.perspective:
        low, high = (1.0, 170.0) if version == "2.1" else (1e-6, 179.999999)
        fov = min(max(float(camera.field_of_view), low), high)
        if fov != camera.field_of_view:
            warnings.append(Problem(entry, _("field of view {fov} brought into BCF's range").format(
                fov=camera.field_of_view), ""))
        sub(node, "FieldOfView", fov)
    else:
        sub(node, "ViewToWorldScale", float(camera.view_to_world_scale))
    if version == "3.0":
        sub(node, "AspectRatio", float(camera.aspect_ratio) if camera.aspect_ratio > 0 else 1.0)

