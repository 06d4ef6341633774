"""Rule sets: IDS specifications and built-in rules grouped with their parameters and severities.

The IDS files shipped in ``resources/rulesets`` are listed by :func:`bundled_rulesets`
(IDS only, as before). A *rule set* (:class:`RuleSet`) groups some IDS files and
some built-in rules (:mod:`checks.rules`); it is stored as a small JSON file,
``<key>.ruleset.json``, next to the IDS files it names::

    {
      "format": "synthese-ruleset",
      "format_version": 1,
      "key": "accessibility-erp",
      "title": "Accessibilité ERP (neuf)",
      "version": "1.0",
      "description": "…",
      "author": "Synthese contributors",
      "ids": [
        {"file": "accessibility-erp.ids", "severity": "error",
         "specifications": {"ACC-01": {"severity": "warning"}, "ACC-04": {"enabled": false}}}
      ],
      "rules": [
        {"rule": "FR-ERP-DOOR-WIDTH", "severity": "error",
         "parameters": {"min_clear_width": 0.83, "frame_allowance": 0.07}},
        {"rule": "SPACE-AREA", "enabled": false}
      ]
    }

An IDS entry names its file relative to the rule-set file (``"file"``) or a
shipped IDS by key (``"bundled": "model-quality-basics"``); ``specifications``
overrides the entry's severity or disables a specification, by its identifier
(its name when it has none). A rule entry names a built-in rule by its stable
id; ``severity`` defaults to the rule's own, ``parameters`` to its defaults
(only those given are written back). Unknown rule ids, parameters or values
are refused with the file named.

The IDS part stays IDS: :func:`export_ruleset` writes the JSON with a copy of
each IDS file beside it, and :func:`export_ids` writes the enabled
specifications of all IDS files as one IDS 1.0 file other tools open.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from bim.atomic_file import write_atomically
from bim.i18n import _
from checks.rules.severity import Severity

RULESETS_DIR = Path(__file__).resolve().parent.parent / "resources" / "rulesets"
RULESET_SUFFIX = ".ruleset.json"
RULESET_FORMAT = "synthese-ruleset"
RULESET_FORMAT_VERSION = 1
IDS_NAMESPACE = "http://standards.buildingsmart.org/IDS"
_XS = "http://www.w3.org/2001/XMLSchema"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NS = {"ids": IDS_NAMESPACE}


# -- the shipped IDS files (unchanged API) -----------------------------------------------------


@dataclass(frozen=True)
class BundledRuleset:
    """A shipped IDS file: its key (file stem), path, title and description."""

    key: str
    path: Path
    title: str
    description: str


def _info(path: Path, field: str) -> str:
    # Only the info block is read here; load_ids validates the whole file when the set is used.
    found = etree.parse(str(path)).find(f"ids:info/ids:{field}", _NS)
    return (found.text or "").strip() if found is not None else ""


def bundled_rulesets() -> list[BundledRuleset]:
    """Every shipped IDS file, sorted by key (the rule sets built on them: :func:`bundled_rule_sets`)."""
    return [
        BundledRuleset(path.stem, path, _info(path, "title"), _info(path, "description"))
        for path in sorted(RULESETS_DIR.glob("*.ids"))
    ]


def bundled_ruleset_path(key: str) -> Path | None:
    """The path of the shipped IDS file ``key`` (e.g. ``model-quality-basics``), or None."""
    path = RULESETS_DIR / f"{key}.ids"
    return path if path.is_file() else None


# -- rule sets -------------------------------------------------------------------------------


class RulesetError(Exception):
    """A rule set cannot be read or written; ``str()`` names the file and the problem in one line."""

    def __init__(self, path: Path | str | None, message: str):
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path is not None else message)


@dataclass(frozen=True)
class SpecificationSetting:
    """An IDS specification's setting in a rule set, by identifier (or name): its severity, or disabled."""

    key: str
    severity: Severity | None = None
    enabled: bool = True


@dataclass(frozen=True)
class IdsReference:
    """An IDS file of a rule set, with the severity of its specifications."""

    path: Path
    severity: Severity = Severity.ERROR
    enabled: bool = True
    specifications: tuple[SpecificationSetting, ...] = ()

    @property
    def bundled_key(self) -> str | None:
        """The key of the shipped IDS this is, or None for a project's own file."""
        path = Path(self.path)
        return path.stem if path.parent.resolve() == RULESETS_DIR and path.suffix == ".ids" else None

    def setting(self, key: str | None) -> SpecificationSetting | None:
        """The setting of the specification with this identifier (or name), if the rule set has one."""
        return next((s for s in self.specifications if s.key == key), None)

    def specification_enabled(self, identifier: str | None, name: str) -> bool:
        """Whether the specification runs: the entry is enabled and the specification not turned off."""
        setting = self.setting(identifier) or self.setting(name)
        return self.enabled and (setting is None or setting.enabled)

    def specification_severity(self, identifier: str | None, name: str) -> Severity:
        """The specification's severity: its own setting, else the entry's."""
        setting = self.setting(identifier) or self.setting(name)
        return setting.severity if setting is not None and setting.severity is not None else self.severity


