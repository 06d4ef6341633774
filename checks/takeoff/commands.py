"""``synthese takeoff``: quantity sheets from IFC models on the command line, without Qt.

    synthese takeoff MODEL.ifc [MODEL2.ifc …] [--group-by storey,class [--group-by material]]
                     [--template NAME|FILE.json] [--project P] -o quantities.xlsx|.csv|.json

Exit status: 0 when the sheet is written, 2 on bad input (a missing, non-IFC or
damaged model, an unknown template or output format, an unwritable output),
always with one line naming the file; 130 when interrupted.

``--project P`` (templates shared in a project) is added by the ``cli`` package,
which sets ``args.load_template(name)``: the loader used instead of
:func:`load_template` when present.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bim.federation import load_model
from bim.i18n import _
from bim.ifc_file import ModelError
from bim.progress import Cancelled
from bim.terminal import TerminalProgress
from checks.takeoff.engine import run_takeoff
from checks.takeoff.export import WRITERS, ExportFormatError, write_takeoff
from checks.takeoff.template import BUILTIN_TEMPLATES, TakeoffTemplate, TemplateError, load_template

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 2, 130


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``takeoff`` subcommand to the ``synthese`` parser."""
    parser = subparsers.add_parser(
        "takeoff",
        help=_("quantity takeoff of IFC models to XLSX, CSV or JSON (exit 2: bad input)"),
        description=_("Take quantities off IFC models: declared and computed values per element, with their "
                      "source, grouped with subtotals. Exit status 0 when written, 2 on bad input."),
    )
    parser.add_argument("models", nargs="+", metavar="MODEL.ifc", help=_("IFC models (one per trade)"))
    parser.add_argument("-o", "--output", required=True, metavar="OUT.xlsx|OUT.csv|OUT.json",
                        help=_("the quantity sheet to write; the extension picks the format"))
    parser.add_argument("--group-by", action="append", default=[], metavar="FIELD[,FIELD…]",
                        help=_("one sheet grouped by these nested fields: model, trade, storey, class, type, "
                               "material, classification or property:Pset.Property (may be repeated)"))
    parser.add_argument("--template", metavar="NAME|FILE.json",
                        help=_("built-in template ({names}) or a template JSON file").format(
                            names=", ".join(BUILTIN_TEMPLATES)))
    parser.add_argument("--prefer", choices=("declared", "computed"),
                        help=_("which value the sheet shows when both exist (default: the template's)"))
    parser.add_argument("-q", "--quiet", action="store_true", help=_("print nothing but errors"))
    parser.set_defaults(func=run_takeoff_command)


def _error(message: str) -> int:
    print(_("synthese takeoff: error: {message}").format(message=message), file=sys.stderr)
    return EXIT_BAD_INPUT


def _template(args: argparse.Namespace) -> TakeoffTemplate:
    loader = getattr(args, "load_template", None) or load_template
    template = loader(args.template) if args.template else TakeoffTemplate()
    if args.group_by:
        template = template.with_groupings(
            [tuple(f.strip() for f in spec.split(",") if f.strip()) for spec in args.group_by])
    if args.prefer:
        template = TakeoffTemplate.from_dict({**template.to_dict(), "prefer": args.prefer})
    return template


def run_takeoff_command(args: argparse.Namespace) -> int:
    """Run ``synthese takeoff``; returns the exit status."""
    output = Path(args.output)
    if output.suffix.lower() not in WRITERS:
        return _error(_("{file}: unknown output format (use {formats})").format(
            file=output, formats=", ".join(WRITERS)))
    try:
        template = _template(args)
    except TemplateError as exc:
        return _error(_("template: {problem}").format(problem=exc))
    bar = TerminalProgress(_("Takeoff"))
    try:
        models = []
        for path in args.models:
            bar.label = Path(path).name
            models.append(load_model(path, progress=bar, cancel=bar.cancel))
        bar.label = _("Quantities")
        result = run_takeoff(models, template, progress=bar, cancel=bar.cancel)
        bar.close()
    except ModelError as exc:
        bar.close()
        return _error(str(exc))
    except (KeyboardInterrupt, Cancelled):
        bar.close()
        print(_("synthese takeoff: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    try:
        write_takeoff(result, output)
    except ExportFormatError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"{getattr(exc, 'filename', None) or output}: {exc.strerror or exc}")
    if not args.quiet:
        print(_("{file}: {n} elements, {flagged} with a discrepancy, {missing} with a quantity not computable "
                "({seconds:.1f} s)").format(file=output, n=len(result.elements), flagged=len(result.flagged_rows),
                                            missing=len(result.not_computable_rows), seconds=result.duration_s))
    return EXIT_OK
