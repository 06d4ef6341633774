"""The demo project: a small two-storey building, one IFC file per trade.

It is what the app opens on first run, and the fixture every test of the project
builds on, so everything in it is known exactly and named by a stable GlobalId.

The building (12 x 10 m, storeys "RDC" at 0.0 and "R+1" at 3.0 m) is split into
``demo-ARC-architecture.ifc``, ``demo-STR-structure.ifc``, ``demo-CVC-hvac.ifc``,
``demo-PLB-plumbing.ifc`` and ``demo-ELE-electrical.ifc``. All five share the same
IfcProject, IfcSite, IfcBuilding and IfcBuildingStorey GlobalIds, names and
placements, so they federate without any transform. Every element is an
extruded rectangle (pipes: an extruded circle) along a world axis; see
:mod:`bim.demo.specs` for the layout, and :class:`DemoProject` for every element's
trade, class, name, storey, box and exact quantities (also declared in the files
as Qto_*BaseQuantities).

Structure: 20 cm slabs whose top is each storey's elevation (plus the roof slab
at 5.80-6.00), columns C1-C3 (30x30, 2.40 high) under beam B1 (30x40) along
y = 5, steel secondary beams B2-B4 from B1 to the south wall. Architecture: walls
stand on the structural slabs and stop under the next one (touching, never
overlapping); floor finishes only in the north rooms, the roof covering on the
roof slab. Touching faces are not clashes.

Deliberate clashes (:data:`DemoProject.expected_clashes`, per building copy):

* hard: HVAC duct ``RDC/duct-N`` (400x300) runs through beam ``RDC/beam-B1``:
  0.20 m deep in the beam (duct 2.30-2.60, beam 2.40-2.80);
* hard: plumbing pipe ``RDC/pipe-EF`` (Ø63) crosses partition ``RDC/wall-P1``
  where the partition has no opening;
* hard: cable tray ``RDC/tray-COL`` (300x100) runs through column ``RDC/col-C3``
  (0.10 m: the tray's height);
* clearance: cable tray ``RDC/tray-CLR`` runs 30 mm under duct ``RDC/duct-1a``:
  no hard clash at 10 mm tolerance, a clash at 50 mm clearance.

Every other pair of elements of different trades is at least 50 mm apart when an
MEP trade is involved, and at most touching between architecture and structure.
Spaces and openings take no part in clash detection.

Deliberate rule violations (:data:`DemoProject.expected_violations`, per copy):

* ``FR-ERP-DOOR-WIDTH``: door ``RDC/door-D02`` is 0.87 m nominal, 0.80 m clear
  (``Synthese_DoorAccessibility.ClearWidth``). The arrêté du 20 avril 2017 (ERP
  accessibility, article 10) asks for 0.90 m nominal and a 0.83 m clear passage;
* ``WALL-FIRE-RATING``: wall ``R+1/wall-E`` has Pset_WallCommon without FireRating;
* ``SPACE-NAME``: space ``R+1/space-B`` has neither Name (number) nor LongName;
* ``ELEMENT-MATERIAL``: pipe ``R+1/pipe-A1`` has no material (nor has its type);
* ``ELEMENT-CONTAINMENT``: cable tray ``R+1/tray-B`` is in no storey.

Everything else is clean: every element has a type, a material, a Pset_*Common
and a storey; walls have a FireRating; spaces a number and a name; doors are wide
enough.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bim.demo.specs import (
    ACCESSIBLE_DOOR_CLEAR_WIDTH, ACCESSIBLE_DOOR_NOMINAL_WIDTH, BUILDING_GLOBAL_ID, CLASH_EXCLUDED_CLASSES,
    CLASH_TOLERANCE, CLEARANCE, DEMO_TRADES, DOOR_ACCESSIBILITY_PSET, DOOR_CLEAR_WIDTH_PROPERTY, MEP_TRADES,
    PROJECT_GLOBAL_ID, SCHEMAS, SITE_GLOBAL_ID, STOREY_BY_NAME, STOREY_GLOBAL_IDS, STOREYS, Box, DemoTrade,
    ElementSpec, ExpectedClash, ExpectedViolation, Quantities, RuleId, Storey, box_depth, building_specs,
    class_in_schema, copy_offset, element_global_id, expected_clashes, expected_violations, opening_global_id,
)
from bim.i18n import _
from bim.progress import CancelFn, Cancelled, ProgressFn, check_cancelled, report

# The generator raises the project-wide Cancelled; this name is kept for readers of this module.
DemoCancelled = Cancelled

Bounds = tuple[tuple[float, float, float], tuple[float, float, float]]


@dataclass(frozen=True, eq=False)
class DemoProject:
    """A generated demo: where its files are, and everything known about their content."""

    directory: Path
    schema: str
    origin: tuple[float, float, float]
    scale: int
    paths: dict[str, Path]  # trade code -> IFC file
    elements: tuple[ElementSpec, ...]
    expected_clashes: tuple[ExpectedClash, ...]
    expected_violations: tuple[ExpectedViolation, ...]
    _by_id: dict[str, ElementSpec] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._by_id.update({s.global_id: s for s in self.elements})

    @property
    def files(self) -> list[Path]:
        """The IFC files, in trade order (ARC, STR, CVC, PLB, ELE)."""
        return list(self.paths.values())

    def element(self, global_id: str) -> ElementSpec:
        """The spec of the element ``global_id`` (KeyError if not in the demo)."""
        return self._by_id[global_id]

    def global_id(self, trade: str, key: str, copy: int = 0) -> str:
        """The GlobalId of element ``key`` (e.g. "RDC/wall-S") of ``trade`` in copy ``copy``."""
        global_id = element_global_id(trade, key, copy)
        self.element(global_id)
        return global_id

    def by_trade(self, trade: str) -> list[ElementSpec]:
        """The elements written to the file of ``trade``."""
        return [s for s in self.elements if s.trade == trade]

    def ifc_class(self, global_id: str) -> str:
        """The class the element has in this project's schema (IfcFlowSegment for IFC2X3 MEP)."""
        return class_in_schema(self.element(global_id).ifc_class, self.schema)

    def bounds(self, global_id: str) -> Bounds:
        """The element's axis-aligned box in model coordinates (site origin included)."""
        spec = self.element(global_id)
        z = STOREY_BY_NAME[spec.storey].elevation
        shift = (self.origin[0], self.origin[1], self.origin[2] + z)
        return (tuple(round(a + b, 9) for a, b in zip(spec.box.lo, shift)),
                tuple(round(a + b, 9) for a, b in zip(spec.box.hi, shift)))

    @property
    def spatial_global_ids(self) -> dict[str, str]:
        """GlobalIds shared by every file: "project", "site", "building" and one per storey name."""
        return {"project": PROJECT_GLOBAL_ID, "site": SITE_GLOBAL_ID, "building": BUILDING_GLOBAL_ID,
                **STOREY_GLOBAL_IDS}