@dataclass(frozen=True)
class RuleEntry:
    """A built-in rule in a rule set: its id, severity (None: the rule's default) and parameters."""

    rule_id: str
    severity: Severity | None = None
    enabled: bool = True
    parameters: tuple[tuple[str, Any], ...] = ()

    @property
    def rule(self):
        """The built-in rule class (:class:`checks.rules.base.BuiltinRule`)."""
        from checks.rules.registry import builtin_rule  # here: checks.rules imports this module

        return builtin_rule(self.rule_id)

    def effective_severity(self) -> Severity:
        """The severity set here, else the rule's default."""
        return self.severity or self.rule.default_severity

    def effective_parameters(self) -> dict[str, Any]:
        """The rule's defaults overridden by this entry's parameters."""
        return self.rule.resolve(self.parameters)


@dataclass(frozen=True)
class RuleSet:
    """IDS files and built-in rules to run together, with a key, title and version."""

    key: str
    title: str
    version: str = "1.0"
    description: str = ""
    author: str = ""
    ids: tuple[IdsReference, ...] = ()
    rules: tuple[RuleEntry, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @property
    def needs_geometry(self) -> bool:
        """Whether an enabled built-in rule reads the models' tessellation."""
        return any(e.enabled and e.rule.needs_geometry for e in self.rules)

    def with_ids(self, path: Path | str, severity: Severity = Severity.ERROR) -> "RuleSet":
        """This rule set with one more IDS file."""
        return replace(self, ids=self.ids + (IdsReference(Path(path).resolve(), severity),))

    def content_hash(self) -> str:
        """SHA-256 of what the rule set checks: its entries and the content of its IDS files."""
        digest = hashlib.sha256()
        data = ruleset_to_dict(self, None)
        for entry in data["ids"]:  # where an IDS file lies does not change the rules
            entry.pop("file", None)
            entry.pop("bundled", None)
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        for reference in self.ids:
            try:
                digest.update(Path(reference.path).read_bytes())
            except OSError:
                digest.update(b"missing:" + str(reference.path).encode("utf-8"))
        return digest.hexdigest()


def _severity(value, where: str, path) -> Severity | None:
    if value is None:
        return None
    try:
        return Severity(value)
    except ValueError:
        raise RulesetError(path, _("{where}: unknown severity {value!r} (use {known})").format(
            where=where, value=value, known=", ".join(s.value for s in Severity))) from None


def _bool(value, where: str, path) -> bool:
    if not isinstance(value, bool):
        raise RulesetError(path, _("{where}: “enabled” must be true or false").format(where=where))
    return value


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, (list, tuple)) else value


def _thawed(value):
    return [_thawed(v) for v in value] if isinstance(value, tuple) else value


