"""Headless subcommands of the project database: ``synthese project|bcf|issues …``.

``register(subparsers)`` is called by the composition root (app.py). Nothing here
imports Qt. Exit status: 0 done, 1 done with topics left out (see the messages),
2 bad input (missing or hostile file, unknown project, database unavailable …),
always with a message naming the file or database.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from bim.author import author_name
from bim.i18n import _

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``project``, ``bcf`` and ``issues`` subcommands."""
    project = subparsers.add_parser("project", help=_("create or inspect a project database"))
    project_sub = project.add_subparsers(dest="project_command", metavar="ACTION", required=True)
    create = project_sub.add_parser("create", help=_("create a project (SQLite file or PostgreSQL URL)"))
    create.add_argument("project", metavar="PROJECT", help=_("SQLite file path or PostgreSQL URL"))
    create.add_argument("--name", help=_("project name (default: the file or database name)"))
    create.set_defaults(func=_project_create)
    info = project_sub.add_parser("info", help=_("show a project's identity, schema revision and counts"))
    info.add_argument("project", metavar="PROJECT", help=_("SQLite file path or PostgreSQL URL"))
    info.set_defaults(func=_project_info)

    bcf = subparsers.add_parser("bcf", help=_("import or export BCF 2.1/3.0 files"))
    bcf_sub = bcf.add_subparsers(dest="bcf_command", metavar="ACTION", required=True)
    imp = bcf_sub.add_parser("import", help=_("import a BCF file into a project"))
    imp.add_argument("file", metavar="FILE", help=_("the .bcf/.bcfzip file"))
    _project_options(imp)
    imp.set_defaults(func=_bcf_import)
    exp = bcf_sub.add_parser("export", help=_("export a project's issues as a BCF file"))
    exp.add_argument("file", metavar="FILE", help=_("the .bcf file to write"))
    _project_options(exp)
    exp.add_argument("--version", dest="bcf_version", choices=("2.1", "3.0"), default="3.0",
                     help=_("BCF version (default 3.0)"))
    exp.add_argument("--trade", help=_("only the issues of this trade (code, e.g. CVC)"))
    exp.set_defaults(func=_bcf_export)

    issues = subparsers.add_parser("issues", help=_("list a project's issues"))
    issues_sub = issues.add_subparsers(dest="issues_command", metavar="ACTION", required=True)
    listing = issues_sub.add_parser("list", help=_("list issues, filtered"))
    _project_options(listing)
    listing.add_argument("--trade", action="append", default=[], help=_("trade code (repeat or comma-separate)"))
    listing.add_argument("--status", action="append", default=[], help=_("status (repeat or comma-separate)"))
    listing.add_argument("--open", action="store_true", help=_("only issues that are not closed"))
    form = listing.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help=_("print JSON"))
    form.add_argument("--csv", action="store_true", help=_("print CSV"))
    listing.set_defaults(func=_issues_list)


def _project_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", required=True, metavar="PROJECT",
                        help=_("project database: a SQLite file or a PostgreSQL URL"))
    parser.add_argument("--author", default=None, help=_("user name recorded in the history (default: you)"))


def _fail(message: str) -> int:
    print(_("error: {message}").format(message=message), file=sys.stderr)
    return EXIT_BAD_INPUT


def _guarded(run):
    """Run a command, turning project and BCF errors into exit status 2 with their message."""
    def wrapper(args: argparse.Namespace) -> int:
        from project_db.errors import ProjectDbError

        try:
            return run(args)
        except ProjectDbError as error:
            return _fail(str(error))
        except OSError as error:
            return _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "))
    wrapper.__doc__ = run.__doc__
    return wrapper


@_guarded
def _project_create(args: argparse.Namespace) -> int:
    """``synthese project create PROJECT``."""
    from project_db.connection import is_url, open_project
    from project_db.errors import NotAProject, ProjectNotFound

    if not is_url(args.project) and Path(args.project).exists():
        return _fail(_("{path} already exists.").format(path=args.project))
    if is_url(args.project):
        try:
            open_project(args.project).close()
            return _fail(_("{path} already exists.").format(path=args.project))
        except ProjectNotFound:
            pass
        except NotAProject as error:
            if not error.empty:
                raise
    with open_project(args.project, create=True, name=args.name) as project:
        info = project.info()
    print(_("Created project {name} in {database} (schema {revision}).").format(
        name=info.name, database=info.database, revision=info.revision))
    return EXIT_OK


