"""French accessibility rules for buildings open to the public (ERP) that need arithmetic IDS cannot do."""

from __future__ import annotations

import ifcopenshell.util.element

from bim.i18n import N_, _
from checks.rules.base import BuiltinRule, ModelFindings, Parameter, metres
from checks.rules.quality import quantity_value
from checks.rules.severity import Severity

# Widths compared to a few tenths of a millimetre: 0.90 - 0.07 is 0.8300000000000001 in floats.
_EPSILON = 0.0005
_DOOR_SCOPES = ("not_excluded", "flagged", "all")


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class DoorClearWidth(BuiltinRule):
    """Doors give a clear passage of at least 0.83 m (French ERP accessibility).

    Source: arrêté du 20 avril 2017 relatif à l'accessibilité aux personnes
    handicapées des établissements recevant du public lors de leur construction
    et des installations ouvertes au public lors de leur aménagement (NOR
    LHAL1622621A), article 10 (portes): the main doors of rooms or zones that
    can receive fewer than 100 people have a nominal width of at least 0.90 m,
    that is a clear passage ("passage utile") of at least 0.83 m; with several
    leaves, the main leaf gives that width. The default ``min_clear_width`` is
    that 0.83 m.

    What we are not sure of, and what the rule cannot know: the article
    numbers and values are quoted from our reading of the arrêté, not from the
    consolidated text in force — check Légifrance before relying on them;
    rooms of 100 people or more need 1.40 m nominal, and the occupancy is not
    in IFC, so set ``min_clear_width`` higher for those doors (another rule-set
    entry scoped by class or a project rule set); we believe some doors may be
    narrower (non-adapted sanitary cubicles, 0.80 m nominal / 0.77 m clear) —
    exclude them with ``Pset_DoorCommon.HandicapAccessible = false``; existing
    ERP fall under other texts (arrêté du 8 décembre 2014) with other widths;
    how "passage utile" is measured (leaf opened at 90°, handle and stop
    included) is for the authoring tool or the property's author.

    Clear width, in this order: the first of ``clear_width_properties`` the
    door or its type gives (the demo writes
    ``Synthese_DoorAccessibility.ClearWidth``; IFC has no standard door clear
    width: Pset_DoorCommon in IFC2X3, IFC4 and IFC4X3 has none, ClearWidth
    exists only for ramps and lifts); else the nominal width
    (``IfcDoor.OverallWidth``, else ``Qto_DoorBaseQuantities.Width``) minus
    ``frame_allowance`` (0.07 m: 0.90 m nominal gives 0.83 m clear, the pair
    the arrêté quotes; real frames and stops take 5 to 10 cm). A door with no
    width at all fails. Lengths are converted from the model's unit.

    Which doors: ``doors`` = ``not_excluded`` (default: every door but those
    with ``Pset_DoorCommon.HandicapAccessible`` false), ``flagged`` (only those
    flagged true) or ``all``.

    Code, not IDS: IDS can bound a property or OverallWidth (ACC-02 in
    accessibility-erp bounds the nominal width), but not compute "nominal width
    minus an allowance" when the clear width is not given.

    Example: the demo's door ``RDC/door-D02`` is 0.87 m nominal, 0.80 m clear::

        {"rule": "FR-ERP-DOOR-WIDTH", "severity": "error",
         "parameters": {"min_clear_width": 0.83, "frame_allowance": 0.07}}

        IfcDoor "Porte D02" — Synthese_DoorAccessibility.ClearWidth: expected a
        clear passage of at least 0.83 m, found 0.8 m
    """

    rule_id = "FR-ERP-DOOR-WIDTH"
    title = N_("Accessible doors give 0.83 m clear passage (ERP, arrêté du 20 avril 2017, art. 10)")
    applies_to = N_("doors (IfcDoor; scope: {doors})")
    requirement = N_("a clear passage of at least {min_clear_width} m (from {clear_width_properties}, else the nominal "
                     "width minus {frame_allowance} m)")
    instructions = N_("Widen the door: 0.90 m nominal (0.83 m clear passage) for rooms of fewer than 100 people, "
                      "1.40 m from 100 people.")
    default_severity = Severity.ERROR
    parameters = (
        Parameter("min_clear_width", 0.83, N_("smallest clear passage"), "float", "m", minimum=0.0),
        Parameter("frame_allowance", 0.07, N_("nominal width minus clear width, used when no clear width is given"),
                  "float", "m", minimum=0.0),
        Parameter("clear_width_properties", ("Synthese_DoorAccessibility.ClearWidth",),
                  N_("properties holding the clear width (PropertySet.Property), first present wins"), "list"),
        Parameter("doors", "not_excluded", N_("which doors are checked"), "str", choices=_DOOR_SCOPES),
    )

    def evaluate(self, models, params, cancel):
        minimum, allowance = params["min_clear_width"], params["frame_allowance"]
        expected = _("a clear passage of at least {width}").format(width=metres(minimum))
        findings = {}
        for model in models:
            found = findings[model.model_id] = ModelFindings()
            length = model.scale("LENGTHUNIT")
            for door in sorted(model.ifc_file.by_type("IfcDoor"), key=lambda e: e.id()):
                if not self._in_scope(door, params["doors"]):
                    continue
                ref = model.ref(door)
                found.applicable.append(ref)
                clear, source, shown = None, "", ""
                for qualified in params["clear_width_properties"]:
                    set_name, _dot, prop = qualified.partition(".")
                    value = _number(ifcopenshell.util.element.get_pset(door, set_name, prop)) if prop else None
                    if value is not None:
                        clear, source = value * length, qualified
                        shown = metres(clear)
                        break
                if clear is None:
                    nominal, source = _number(getattr(door, "OverallWidth", None)), "IfcDoor.OverallWidth"
                    nominal = nominal * length if nominal is not None else None
                    if nominal is None:
                        nominal, source = quantity_value(door, ("Qto_DoorBaseQuantities.Width",), length)
                    if nominal is None:
                        where = ", ".join((*params["clear_width_properties"], "IfcDoor.OverallWidth",
                                           "Qto_DoorBaseQuantities.Width"))
                        found.fail(ref, expected, _("no width"), where)
                        continue
                    clear = nominal - allowance
                    shown = _("{clear} ({nominal} nominal minus {allowance} for the frame)").format(
                        clear=metres(clear), nominal=metres(nominal), allowance=metres(allowance))
                if clear + _EPSILON < minimum:
                    found.fail(ref, expected, shown, source)
        return findings

    @staticmethod
    def _in_scope(door, scope: str) -> bool:
        if scope == "all":
            return True
        flag = ifcopenshell.util.element.get_pset(door, "Pset_DoorCommon", "HandicapAccessible")
        return flag is True if scope == "flagged" else flag is not False
