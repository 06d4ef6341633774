"""ifctester's facets, adopted into Synthese with the fixes IDS 1.0 conformance needs.

We build on ifctester (the reference implementation) and never edit it. After
ifctester parses an IDS, :func:`adopt_ids` switches each facet to the subclass
below and each value to the comparison objects of :mod:`checks.ids.values`:

* every ``xs:restriction`` becomes an :class:`IdsRestriction` (IDS tolerance on
  bounds, XSD semantics for patterns);
* the ``value`` of attribute and property facets becomes a :class:`SimpleValue`
  (IDS tolerance on reals, typed casting), which ifctester's comparisons reach
  through Python's reflected ``==``;
* :class:`Attribute` re-implements the check itself, because ifctester fails an
  *optional* attribute that is present but null (IDS: optional means "if it has
  a value, the value must match") and compares measures in file units where IDS
  expects SI units (a door 900 mm wide, in a millimetre model, is 0.9 m).

Switching ``__class__`` keeps every attribute ifctester set while parsing; the
subclasses add no state, so the objects stay valid ifctester facets (and
serialise back to IDS through ifctester).
"""

from __future__ import annotations

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.unit
from ifctester import facet as tf

from checks.ids import schema_info
from checks.ids.model_index import active_index
from checks.ids.values import IdsRestriction, SimpleValue
from checks.model import ids_version_of
from checks.units import si_scale


class _IdsValueSerialisation:
    """Serialise :class:`SimpleValue` as ``simpleValue`` (ifctester knows only str)."""

    def to_ids_value(self, parameter):
        if isinstance(parameter, SimpleValue):
            return {"simpleValue": parameter.text}
        return super().to_ids_value(parameter)


class Entity(_IdsValueSerialisation, tf.Entity):
    """ifctester's entity facet, unchanged but for value serialisation."""


class Classification(_IdsValueSerialisation, tf.Classification):
    """ifctester's classification facet, unchanged but for value serialisation."""


class PartOf(_IdsValueSerialisation, tf.PartOf):
    """ifctester's partOf facet; during a run, containment is looked up in the run's spatial index.

    ifctester asks ifcopenshell.util.element.get_container for every element;
    the index gives the same container, remembered for the other parts of the
    same assembly (5–10 times fewer lookups on a Tekla model).
    """

    def __call__(self, inst: ifcopenshell.entity_instance, logger=None) -> tf.PartOfResult:
        index = active_index(inst) if self.relation == "IFCRELCONTAINEDINSPATIALSTRUCTURE" else None
        if index is None:
            return super().__call__(inst, logger)
        container = index.spatial.container(inst)
        is_pass, reason = container is not None, None
        if not is_pass:
            reason = {"type": "NOVALUE"}
        elif self.name:
            if container.is_a().upper() != self.name:
                is_pass, reason = False, {"type": "ENTITY", "actual": container.is_a().upper()}
            elif self.predefinedType:
                predefined_type = ifcopenshell.util.element.get_predefined_type(container)
                if predefined_type != self.predefinedType:
                    is_pass, reason = False, {"type": "PREDEFINEDTYPE", "actual": predefined_type}
        if self.cardinality == "prohibited":
            return tf.PartOfResult(not is_pass, {"type": "PROHIBITED"})
        return tf.PartOfResult(is_pass, reason)


class Property(_IdsValueSerialisation, tf.Property):
    """ifctester's property facet; its value is a :class:`SimpleValue` or :class:`IdsRestriction`.

    The most common requirement, "this property exists (with this data type)",
    takes a short path: ifctester converts every matched value to SI units,
    looking up the project units each time, even when no value is compared;
    that lookup was a quarter of the run on real models. The short path gives
    ifctester's answer and reason; anything unusual (restrictions on names,
    empty or unknown values, list, bounded, table or enumerated properties)
    goes through ifctester unchanged.
    """

    def __call__(self, inst: ifcopenshell.entity_instance, logger=None) -> tf.PropertyResult:
        if self.value is not None or not isinstance(self.propertySet, str) or not isinstance(self.baseName, str):
            return super().__call__(inst, logger)
        pset = tf.get_pset(inst, self.propertySet)
        if not pset:
            if self.cardinality == "optional":
                return tf.PropertyResult(True)
            return self._outcome(False, {"type": "NOPSET"})
        value = pset.get(self.baseName)
        if value is None or value == "":  # missing, or without a value: ifctester's NOVALUE
            if self.cardinality == "optional":
                return tf.PropertyResult(True)
            return self._outcome(False, {"type": "NOVALUE"})
        if value == "UNKNOWN":  # ifctester tells a logical UNKNOWN (empty) from the text "UNKNOWN"
            return super().__call__(inst, logger)
        container = inst.file.by_id(pset["id"])
        if not (container.is_a("IfcPropertySet") or container.is_a("IfcElementQuantity")):
            return super().__call__(inst, logger)
        matches = [p for p in self.get_properties(container) if p.Name == self.baseName]
        if not matches or not all(_is_simple_property(p) for p in matches):
            return super().__call__(inst, logger)
        if self.dataType:
            for prop in matches:
                data_type = _data_type(prop)
                if data_type.lower() != self.dataType.lower():
                    return self._outcome(False, {"type": "DATATYPE", "actual": data_type, "dataType": self.dataType})
        return self._outcome(True, None)

    def _outcome(self, is_pass: bool, reason) -> tf.PropertyResult:
        if self.cardinality == "prohibited":
            return tf.PropertyResult(not is_pass, {"type": "PROHIBITED"})
        return tf.PropertyResult(is_pass, reason)


