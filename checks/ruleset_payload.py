"""A rule set as a project stores it: one JSON payload holding the rule set and its IDS files.

``{"ruleset": <the .ruleset.json dict>, "ids_files": {file name: IDS XML text}}``
is what ``project.rule_sets`` saves for the team (see
:class:`project_db.team_documents.RuleSetRepository`). The IDS entries of
the rule set name their file (``"file": "walls.ids"``, a key of ``ids_files``)
or a shipped IDS (``"bundled": "model-quality-basics"``).

:class:`RuleSetDraft` is what an editor changes: rules switched on and off,
their parameters and severities, IDS specifications added, edited (through
:mod:`checks.ids.authoring`) or removed. Everything checks uses (running,
exporting as files or as one IDS) goes through a real :class:`RuleSet` made by
:func:`ruleset_from_payload` in a folder of its own. No Qt, no database here.
"""

from __future__ import annotations

import copy
import re
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from bim.i18n import _
from checks.ids import IdsError, load_ids_text
from checks.ids.authoring import IdsFile, Specification
from checks.ids.writer import ids_text
from checks.ids.xml_reader import read_ids_xml
from checks.rules.severity import Severity
from checks.rulesets import (
    RULESET_FORMAT,
    RULESET_FORMAT_VERSION,
    RuleSet,
    RulesetError,
    bundled_ruleset_path,
    export_ids,
    export_ruleset,
    load_ruleset,
    ruleset_from_dict,
    ruleset_to_dict,
)


def ruleset_key(title: str, taken=()) -> str:
    """A stable key made from a title (``Contrôle façades`` → ``controle-facades``), not among ``taken``."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "rule-set"
    key, n = base, 2
    while key in set(taken):
        key, n = f"{base}-{n}", n + 1
    return key


def new_payload(key: str, title: str, author: str = "") -> dict:
    """An empty rule set: no IDS, no built-in rule."""
    return {"ruleset": {"format": RULESET_FORMAT, "format_version": RULESET_FORMAT_VERSION, "key": key,
                        "title": title, "version": "1.0", "description": "", "author": author, "ids": [],
                        "rules": []},
            "ids_files": {}}


def _unique_name(name: str, taken) -> str:
    stem, n = Path(name).stem, 2
    while name in taken:
        name, n = f"{stem}-{n}.ids", n + 1
    return name


def payload_from_ruleset(ruleset: RuleSet, key: str | None = None, title: str | None = None) -> dict:
    """A self-contained payload of ``ruleset``: each IDS file (shipped ones too) copied in.

    Copying a shipped IDS keeps the project's rule set as the team agreed it,
    whatever a later Synthese ships, and lets the team edit it.
    """
    data = ruleset_to_dict(ruleset, None)
    files: dict[str, str] = {}
    for entry, reference in zip(data["ids"], ruleset.ids):
        try:
            text = Path(reference.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesetError(reference.path, _("cannot read the IDS: {why}").format(why=exc)) from exc
        name = _unique_name(Path(reference.path).name, files)
        files[name] = text
        entry.pop("bundled", None)
        entry["file"] = name
    data["key"] = key or data["key"]
    data["title"] = title or data["title"]
    return {"ruleset": data, "ids_files": files}


def import_payload(path: Path | str, key: str | None = None) -> dict:
    """The payload of a ``.ruleset.json`` or ``.ids`` file, every IDS checked (:class:`RulesetError`, :class:`IdsError`)."""
    ruleset = load_ruleset(path)
    payload = payload_from_ruleset(ruleset, key=key)
    for name, text in payload["ids_files"].items():
        _checked_ids(name, text)
    return payload


def _checked_ids(name: str, text: str):
    try:
        return load_ids_text(text)
    except IdsError as exc:
        raise IdsError(Path(name), exc.problems) from None


def ruleset_from_payload(payload: dict, directory: Path | str, key: str = "?") -> RuleSet:
    """The :class:`RuleSet` of ``payload``, its IDS files written into ``directory`` (which must exist)."""
    directory = Path(directory)
    data = payload.get("ruleset") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise RulesetError(None, _("the project rule set {key} is damaged (no rule set in it)").format(key=key))
    for name, text in (payload.get("ids_files") or {}).items():
        if Path(name).name != name or not name:  # a stored name must never write outside the folder
            raise RulesetError(None, _("invalid IDS file name {name!r}").format(name=name))
        (directory / name).write_text(text, encoding="utf-8")
    return ruleset_from_dict(data, directory, directory / f"{data.get('key')}.ruleset.json")


def payload_problems(payload: dict) -> list[str]:
    """Why ``payload`` cannot be saved or run, one line each (empty when it is sound)."""
    found = []
    with tempfile.TemporaryDirectory(prefix="synthese-ruleset-") as folder:
        try:
            ruleset_from_payload(payload, folder)
        except RulesetError as exc:
            found.append(exc.message)
    for name, text in (payload.get("ids_files") or {}).items():
        try:
            _checked_ids(name, text)
        except IdsError as exc:
            found.append(exc.summary())
    return found


def export_payload(payload: dict, directory: Path | str) -> Path:
    """Write ``<key>.ruleset.json`` and its IDS files into ``directory``; returns the JSON's path."""
    with tempfile.TemporaryDirectory(prefix="synthese-ruleset-") as folder:
        return export_ruleset(ruleset_from_payload(payload, folder), directory)


