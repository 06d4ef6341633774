"""The IDS specification editor: one specification in forms, checked as real IDS before it is kept.

Name, identifier, description and instructions; the IFC versions it targets;
its usage (required, optional, prohibited); then the applicability and the
requirements, each a list of facet forms (:mod:`ui.ids_facet_editor`).
"Keep" first lists what the form leaves incomplete, then writes the
specification as IDS and loads it back with :func:`checks.ids.load_ids_text`
(XSD and semantic audit) in the background; only a specification that passes
both is handed to the rule-set editor (``kept``), which saves it to the
project with the rest of the rule set.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget,
)

from bim.i18n import N_, _
from checks.ids.authoring import IFC_VERSIONS, IdsFile, Specification, problems
from ui.ids_facet_editor import FacetList
from ui.tasks import run_in_background

USAGES = (("required", N_("required: at least one element must apply")),
          ("optional", N_("optional: the requirements hold where elements apply")),
          ("prohibited", N_("prohibited: no element may apply")))


def _validated(spec: Specification) -> Specification:
    """Write ``spec`` as a one-specification IDS and load it back (XSD + audit); runs in a worker."""
    from checks.ids import load_ids_text
    from checks.ids.writer import ids_text

    load_ids_text(ids_text(IdsFile(title=spec.name or "IDS", specifications=(spec,))))
    return spec


class SpecificationEditor(QDialog):
    """Edit one IDS specification; ``kept`` carries it once it is valid IDS."""

    kept = Signal(object)  # the checks.ids.authoring.Specification

    def __init__(self, spec: Specification | None = None, parent: QWidget | None = None, read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle(_("IDS specification"))
        self.resize(820, 760)
        self.read_only = read_only
        self.checking = False
        self.name_edit, self.identifier_edit = QLineEdit(), QLineEdit()
        self.description_edit, self.instructions_edit = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.description_edit, self.instructions_edit):
            edit.setFixedHeight(52)
        self.version_boxes = {version: QCheckBox(version) for version in IFC_VERSIONS}
        self.usage_combo = QComboBox()
        for usage, label in USAGES:
            self.usage_combo.addItem(_(label), usage)
        self.usage_combo.currentIndexChanged.connect(self._usage_changed)
        self.applicability = FacetList("applicability")
        self.requirements = FacetList("requirements")
        self.requirements_description = QLineEdit()
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.problems_label.setStyleSheet("color: #b00020")
        self._build()
        self.set_specification(spec or Specification(name="", min_occurs=0))
        if read_only:
            self.buttons.button(QDialogButtonBox.Save).setEnabled(False)

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Identifier"), self.identifier_edit)
        form.addRow(_("Description"), self.description_edit)
        form.addRow(_("Instructions"), self.instructions_edit)
        versions = QHBoxLayout()
        for box in self.version_boxes.values():
            versions.addWidget(box)
        versions.addStretch(1)
        form.addRow(_("IFC versions"), versions)
        form.addRow(_("Usage"), self.usage_combo)
        applicability = QGroupBox(_("Applicability: the elements this specification applies to"))
        QVBoxLayout(applicability).addWidget(self.applicability)
        self.requirements_box = QGroupBox(_("Requirements: what those elements must satisfy"))
        requirements_layout = QVBoxLayout(self.requirements_box)
        description = QFormLayout()
        description.addRow(_("Description"), self.requirements_description)
        requirements_layout.addLayout(description)
        requirements_layout.addWidget(self.requirements)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(form)
        column.addWidget(applicability)
        column.addWidget(self.requirements_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(_("Keep"))
        self.buttons.accepted.connect(self.keep)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)

    # -- the form ---------------------------------------------------------------------------

    def set_usage(self, usage: str) -> None:
        """Choose required, optional or prohibited."""
        self.usage_combo.setCurrentIndex(self.usage_combo.findData(usage))

    def set_ifc_versions(self, versions) -> None:
        """Tick exactly these IFC versions."""
        for version, box in self.version_boxes.items():
            box.setChecked(version in versions)

    def _usage_changed(self) -> None:
        # IDS forbids requirements on a prohibited specification: the form says so by disabling them.
        self.requirements_box.setEnabled(self.usage_combo.currentData() != "prohibited")

    def set_specification(self, spec: Specification) -> None:
        """Show ``spec`` in the form."""
        self._original = spec
        self.name_edit.setText(spec.name)
        self.identifier_edit.setText(spec.identifier)
        self.description_edit.setPlainText(spec.description)
        self.instructions_edit.setPlainText(spec.instructions)
        self.set_ifc_versions(spec.ifc_versions)
        usage = spec.usage
        if usage == "custom":  # occurrence bounds the form cannot show: kept unless the user picks a usage
            self.usage_combo.addItem(_("as written (minOccurs {min}, maxOccurs {max})").format(
                min=spec.min_occurs, max=spec.max_occurs), "custom")
        self.set_usage(usage)
        self.applicability.set_facets(spec.applicability)
        self.requirements.set_facets(spec.requirements)
        self.requirements_description.setText(spec.requirements_description)

    def specification(self) -> Specification:
        """The specification as the form shows it."""
        usage = self.usage_combo.currentData()
        spec = Specification(
            name=self.name_edit.text().strip(),
            identifier=self.identifier_edit.text().strip(),
            description=self.description_edit.toPlainText().strip(),
            instructions=self.instructions_edit.toPlainText().strip(),
            ifc_versions=tuple(v for v, box in self.version_boxes.items() if box.isChecked()),
            min_occurs=self._original.min_occurs, max_occurs=self._original.max_occurs,
            applicability=self.applicability.facets(),
            requirements=self.requirements.facets() if usage != "prohibited" else (),
            requirements_description=self.requirements_description.text().strip(),
        )
        return spec if usage == "custom" else spec.with_usage(usage)

    # -- keeping it -------------------------------------------------------------------------

    def show_problems(self, lines) -> None:
        """Say what is wrong, one line each (nothing: clear)."""
        self.problems_label.setText("\n".join(lines))

    def keep(self) -> None:
        """Check the specification (form, then XSD and audit in the background) and hand it over if valid."""
        if self.read_only or self.checking:
            return
        spec = self.specification()
        found = problems(spec)
        if found:
            self.show_problems(found)
            return
        self.checking = True
        self.show_problems([_("Checking the specification…")])
        run_in_background(lambda: _validated(spec), self._valid, self._invalid, owner=self)

    def _valid(self, spec: Specification) -> None:
        self.checking = False
        self.show_problems([])
        self.kept.emit(spec)
        self.accept()

    def _invalid(self, exc: Exception) -> None:
        self.checking = False
        # Lines would point into XML the user never saw: the messages alone say what to change.
        found = [getattr(p, "message", str(p)) for p in getattr(exc, "problems", ())] or [str(exc)]
        self.show_problems(found)
