"""Every built-in rule by its stable id, in the order they are listed to users."""

from __future__ import annotations

from bim.i18n import _
from checks.rules.accessibility import DoorClearWidth
from checks.rules.base import BuiltinRule
from checks.rules.federation import FederationAlignment, StoreyConsistency
from checks.rules.geometry import ElementDuplicate, GeometryMissing
from checks.rules.quality import ElementContainment, ElementMaterial, GlobalIdDuplicate, SpaceArea, SpaceName

# Ids are stable: rule sets, stored runs and issue fingerprints refer to them. Never rename one.
BUILTIN_RULES: dict[str, type[BuiltinRule]] = {rule.rule_id: rule for rule in (
    GlobalIdDuplicate,
    ElementContainment,
    GeometryMissing,
    ElementDuplicate,
    ElementMaterial,
    SpaceName,
    SpaceArea,
    StoreyConsistency,
    FederationAlignment,
    DoorClearWidth,
)}


class UnknownRuleError(KeyError):
    """No built-in rule has this id; ``str()`` names it and lists the known ones."""

    def __str__(self) -> str:
        return _("no built-in rule {rule} (known: {known})").format(
            rule=self.args[0], known=", ".join(BUILTIN_RULES))


def builtin_rule(rule_id: str) -> type[BuiltinRule]:
    """The built-in rule class with this id (:class:`UnknownRuleError` if none)."""
    try:
        return BUILTIN_RULES[rule_id]
    except KeyError:
        raise UnknownRuleError(rule_id) from None
