"""Trades (corps d'état) and guessing a model's trade from its file name and content."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bim.i18n import N_, _


@dataclass(frozen=True)
class Trade:
    code: str
    name: str  # English source text, translated when shown
    colour: tuple[int, int, int]


TRADES = (
    Trade("ARC", N_("Architecture"), (214, 204, 186)),
    Trade("STR", N_("Structure"), (150, 150, 160)),
    Trade("CVC", N_("HVAC"), (70, 130, 220)),
    Trade("PLB", N_("Plumbing"), (60, 170, 110)),
    Trade("ELE", N_("Electrical"), (240, 150, 40)),
    Trade("VRD", N_("Site works"), (150, 110, 70)),
    Trade("OTH", N_("Other"), (170, 120, 190)),
)
TRADE_BY_CODE = {t.code: t for t in TRADES}

# Matched against whole words of the file name (and pairs of words, for "gros oeuvre");
# stems end with \w* so that "plumbing", "plomberie" or "ventilation" count too.
_NAME_HINTS = (
    ("STR", r"str|struct\w*|gros[-_ ]?oeuvre|go|beton|concrete|steel|staal|acier|tekla|charpente"),
    ("CVC", r"cvc|hvac|mech|mechanical|ventil\w*|chauffage|clim\w*|duct\w*|gaine"),
    ("PLB", r"plb|plomb\w*|plumb\w*|sanit\w*|pipe\w*|water|eau|drain\w*|sprinkler\w*"),
    ("ELE", r"ele|elec|electrical|électricité|electricite|cfo|cfa|light|lighting|eclairage"),
    ("VRD", r"vrd|civil|site|terrain|landscape"),
    ("ARC", r"arc|arch|archi|architecture|archicad|revit"),
)
_CLASS_HINTS = {
    "CVC": ("IfcDuctSegment", "IfcDuctFitting", "IfcAirTerminal", "IfcFlowSegment", "IfcUnitaryEquipment"),
    "PLB": ("IfcPipeSegment", "IfcPipeFitting", "IfcSanitaryTerminal", "IfcValve"),
    "ELE": ("IfcCableCarrierSegment", "IfcCableSegment", "IfcLightFixture", "IfcOutlet", "IfcElectricAppliance",
            "IfcFlowTerminal", "IfcCableCarrierFitting"),
    "STR": ("IfcBeam", "IfcColumn", "IfcMember", "IfcPlate", "IfcFooting", "IfcPile", "IfcReinforcingBar"),
}
_ARCHITECTURE_CLASSES = ("IfcDoor", "IfcWindow", "IfcSpace", "IfcCovering", "IfcStair", "IfcRailing",
                         "IfcFurnishingElement", "IfcCurtainWall")


def trade_name(code: str) -> str:
    """The translated name of a trade code (the code itself if unknown)."""
    trade = TRADE_BY_CODE.get(code)
    return _(trade.name) if trade else code


def guess_trade(path: Path | str, classes: list[str] | None = None) -> str:
    """Guess a model's trade from its file name, else from the classes of its elements."""
    stem = Path(path).stem.lower()
    words = [t for t in re.split(r"[^a-z0-9éèà]+", stem) if t]
    tokens = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    for code, pattern in _NAME_HINTS:
        if any(re.fullmatch(pattern, token) for token in tokens):
            return code
    if classes:
        counts = Counter(classes)
        total = sum(counts.values()) or 1
        scores = {code: sum(counts[c] for c in hints) for code, hints in _CLASS_HINTS.items()}
        architectural = sum(counts[c] for c in _ARCHITECTURE_CLASSES)
        code, best = max(scores.items(), key=lambda kv: kv[1])
        # Architecture models carry some structure and MEP too (roof members, sinks):
        # only a model almost free of doors, windows and spaces belongs to another trade.
        if best / total > 0.4 and architectural / total < 0.05:
            return code
    return "ARC"
