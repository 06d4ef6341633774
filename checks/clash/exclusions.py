"""Whether a candidate pair is one of the built-in, switchable exclusions (see :class:`Exclusions`)."""

from __future__ import annotations

from checks.clash.definition import Exclusions
from checks.clash.relations import ModelRelations

ElementKey = tuple[str, str]  # (model id, GlobalId)


def needs_relations(exclusions: Exclusions) -> bool:
    """Whether any switched-on exclusion depends on IFC relationships."""
    return exclusions.openings or exclusions.fillings or exclusions.assemblies or exclusions.aggregates


def is_excluded(exclusions: Exclusions, a: ElementKey, b: ElementKey,
                relations: dict[str, ModelRelations]) -> bool:
    """Whether the pair ``a``, ``b`` is left out by ``exclusions``."""
    (model_a, gid_a), (model_b, gid_b) = a, b
    if a == b or (exclusions.same_element and gid_a == gid_b):
        return True
    if model_a != model_b:
        return False  # relationships never cross files
    if exclusions.same_model:
        return True
    r = relations.get(model_a)
    if r is None:
        return False
    if exclusions.fillings and (gid_b in r.hosts.get(gid_a, ()) or gid_a in r.hosts.get(gid_b, ())):
        return True
    if exclusions.openings and (gid_b in r.openings.get(gid_a, ()) or gid_a in r.openings.get(gid_b, ())):
        return True
    if exclusions.aggregates and (gid_b in r.wholes.get(gid_a, ()) or gid_a in r.wholes.get(gid_b, ())):
        return True
    if exclusions.assemblies and set(r.assemblies.get(gid_a, ())) & set(r.assemblies.get(gid_b, ())):
        return True
    return False
