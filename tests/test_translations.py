"""English and French ship together: every marked string has a French translation."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "resources" / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "synthese.po"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _source_messages() -> set[str]:
    method_map = [(f"{package}/**.py", "python") for package in ("bim", "checks", "project_db", "viewer", "ui", "cli")]
    method_map.append(("app.py", "python"))
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map=method_map, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with open(PO, "rb") as fh:
        return read_po(fh)


def test_every_marked_string_has_a_french_translation():
    catalogue = _catalogue()
    missing = sorted(m for m in _source_messages()
                     if not catalogue.get(m) or not catalogue.get(m).string
                     or (isinstance(catalogue.get(m).string, tuple) and not all(catalogue.get(m).string)))
    assert not missing, f"{len(missing)} strings have no French translation (run scripts/translations): {missing[:20]}"


def test_french_translations_keep_every_placeholder():
    wrong = []
    for message in _catalogue():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        wrong += [ids[0] for s in strings if s and set(PLACEHOLDER.findall(s)) != expected]
    assert not wrong, wrong


def test_the_compiled_catalogue_that_ships_matches_the_translations():
    compiled = gettext.translation("synthese", LOCALE, languages=["fr"])
    stale = [m.id for m in _catalogue() if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
             and (compiled.pgettext(m.context, m.id) if m.context else compiled.gettext(m.id)) != m.string]
    assert not stale, f"synthese.mo is older than synthese.po (run scripts/translations): {stale[:10]}"


def test_switching_the_language_translates_core_messages():
    from bim.i18n import _, pgettext, set_language
    from project_db.errors import NotFound

    try:
        set_language("fr")
        assert _("Isolate") == "Isoler"
        assert _("Open") == "Ouvrir" and pgettext("count", "Open") == "Ouverts"  # one English word, two meanings
        assert str(NotFound("meeting", "#7")) == "Introuvable dans ce projet : réunion #7."
    finally:
        set_language("en")
    assert _("Isolate") == "Isolate"


def test_no_translated_string_hides_inside_an_f_string():
    # gettext extraction cannot see _() inside an f-string: such text would stay English.
    pattern = re.compile(r"""f["'][^"'\n]*\{_\(""")
    offenders = []
    for package in ("bim", "checks", "project_db", "viewer", "ui", "cli"):
        for path in (REPO / package).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{number}")
    assert not offenders, offenders
