"""Which rule sets the Checks panel offers, and how a choice becomes a :class:`checks.rulesets.RuleSet`.

Three kinds of choice: a shipped rule set (by key), a project rule set shared
in the project database (by key; its IDS files travel in the stored document), and
a rule-set or IDS file the user picked. Loading may touch the disk or the database,
so :func:`load_choice` runs in the worker that runs the check.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bim.i18n import _
from checks.rulesets import RulesetError, bundled_rule_set_paths, find_ruleset, load_ruleset

BUNDLED, PROJECT, FILE = "bundled", "project", "file"


@dataclass(frozen=True)
class RuleSetChoice:
    """An entry of the rule-set list: its kind, what identifies it (key or path) and its label."""

    kind: str  # BUNDLED, PROJECT or FILE
    ident: str
    label: str


def bundled_choices() -> list[RuleSetChoice]:
    """The shipped rule sets, by key (a file that cannot be read is listed by key, and fails when run)."""
    choices = []
    for path in bundled_rule_set_paths():
        key = path.name.removesuffix(".ruleset.json")
        try:
            title = load_ruleset(path).title
        except RulesetError:
            title = key
        choices.append(RuleSetChoice(BUNDLED, key, title))
    return choices


def project_choices(project) -> list[RuleSetChoice]:
    """The project's shared rule sets (a database call: run it off the UI thread)."""
    return [RuleSetChoice(PROJECT, stored.key, _("{title} (project)").format(title=stored.title))
            for stored in project.rule_sets.list()]


def file_choice(path: str | Path) -> RuleSetChoice:
    """A rule-set (``.json``) or IDS file the user picked."""
    return RuleSetChoice(FILE, str(Path(path).resolve()), Path(path).name)


def load_choice(choice: RuleSetChoice, project=None):
    """The rule set ``choice`` names (:class:`RulesetError` or :class:`checks.ids.IdsError` when unusable)."""
    if choice.kind == BUNDLED:
        return find_ruleset(choice.ident)
    if choice.kind == FILE:
        return load_ruleset(choice.ident)
    if project is None:
        raise RulesetError(None, _("open the project to use its rule set {key}").format(key=choice.ident))
    return ruleset_from_payload(choice.ident, project.rule_sets.get(choice.ident))


def ruleset_from_payload(key: str, payload: dict):
    """A project rule set from its stored document; its IDS files are written to a private folder first."""
    from checks.ruleset_payload import ruleset_from_payload as from_payload

    return from_payload(payload, tempfile.mkdtemp(prefix="synthese-ruleset-"), key)
