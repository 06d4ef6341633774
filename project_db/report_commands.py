"""Headless report subcommands: ``synthese report issues|minutes``.

``register(subparsers)`` is called by the composition root (app.py). The output
format follows the file's extension (``-o out.pdf``); anything else is refused
before the project is opened. Nothing here imports Qt. Exit status: 0 written,
2 bad input (unknown format or value, missing folder, unknown project or meeting,
database unavailable), 130 interrupted with Ctrl+C, always with one line on stderr
naming the file, value or database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bim.author import author_name
from bim.i18n import _, current_language, ngettext, set_language

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 2, 130
ISSUE_FORMATS = ("pdf", "xlsx")
MINUTES_FORMATS = ("pdf", "xlsx", "html")  # as project_db.records.MINUTES_FORMATS, without importing it at start-up


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand and its ``issues`` and ``minutes`` actions."""
    report = subparsers.add_parser("report", help=_("write issue reports and meeting minutes (PDF, XLSX, HTML)"))
    report_sub = report.add_subparsers(dest="report_command", metavar="KIND", required=True)

    issues = report_sub.add_parser(
        "issues", help=_("write a filtered issue list as PDF or XLSX"),
        description=_("Write the project's issues matching the filters: a PDF with one block per issue "
                      "(fields, deadline, snapshot, comments) or an XLSX workbook (summary, issues, comments)."))
    _common_options(issues, ISSUE_FORMATS)
    issues.add_argument("--trade", action="append", default=[], metavar="TRADE",
                        help=_("trade code or name (repeat or comma-separate)"))
    issues.add_argument("--status", action="append", default=[], help=_("status (repeat or comma-separate)"))
    issues.add_argument("--priority", action="append", default=[], help=_("priority (repeat or comma-separate)"))
    issues.add_argument("--assignee", action="append", default=[], help=_("assigned user (repeat or comma-separate)"))
    issues.add_argument("--label", action="append", default=[], help=_("label (repeat or comma-separate)"))
    issues.add_argument("--open", action="store_true", help=_("only issues that are not closed"))
    issues.add_argument("--overdue", action="store_true", help=_("only issues past their due date"))
    issues.add_argument("--text", help=_("only issues whose title or description contains this text, or #number"))
    issues.add_argument("--title", help=_("the report's title (default: Issue report)"))
    issues.set_defaults(func=_report_issues)

    minutes = report_sub.add_parser(
        "minutes", help=_("regenerate a meeting's minutes as PDF, XLSX or HTML and store them in the project"),
        description=_("Regenerate the minutes of a meeting from what the project recorded (header, attendees, "
                      "each issue discussed with its decision, action, owner and due date, summary per trade), "
                      "write them to the output file and store them in the project, replacing the minutes "
                      "of the same format stored before."))
    _common_options(minutes, MINUTES_FORMATS)
    minutes.add_argument("--meeting", required=True, type=int, metavar="N",
                         help=_("the meeting's number, as in \"Meeting #3\""))
    minutes.add_argument("--author", help=_("user name recorded as the minutes' author (default: you)"))
    minutes.set_defaults(func=_report_minutes)


def _common_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--project", required=True, metavar="PROJECT",
                        help=_("project database: a SQLite file or a PostgreSQL URL"))
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help=_("file to write; its extension picks the format ({formats})").format(
                            formats=", ".join(f".{f}" for f in formats)))
    # SUPPRESS: without the option, keep the language ``synthese --lang`` (or the system) chose
    parser.add_argument("--lang", choices=("en", "fr"), default=argparse.SUPPRESS,
                        help=_("language of the report (default: the language of messages)"))


def _fail(message: str) -> int:
    print(_("synthese report: error: {message}").format(message=" ".join(str(message).split())), file=sys.stderr)
    return EXIT_BAD_INPUT


def _guarded(run):
    """Run a report command in its language, turning known errors into exit status 2 (130 on Ctrl+C)."""
    def wrapper(args: argparse.Namespace) -> int:
        from bim.progress import Cancelled
        from project_db.errors import ProjectDbError
        from project_db.reports.common import UnknownReportFormat

        previous = current_language()
        if getattr(args, "lang", None):
            set_language(args.lang)
        try:
            return run(args)
        except (ProjectDbError, UnknownReportFormat) as error:
            return _fail(str(error))
        except OSError as error:
            return _fail(f"{error.filename or args.output}: {error.strerror or error}")
        except (KeyboardInterrupt, Cancelled):
            print(_("synthese report: interrupted; nothing was written"), file=sys.stderr)
            return EXIT_INTERRUPTED
        finally:
            set_language(previous)
    wrapper.__doc__ = run.__doc__
    return wrapper


