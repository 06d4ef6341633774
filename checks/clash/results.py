"""What a clash run finds, as frozen data keyed by GlobalId, storable as JSON.

A clash's id derives only from what identifies it across model versions — the
test's name and the two elements (model id and GlobalId, in sorted order) — so
the same clash keeps its id on every re-run, whatever the geometry or order.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from checks.clash.definition import ClashTest, Mode

Point = tuple[float, float, float]


def clash_id(test_name: str, model_a: str, global_id_a: str, model_b: str, global_id_b: str) -> str:
    """A stable id for the pair in this test: the same on every run, whichever side each element is on."""
    first, second = sorted([(model_a, global_id_a), (model_b, global_id_b)])
    text = "\x1f".join([test_name, *first, *second])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ClashElement:
    """One element of a clash, as the coordinator needs to read and find it."""

    global_id: str
    model_id: str
    ifc_class: str
    name: str
    storey: str
    trade: str
    type_name: str = ""
    systems: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        data = asdict(self)
        data["systems"] = list(self.systems)
        return data

    @staticmethod
    def from_dict(data: dict) -> "ClashElement":
        return ClashElement(**{**data, "systems": tuple(data.get("systems", ()))})


@dataclass(frozen=True)
class Clash:
    """Two elements that clash: ``depth`` (hard) or ``distance`` (clearance) in metres, and where.

    ``point`` is in model coordinates: the deepest point of the overlap for a
    hard clash, the middle of the shortest segment between the elements for a
    clearance clash (whose ends are ``closest_points``).
    """

    id: str
    test_name: str
    mode: Mode
    a: ClashElement
    b: ClashElement
    point: Point
    depth: float | None = None
    distance: float | None = None
    closest_points: tuple[Point, Point] | None = None

    @property
    def severity(self) -> float:
        """Larger is worse: the depth, or how far inside the clearance."""
        return self.depth if self.depth is not None else -(self.distance or 0.0)

    def to_dict(self) -> dict:
        return {"id": self.id, "test": self.test_name, "mode": self.mode.value, "a": self.a.to_dict(),
                "b": self.b.to_dict(), "point": list(self.point), "depth": self.depth, "distance": self.distance,
                "closest_points": None if self.closest_points is None else [list(p) for p in self.closest_points]}

    @staticmethod
    def from_dict(data: dict) -> "Clash":
        closest = data.get("closest_points")
        return Clash(
            id=data["id"], test_name=data["test"], mode=Mode(data["mode"]), a=ClashElement.from_dict(data["a"]),
            b=ClashElement.from_dict(data["b"]), point=tuple(data["point"]), depth=data.get("depth"),
            distance=data.get("distance"),
            closest_points=None if closest is None else (tuple(closest[0]), tuple(closest[1])),
        )


@dataclass(frozen=True)
class ModelVersion:
    """A model that took part in a run, and the version (content hash) of its file."""

    model_id: str
    file_name: str
    file_hash: str
    trade: str


@dataclass(frozen=True)
class RunStats:
    """How much work a run did: elements per side, pairs after each stage, seconds."""

    elements_a: int = 0
    elements_b: int = 0
    candidate_pairs: int = 0
    excluded_pairs: int = 0
    tested_pairs: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ClashRun:
    """The result of running one clash test on some model versions."""

    test: ClashTest
    clashes: tuple[Clash, ...]
    models: tuple[ModelVersion, ...] = ()
    stats: RunStats = field(default_factory=RunStats)
    started_at: str = ""

    def by_id(self) -> dict[str, Clash]:
        return {c.id: c for c in self.clashes}

    def to_dict(self) -> dict:
        return {"test": self.test.to_dict(), "started_at": self.started_at,
                "models": [asdict(m) for m in self.models], "stats": asdict(self.stats),
                "clashes": [c.to_dict() for c in self.clashes]}

    @staticmethod
    def from_dict(data: dict) -> "ClashRun":
        return ClashRun(
            test=ClashTest.from_dict(data["test"]),
            clashes=tuple(Clash.from_dict(c) for c in data.get("clashes", ())),
            models=tuple(ModelVersion(**m) for m in data.get("models", ())),
            stats=RunStats(**data.get("stats", {})), started_at=data.get("started_at", ""),
        )
