"""``--project P`` and BCF reports for ``synthese check``, ``clash`` and ``takeoff``.

:func:`register` is called by the composition root after the feature packages
registered their subcommands: it adds the options to those parsers and wraps
their functions, handing the ``checks`` commands hooks through the parsed
arguments (``find_ruleset``, ``after_run``, ``load_template``), so ``checks``
stays free of any database.

- ``check … --project P``: the run is stored in the project; ``--ruleset NAME``
  also finds the project's shared rule sets (before the shipped ones).
- ``clash … --project P``: the test is saved in the project (replaced when its
  definition changed), the run stored, and the coordinators' decisions applied:
  approved and ignored clashes are shown as such, ignored ones do not count
  towards exit status 1 and are left out of BCF reports.
- ``takeoff … --project P --template NAME``: the project's template of that name
  (before the built-in ones).
- ``--report OUT.bcf`` (check and clash, with or without a project): one BCF 3.0
  topic per failing element or per clash.

A ``--project`` that cannot be opened (missing file, unreachable server, not a
project) ends the command with exit status 2 and one line naming the database,
before any model is loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
from functools import partial
from pathlib import Path

from bim.i18n import _, ngettext
from cli.project import ProjectUnusable, author, fail, open_cli_project

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def _describe(exc: Exception) -> str:
    """One line for a database, BCF or file error (a file error names its file)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{getattr(exc, 'filename', None) or ''}: {exc.strerror or exc}".lstrip(": ")
    return str(exc)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``--project``/``--author`` (and BCF reports) to the ``check``, ``clash`` and ``takeoff`` subcommands."""
    extensions = {"check": (_run_check, _("store the run in this project database (a SQLite file or a PostgreSQL "
                                          "URL) and find --ruleset NAME among its rule sets too")),
                  "clash": (_run_clash, _("project database (a SQLite file or a PostgreSQL URL): save the test, "
                                          "store the run, apply the coordinators' decisions")),
                  "takeoff": (_run_takeoff, _("project database (a SQLite file or a PostgreSQL URL) whose shared "
                                              "templates --template NAME may name"))}
    for name, (runner, help_text) in extensions.items():
        parser = subparsers.choices.get(name)
        if parser is None:
            continue
        parser.add_argument("--project", metavar="P", help=help_text)
        parser.add_argument("--author", help=_("user name the project records (default: you)"))
        if name in ("check", "clash"):
            parser.epilog = " ".join(filter(None, (parser.epilog, _(
                "A report named .bcf is written as BCF 3.0: one topic per failing element or clash."))))
        parser.set_defaults(func=partial(runner, parser.get_default("func")))


def _bcf_reports(args: argparse.Namespace) -> list[str]:
    """Take the BCF files out of ``args.report`` (the ``checks`` commands write the other formats)."""
    from cli.bcf_reports import is_bcf_report

    reports = [str(r) for r in args.report]
    args.report = [r for r in reports if not is_bcf_report(r)]
    return [r for r in reports if is_bcf_report(r)]


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text)


# -- check -----------------------------------------------------------------------------------


def _run_check(inner, args: argparse.Namespace) -> int:
    """``synthese check`` with ``--project`` and BCF reports."""
    bcf = _bcf_reports(args)
    if not args.project and not bcf:
        return inner(args)
    if not args.ruleset and args.ids:
        # an IDS file is a rule set too, and only rule-set runs are stored and list their findings
        args.ruleset, args.ids = args.ids, None
    with contextlib.ExitStack() as stack:
        project = None
        if args.project:
            try:
                project = open_cli_project(args.project)
            except ProjectUnusable as exc:
                return fail("check", str(exc))
            stack.callback(project.close)
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="synthese-ruleset-"))
            args.find_ruleset = partial(_project_ruleset, project, Path(folder))
        args.after_run = partial(_after_check, project, bcf)
        return inner(args)


def _project_ruleset(project, folder: Path, name: str):
    """The rule set ``name``: the project's shared one of that key, else a shipped one or a file."""
    from checks.ruleset_payload import ruleset_from_payload
    from checks.rulesets import RulesetError, find_ruleset
    from project_db.errors import NotFound, ProjectDbError

    text = str(name)
    if "/" in text or "\\" in text or text.lower().endswith((".json", ".ids")):
        return find_ruleset(text)
    try:
        payload = project.rule_sets.get(text)
    except NotFound:
        try:
            return find_ruleset(text)
        except RulesetError as exc:
            keys = ", ".join(r.key for r in project.rule_sets.list()) or _("none")
            raise RulesetError(None, _("{problem}; the project {database} has none of that key either (its rule "
                                       "sets: {keys})").format(problem=exc.message, database=project.database,
                                                              keys=keys)) from exc
    except ProjectDbError as exc:
        raise RulesetError(None, str(exc)) from exc
    where = folder / f"ruleset-{len(list(folder.iterdir()))}"
    where.mkdir()
    return ruleset_from_payload(payload, where, text)