def _output(args: argparse.Namespace, formats: tuple[str, ...]) -> tuple[Path, str]:
    """The output file and its format; refused (before any database work) when either is wrong."""
    from project_db.reports.common import format_of

    target = Path(args.output)
    fmt = format_of(target, formats)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(2, _("the folder does not exist"), str(folder))
    return target, fmt


@_guarded
def _report_issues(args: argparse.Namespace) -> int:
    """``synthese report issues --project P [filters] -o OUT.pdf|.xlsx``."""
    from bim.atomic_file import write_atomically
    from bim.terminal import TerminalProgress
    from project_db.connection import open_project
    from project_db.records import IssueFilter
    from project_db.reports.issue_report import gather_issues, render_issue_report

    target, fmt = _output(args, ISSUE_FORMATS)
    with open_project(args.project) as project:
        settings = project.settings
        flt = IssueFilter(
            trades=_codes("--trade", _split(args.trade), settings.trades(include_inactive=True)),
            statuses=_codes("--status", _split(args.status), settings.vocabulary("status", include_inactive=True)),
            priorities=_codes("--priority", _split(args.priority),
                              settings.vocabulary("priority", include_inactive=True)),
            labels=_codes("--label", _split(args.label), settings.vocabulary("label", include_inactive=True)),
            assignees=_assignees(_split(args.assignee), settings.users(include_inactive=True)),
            text=args.text.strip() if args.text and args.text.strip() else None, open_only=args.open,
        )
        progress = TerminalProgress(_("Reading issues"))
        try:
            content = gather_issues(project, flt, overdue=args.overdue, title=args.title, progress=progress,
                                    cancel=progress.cancel)
        finally:
            progress.close()
    write_atomically(target, render_issue_report(content, fmt))
    count = ngettext("{n} issue", "{n} issues", len(content.issues)).format(n=len(content.issues))
    print(_("{file}: {count} written.").format(file=target, count=count))
    return EXIT_OK


@_guarded
def _report_minutes(args: argparse.Namespace) -> int:
    """``synthese report minutes --project P --meeting ID -o OUT.pdf|.xlsx|.html``."""
    from bim.atomic_file import write_atomically
    from bim.terminal import TerminalProgress
    from project_db.connection import open_project
    from project_db.reports.minutes import generate_minutes

    target, fmt = _output(args, MINUTES_FORMATS)
    with open_project(args.project) as project:
        progress = TerminalProgress(_("Reading the meeting"))
        try:
            meeting_id = project.meetings.by_number(args.meeting).id
            data = generate_minutes(project, meeting_id, fmt, author_name(args.author), progress=progress,
                                    cancel=progress.cancel)
        finally:
            progress.close()
        database = project.database
    write_atomically(target, data)
    print(_("{file}: minutes of meeting #{number} written and stored in {database}.").format(
        file=target, number=args.meeting, database=database))
    return EXIT_OK


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _codes(option: str, values: list[str], known) -> tuple[str, ...]:
    """The codes ``values`` name: a code, or a name in either language, case aside; else InvalidValue."""
    from project_db.errors import InvalidValue

    lookup = {}
    for item in known:
        for key in (item.code, item.name_fr, item.name_en):
            lookup.setdefault(key.casefold(), item.code)
    codes = []
    for value in values:
        code = lookup.get(value.casefold())
        if code is None:
            raise InvalidValue(option, value, sorted(item.code for item in known))
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def _assignees(values: list[str], users) -> tuple[str, ...]:
    """BCF ids for ``values``: a user's name or e-mail; other text is kept (issues may name people not listed)."""
    lookup = {}
    for user in users:
        for key in filter(None, (user.bcf_id, user.name, user.email)):
            lookup.setdefault(key.casefold(), user.bcf_id)
    return tuple(dict.fromkeys(lookup.get(v.casefold(), v) for v in values))
