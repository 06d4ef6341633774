"""Synthese composition root: the ``synthese`` command.

``synthese`` (or ``synthese gui``) starts the desktop application; the other
subcommands run headless and never import Qt. Each feature package contributes
its subcommands through a ``register(subparsers)`` function in its
``commands`` module, imported here; the GUI is imported only when asked for.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from bim.i18n import _, set_language

# Feature packages whose ``commands.register(subparsers)`` adds headless subcommands.
# A package listed here that does not exist yet is skipped.
COMMAND_MODULES = (
    "bim.commands",
    "viewer.commands",
    "checks.commands",
    "checks.clash.commands",
    "checks.takeoff.commands",
    "project_db.commands",
    "project_db.report_commands",  # synthese report issues|minutes
    "cli.commands",  # after the others: adds --project and BCF reports to check, clash and takeoff
)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of every feature package."""
    parser = argparse.ArgumentParser(
        prog="synthese",
        description=_("Synthese: BIM review and coordination."),
    )
    parser.add_argument("--lang", choices=("en", "fr"), help=_("language of messages (default: the system's)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help=_("start the desktop application (default)"))
    gui.add_argument("files", nargs="*", help=_("IFC files to open"))
    gui.add_argument("--demo", action="store_true", help=_("open the demo project"))
    gui.add_argument("--project", help=_("project database: a SQLite file or a PostgreSQL URL"))
    gui.set_defaults(func=_run_gui)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only the feature module (or its package) being absent is expected;
            # a missing dependency inside it is a real error.
            if not exc.name or not (name == exc.name or name.startswith(exc.name + ".")):
                raise
            continue
        module.register(sub)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from ui.application import run_gui  # Qt is imported only here

    return run_gui(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``synthese`` console script."""
    if hasattr(signal, "SIGPIPE"):  # `synthese info x.ifc | head` must not end in a traceback
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = None
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv):
            lang = argv[i + 1]
    set_language(lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "gui"])
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
