"""``synthese check``: check IFC models against an IDS from the command line, without Qt.

Exit status: 0 when every specification passes, 1 when one fails, 2 on bad
input (unreadable, non-IFC or unsupported model; invalid IDS; unwritable or
unknown report file), always with a one-line message naming the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bim.i18n import _
from checks.ids import IdsError, IdsRunResult, Status, load_ids, run_ids
from checks.model import CheckedModel, ModelError, open_checked_model
from checks.reports import REPORT_EXTENSIONS, ReportFormatError, write_junit, write_report
from checks.reports.common import status_label

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` subcommand to the ``synthese`` parser."""
    parser = subparsers.add_parser(
        "check",
        help=_("check IFC models against IDS rules (exit 0: all pass, 1: failures, 2: bad input)"),
        description=_(
            "Check IFC models against an IDS 1.0 file. Exit status 0 when everything passes, "
            "1 when a specification fails, 2 on bad input."
        ),
    )
    parser.add_argument("models", nargs="+", metavar="MODEL.ifc", help=_("IFC models to check (one per trade)"))
    parser.add_argument("--ids", required=True, metavar="RULES.ids", help=_("IDS 1.0 file with the rules"))
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="OUT.html|OUT.xlsx|OUT.json",
        help=_("write a report; the extension picks the format (may be repeated)"),
    )
    parser.add_argument("--junit", metavar="OUT.xml", help=_("write JUnit XML for a CI server"))
    parser.add_argument(
        "--all-schemas",
        action="store_true",
        help=_("run every specification on every model, even if its ifcVersion does not list the model's schema"),
    )
    parser.add_argument("-q", "--quiet", action="store_true", help=_("print nothing but errors"))
    parser.set_defaults(func=run_check)


def _error(message: str) -> int:
    print(_("synthese check: error: {message}").format(message=message), file=sys.stderr)
    return EXIT_BAD_INPUT


def _terminal_progress():
    """A progress callback drawing one updating line on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int, message: str) -> None:
        line = f"[{done}/{total}] {message}"[:110]
        sys.stderr.write("\r" + line.ljust(110))
        if done >= total:
            sys.stderr.write("\r" + " " * 110 + "\r")
        sys.stderr.flush()

    return progress


def _model_ids(paths: list[Path]) -> list[str]:
    """File names as model ids, made unique when two folders hold files of the same name."""
    ids, seen = [], {}
    for path in paths:
        seen[path.name] = seen.get(path.name, 0) + 1
        ids.append(path.name if seen[path.name] == 1 else f"{path.name}#{seen[path.name]}")
    return ids


def _print_summary(result: IdsRunResult) -> None:
    marks = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.SKIPPED: "SKIP"}
    print(_("{title}: {status}").format(title=result.ids_title, status=status_label(result.status)))
    for spec in result.specifications:
        label = f"[{spec.identifier}] {spec.name}" if spec.identifier else spec.name
        if not spec.models:
            print(f"  {marks[Status.SKIPPED]}  {label} — " + _("targets {versions} only").format(
                versions=", ".join(spec.ifc_versions)))
        for m in spec.models:
            counts = _("{applicable} applicable, {failing} failing").format(
                applicable=m.applicable_count, failing=m.failing_count)
            note = f" — {m.message}" if m.message else ""
            print(f"  {marks[m.status]}  {label} — {m.model_name}: {counts}{note}")
    print(_("{passed} passed, {failed} failed, {skipped} skipped in {seconds:.2f} s").format(
        passed=result.count(Status.PASS), failed=result.count(Status.FAIL),
        skipped=result.count(Status.SKIPPED), seconds=result.duration_s))


def run_check(args: argparse.Namespace) -> int:
    """Run the ``check`` subcommand; returns the exit status."""
    for report in args.report:
        if Path(report).suffix.lower() not in REPORT_EXTENSIONS:
            return _error(_("{file}: unknown report format (use {formats})").format(
                file=report, formats=", ".join(REPORT_EXTENSIONS)))
    try:
        document = load_ids(args.ids)
    except IdsError as exc:
        return _error(_("invalid IDS: {problem}").format(problem=exc.summary()))
    paths = [Path(p) for p in args.models]
    models: list[CheckedModel] = []
    try:
        for path, model_id in zip(paths, _model_ids(paths)):
            models.append(open_checked_model(path, model_id=model_id))
        result = run_ids(models, document, progress=_terminal_progress(),
                         only_targeted_schemas=not args.all_schemas)
    except ModelError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        print(_("synthese check: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    try:
        for report in args.report:
            write_report(result, report)
        if args.junit:
            write_junit(result, args.junit)
    except (OSError, ReportFormatError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        target = getattr(exc, "filename", None) or ""
        return _error(f"{target}: {detail}" if target else detail)
    if not args.quiet:
        _print_summary(result)
    return EXIT_FINDINGS if result.status is Status.FAIL else EXIT_OK
