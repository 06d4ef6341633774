"""The one-line filter syntax of the command line, e.g. ``class=IfcDuctSegment,IfcPipeSegment;storey=RDC``.

Clauses are separated by ``;``, alternatives within a clause by ``,``; every
clause must hold. Keys: ``class`` (subclasses included), ``storey``, ``trade``,
``model`` and ``Pset.Property`` (for example ``Pset_WallCommon.IsExternal=True``).
"""

from __future__ import annotations

from dataclasses import replace

from bim.i18n import _
from checks.clash.definition import ClashDefinitionError, PropertyFilter, Selection

FILTER_SYNTAX_HELP = (
    "CLAUSE[;CLAUSE…] where CLAUSE is class=IfcDuctSegment,IfcPipeSegment (subclasses included), "
    "storey=RDC,R+1, trade=CVC, model=NAME or Pset.Property=value "
    "(e.g. Pset_WallCommon.IsExternal=True); every clause must hold, commas give alternatives"
)

_LIST_KEYS = {"class": "classes", "classes": "classes", "storey": "storeys", "storeys": "storeys",
              "trade": "trades", "trades": "trades", "model": "models", "models": "models"}


def parse_selection(text: str, base: Selection | None = None) -> Selection:
    """The selection described by ``text``, added to ``base``; raises :class:`ClashDefinitionError`."""
    selection = base or Selection()
    for clause in (c.strip() for c in (text or "").split(";")):
        if not clause:
            continue
        key, sep, value = clause.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ClashDefinitionError(_("bad filter clause {clause!r}: expected key=value").format(clause=clause))
        attribute = _LIST_KEYS.get(key.lower())
        if attribute is not None:
            items = tuple(v.strip() for v in value.split(",") if v.strip())
            if attribute == "trades":
                items = tuple(v.upper() for v in items)
            selection = replace(selection, **{attribute: getattr(selection, attribute) + items})
            continue
        pset, dot, prop = key.partition(".")
        if not dot or not pset or not prop:
            raise ClashDefinitionError(_(
                "bad filter clause {clause!r}: unknown key {key!r} (use class, storey, trade, model or Pset.Property)"
            ).format(clause=clause, key=key))
        selection = replace(selection, properties=selection.properties + (PropertyFilter(pset, prop, value),))
    return selection


def describe_selection(selection: Selection) -> str:
    """The selection in the same syntax (empty text: everything)."""
    clauses = []
    for key, values in (("model", selection.models), ("trade", selection.trades), ("class", selection.classes),
                        ("storey", selection.storeys)):
        if values:
            clauses.append(f"{key}={','.join(values)}")
    clauses.extend(str(p) for p in selection.properties)
    return ";".join(clauses)
