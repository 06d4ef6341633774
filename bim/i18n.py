"""Translation of user-visible strings, shared by the core, the CLI and the GUI.

One mechanism for every layer: GNU gettext catalogues in ``resources/locale``
(``synthese.po`` is the source, ``synthese.mo`` the compiled file that ships).
Core code marks strings with ``_()``; the language comes from the system unless
the user chose one (``set_language``). English is the source language.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

DOMAIN = "synthese"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"
SUPPORTED_LANGUAGES = ("en", "fr")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def system_language() -> str:
    """Return the supported language closest to the system's locale ("en" by default)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            if code in SUPPORTED_LANGUAGES:
                return code
            if code not in ("c", "posix"):
                return "en"
    try:
        code = (locale.getlocale()[0] or "en").split("_")[0].lower()
    except ValueError:
        code = "en"
    return code if code in SUPPORTED_LANGUAGES else "en"


def set_language(language: str | None) -> str:
    """Switch every later ``_()`` call to ``language`` (None: the system's). Returns the code used."""
    global _translation, _language
    code = (language or system_language()).lower()
    if code not in SUPPORTED_LANGUAGES:
        code = "en"
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def current_language() -> str:
    """The language code now in use."""
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the count ``n``."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` as meant in ``context`` (one English word, two French ones: "Open" → Ouvrir / Ouverts)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (module-level constants)."""
    return message


set_language(None)