@_guarded
def _project_info(args: argparse.Namespace) -> int:
    """``synthese project info PROJECT``."""
    from project_db.connection import open_project
    from project_db.records import IssueFilter

    with open_project(args.project) as project:
        info = project.info()
        rows = project.issues.list_rows(IssueFilter())
        models = project.models.models()
    print(json.dumps({
        "name": info.name, "project_id": info.project_id, "database": info.database, "backend": info.backend,
        "revision": info.revision, "issues": len(rows), "open_issues": sum(1 for r in rows if not r.is_closed),
        "models": [m.name for m in models],
    }, ensure_ascii=False, indent=1))
    return EXIT_OK


@_guarded
def _bcf_import(args: argparse.Namespace) -> int:
    """``synthese bcf import FILE --project P``."""
    from project_db.bcf import import_bcf
    from project_db.connection import open_project

    if not Path(args.file).is_file():
        return _fail(_("{path}: no such file.").format(path=args.file))
    with open_project(args.project) as project:
        report = import_bcf(project, args.file, author_name(args.author))
    for problem in report.problems:
        print(_("warning: {entry}: {reason}").format(entry=problem.entry, reason=problem.reason), file=sys.stderr)
    print(_("{file}: BCF {version}, {created} issues created, {updated} updated, {unchanged} unchanged, "
            "{comments} comments and {viewpoints} viewpoints added, {skipped} topics left out.").format(
        file=args.file, version=report.version, created=report.created, updated=report.updated,
        unchanged=report.unchanged, comments=report.comments_added, viewpoints=report.viewpoints_added,
        skipped=report.skipped_topics))
    return EXIT_PARTIAL if report.skipped_topics else EXIT_OK


@_guarded
def _bcf_export(args: argparse.Namespace) -> int:
    """``synthese bcf export FILE --project P [--version] [--trade]``."""
    from project_db.bcf import export_bcf
    from project_db.connection import open_project

    target = Path(args.file)
    if not target.parent.exists():
        return _fail(_("{path}: the folder does not exist.").format(path=target.parent))
    with open_project(args.project) as project:
        report = export_bcf(project, target, version=args.bcf_version, trade=args.trade)
    for problem in report.problems:
        print(_("warning: {entry}: {reason}").format(entry=problem.entry, reason=problem.reason), file=sys.stderr)
    print(_("{file}: {count} topics written (BCF {version}).").format(
        file=args.file, count=report.topics, version=report.version))
    return EXIT_OK


_COLUMNS = ("number", "guid", "title", "topic_type", "status", "is_closed", "priority", "responsible_trade",
            "assigned_to", "due_date", "stage", "labels", "comment_count", "viewpoint_count", "creation_date",
            "modified_date", "origin")


@_guarded
def _issues_list(args: argparse.Namespace) -> int:
    """``synthese issues list --project P [--trade] [--status] [--json|--csv]``."""
    from project_db.connection import open_project
    from project_db.errors import InvalidValue
    from project_db.records import IssueFilter

    trades = _split(args.trade)
    statuses = _split(args.status)
    with open_project(args.project) as project:
        known_trades = {t.code for t in project.settings.trades(include_inactive=True)}
        known_statuses = {s.code for s in project.settings.vocabulary("status", include_inactive=True)}
        for values, known, name in ((trades, known_trades, "--trade"), (statuses, known_statuses, "--status")):
            unknown = [v for v in values if v not in known]
            if unknown:
                raise InvalidValue(name, unknown[0], sorted(known))
        rows = project.issues.list_rows(IssueFilter(trades=tuple(trades), statuses=tuple(statuses),
                                                    open_only=args.open))
    records = [{name: _plain(getattr(row, name)) for name in _COLUMNS} for row in rows]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
    else:
        for row in rows:
            print(f"#{row.number:<5} {row.responsible_trade or '-':<4} {row.status:<12} "
                  f"{row.priority or '-':<9} {row.title}")
        print(_("{count} issues").format(count=len(rows)))
    return EXIT_OK


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