def ruleset_from_dict(data: dict, base_dir: Path | str | None = None, path: Path | str | None = None) -> RuleSet:
    """A rule set from its JSON data; relative IDS files are found in ``base_dir``. Raises :class:`RulesetError`."""
    from checks.rules.base import RuleParameterError
    from checks.rules.registry import UnknownRuleError, builtin_rule

    base = Path(base_dir) if base_dir is not None else Path.cwd()
    if not isinstance(data, dict) or data.get("format") != RULESET_FORMAT:
        raise RulesetError(path, _("not a Synthese rule set (expected \"format\": \"{format}\")").format(
            format=RULESET_FORMAT))
    if int(data.get("format_version", 1)) > RULESET_FORMAT_VERSION:
        raise RulesetError(path, _("written by a newer Synthese (rule-set format {version})").format(
            version=data.get("format_version")))
    references = []
    for n, entry in enumerate(data.get("ids") or [], start=1):
        where = _("IDS entry {n}").format(n=n)
        if not isinstance(entry, dict):
            raise RulesetError(path, _("{where}: expected an object").format(where=where))
        if "bundled" in entry:
            ids_path = bundled_ruleset_path(str(entry["bundled"]))
            if ids_path is None:
                raise RulesetError(path, _("{where}: no shipped IDS named {key}").format(where=where,
                                                                                          key=entry["bundled"]))
        elif "file" in entry:
            ids_path = (base / str(entry["file"])).resolve()
            if not ids_path.is_file():
                raise RulesetError(path, _("{where}: the IDS file {file} does not exist").format(
                    where=where, file=ids_path))
        else:
            raise RulesetError(path, _("{where}: give \"file\" or \"bundled\"").format(where=where))
        settings = []
        for key, setting in (entry.get("specifications") or {}).items():
            spec_where = f"{where}, {key}"
            if not isinstance(setting, dict):
                raise RulesetError(path, _("{where}: expected an object").format(where=spec_where))
            settings.append(SpecificationSetting(str(key), _severity(setting.get("severity"), spec_where, path),
                                                 _bool(setting.get("enabled", True), spec_where, path)))
        references.append(IdsReference(ids_path, _severity(entry.get("severity", "error"), where, path),
                                       _bool(entry.get("enabled", True), where, path), tuple(settings)))
    rules = []
    for n, entry in enumerate(data.get("rules") or [], start=1):
        if not isinstance(entry, dict) or "rule" not in entry:
            raise RulesetError(path, _("rule entry {n}: expected an object with a \"rule\" id").format(n=n))
        rule_id = str(entry["rule"])
        try:
            rule = builtin_rule(rule_id)
            given = entry.get("parameters") or {}
            if not isinstance(given, dict):
                raise RuleParameterError(_("parameters must be an object"))
            rule.resolve(given)  # refuses unknown names and wrong values now, with the file named
        except (UnknownRuleError, RuleParameterError) as exc:
            raise RulesetError(path, _("rule {rule}: {problem}").format(rule=rule_id, problem=exc)) from None
        rules.append(RuleEntry(rule_id, _severity(entry.get("severity"), rule_id, path),
                               _bool(entry.get("enabled", True), rule_id, path),
                               tuple((k, _frozen(v)) for k, v in given.items())))
    stem = Path(path).name.removesuffix(RULESET_SUFFIX).removesuffix(".json") if path else "ruleset"
    return RuleSet(
        key=str(data.get("key") or stem),
        title=str(data.get("title") or data.get("key") or stem),
        version=str(data.get("version") or "1.0"),
        description=str(data.get("description") or ""),
        author=str(data.get("author") or ""),
        ids=tuple(references),
        rules=tuple(rules),
        path=Path(path).resolve() if path else None,
    )


def ruleset_to_dict(ruleset: RuleSet, base_dir: Path | str | None = None) -> dict:
    """The rule set as JSON data; IDS files are written relative to ``base_dir`` when they lie under it."""
    ids = []
    for reference in ruleset.ids:
        entry: dict[str, Any] = {}
        if reference.bundled_key is not None and (base_dir is None or Path(base_dir).resolve() != RULESETS_DIR):
            entry["bundled"] = reference.bundled_key
        else:
            entry["file"] = _relative(Path(reference.path), base_dir)
        entry["severity"] = reference.severity.value
        if not reference.enabled:
            entry["enabled"] = False
        if reference.specifications:
            entry["specifications"] = {s.key: _setting_dict(s) for s in reference.specifications}
        ids.append(entry)
    rules = []
    for rule in ruleset.rules:
        entry = {"rule": rule.rule_id}
        if rule.severity is not None:
            entry["severity"] = rule.severity.value
        if not rule.enabled:
            entry["enabled"] = False
        if rule.parameters:
            entry["parameters"] = {k: _thawed(v) for k, v in rule.parameters}
        rules.append(entry)
    return {"format": RULESET_FORMAT, "format_version": RULESET_FORMAT_VERSION, "key": ruleset.key,
            "title": ruleset.title, "version": ruleset.version, "description": ruleset.description,
            "author": ruleset.author, "ids": ids, "rules": rules}


def _setting_dict(setting: SpecificationSetting) -> dict:
    # Only what differs from the entry is written: a severity, or "enabled": false.
    data: dict[str, Any] = {}
    if setting.severity is not None:
        data["severity"] = setting.severity.value
    if not setting.enabled:
        data["enabled"] = False
    return data


def _relative(path: Path, base_dir: Path | str | None) -> str:
    if base_dir is None:
        return path.name
    try:
        return Path(os.path.relpath(path.resolve(), Path(base_dir).resolve())).as_posix()
    except ValueError:  # another drive on Windows: keep it absolute
        return str(path.resolve())


def load_ruleset(path: Path | str) -> RuleSet:
    """Read a rule-set file (``.json``), or make a rule set of one IDS file (``.ids``)."""
    path = Path(path)
    if not path.is_file():
        raise RulesetError(path, _("the file does not exist") if not path.exists() else _("not a file"))
    if path.suffix.lower() == ".ids":
        title = _info(path, "title") if _is_xml(path) else ""
        return RuleSet(key=path.stem, title=title or path.stem, ids=(IdsReference(path.resolve()),), path=path.resolve())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesetError(path, _("cannot read the file: {why}").format(why=getattr(exc, "strerror", None) or exc)) \
            from exc
    except json.JSONDecodeError as exc:
        raise RulesetError(path, _("not valid JSON: line {line}: {why}").format(line=exc.lineno, why=exc.msg)) \
            from exc
    return ruleset_from_dict(data, path.parent, path)


