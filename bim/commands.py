"""Headless subcommands of the bim layer: ``synthese info`` and ``synthese demo``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import platformdirs

from bim.i18n import _
from bim.ifc_file import ModelError, open_ifc
from bim.info import summarize
from bim.progress import Cancelled
from bim.terminal import TerminalProgress


def default_demo_dir() -> Path:
    """Where ``synthese demo`` writes when no folder is given."""
    return Path(platformdirs.user_data_dir("synthese", appauthor=False)) / "demo"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``info`` and ``demo`` to the ``synthese`` command."""
    info = sub.add_parser("info", help=_("summary of an IFC model: schema, application, storeys, element counts"))
    info.add_argument("model", help=_("IFC file"))
    info.add_argument("--json", action="store_true", help=_("print JSON"))
    info.set_defaults(func=run_info)
    demo = sub.add_parser("demo", help=_("generate the demo project (one IFC file per trade)"))
    demo.add_argument("directory", nargs="?", help=_("output folder (default: {path})").format(path=default_demo_dir()))
    demo.add_argument("--schema", default="IFC4", choices=("IFC2X3", "IFC4", "IFC4X3"))
    demo.add_argument("--scale", type=int, default=1, help=_("number of copies of the building"))
    demo.set_defaults(func=run_demo)


def run_info(args: argparse.Namespace) -> int:
    try:
        summary = summarize(open_ifc(args.model))
    except ModelError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    print(_("File: {path}").format(path=args.model))
    print(_("Schema: {schema}").format(schema=summary["schema"]))
    print(_("Application: {app}").format(app=summary["authoring_application"] or "-"))
    print(_("Project: {name}").format(name=summary["project"] or "-"))
    print(_("Storeys:"))
    for storey in summary["storeys"]:
        elevation = "-" if storey["elevation"] is None else f"{storey['elevation']:.3f} m"
        print(f"  {storey['name'] or '-'}  {elevation}")
    print(_("Elements: {n}").format(n=summary["element_total"]))
    for cls, count in summary["element_counts"].items():
        print(f"  {cls:<32} {count:>7}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from bim.demo import generate_demo

    directory = Path(args.directory) if args.directory else default_demo_dir()
    bar = TerminalProgress(_("Generating the demo"))
    try:
        project = generate_demo(directory, schema=args.schema, scale=args.scale, progress=bar, cancel=bar.cancel)
    except Cancelled:
        bar.close()
        print(_("cancelled"), file=sys.stderr)
        return 130
    except OSError as exc:
        bar.close()
        print(_("error: cannot write {path}: {reason}").format(path=directory, reason=exc.strerror), file=sys.stderr)
        return 2
    bar.close()
    for trade, path in project.paths.items():
        print(f"{trade}\t{path}")
    return 0
