"""Headless ``synthese render``: an offscreen picture of a federation, without Qt."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bim.federation import Federation, load_model
from bim.i18n import _, ngettext
from bim.ifc_file import ModelError
from bim.progress import Cancelled
from bim.terminal import TerminalProgress

VIEWS = ("iso", "top", "bottom", "front", "back", "left", "right")


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,5})[xX](\d{2,5})", text)
    if not match:
        raise argparse.ArgumentTypeError(_("size must look like 1600x1000"))
    return int(match.group(1)), int(match.group(2))


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``render`` to the ``synthese`` command."""
    render = sub.add_parser("render", help=_("render IFC models to a PNG image without a display"))
    render.add_argument("models", nargs="+", help=_("IFC files, federated"))
    render.add_argument("-o", "--output", required=True, help=_("PNG file to write"))
    render.add_argument("--view", default="iso", choices=VIEWS, help=_("standard view (default: iso)"))
    render.add_argument("--size", type=_size, default=(1600, 1000), help=_("image size, e.g. 1600x1000"))
    render.add_argument("--spaces", action="store_true", help=_("show spaces (transparent)"))
    render.set_defaults(func=run_render)


def run_render(args: argparse.Namespace) -> int:
    from viewer.federation_view import show_model
    from viewer.offscreen import offscreen_scene

    federation = Federation()
    try:
        for path in args.models:
            bar = TerminalProgress(_("Loading {name}").format(name=Path(path).name))
            try:
                federation.add(load_model(path, model_id=federation.new_model_id(path), progress=bar,
                                          cancel=bar.cancel))
            finally:
                bar.close()
    except ModelError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    except (Cancelled, KeyboardInterrupt):
        print(_("cancelled"), file=sys.stderr)
        return 130
    scene, _window = offscreen_scene(args.size)
    for model in federation:
        show_model(scene, federation, model)
    scene.set_spaces_visible(args.spaces)
    scene.set_standard_view(args.view)
    scene.fit_all()
    output = Path(args.output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        scene.save_screenshot(output)
    except OSError as exc:
        print(_("error: cannot write {path}: {reason}").format(path=output, reason=exc.strerror), file=sys.stderr)
        return 2
    failed = sum(len(m.failures) for m in federation)
    print(ngettext("{path}: {models} model, {triangles} triangles", "{path}: {models} models, {triangles} triangles",
                   len(federation)).format(path=output, models=len(federation),
                                           triangles=scene.drawn_triangle_count()))
    if failed:
        print(ngettext("warning: {n} element without geometry", "warning: {n} elements without geometry",
                       failed).format(n=failed), file=sys.stderr)
    return 0