def _normalise_schema(schema: str) -> str:
    name = schema.upper()
    if name.startswith("IFC4X3"):
        return "IFC4X3"  # ifcopenshell writes IFC4X3_ADD2 for it
    if name not in SCHEMAS:
        raise ValueError(_("Unsupported IFC schema {schema}: choose IFC2X3, IFC4 or IFC4X3").format(schema=schema))
    return name


def generate_demo(directory: Path | str, *, schema: str = "IFC4",
                  origin: tuple[float, float, float] = (0.0, 0.0, 0.0), scale: int = 1,
                  progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> DemoProject:
    """Write the demo building, one IFC file per trade, into ``directory``.

    ``schema`` is "IFC2X3", "IFC4" or "IFC4X3"; ``origin`` moves the whole site (e.g.
    Lambert-93 coordinates); ``scale`` places that many copies of the building side by
    side on a grid (16: 4 x 4), each with its own GlobalIds. Same inputs, same files
    (only the header timestamp differs). ``progress(done, total, message)`` is told
    each step; when ``cancel()`` returns True, :class:`bim.progress.Cancelled` is raised
    and no file is left behind (files already there are untouched).
    """
    from bim.demo.writer import write_trade  # ifcopenshell.api is slow to import; only load it to write

    schema = _normalise_schema(schema)
    if len(origin) != 3:
        raise ValueError(_("The origin needs three coordinates"))
    origin = tuple(float(c) for c in origin)
    directory = Path(directory)
    specs = building_specs(scale)
    total = len(specs) + len(DEMO_TRADES)
    done = 0

    def step(spec: ElementSpec) -> None:
        nonlocal done
        check_cancelled(cancel)
        report(progress, done, total, _("Building the demo model: {name}").format(name=spec.name or spec.key))
        done += 1

    check_cancelled(cancel)
    models = {t.code: write_trade(t, specs, schema, origin, step) for t in DEMO_TRADES}
    directory.mkdir(parents=True, exist_ok=True)
    paths = {t.code: directory / t.file_name for t in DEMO_TRADES}
    # Written beside their final names and renamed at the end: a cancelled or failed
    # run never leaves a half-written demo.
    parts = {code: path.with_name(path.name + ".part") for code, path in paths.items()}
    try:
        for trade in DEMO_TRADES:
            check_cancelled(cancel)
            report(progress, done, total, _("Writing {file}").format(file=trade.file_name))
            models[trade.code].write(str(parts[trade.code]))
            done += 1
        for code, part in parts.items():
            os.replace(part, paths[code])
    finally:
        for part in parts.values():
            if part.exists():
                part.unlink()
    report(progress, total, total, _("Demo project ready"))
    return DemoProject(directory, schema, origin, int(scale), paths, tuple(specs),
                       tuple(expected_clashes(scale)), tuple(expected_violations(scale)))


__all__ = [
    "ACCESSIBLE_DOOR_CLEAR_WIDTH", "ACCESSIBLE_DOOR_NOMINAL_WIDTH", "CLASH_EXCLUDED_CLASSES", "CLASH_TOLERANCE",
    "CLEARANCE", "DEMO_TRADES", "DOOR_ACCESSIBILITY_PSET", "DOOR_CLEAR_WIDTH_PROPERTY", "MEP_TRADES", "STOREYS",
    "Box", "Cancelled", "DemoCancelled", "DemoProject", "DemoTrade", "ElementSpec", "ExpectedClash",
    "ExpectedViolation", "Quantities", "RuleId", "Storey", "box_depth", "copy_offset", "element_global_id",
    "generate_demo", "opening_global_id",
]