def export_payload_ids(payload: dict, path: Path | str) -> Path:
    """Write the enabled IDS specifications of ``payload`` as one IDS 1.0 file."""
    with tempfile.TemporaryDirectory(prefix="synthese-ruleset-") as folder:
        return export_ids(ruleset_from_payload(payload, folder), path)


class RuleSetDraft:
    """A rule set being edited: a private copy of a payload and the changes an editor makes to it.

    IDS entries are addressed by their index in ``ruleset["ids"]``,
    specifications by their key (identifier, else name), built-in rules by id.
    """

    def __init__(self, payload: dict):
        self.data: dict = copy.deepcopy(payload["ruleset"])
        self.data.setdefault("ids", [])
        self.data.setdefault("rules", [])
        self.files: dict[str, str] = dict(payload.get("ids_files") or {})

    def payload(self) -> dict:
        """The edited payload (a copy)."""
        return {"ruleset": copy.deepcopy(self.data), "ids_files": dict(self.files)}

    # -- the rule set's own fields ---------------------------------------------------------

    def set_info(self, **fields: str) -> None:
        """Change ``title``, ``version``, ``description`` or ``author``."""
        for name, value in fields.items():
            if name not in ("title", "version", "description", "author"):
                raise KeyError(name)
            self.data[name] = value

    # -- IDS entries -----------------------------------------------------------------------

    @property
    def ids_entries(self) -> list[dict]:
        """The rule set's IDS entries, in order (the dicts themselves)."""
        return self.data["ids"]

    def entry_name(self, index: int) -> str:
        """How an IDS entry is shown: its file name or the shipped IDS's key."""
        entry = self.ids_entries[index]
        return entry.get("file") or f"{entry.get('bundled')}.ids"

    def entry_text(self, index: int) -> str:
        """The IDS XML of an entry (a shipped one is read from the resources)."""
        entry = self.ids_entries[index]
        if "file" in entry:
            return self.files[entry["file"]]
        path = bundled_ruleset_path(str(entry.get("bundled")))
        if path is None:
            raise RulesetError(None, _("no shipped IDS named {key}").format(key=entry.get("bundled")))
        return path.read_text(encoding="utf-8")

    def entry_document(self, index: int) -> IdsFile:
        """An entry's IDS as plain data, to list and edit its specifications."""
        return read_ids_xml(self.entry_text(index))

    def set_entry(self, index: int, *, enabled: bool | None = None, severity: Severity | str | None = None) -> None:
        """Switch a whole IDS entry on or off, or change its severity."""
        entry = self.ids_entries[index]
        if enabled is not None:
            if enabled:
                entry.pop("enabled", None)
            else:
                entry["enabled"] = False
        if severity is not None:
            entry["severity"] = Severity(severity).value

    def add_ids(self, name: str, text: str, severity: Severity | str = Severity.ERROR, check: bool = True) -> int:
        """Add an IDS file (checked first unless already done: :class:`IdsError`); returns the new entry's index."""
        if check:
            _checked_ids(name, text)
        name = _unique_name(Path(name).name if name.endswith(".ids") else f"{Path(name).name}.ids", self.files)
        self.files[name] = text
        self.ids_entries.append({"file": name, "severity": Severity(severity).value})
        return len(self.ids_entries) - 1

    def remove_entry(self, index: int) -> None:
        """Remove an IDS entry and its file."""
        entry = self.ids_entries.pop(index)
        if "file" in entry and not any(e.get("file") == entry["file"] for e in self.ids_entries):
            self.files.pop(entry["file"], None)

    def own_copy(self, index: int) -> None:
        """Turn a shipped IDS entry into a file of the rule set, so its specifications can be edited."""
        entry = self.ids_entries[index]
        if "file" in entry:
            return
        text = self.entry_text(index)
        name = _unique_name(f"{entry.pop('bundled')}.ids", self.files)
        self.files[name] = text
        entry["file"] = name

    # -- specifications --------------------------------------------------------------------

    def specification_setting(self, index: int, key: str) -> dict:
        """The rule set's setting of one specification: ``{}`` or ``{"enabled": False, "severity": …}``."""
        return dict((self.ids_entries[index].get("specifications") or {}).get(key) or {})

    def set_specification(self, index: int, key: str, *, enabled: bool | None = None,
                          severity: Severity | str | None | bool = False) -> None:
        """Switch one specification on or off, or set its severity (``None``: the entry's; ``False``: unchanged)."""
        entry = self.ids_entries[index]
        settings = entry.setdefault("specifications", {})
        setting = dict(settings.get(key) or {})
        if enabled is not None:
            if enabled:
                setting.pop("enabled", None)
            else:
                setting["enabled"] = False
        if severity is None:
            setting.pop("severity", None)
        elif severity is not False:
            setting["severity"] = Severity(severity).value
        if setting:
            settings[key] = setting
        else:
            settings.pop(key, None)
        if not settings:
            entry.pop("specifications")

    def save_specification(self, spec: Specification, index: int | None = None, old_key: str | None = None) -> int:
        """Write ``spec`` into the IDS entry ``index`` (replacing ``old_key``, or added at the end).

        Without an entry, the rule set's first own IDS file is used, or a new one
        is made. A shipped entry is copied first. The setting of a renamed
        specification follows it. Returns the entry's index.
        """
        if index is None:
            index = next((i for i, e in enumerate(self.ids_entries) if "file" in e), None)
        if index is None:
            name = _unique_name(f"{self.data.get('key') or 'rules'}.ids", self.files)
            self.files[name] = ""
            self.ids_entries.append({"file": name, "severity": Severity.ERROR.value})
            index, document = len(self.ids_entries) - 1, IdsFile(title=self.data.get("title") or name,
                                                                version=self.data.get("version") or "")
        else:
            self.own_copy(index)
            document = self.entry_document(index)
        specs = list(document.specifications)
        position = next((i for i, s in enumerate(specs) if old_key is not None and s.key == old_key), None)
        if position is None:
            specs.append(spec)
        else:
            specs[position] = spec
        self._write(index, replace(document, specifications=tuple(specs)))
        if old_key is not None and old_key != spec.key:
            self._move_setting(index, old_key, spec.key)
        return index

    def remove_specification(self, index: int, key: str) -> None:
        """Remove a specification from an IDS entry (the entry goes too when it was the last one)."""
        self.own_copy(index)
        document = self.entry_document(index)
        specs = tuple(s for s in document.specifications if s.key != key)
        self.set_specification(index, key, enabled=True, severity=None)
        if specs:
            self._write(index, replace(document, specifications=specs))
        else:
            self.remove_entry(index)

    def _write(self, index: int, document: IdsFile) -> None:
        self.files[self.ids_entries[index]["file"]] = ids_text(document)

    def _move_setting(self, index: int, old: str, new: str) -> None:
        settings = self.ids_entries[index].get("specifications") or {}
        if old in settings:
            settings[new] = settings.pop(old)

    # -- built-in rules ---------------------------------------------------------------------

    def rule_entry(self, rule_id: str) -> dict | None:
        """The rule set's entry for a built-in rule, or None when the rule is not in the set."""
        return next((e for e in self.data["rules"] if e.get("rule") == rule_id), None)

    def set_rule(self, rule_id: str, *, enabled: bool | None = None, severity: Severity | str | None | bool = False,
                 parameters: dict[str, Any] | None = None) -> None:
        """Add, switch or tune a built-in rule; parameters equal to the rule's defaults are not written.

        ``severity=None`` falls back to the rule's own; ``False`` leaves it unchanged.
        A rule switched off that the set never had is simply left out.
        """
        from checks.rules.registry import builtin_rule

        rule = builtin_rule(rule_id)
        entry = self.rule_entry(rule_id)
        if entry is None:
            if enabled is False:
                return
            entry = {"rule": rule_id}
            self.data["rules"].append(entry)
        if enabled is not None:
            if enabled:
                entry.pop("enabled", None)
            else:
                entry["enabled"] = False
        if severity is None:
            entry.pop("severity", None)
        elif severity is not False:
            entry["severity"] = Severity(severity).value
        if parameters is not None:
            resolved = rule.resolve(parameters)  # RuleParameterError for a wrong value
            defaults = rule.defaults()
            changed = {k: list(v) if isinstance(v, tuple) else v for k, v in resolved.items() if v != defaults[k]}
            if changed:
                entry["parameters"] = changed
            else:
                entry.pop("parameters", None)
