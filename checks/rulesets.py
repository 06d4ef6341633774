"""The IDS rule sets shipped with Synthese (``resources/rulesets``), found by key or listed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

RULESETS_DIR = Path(__file__).resolve().parent.parent / "resources" / "rulesets"
_NS = {"ids": "http://standards.buildingsmart.org/IDS"}


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
    """Every shipped rule set, sorted by key."""
    return [
        BundledRuleset(path.stem, path, _info(path, "title"), _info(path, "description"))
        for path in sorted(RULESETS_DIR.glob("*.ids"))
    ]


def bundled_ruleset_path(key: str) -> Path | None:
    """The path of the shipped rule set ``key`` (e.g. ``model-quality-basics``), or None."""
    path = RULESETS_DIR / f"{key}.ids"
    return path if path.is_file() else None