def _is_xml(path: Path) -> bool:
    try:
        etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        return True
    except (etree.XMLSyntaxError, OSError):
        return False  # load_ids will report it with its line when the rule set runs


def save_ruleset(ruleset: RuleSet, path: Path | str) -> Path:
    """Write the rule set as JSON to ``path``; its IDS files stay where they are, referred to relatively."""
    path = Path(path)
    data = ruleset_to_dict(ruleset, path.parent)
    return write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                            make_folder=True)


def export_ruleset(ruleset: RuleSet, directory: Path | str) -> Path:
    """Write ``<key>.ruleset.json`` into ``directory`` with a copy of each IDS file beside it.

    The folder is then complete in itself: a colleague imports the JSON, and any
    IDS tool opens the ``.ids`` files. Two IDS files of the same name are
    numbered. Returns the JSON's path.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    copied, taken = [], set()
    for reference in ruleset.ids:
        name, n = Path(reference.path).name, 2
        while name in taken:
            name, n = f"{Path(reference.path).stem}-{n}.ids", n + 1
        taken.add(name)
        target = directory / name
        if Path(reference.path).resolve() != target.resolve():
            shutil.copyfile(reference.path, target)
        copied.append(replace(reference, path=target.resolve()))
    local = replace(ruleset, ids=tuple(copied))
    data = ruleset_to_dict(local, directory)
    for entry, reference in zip(data["ids"], copied):  # a copy is a file of the folder, even of a shipped IDS
        entry.pop("bundled", None)
        entry["file"] = Path(reference.path).name
    return write_atomically(directory / f"{ruleset.key}{RULESET_SUFFIX}",
                            (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def export_ids(ruleset: RuleSet, path: Path | str) -> Path:
    """Write the enabled IDS specifications of the rule set as one IDS 1.0 file (built-in rules are not IDS)."""
    root = etree.Element(f"{{{IDS_NAMESPACE}}}ids", nsmap={None: IDS_NAMESPACE, "xs": _XS, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", f"{IDS_NAMESPACE} http://standards.buildingsmart.org/IDS/1.0/ids.xsd")
    info = etree.SubElement(root, f"{{{IDS_NAMESPACE}}}info")
    for tag, text in (("title", ruleset.title), ("version", ruleset.version), ("description", ruleset.description),
                      ("date", date.today().isoformat())):
        if text:
            etree.SubElement(info, f"{{{IDS_NAMESPACE}}}{tag}").text = text
    specifications = etree.SubElement(root, f"{{{IDS_NAMESPACE}}}specifications")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    for reference in ruleset.ids:
        if not reference.enabled:
            continue
        try:
            source = etree.parse(str(reference.path), parser)
        except (etree.XMLSyntaxError, OSError) as exc:
            raise RulesetError(reference.path, _("cannot read the IDS: {why}").format(why=exc)) from exc
        for spec in source.getroot().iterfind("ids:specifications/ids:specification", _NS):
            if reference.specification_enabled(spec.get("identifier"), spec.get("name") or ""):
                specifications.append(spec)
    if not len(specifications):
        raise RulesetError(path, _("the rule set has no enabled IDS specification to export"))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return write_atomically(path, data, make_folder=True)


# -- the shipped rule sets ------------------------------------------------------------------


def bundled_rule_set_paths() -> list[Path]:
    """The shipped rule-set files, sorted by key."""
    return sorted(RULESETS_DIR.glob(f"*{RULESET_SUFFIX}"))


def bundled_rule_sets() -> list[RuleSet]:
    """Every shipped rule set (IDS and built-in rules), sorted by key."""
    return [load_ruleset(p) for p in bundled_rule_set_paths()]


def bundled_rule_set(key: str) -> RuleSet | None:
    """The shipped rule set ``key`` (e.g. ``accessibility-erp``), or None."""
    path = RULESETS_DIR / f"{key}{RULESET_SUFFIX}"
    return load_ruleset(path) if path.is_file() else None


def find_ruleset(name: str | Path) -> RuleSet:
    """A rule set by shipped key, or from a ``.json`` rule-set file or an ``.ids`` file. Raises :class:`RulesetError`."""
    text = str(name)
    if not any(sep in text for sep in ("/", os.sep)) and not text.lower().endswith((".json", ".ids")):
        found = bundled_rule_set(text)
        if found is not None:
            return found
        keys = ", ".join(p.name.removesuffix(RULESET_SUFFIX) for p in bundled_rule_set_paths())
        raise RulesetError(None, _("no rule set named {name} (shipped: {keys}; or give a .json or .ids file)").format(
            name=text, keys=keys))
    return load_ruleset(Path(name))
