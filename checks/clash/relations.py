"""The relations between elements that clash detection needs, read once per file version and cached.

Exclusions (fillings and their hosts, openings, assemblies, aggregates) and
grouping by system come from IFC relationships, which only the parsed file
holds. Parsing costs more than a warm clash run itself (a quarter of a second per
Duplex file), so what is read is kept next to the geometry cache, keyed by the
file's content hash: a re-run on an unchanged file never parses it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ifcopenshell

from bim import geometry_cache
from bim.federation import LoadedModel

log = logging.getLogger(__name__)

# Bump when what is read changes: older cache entries are then read again from the file.
RELATIONS_FORMAT = 1
# Groups that are not systems of the building's networks.
_NOT_SYSTEMS = ("IfcZone", "IfcStructuralAnalysisModel")


@dataclass(frozen=True)
class ModelRelations:
    """Relations of one model, by GlobalId."""

    hosts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # door/window → walls whose opening it fills
    openings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # element → its openings
    wholes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part → every element it is part of
    assemblies: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part → every IfcElementAssembly above
    systems: dict[str, tuple[str, ...]] = field(default_factory=dict)  # element → names of its systems

    def to_dict(self) -> dict:
        return {key: {k: list(v) for k, v in value.items()} for key, value in asdict(self).items()}

    @staticmethod
    def from_dict(data: dict) -> "ModelRelations":
        return ModelRelations(**{key: {k: tuple(v) for k, v in data.get(key, {}).items()}
                                 for key in ("hosts", "openings", "wholes", "assemblies", "systems")})


def _gid(entity) -> str:
    return getattr(entity, "GlobalId", None) or ""


def read_relations(ifc: ifcopenshell.file) -> ModelRelations:
    """Read the relations from a parsed file."""
    openings: dict[str, list[str]] = {}
    host_of_opening: dict[int, str] = {}
    for rel in ifc.by_type("IfcRelVoidsElement"):
        host, opening = rel.RelatingBuildingElement, rel.RelatedOpeningElement
        if host is None or opening is None:
            continue
        openings.setdefault(_gid(host), []).append(_gid(opening))
        host_of_opening[opening.id()] = _gid(host)
    hosts: dict[str, list[str]] = {}
    for rel in ifc.by_type("IfcRelFillsElement"):
        opening, filling = rel.RelatingOpeningElement, rel.RelatedBuildingElement
        if opening is not None and filling is not None and opening.id() in host_of_opening:
            hosts.setdefault(_gid(filling), []).append(host_of_opening[opening.id()])

    parent: dict[str, object] = {}
    kinds = ["IfcRelAggregates"] + ([] if ifc.schema == "IFC2X3" else ["IfcRelNests"])
    for kind in kinds:
        for rel in ifc.by_type(kind):
            whole = rel.RelatingObject
            if whole is None or not whole.is_a("IfcElement"):
                continue  # spatial containment (storey ⊃ wall) is not a whole and its part
            for part in rel.RelatedObjects or ():
                if part.is_a("IfcElement"):
                    parent.setdefault(_gid(part), whole)
    wholes: dict[str, list[str]] = {}
    assemblies: dict[str, list[str]] = {}
    for part in parent:
        current, seen = parent.get(part), set()
        while current is not None and _gid(current) not in seen and len(seen) < 64:
            seen.add(_gid(current))
            wholes.setdefault(part, []).append(_gid(current))
            if current.is_a("IfcElementAssembly"):
                assemblies.setdefault(part, []).append(_gid(current))
            current = parent.get(_gid(current))

    systems: dict[str, list[str]] = {}
    for rel in ifc.by_type("IfcRelAssignsToGroup"):
        group = rel.RelatingGroup
        if group is None or not group.is_a("IfcSystem") or any(group.is_a(c) for c in _NOT_SYSTEMS):
            continue
        name = group.Name or getattr(group, "LongName", None) or f"#{group.id()}"
        for obj in rel.RelatedObjects or ():
            if obj.is_a("IfcElement"):
                names = systems.setdefault(_gid(obj), [])
                if name not in names:
                    names.append(name)

    def frozen(d):
        return {k: tuple(v) for k, v in d.items()}

    return ModelRelations(frozen(hosts), frozen(openings), frozen(wholes), frozen(assemblies), frozen(systems))


def _entry(file_hash: str) -> Path:
    return geometry_cache.cache_dir().parent / "clash-relations" / f"{file_hash}-v{RELATIONS_FORMAT}.json"


def model_relations(model: LoadedModel, use_cache: bool = True) -> ModelRelations:
    """The model's relations, from the cache when this file version was read before."""
    path = _entry(model.file_hash)
    if use_cache and path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("file_hash") == model.file_hash:
                return ModelRelations.from_dict(data["relations"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("discarding damaged clash relations cache entry %s: %s", path, exc)
    relations = read_relations(model.ifc())
    if use_cache:
        _store(path, {"file_hash": model.file_hash, "relations": relations.to_dict()})
    return relations


def _store(path: Path, data: dict) -> None:
    """Write atomically; a cache that cannot be written only costs a parse next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.stem, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("cannot write the clash relations cache %s: %s", path, exc)
