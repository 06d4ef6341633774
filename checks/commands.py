"""``synthese check``: check IFC models against an IDS or a rule set from the command line, without Qt.

``--ids RULES.ids`` runs one IDS file; ``--ruleset NAME|FILE`` runs a rule set
(a shipped one by name, a ``.ruleset.json`` file, or an ``.ids`` file): its IDS
specifications and its built-in rules, with an ``--ids`` file added to it when
both are given. Models of a rule set with geometry rules are loaded through the
geometry cache the app shares, so a model already opened is not tessellated again.

Exit status: 0 when every specification and rule passes, 1 when one fails, 2 on
bad input (unreadable, non-IFC or unsupported model; invalid IDS or rule set;
unwritable or unknown report file), always with a one-line message naming the file.

Hooks for a composition layer (``cli``), read from the parsed arguments when set:
``args.find_ruleset(name)`` finds the rule set instead of :func:`find_ruleset`
(a project's shared rule sets), and ``args.after_run(result, args)`` is called once
the run and its reports are done; a non-None return is the exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bim.federation import load_model
from bim.i18n import _
from bim.ifc_file import ModelError as LoadError
from checks.ids import IdsError, IdsRunResult, Status, load_ids, run_ids
from checks.model import CheckedModel, ModelError, open_checked_model
from checks.reports import REPORT_EXTENSIONS, ReportFormatError, write_junit, write_report
from checks.reports.common import skip_note, status_label
from checks.rules.base import RuleModel
from checks.rules.results import RulesetRunResult
from checks.rules.runner import run_ruleset
from checks.rulesets import RULESET_SUFFIX, RulesetError, bundled_rule_set_paths, find_ruleset

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` subcommand to the ``synthese`` parser."""
    parser = subparsers.add_parser(
        "check",
        help=_("check IFC models against IDS rules or a rule set (exit 0: all pass, 1: failures, 2: bad input)"),
        description=_(
            "Check IFC models against an IDS 1.0 file or a rule set (IDS and built-in rules). Exit status 0 when "
            "everything passes, 1 when a specification or rule fails, 2 on bad input."
        ),
    )
    parser.add_argument("models", nargs="+", metavar="MODEL.ifc", help=_("IFC models to check (one per trade)"))
    parser.add_argument("--ids", metavar="RULES.ids",
                        help=_("IDS 1.0 file with the rules (optional with --ruleset, then added to it)"))
    parser.add_argument("--ruleset", metavar="NAME|FILE",
                        help=_("rule set to run: a shipped one by name ({names}), a .ruleset.json file or an .ids "
                               "file").format(names=", ".join(_bundled_names())))
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


def _bundled_names() -> list[str]:
    return [p.name.removesuffix(RULESET_SUFFIX) for p in bundled_rule_set_paths()]


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


def _print_ruleset_summary(result: RulesetRunResult) -> None:
    marks = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.SKIPPED: "SKIP"}
    print(_("{title}: {status}").format(title=result.ruleset.title, status=status_label(result.status)))
    for rule in result.rules:
        spec = rule.specification
        label = f"[{rule.rule_id}] {spec.name} ({rule.severity.label})"
        if not spec.models:
            print(f"  {marks[Status.SKIPPED]}  {label} — {skip_note(spec)}")
        for m in spec.models:
            counts = _("{applicable} applicable, {failing} failing").format(
                applicable=m.applicable_count, failing=m.failing_count)
            note = f" — {m.message}" if m.message else ""
            print(f"  {marks[m.status]}  {label} — {m.model_name}: {counts}{note}")
    summary = result.summary()
    print(_("{passed} passed, {failed} failed, {skipped} skipped; {findings} failing elements in {seconds:.2f} s").format(
        passed=summary["passed"], failed=summary["failed"], skipped=summary["skipped"],
        findings=summary["findings"], seconds=result.duration_s))


def _finish(result, args: argparse.Namespace, print_summary) -> int:
    """Write the reports, print the summary, run the caller's hook; the exit code."""
    failed = _write_reports(result, args)
    if failed is not None:
        return failed
    if not args.quiet:
        print_summary(result)
    return _after_run(result, args, EXIT_FINDINGS if result.status is Status.FAIL else EXIT_OK)


def _write_reports(result, args: argparse.Namespace) -> int | None:
    """Write the requested reports; the exit status on failure, else None."""
    try:
        for report in args.report:
            write_report(result, report)
        if args.junit:
            write_junit(result, args.junit)
    except (OSError, ReportFormatError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        target = getattr(exc, "filename", None) or ""
        return _error(f"{target}: {detail}" if target else detail)
    return None


def _run_ruleset_check(args: argparse.Namespace) -> int:
    """``--ruleset``: load the rule set, its IDS and the models (with geometry when a rule needs it), run it."""
    try:
        ruleset = (getattr(args, "find_ruleset", None) or find_ruleset)(args.ruleset)
        if args.ids:
            ruleset = ruleset.with_ids(args.ids)
    except RulesetError as exc:
        return _error(_("invalid rule set: {problem}").format(problem=exc))
    try:  # every IDS is read before any model: a typo in a rule must not cost a model load
        for reference in ruleset.ids:
            load_ids(reference.path)
    except IdsError as exc:
        return _error(_("invalid IDS: {problem}").format(problem=exc.summary()))
    paths = [Path(p) for p in args.models]
    models: list[RuleModel] = []
    try:
        for path, model_id in zip(paths, _model_ids(paths)):
            if ruleset.needs_geometry:
                models.append(RuleModel.from_loaded(load_model(path, model_id=model_id)))
            else:
                models.append(RuleModel(open_checked_model(path, model_id=model_id)))
        result = run_ruleset(models, ruleset, progress=_terminal_progress(),
                             only_targeted_schemas=not args.all_schemas)
    except (ModelError, LoadError) as exc:
        return _error(str(exc))
    except IdsError as exc:
        return _error(_("invalid IDS: {problem}").format(problem=exc.summary()))
    except KeyboardInterrupt:
        print(_("synthese check: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    return _finish(result, args, _print_ruleset_summary)


def _after_run(result, args: argparse.Namespace, status: int) -> int:
    """The exit status: ``args.after_run``'s when it gives one, else ``status``."""
    hook = getattr(args, "after_run", None)
    if hook is None:
        return status
    returned = hook(result, args)
    return status if returned is None else returned


def run_check(args: argparse.Namespace) -> int:
    """Run the ``check`` subcommand; returns the exit status."""
    for report in args.report:
        if Path(report).suffix.lower() not in REPORT_EXTENSIONS:
            return _error(_("{file}: unknown report format (use {formats})").format(
                file=report, formats=", ".join(REPORT_EXTENSIONS)))
    if getattr(args, "ruleset", None):
        return _run_ruleset_check(args)
    if not args.ids:
        return _error(_("give the rules: --ids RULES.ids or --ruleset NAME|FILE"))
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
    return _finish(result, args, _print_summary)