def _is_simple_property(prop) -> bool:
    if prop.is_a("IfcPropertySingleValue"):
        return prop.NominalValue is not None
    return prop.is_a("IfcPhysicalSimpleQuantity")


def _data_type(prop) -> str:
    """The IFC data type of a single value or quantity, as ifctester determines it."""
    if prop.is_a("IfcPropertySingleValue"):
        return prop.NominalValue.is_a()
    return prop.declaration.as_entity().attribute_by_index(3).type_of_attribute().declared_type().name()


class Material(_IdsValueSerialisation, tf.Material):
    """ifctester's material facet, unchanged but for value serialisation."""


# Unit types whose attribute values are converted to SI before comparison. Others
# (temperatures with an offset, derived units) are compared as written.
_CONVERTED_UNITS = ("LENGTHUNIT", "AREAUNIT", "VOLUMEUNIT", "PLANEANGLEUNIT", "MASSUNIT")
_attribute_names: dict[tuple[str, str], tuple[str, ...]] = {}


def _si_scale_of(inst: ifcopenshell.entity_instance, unit_type: str) -> float:
    index = active_index(inst)
    # During a run the index remembers the scale; outside one, it is computed each time.
    return index.si_scale(unit_type) if index is not None else si_scale(inst.file, unit_type)


def _measure_unit(inst: ifcopenshell.entity_instance, attribute: str) -> str | None:
    version = ids_version_of(inst.file.schema_identifier)
    if version is None:
        return None
    _kind, type_name = schema_info.attributes(version, inst.is_a().upper()).get(attribute, (None, None))
    if not type_name or not type_name.endswith("Measure"):
        return None
    unit_type = ifcopenshell.util.unit.get_measure_unit_type(type_name)
    return unit_type if unit_type in _CONVERTED_UNITS else None


def _forward_attribute_names(inst: ifcopenshell.entity_instance) -> tuple[str, ...]:
    key = (inst.file.schema_identifier, inst.is_a())
    names = _attribute_names.get(key)
    if names is None:
        names = _attribute_names[key] = tuple(inst.attribute_name(i) for i in range(len(inst)))
    return names


def _is_empty(inst: ifcopenshell.entity_instance, name: str, value) -> bool:
    if value is None or value == "" or value == ():
        return True
    if value == "UNKNOWN":
        try:
            return inst.attribute_type(inst.get_argument_index(name)) == "LOGICAL"
        except Exception:  # ifcopenshell raises for attributes it cannot type; treat as a value
            return False
    return False


class Attribute(_IdsValueSerialisation, tf.Attribute):
    """The attribute facet, checked the IDS 1.0 way (optional nulls pass, measures in SI units)."""

    def _named_values(self, inst: ifcopenshell.entity_instance) -> list[tuple[str, object]]:
        if isinstance(self.name, str):
            if inst.get_attribute_category(self.name) != 1:  # 1: a direct (forward) attribute
                return []
            return [(self.name, getattr(inst, self.name))]
        return [(n, getattr(inst, n)) for n in _forward_attribute_names(inst) if n == self.name]

    def __call__(self, inst: ifcopenshell.entity_instance, logger=None) -> tf.AttributeResult:
        named = self._named_values(inst)
        # Optional means "if it has a value, the value must match": a null ($)
        # passes, but an empty string is a value and is compared (suite cases
        # an_optional_attribute_passes_if_null / …_fails_if_empty).
        if self.cardinality == "optional" and all(v is None for _n, v in named):
            return tf.AttributeResult(True)
        filled = [(n, v) for n, v in named if not _is_empty(inst, n, v)]
        is_pass, reason = True, None
        if not named:
            is_pass, reason = False, {"type": "NOVALUE"}
        elif not filled:
            values = [v for _n, v in named]
            is_pass, reason = False, {"type": "FALSEY", "actual": values if len(values) > 1 else values[0]}
        elif self.value:
            for name, value in filled:
                if isinstance(value, float) and (unit_type := _measure_unit(inst, name)):
                    value = value * _si_scale_of(inst, unit_type)
                if isinstance(value, (ifcopenshell.entity_instance, tuple)) or value != self.value:
                    is_pass, reason = False, {"type": "VALUE", "actual": value}
                    break
        if self.cardinality == "prohibited":
            return tf.AttributeResult(not is_pass, {"type": "PROHIBITED"})
        return tf.AttributeResult(is_pass, reason)


_ADOPTED = {
    tf.Entity: Entity,
    tf.Attribute: Attribute,
    tf.Classification: Classification,
    tf.PartOf: PartOf,
    tf.Property: Property,
    tf.Material: Material,
}


def adopt_facet(facet: tf.Facet) -> tf.Facet:
    """Switch one parsed ifctester facet (and its values) to the Synthese classes, in place."""
    adopted = _ADOPTED.get(type(facet))
    if adopted is not None:
        facet.__class__ = adopted
    for parameter in facet.parameters:
        attribute = parameter.lstrip("@")
        value = getattr(facet, attribute, None)
        if isinstance(value, tf.Restriction) and not isinstance(value, IdsRestriction):
            value.__class__ = IdsRestriction
        elif attribute == "value" and isinstance(value, str) and isinstance(facet, (Attribute, Property)):
            setattr(facet, attribute, SimpleValue(value))
    return facet


def adopt_ids(ids) -> None:
    """Adopt every facet of every specification of a parsed ifctester ``Ids``, in place."""
    for specification in ids.specifications:
        for facet in specification.applicability + specification.requirements:
            adopt_facet(facet)
