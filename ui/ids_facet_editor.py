"""The six IDS facets in forms, and a clause (applicability or requirements) as a list of them.

Each :class:`FacetEditor` shows the fields of its kind (entity, partOf,
classification, attribute, property, material) with a
:class:`~ui.ids_value_editor.ValueEditor` per value. In requirements it also
offers the cardinality IDS 1.0 allows for that facet (none for entity,
required/prohibited for partOf) and the instructions for the model's author.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QMenu, QPushButton, QToolButton, QVBoxLayout, QWidget,
)

from bim.i18n import N_, _
from checks.ids import schema_info
from checks.ids.authoring import (
    CARDINALITIES, FACET_KINDS, FACET_LABELS, PART_OF_CARDINALITIES, PART_OF_RELATIONS, Facet,
)
from ui.ids_value_editor import ValueEditor

CARDINALITY_LABELS = {"required": N_("required"), "optional": N_("optional"), "prohibited": N_("prohibited")}
# Data types offered first; any IFC defined type may be typed in.
COMMON_DATA_TYPES = ("IFCLABEL", "IFCTEXT", "IFCIDENTIFIER", "IFCBOOLEAN", "IFCLOGICAL", "IFCINTEGER", "IFCREAL",
                     "IFCLENGTHMEASURE", "IFCPOSITIVELENGTHMEASURE", "IFCAREAMEASURE", "IFCVOLUMEMEASURE",
                     "IFCTHERMALTRANSMITTANCEMEASURE", "IFCPLANEANGLEMEASURE", "IFCMASSMEASURE")
_CLASS_NAMES: list[str] = []


def ifc_class_names() -> list[str]:
    """Every IFC class name of the three IDS schemas, upper case, for completion (read once)."""
    if not _CLASS_NAMES:
        _CLASS_NAMES.extend(sorted(set().union(*(schema_info.entity_names(v) for v in schema_info.IDS_SCHEMAS))))
    return _CLASS_NAMES


class FacetEditor(QGroupBox):
    """One facet of ``clause`` (``applicability`` or ``requirements``) in a form."""

    remove_requested = Signal(object)  # this editor

    def __init__(self, kind: str, clause: str, parent: QWidget | None = None):
        super().__init__(_(FACET_LABELS[kind]), parent)
        self.kind, self.clause = kind, clause
        self.name = self.predefined_type = self.value = self.property_set = self.system = None
        self.data_type = self.relation = self.uri = self.cardinality = self.instructions = None
        form = QFormLayout()
        if kind in ("entity", "partOf"):
            if kind == "partOf":
                self.relation = QComboBox()
                self.relation.addItem(_("any relation"), "")
                for relation in PART_OF_RELATIONS:
                    self.relation.addItem(relation, relation)
                form.addRow(_("Relation"), self.relation)
            self.name = ValueEditor(upper_case=True)
            self.name.set_completions(ifc_class_names())
            form.addRow(_("IFC class") if kind == "entity" else _("Container class"), self.name)
            self.predefined_type = ValueEditor(optional=True)
            form.addRow(_("Predefined type"), self.predefined_type)
        elif kind == "classification":
            self.system = ValueEditor()
            form.addRow(_("System"), self.system)
        elif kind == "attribute":
            self.name = ValueEditor()
            form.addRow(_("Attribute"), self.name)
        elif kind == "property":
            self.property_set = ValueEditor()
            form.addRow(_("Property set"), self.property_set)
            self.name = ValueEditor()
            form.addRow(_("Property"), self.name)
            self.data_type = QComboBox(editable=True)
            self.data_type.addItem("", "")
            for name in COMMON_DATA_TYPES:
                self.data_type.addItem(name, name)
            form.addRow(_("Data type"), self.data_type)
        if kind != "entity":
            self.value = ValueEditor(optional=True)
            form.addRow(_("Value"), self.value)
        if clause == "requirements":
            if kind in ("classification", "property", "material"):
                self.uri = QLineEdit()
                self.uri.setPlaceholderText(_("optional link to the definition (bSDD…)"))
                form.addRow(_("URI"), self.uri)
            if kind != "entity":
                self.cardinality = QComboBox()
                for cardinality in PART_OF_CARDINALITIES if kind == "partOf" else CARDINALITIES:
                    self.cardinality.addItem(_(CARDINALITY_LABELS[cardinality]), cardinality)
                form.addRow(_("Cardinality"), self.cardinality)
            self.instructions = QLineEdit()
            self.instructions.setPlaceholderText(_("what the model's author should do"))
            form.addRow(_("Instructions"), self.instructions)
        self.remove_button = QToolButton(text=_("Remove"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QHBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignTop)

    def set_cardinality(self, cardinality: str) -> None:
        """Choose required, optional or prohibited (requirements only)."""
        self.cardinality.setCurrentIndex(self.cardinality.findData(cardinality))

    def facet(self) -> Facet:
        """The facet as the form shows it."""
        def value(editor):
            return editor.value() if editor is not None else None

        data_type = self.data_type.currentText().strip().upper() if self.data_type is not None else ""
        return Facet(
            kind=self.kind, name=value(self.name), predefined_type=value(self.predefined_type),
            value=value(self.value), property_set=value(self.property_set), system=value(self.system),
            data_type=data_type, relation=self.relation.currentData() if self.relation is not None else "",
            uri=self.uri.text().strip() if self.uri is not None else "",
            cardinality=self.cardinality.currentData() if self.cardinality is not None else "required",
            instructions=self.instructions.text().strip() if self.instructions is not None else "",
        )

    def set_facet(self, facet: Facet) -> None:
        """Show ``facet`` (of this editor's kind)."""
        for editor, value in ((self.name, facet.name), (self.predefined_type, facet.predefined_type),
                              (self.value, facet.value), (self.property_set, facet.property_set),
                              (self.system, facet.system)):
            if editor is not None:
                editor.set_value(value)
        if self.data_type is not None:
            self.data_type.setCurrentText(facet.data_type)
        if self.relation is not None:
            index = self.relation.findData(facet.relation)
            if index < 0:  # a relation this version does not list: keep it as written
                self.relation.addItem(facet.relation, facet.relation)
                index = self.relation.count() - 1
            self.relation.setCurrentIndex(index)
        if self.uri is not None:
            self.uri.setText(facet.uri)
        if self.cardinality is not None:
            self.set_cardinality(facet.cardinality)
        if self.instructions is not None:
            self.instructions.setText(facet.instructions)


class FacetList(QWidget):
    """The facets of one clause, one form each, with "Add facet" and a remove button per facet."""

    changed = Signal()

    def __init__(self, clause: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.clause = clause
        self.editors: list[FacetEditor] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(_("Add facet"))
        menu = QMenu(self.add_button)
        for kind in FACET_KINDS:
            menu.addAction(_(FACET_LABELS[kind]), lambda kind=kind: self.add_facet(kind))
        self.add_button.setMenu(menu)
        self._layout.addWidget(self.add_button)

    def add_facet(self, kind: str, facet: Facet | None = None) -> FacetEditor:
        """Add a facet form of ``kind`` (filled from ``facet`` if given) and return it."""
        editor = FacetEditor(kind, self.clause)
        if facet is not None:
            editor.set_facet(facet)
        editor.remove_requested.connect(self.remove_facet)
        self.editors.append(editor)
        self._layout.insertWidget(self._layout.count() - 1, editor)
        self.changed.emit()
        return editor

    def remove_facet(self, editor: FacetEditor) -> None:
        """Remove one facet form."""
        self.editors.remove(editor)
        editor.setParent(None)
        editor.deleteLater()
        self.changed.emit()

    def set_facets(self, facets) -> None:
        """Replace every form by those of ``facets``."""
        for editor in list(self.editors):
            self.remove_facet(editor)
        for facet in facets:
            self.add_facet(facet.kind, facet)

    def facets(self) -> tuple[Facet, ...]:
        """The facets as the forms show them, in order."""
        return tuple(editor.facet() for editor in self.editors)
