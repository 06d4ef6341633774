"""Opening the project named by ``--project`` for a headless command, and who is writing."""

from __future__ import annotations

import sys

from bim.author import author_name
from bim.i18n import _

EXIT_BAD_INPUT = 2


class ProjectUnusable(Exception):
    """The ``--project`` database cannot be opened; the message names it."""


def open_cli_project(location: str):
    """The open project at ``location`` (a SQLite file or a PostgreSQL URL), or :class:`ProjectUnusable`."""
    from project_db import open_project
    from project_db.errors import ProjectDbError

    try:
        return open_project(location)
    except ProjectDbError as exc:
        raise ProjectUnusable(" ".join(str(exc).split())) from exc
    except OSError as exc:
        raise ProjectUnusable(f"{location}: {exc.strerror or exc}") from exc


def author(args) -> str:
    """Who the project records as author: ``--author``, else ``SYNTHESE_USER``, else the login name."""
    return author_name(getattr(args, "author", None))


def fail(command: str, message: str) -> int:
    """Print ``synthese COMMAND: error: MESSAGE`` on one line of stderr; returns exit status 2."""
    text = _("synthese {command}: error: {message}").format(command=command, message=" ".join(message.split()))
    print(text, file=sys.stderr)
    return EXIT_BAD_INPUT
