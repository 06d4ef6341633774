"""What a clash test is: two sides, a mode, tolerances and exclusions, as plain frozen data.

A coordinator sets a test up once per trade pair ("CVC vs STR, hard, 10 mm") and
re-runs it on every model version, so a test is storable as it is: every class
here turns into JSON-ready dicts (:meth:`ClashTest.to_dict`) and back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from enum import Enum

from bim.i18n import _

DEFAULT_TOLERANCE = 0.010
DEFAULT_CLEARANCE = 0.050


class ClashDefinitionError(ValueError):
    """A clash test that cannot run (bad numbers, unknown mode, malformed stored test)."""


class Mode(str, Enum):
    """Hard: volumes interpenetrate deeper than the tolerance. Clearance: closer than the distance."""

    HARD = "hard"
    CLEARANCE = "clearance"


@dataclass(frozen=True)
class PropertyFilter:
    """``Pset.Property = value``; values compare as text, case-insensitively (True, true, .T. alike)."""

    pset: str
    prop: str
    value: str

    def __str__(self) -> str:
        return f"{self.pset}.{self.prop}={self.value}"


@dataclass(frozen=True)
class Selection:
    """One side of a clash test: the models taking part, narrowed by class, storey and properties.

    Empty tuples mean "no restriction"; every non-empty one must hold, any of its
    values will do. ``models`` holds model ids, ``trades`` trade codes (ARC, STR,
    CVC, PLB, ELE…), ``classes`` include their subclasses (IfcWall takes
    IfcWallStandardCase too).
    """

    models: tuple[str, ...] = ()
    trades: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    storeys: tuple[str, ...] = ()
    properties: tuple[PropertyFilter, ...] = ()

    def takes_model(self, model_id: str, trade: str) -> bool:
        """Whether elements of this model can be on this side."""
        return (not self.models or model_id in self.models) and (not self.trades or trade in self.trades)

    def to_dict(self) -> dict:
        return {"models": list(self.models), "trades": list(self.trades), "classes": list(self.classes),
                "storeys": list(self.storeys),
                "properties": [{"pset": p.pset, "property": p.prop, "value": p.value} for p in self.properties]}

    @staticmethod
    def from_dict(data: dict) -> "Selection":
        return Selection(
            models=tuple(data.get("models", ())), trades=tuple(data.get("trades", ())),
            classes=tuple(data.get("classes", ())), storeys=tuple(data.get("storeys", ())),
            properties=tuple(PropertyFilter(p["pset"], p["property"], str(p["value"]))
                             for p in data.get("properties", ())),
        )


@dataclass(frozen=True)
class Exclusions:
    """Pairs that are never clashes, each switchable.

    * ``openings``: an element with its own openings (IfcRelVoidsElement), when
      openings are present as geometry;
    * ``fillings``: a door or window with the wall (or slab) whose opening it fills;
    * ``assemblies``: two parts of the same IfcElementAssembly;
    * ``aggregates``: a whole (stair, roof, curtain wall…) with its parts;
    * ``same_element``: the same GlobalId in two models (an element copied as a
      reference into another trade's file); an element never clashes with itself;
    * ``same_model``: any two elements of one model (off by default, so that a
      model tested against itself finds its own clashes).
    """

    openings: bool = True
    fillings: bool = True
    assemblies: bool = True
    aggregates: bool = True
    same_element: bool = True
    same_model: bool = False

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @staticmethod
    def from_dict(data: dict) -> "Exclusions":
        known = {f.name for f in fields(Exclusions)}
        return Exclusions(**{k: bool(v) for k, v in data.items() if k in known})

    @staticmethod
    def none() -> "Exclusions":
        """Every exclusion switched off."""
        return Exclusions(**{f.name: False for f in fields(Exclusions)})


@dataclass(frozen=True)
class ClashTest:
    """A named clash test between side ``a`` and side ``b`` (the same selection on both: a self-clash).

    ``tolerance`` (hard mode) is the interpenetration depth that still counts as
    touching; ``clearance`` (clearance mode) the distance elements must keep.
    Both in metres.
    """

    name: str
    a: Selection = field(default_factory=Selection)
    b: Selection = field(default_factory=Selection)
    mode: Mode = Mode.HARD
    tolerance: float = DEFAULT_TOLERANCE
    clearance: float = DEFAULT_CLEARANCE
    exclusions: Exclusions = field(default_factory=Exclusions)

    def __post_init__(self):
        try:
            object.__setattr__(self, "mode", Mode(self.mode))
        except ValueError:
            raise ClashDefinitionError(_("unknown clash mode {mode!r} (use hard or clearance)").format(
                mode=self.mode)) from None
        for label, value in (("tolerance", self.tolerance), ("clearance", self.clearance)):
            if not isinstance(value, (int, float)) or value != value or value < 0 or value > 10:
                raise ClashDefinitionError(_("{what} must be a distance in metres between 0 and 10, not {value}")
                                           .format(what=label, value=value))
        if not self.name.strip():
            raise ClashDefinitionError(_("a clash test needs a name"))

    @property
    def self_clash(self) -> bool:
        """Whether both sides select the same elements (each pair is then tested once)."""
        return self.a == self.b

    def with_changes(self, **changes) -> "ClashTest":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {"name": self.name, "a": self.a.to_dict(), "b": self.b.to_dict(), "mode": self.mode.value,
                "tolerance": self.tolerance, "clearance": self.clearance, "exclusions": self.exclusions.to_dict()}

    @staticmethod
    def from_dict(data: dict) -> "ClashTest":
        try:
            return ClashTest(
                name=str(data["name"]), a=Selection.from_dict(data.get("a", {})),
                b=Selection.from_dict(data.get("b", data.get("a", {}))), mode=data.get("mode", "hard"),
                tolerance=float(data.get("tolerance", DEFAULT_TOLERANCE)),
                clearance=float(data.get("clearance", DEFAULT_CLEARANCE)),
                exclusions=Exclusions.from_dict(data.get("exclusions", {})),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ClashDefinitionError(_("malformed clash test: {detail}").format(detail=exc)) from exc

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> "ClashTest":
        try:
            return ClashTest.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ClashDefinitionError(_("malformed clash test: {detail}").format(detail=exc)) from exc
