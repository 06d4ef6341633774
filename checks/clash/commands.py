"""``synthese clash``: run a clash test between two IFC models from the command line, without Qt.

Exit status: 0 when no clash is found, 1 when there are clashes, 2 on bad input
(unreadable or non-IFC model, malformed filter, unknown report format,
unreadable previous report), always with one line naming the file or the
problem. Models load through the geometry cache, so a re-run on unchanged files
tessellates nothing.

Hooks for a composition layer (``cli``, which adds ``--project`` and BCF reports),
read from the parsed arguments when set: ``args.after_run(run, args)`` is called
once the run and its reports are done, before the summary is printed; it may set
``args.decisions`` (clash id → "approved" or "ignored", shown beside each clash)
and return the exit status (None: the usual one).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bim.federation import LoadedModel, load_model
from bim.i18n import _
from bim.ifc_file import ModelError
from bim.progress import Cancelled
from bim.terminal import TerminalProgress
from checks.clash.definition import (
    DEFAULT_CLEARANCE, DEFAULT_TOLERANCE, ClashDefinitionError, ClashTest, Exclusions, Mode, Selection,
)
from checks.clash.engine import run_clash_test
from checks.clash.filter_syntax import FILTER_SYNTAX_HELP, parse_selection
from checks.clash.grouping import DEFAULT_PROXIMITY, GroupBy, group_clashes
from checks.clash.reports import REPORT_FORMATS, ClashReportError, check_report_path, write_report
from checks.clash.results import Clash, ClashRun
from checks.clash.status import ClashStatus, compare_runs, status_label

EXIT_OK, EXIT_CLASHES, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
EXCLUSION_NAMES = {"openings": "openings", "fillings": "fillings", "assemblies": "assemblies",
                   "aggregates": "aggregates", "same-element": "same_element"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``clash`` subcommand to the ``synthese`` parser."""
    parser = subparsers.add_parser(
        "clash",
        help=_("find clashes between two IFC models (exit 0: none, 1: clashes, 2: bad input)"),
        description=_(
            "Find hard clashes (volumes interpenetrating deeper than the tolerance; touching is not a clash) "
            "or clearance clashes (elements closer than the clearance, intersections included) between the "
            "elements of model A and those of model B. With a single model, the model is tested against "
            "itself. Exit status 0 when no clash is found, 1 when there are clashes, 2 on bad input."
        ),
        epilog=_("Filter syntax: {syntax}.").format(syntax=_(FILTER_SYNTAX_HELP)),
    )
    parser.add_argument("a", metavar="A.ifc", help=_("model of side A"))
    parser.add_argument("b", metavar="B.ifc", nargs="?", help=_("model of side B (default: A itself)"))
    parser.add_argument("--a-filter", default="", metavar="FILTER", help=_("elements of A taking part (see below)"))
    parser.add_argument("--b-filter", default="", metavar="FILTER", help=_("elements of B taking part (see below)"))
    parser.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.HARD.value,
                        help=_("hard (interpenetration) or clearance (distance); default: hard"))
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, metavar="M",
                        help=_("hard mode: depth in metres still counted as touching (default: 0.01)"))
    parser.add_argument("--clearance", type=float, default=DEFAULT_CLEARANCE, metavar="M",
                        help=_("clearance mode: distance in metres elements must keep (default: 0.05)"))
    parser.add_argument("--name", help=_("name of the clash test (part of every clash id; default: A vs B)"))
    parser.add_argument("--report", action="append", default=[], metavar="OUT.json|OUT.xlsx",
                        help=_("write a report; the extension picks the format (may be repeated)"))
    parser.add_argument("--previous", metavar="OLD.json",
                        help=_("a JSON report of an earlier run: clashes are then new, active or resolved"))
    parser.add_argument("--no-exclusion", default="", metavar="NAMES",
                        help=_("switch built-in exclusions off, comma-separated: {names}").format(
                            names=", ".join(EXCLUSION_NAMES)))
    parser.add_argument("--group-by", choices=[g.value for g in GroupBy if g is not GroupBy.MANUAL],
                        default=GroupBy.TYPES.value, help=_("how clashes are grouped on screen (default: types)"))
    parser.add_argument("--proximity", type=float, default=DEFAULT_PROXIMITY, metavar="M",
                        help=_("distance that chains clashes into one zone when grouping by proximity"))
    parser.add_argument("-q", "--quiet", action="store_true", help=_("print nothing but errors"))
    parser.set_defaults(func=run_clash_command)


def _error(message: str) -> int:
    print(_("synthese clash: error: {message}").format(message=message), file=sys.stderr)
    return EXIT_BAD_INPUT


def _exclusions(text: str) -> Exclusions:
    switched_off = {}
    for name in (n.strip().lower() for n in text.split(",") if n.strip()):
        if name not in EXCLUSION_NAMES:
            raise ClashDefinitionError(_("unknown exclusion {name!r} (use {names})").format(
                name=name, names=", ".join(EXCLUSION_NAMES)))
        switched_off[EXCLUSION_NAMES[name]] = False
    return Exclusions(**switched_off)


