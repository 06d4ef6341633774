"""Which elements of a model one side of a clash test takes.

Classes and storeys come from the element table (no file parsing, so a warm
re-run stays fast); only property filters need the parsed file. Spaces,
openings and other non-physical products never take part: only IfcElement
subclasses that are not feature elements (openings, projections), as ifcclash.
"""

from __future__ import annotations

from functools import lru_cache

import ifcopenshell.ifcopenshell_wrapper as wrapper
import ifcopenshell.util.element

from bim.federation import LoadedModel
from bim.i18n import _
from checks.clash.definition import ClashDefinitionError, PropertyFilter, Selection

_KNOWN_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")
_TRUE, _FALSE = ("true", ".t.", "yes", "1"), ("false", ".f.", "no", "0")


@lru_cache(maxsize=None)
def _schema(name: str):
    upper = name.upper()
    for candidate in (upper, "IFC4X3_ADD2" if upper.startswith("IFC4X3") else upper, "IFC4"):
        try:
            return wrapper.schema_by_name(candidate)
        except (RuntimeError, IndexError):
            continue
    return wrapper.schema_by_name("IFC4")


@lru_cache(maxsize=None)
def is_subclass(schema: str, ifc_class: str, ancestor: str) -> bool:
    """Whether ``ifc_class`` is ``ancestor`` or one of its subclasses in ``schema`` (case-insensitive)."""
    try:
        declaration = _schema(schema).declaration_by_name(ifc_class)
    except (RuntimeError, IndexError):
        return False
    target = ancestor.lower()
    while declaration is not None:
        if declaration.name().lower() == target:
            return True
        declaration = declaration.supertype()
    return False


def check_classes(classes: tuple[str, ...]) -> None:
    """Raise :class:`ClashDefinitionError` for a class no IFC schema knows (a typo in a filter)."""
    for ifc_class in classes:
        known = False
        for schema in _KNOWN_SCHEMAS:
            try:
                _schema(schema).declaration_by_name(ifc_class)
                known = True
                break
            except (RuntimeError, IndexError):
                continue
        if not known:
            raise ClashDefinitionError(_("unknown IFC class {name!r} in a filter").format(name=ifc_class))


def takes_part(schema: str, ifc_class: str) -> bool:
    """Whether elements of this class are solid building parts that can clash."""
    return is_subclass(schema, ifc_class, "IfcElement") and not is_subclass(schema, ifc_class, "IfcFeatureElement")


def _normalise(value) -> str:
    text = str(value).strip().lower()
    if isinstance(value, bool) or text in _TRUE or text in _FALSE:
        return "true" if (value is True or text in _TRUE) else "false"
    try:
        return repr(float(text))
    except ValueError:
        return text


def _has_property(entity, wanted: PropertyFilter) -> bool:
    psets = ifcopenshell.util.element.get_psets(entity)
    for pset_name, props in psets.items():
        if pset_name.lower() != wanted.pset.lower():
            continue
        for prop_name, value in props.items():
            if prop_name.lower() == wanted.prop.lower() and _normalise(value) == _normalise(wanted.value):
                return True
    return False


def select_elements(model: LoadedModel, selection: Selection, candidates: list[int]) -> list[int]:
    """The indices among ``candidates`` (elements of ``model``) that ``selection`` takes."""
    if not selection.takes_model(model.model_id, model.trade):
        return []
    schema = model.schema or "IFC4"
    storeys = {s.strip().lower() for s in selection.storeys}
    chosen = []
    for index in candidates:
        record = model.elements[index]
        if selection.classes and not any(is_subclass(schema, record.ifc_class, c) for c in selection.classes):
            continue
        if storeys and record.storey.strip().lower() not in storeys:
            continue
        chosen.append(index)
    if selection.properties and chosen:
        ifc = model.ifc()  # property values live only in the file
        chosen = [i for i in chosen
                  if all(_has_property(ifc.by_id(model.elements[i].step_id), p) for p in selection.properties)]
    return chosen
