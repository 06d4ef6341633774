"""Who is writing: the name a project records as author of what a command or the window changes."""

from __future__ import annotations

import getpass
import os


def author_name(given: str | None = None) -> str:
    """``given`` (an ``--author`` option), else ``SYNTHESE_USER``, else the login name, else "synthese".

    The last resort keeps a command working where the system knows no user name
    (containers without a password entry).
    """
    if given:
        return given
    try:
        return os.environ.get("SYNTHESE_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "synthese"