def _build_test(args: argparse.Namespace, model_a: str, model_b: str) -> ClashTest:
    name = args.name or (model_a if model_a == model_b else f"{model_a} vs {model_b}")
    return ClashTest(
        name=name,
        a=parse_selection(args.a_filter, Selection(models=(model_a,))),
        b=parse_selection(args.b_filter, Selection(models=(model_b,))),
        mode=Mode(args.mode), tolerance=args.tolerance, clearance=args.clearance,
        exclusions=_exclusions(args.no_exclusion),
    )


def _load_previous(path: str) -> ClashRun:
    try:
        return ClashRun.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except OSError as exc:
        raise ClashReportError(f"{path}: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ClashReportError(_("{file}: not a clash report ({detail})").format(file=path, detail=exc)) from exc


def _load_models(paths: list[Path], progress: TerminalProgress) -> list[LoadedModel]:
    models: list[LoadedModel] = []
    for path in paths:
        if models and path.resolve() == models[0].path.resolve():
            break  # the same file on both sides: one model tested against itself
        progress.label = _("Loading {file}").format(file=path.name)
        model_id = path.stem if not any(m.model_id == path.stem for m in models) else f"{path.stem} (2)"
        models.append(load_model(path, model_id=model_id, progress=progress, cancel=progress.cancel))
    return models


def _measure(clash: Clash) -> str:
    if clash.depth is not None:
        return _("{mm:.0f} mm deep").format(mm=clash.depth * 1000)
    return _("{mm:.0f} mm apart").format(mm=(clash.distance or 0.0) * 1000)


def _decision(decision: str | None) -> str:
    """`` — approved`` or `` — ignored`` after a clash a coordinator decided on, else nothing."""
    labels = {"approved": _("approved"), "ignored": _("ignored")}
    return f" — {labels.get(decision, decision)}" if decision else ""


def _print_result(run: ClashRun, args: argparse.Namespace, statuses) -> None:
    test = run.test
    limit = (_("tolerance {mm:g} mm").format(mm=test.tolerance * 1000) if test.mode is Mode.HARD
             else _("clearance {mm:g} mm").format(mm=test.clearance * 1000))
    print(_("{test}: {count} clashes ({mode}, {limit}) in {seconds:.2f} s").format(
        test=test.name, count=len(run.clashes), mode=test.mode.value, limit=limit, seconds=run.stats.seconds))
    status_of = statuses.status_of()
    decisions = getattr(args, "decisions", None) or {}
    by_id = run.by_id()
    for group in group_clashes(run.clashes, GroupBy(args.group_by), distance=args.proximity):
        print(f"  {group.label}: {group.count}")
        for cid in group.clash_ids:
            c = by_id[cid]
            print(f"    {cid}  [{status_label(status_of[cid])}]  {c.a.ifc_class} {c.a.name!r} ({c.a.model_id}) × "
                  f"{c.b.ifc_class} {c.b.name!r} ({c.b.model_id}): {_measure(c)}{_decision(decisions.get(cid))}")
    counts = statuses.counts()
    if args.previous:
        print(", ".join(f"{status_label(s)}: {counts[s]}" for s in ClashStatus if counts[s]))


def run_clash_command(args: argparse.Namespace) -> int:
    """Run the ``clash`` subcommand; returns the exit status."""
    try:
        for report in args.report:
            check_report_path(report)
        previous = _load_previous(args.previous) if args.previous else None
    except ClashReportError as exc:
        return _error(str(exc))
    paths = [Path(args.a)] + ([Path(args.b)] if args.b else [])
    progress = TerminalProgress(_("Loading"))
    try:
        models = _load_models(paths, progress)
        test = _build_test(args, models[0].model_id, models[-1].model_id)
        progress.label = _("Clash test")
        run = run_clash_test(test, models, progress=progress, cancel=progress.cancel)
    except ModelError as exc:
        return _error(str(exc))
    except ClashDefinitionError as exc:
        return _error(str(exc))
    except (KeyboardInterrupt, Cancelled):
        print(_("synthese clash: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        progress.close()
    statuses = compare_runs(run, previous)
    try:
        for report in args.report:
            write_report(run, report, statuses, proximity=args.proximity)
    except OSError as exc:
        target = getattr(exc, "filename", None) or ""
        detail = exc.strerror or str(exc)
        return _error(f"{target}: {detail}" if target else detail)
    hook = getattr(args, "after_run", None)
    status = hook(run, args) if hook is not None else None
    if not args.quiet:
        _print_result(run, args, statuses)
    if status is not None:
        return status
    return EXIT_CLASHES if run.clashes else EXIT_OK


__all__ = ["REPORT_FORMATS", "register", "run_clash_command"]