def _after_check(project, bcf: list[str], result, args: argparse.Namespace) -> int | None:
    """Store the run in the project and write the BCF reports; exit status 2 if either fails."""
    from cli.bcf_reports import check_topics, model_trades, write_topics
    from project_db.bcf import BcfError
    from project_db.errors import ProjectDbError

    who = author(args)
    try:
        registered = {}
        if project is not None:
            record = project.check_runs.save_run(result.to_dict(), who)
            _say(args, _("Stored as check run {id} in {database}.").format(id=record.id, database=project.database))
            registered = {m.name: m.trade for m in project.models.models()}
        trades = {**model_trades([m.model_id for m in result.models], registered),
                  **{m.model_id: m.trade for m in result.models if m.trade and m.model_id not in registered}}
        for path in bcf:
            count = write_topics(check_topics(result, trades, who), path)
            _say(args, ngettext("{file}: {n} BCF topic", "{file}: {n} BCF topics", count).format(file=path, n=count))
    except (ProjectDbError, BcfError, OSError) as exc:
        return fail("check", _describe(exc))
    return None


# -- clash -----------------------------------------------------------------------------------


def _run_clash(inner, args: argparse.Namespace) -> int:
    """``synthese clash`` with ``--project`` and BCF reports."""
    bcf = _bcf_reports(args)
    if not args.project and not bcf:
        return inner(args)
    with contextlib.ExitStack() as stack:
        project = None
        if args.project:
            try:
                project = open_cli_project(args.project)
            except ProjectUnusable as exc:
                return fail("clash", str(exc))
            stack.callback(project.close)
        args.after_run = partial(_after_clash, project, bcf)
        return inner(args)


def _after_clash(project, bcf: list[str], run, args: argparse.Namespace) -> int | None:
    """Save the test and the run, apply the decisions, write the BCF reports; the exit status."""
    from cli.bcf_reports import clash_topics, write_topics
    from project_db.bcf import BcfError
    from project_db.errors import NotFound, ProjectDbError

    who = author(args)
    decisions: dict[str, str] = {}
    try:
        if project is not None:
            name = run.test.name
            store = project.clash_tests
            definition = json.loads(json.dumps(run.test.to_dict()))
            try:
                stored = store.get_test(name)
            except NotFound:
                stored = None
            if stored != definition:
                store.save_test(name, definition, who)
            run_id = store.save_run(name, run.to_dict(), who)
            ids = {c.id for c in run.clashes}
            decisions = {cid: d for cid, d in store.decisions(name).items() if cid in ids}
            args.decisions = decisions
            ignored = sum(1 for d in decisions.values() if d == "ignored")
            approved = sum(1 for d in decisions.values() if d == "approved")
            _say(args, _("Stored as run {id} of the clash test {test} in {database}; {ignored} ignored, "
                         "{approved} approved.").format(id=run_id, test=name, database=project.database,
                                                        ignored=ignored, approved=approved))
        for path in bcf:
            count = write_topics(clash_topics(run, who, decisions), path)
            _say(args, ngettext("{file}: {n} BCF topic", "{file}: {n} BCF topics", count).format(file=path, n=count))
    except (ProjectDbError, BcfError, OSError) as exc:
        return fail("clash", _describe(exc))
    remaining = [c for c in run.clashes if decisions.get(c.id) != "ignored"]
    return EXIT_FINDINGS if remaining else EXIT_OK


# -- takeoff ---------------------------------------------------------------------------------


def _run_takeoff(inner, args: argparse.Namespace) -> int:
    """``synthese takeoff`` with ``--project``: templates shared in the project."""
    if not args.project:
        return inner(args)
    try:
        project = open_cli_project(args.project)
    except ProjectUnusable as exc:
        return fail("takeoff", str(exc))
    with contextlib.closing(project):
        args.load_template = partial(_project_template, project)
        return inner(args)


def _project_template(project, name: str):
    """The take-off template ``name``: the project's shared one, else a built-in one or a JSON file."""
    from checks.takeoff.template import BUILTIN_TEMPLATES, TakeoffTemplate, TemplateError, load_template
    from project_db.errors import NotFound, ProjectDbError

    text = str(name)
    if "/" in text or "\\" in text or text.lower().endswith(".json"):
        return load_template(text)
    try:
        return TakeoffTemplate.from_dict(project.takeoff_templates.get(text))
    except NotFound:
        if text in BUILTIN_TEMPLATES:
            return BUILTIN_TEMPLATES[text]
        names = ", ".join(t.name for t in project.takeoff_templates.list()) or _("none")
        raise TemplateError(_("no template named '{name}' in {database} (its templates: {names}; built-in: "
                              "{builtin})").format(name=text, database=project.database, names=names,
                                                   builtin=", ".join(BUILTIN_TEMPLATES))) from None
    except ProjectDbError as exc:
        raise TemplateError(str(exc)) from exc


__all__ = ["register"]
