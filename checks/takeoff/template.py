"""Takeoff templates: which quantities, how grouped, which elements, in which units.

A template is a frozen value that round-trips through JSON, so a team can keep
its own in the project database and everyone prices from the same sheet
layout. Built-in templates are named (``default``, ``structure``, ``openings``,
``mep``, ``spaces``); a JSON file may hold any other.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from bim.i18n import _
from checks.takeoff.compare import DEFAULT_TOLERANCE
from checks.takeoff.kinds import DISPLAY_UNITS, KIND_BY_KEY, SI_UNITS, normalise_unit
from checks.takeoff.values import DECLARED

GROUP_FIELDS = ("model", "trade", "storey", "class", "type", "material", "classification")
PROPERTY_PREFIX = "property:"  # "property:Pset_WallCommon.FireRating"
PREFERENCES = (DECLARED, "computed")
FORMAT_VERSION = 1

# Weights are left to the structure template: most models state no density, and a column of
# "not computable: no density" on every row would bury the problems that matter.
DEFAULT_QUANTITIES = ("count", "length", "height", "thickness", "net_side_area", "net_footprint_area",
                      "gross_volume", "net_volume")
DEFAULT_DECIMALS = (("count", 0), ("length", 2), ("area", 2), ("volume", 3), ("mass", 1))


class TemplateError(ValueError):
    """A template that cannot be used; the message says which field and why."""


@dataclass(frozen=True)
class TakeoffTemplate:
    """How to take quantities off and lay them out.

    ``groupings``: one sheet per grouping, each a nesting of fields
    (``("storey", "class")``: storeys, then classes within each). ``classes``
    and ``search`` filter elements (empty: all). ``prefer`` picks the value
    shown when both a declared and a computed one exist. ``units`` and
    ``decimals`` are per dimension (length, area, volume, mass).
    """

    name: str = "default"
    description: str = ""
    quantities: tuple[str, ...] = DEFAULT_QUANTITIES
    groupings: tuple[tuple[str, ...], ...] = (("storey", "class"), ("class", "type"))
    classes: tuple[str, ...] = ()
    exclude_classes: tuple[str, ...] = ()
    search: str = ""
    prefer: str = DECLARED
    tolerance: float = DEFAULT_TOLERANCE
    units: tuple[tuple[str, str], ...] = tuple((d, u) for d, u in SI_UNITS.items())
    decimals: tuple[tuple[str, int], ...] = DEFAULT_DECIMALS
    layers: bool = True
    extra: tuple[tuple[str, str], ...] = field(default=())  # free notes kept with the template

    def __post_init__(self):
        validate(self)

    def unit(self, dimension: str) -> str:
        """The unit ``dimension`` is shown in."""
        return dict(self.units).get(dimension, SI_UNITS[dimension])

    def factor(self, dimension: str) -> float:
        """Factor from SI to the shown unit of ``dimension``."""
        return DISPLAY_UNITS[dimension][self.unit(dimension)]

    def decimals_for(self, dimension: str) -> int:
        return dict(self.decimals).get(dimension, 3)

    def display(self, dimension: str, si_value: float) -> float | int:
        """``si_value`` in the shown unit, rounded as the template says."""
        places = self.decimals_for(dimension)
        value = round(si_value * self.factor(dimension), places)
        return int(value) if places == 0 else value

    def property_keys(self) -> tuple[str, ...]:
        """``Pset.Property`` names the groupings need."""
        keys = []
        for grouping in self.groupings:
            keys.extend(f[len(PROPERTY_PREFIX):] for f in grouping if f.startswith(PROPERTY_PREFIX))
        return tuple(dict.fromkeys(keys))

    def with_groupings(self, groupings) -> "TakeoffTemplate":
        """A copy grouped differently."""
        return replace(self, groupings=tuple(tuple(g) for g in groupings))

    # -- JSON ------------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        data = asdict(self)
        data["units"] = dict(self.units)
        data["decimals"] = dict(self.decimals)
        data["extra"] = dict(self.extra)
        data["groupings"] = [list(g) for g in self.groupings]
        for key in ("quantities", "classes", "exclude_classes"):
            data[key] = list(data[key])
        data["format"] = FORMAT_VERSION
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @staticmethod
    def from_dict(data: dict) -> "TakeoffTemplate":
        """The template ``data`` describes (TemplateError on unknown keys or bad values)."""
        if not isinstance(data, dict):
            raise TemplateError(_("a template is a JSON object"))
        data = dict(data)
        version = data.pop("format", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise TemplateError(_("unsupported template format {version}").format(version=version))
        known = {f.name for f in fields(TakeoffTemplate)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise TemplateError(_("unknown template keys: {keys}").format(keys=", ".join(unknown)))
        try:
            for key in ("quantities", "classes", "exclude_classes"):
                if key in data:
                    data[key] = tuple(_strings(data[key], key))
            if "groupings" in data:
                data["groupings"] = tuple(tuple(_strings(g, "groupings")) for g in data["groupings"])
            for key in ("units", "decimals", "extra"):
                if key in data:
                    if not isinstance(data[key], dict):
                        raise TemplateError(_("'{key}' must be an object").format(key=key))
                    data[key] = tuple(data[key].items())
            if "units" in data:
                data["units"] = tuple((d, normalise_unit(str(u))) for d, u in data["units"])
        except TypeError as exc:
            raise TemplateError(str(exc)) from exc
        return TakeoffTemplate(**data)

    @staticmethod
    def from_json(text: str) -> "TakeoffTemplate":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TemplateError(_("not valid JSON: {detail}").format(detail=exc)) from exc
        return TakeoffTemplate.from_dict(data)


def _strings(value, key: str) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TemplateError(_("'{key}' must be a list of strings").format(key=key))
    return list(value)


def validate(template: TakeoffTemplate) -> None:
    """Raise TemplateError naming the first thing wrong in ``template``."""
    for key in template.quantities:
        if key not in KIND_BY_KEY:
            raise TemplateError(_("unknown quantity '{key}' (known: {known})").format(
                key=key, known=", ".join(KIND_BY_KEY)))
    if not template.quantities:
        raise TemplateError(_("a template needs at least one quantity"))
    for grouping in template.groupings:
        for name in grouping:
            if name not in GROUP_FIELDS and not (name.startswith(PROPERTY_PREFIX) and "." in name):
                raise TemplateError(_("unknown grouping '{name}' (use {fields} or property:Pset.Property)").format(
                    name=name, fields=", ".join(GROUP_FIELDS)))
    if template.prefer not in PREFERENCES:
        raise TemplateError(_("'prefer' must be one of {choices}").format(choices=", ".join(PREFERENCES)))
    if not (0 <= template.tolerance < 1):
        raise TemplateError(_("'tolerance' must be a fraction between 0 and 1 (0.01 is 1 %)"))
    for dimension, unit in template.units:
        if dimension not in DISPLAY_UNITS or unit not in DISPLAY_UNITS[dimension]:
            raise TemplateError(_("unknown unit '{unit}' for {dimension}").format(unit=unit, dimension=dimension))
    for dimension, places in template.decimals:
        if dimension not in DISPLAY_UNITS or not isinstance(places, int) or not 0 <= places <= 9:
            raise TemplateError(_("'decimals' of {dimension} must be 0 to 9").format(dimension=dimension))


BUILTIN_TEMPLATES: dict[str, TakeoffTemplate] = {
    t.name: t for t in (
        TakeoffTemplate(),
        TakeoffTemplate(
            name="structure", description="Gros œuvre: concrete and steel by storey, class and material",
            quantities=("count", "length", "thickness", "net_side_area", "net_footprint_area", "gross_volume",
                        "net_volume", "net_weight"),
            groupings=(("storey", "class", "material"), ("material", "class")),
            classes=("IfcWall", "IfcSlab", "IfcColumn", "IfcBeam", "IfcMember", "IfcFooting", "IfcPile",
                     "IfcStair", "IfcStairFlight", "IfcRamp", "IfcRampFlight", "IfcPlate")),
        TakeoffTemplate(
            name="openings", description="Menuiseries: doors and windows by type",
            quantities=("count", "width", "height", "gross_side_area"),
            groupings=(("class", "type"), ("storey", "class", "type")),
            classes=("IfcDoor", "IfcWindow"), layers=False),
        TakeoffTemplate(
            name="mep", description="Networks: segments by trade and type",
            quantities=("count", "length", "width", "height", "outer_surface_area"),
            groupings=(("trade", "type"), ("trade", "storey", "type")),
            classes=("IfcFlowSegment", "IfcPipeSegment", "IfcDuctSegment", "IfcCableCarrierSegment",
                     "IfcCableSegment"), layers=False),
        TakeoffTemplate(
            name="spaces", description="Surfaces: spaces by storey",
            quantities=("count", "height", "perimeter", "gross_footprint_area", "net_footprint_area",
                        "net_volume"),
            groupings=(("storey",),), classes=("IfcSpace",), layers=False),
    )
}


def load_template(name_or_path: str | Path) -> TakeoffTemplate:
    """A built-in template by name, or one read from a JSON file (TemplateError naming the file)."""
    text = str(name_or_path)
    if text in BUILTIN_TEMPLATES:
        return BUILTIN_TEMPLATES[text]
    path = Path(text)
    if path.suffix.lower() != ".json" and not path.exists():
        raise TemplateError(_("no template named '{name}' (built-in: {names}; or a .json file)").format(
            name=text, names=", ".join(BUILTIN_TEMPLATES)))
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(_("{file}: cannot be read: {detail}").format(file=path, detail=exc.strerror or exc)) \
            from exc
    try:
        return TakeoffTemplate.from_json(content)
    except TemplateError as exc:
        raise TemplateError(_("{file}: {problem}").format(file=path, problem=exc)) from exc
