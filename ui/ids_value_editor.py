"""One IDS value in a form: a simple value, a pattern, a list of values, or a range.

The kind chooser switches the fields shown; the type chooser (text, integer,
number…) is the restriction's ``xs:`` base, which IDS needs to compare
numbers as numbers. A value read from a file with a mix of restrictions the
form cannot show (a pattern and a length, say) is kept as written unless the
user picks another kind.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget,
)

from bim.i18n import N_, _
from checks.ids.authoring import IdsValue

KINDS = (("any", N_("Any")), ("simple", N_("Value")), ("pattern", N_("Pattern")),
         ("enumeration", N_("One of")), ("bounds", N_("Range")), ("other", N_("As written")))
BASES = (("string", N_("text")), ("integer", N_("integer")), ("double", N_("number")),
         ("decimal", N_("decimal")), ("boolean", N_("boolean")))


class ValueEditor(QWidget):
    """Edits one :class:`~checks.ids.authoring.IdsValue`; ``optional`` adds "Any" (no value)."""

    changed = Signal()

    def __init__(self, optional: bool = False, upper_case: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.optional = optional
        self.upper_case = upper_case  # IFC class names and data types are written in capitals
        self._kept: IdsValue | None = None  # a value the form cannot show, kept as written
        self.kind_combo = QComboBox()
        for kind, label in KINDS:
            if kind == "any" and not optional:
                continue
            if kind != "other":
                self.kind_combo.addItem(_(label), kind)
        self.base_combo = QComboBox()
        for base, label in BASES:
            self.base_combo.addItem(_(label), base)
        self.simple_edit = QLineEdit()
        self.pattern_edit = QLineEdit()
        self.pattern_edit.setPlaceholderText(_("XSD regular expression, e.g. EW-[0-9]{3}"))
        self.enumeration_edit = QPlainTextEdit()
        self.enumeration_edit.setPlaceholderText(_("one value per line"))
        self.enumeration_edit.setFixedHeight(64)
        self.min_edit, self.max_edit = QLineEdit(), QLineEdit()
        self.min_edit.setPlaceholderText(_("minimum"))
        self.max_edit.setPlaceholderText(_("maximum"))
        self.min_inclusive = QCheckBox(_("included"), checked=True)
        self.max_inclusive = QCheckBox(_("included"), checked=True)
        self.kept_label = QLabel()
        self.kept_label.setWordWrap(True)
        # Only the fields of the chosen kind are shown; hidden ones take no room, so a simple
        # value stays one line high (a stacked widget would be as tall as its largest page).
        self._pages = {"any": QWidget(), "simple": self.simple_edit, "pattern": self.pattern_edit,
                       "enumeration": self.enumeration_edit, "bounds": self._bounds_page(),
                       "other": self.kept_label}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo)
        for page in self._pages.values():
            layout.addWidget(page, 1)
        layout.addWidget(self.base_combo)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.base_combo.currentIndexChanged.connect(self.changed)
        for edit in (self.simple_edit, self.pattern_edit, self.min_edit, self.max_edit):
            edit.textChanged.connect(self.changed)
        self.enumeration_edit.textChanged.connect(self.changed)
        self._kind_changed()

    def _bounds_page(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(_("from")), 0, 0)
        grid.addWidget(self.min_edit, 0, 1)
        grid.addWidget(self.min_inclusive, 0, 2)
        grid.addWidget(QLabel(_("to")), 0, 3)
        grid.addWidget(self.max_edit, 0, 4)
        grid.addWidget(self.max_inclusive, 0, 5)
        return page

    # -- kind and base -------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """The kind shown: any, simple, pattern, enumeration, bounds or other."""
        return self.kind_combo.currentData()

    def set_kind(self, kind: str) -> None:
        """Show the fields of ``kind`` (what a user does with the kind chooser)."""
        index = self.kind_combo.findData(kind)
        if index < 0:
            raise ValueError(kind)
        self.kind_combo.setCurrentIndex(index)

    def set_base(self, base: str) -> None:
        """Choose the restriction's type (``string``, ``integer``, ``double``, ``decimal``, ``boolean``)."""
        self.base_combo.setCurrentIndex(max(0, self.base_combo.findData(base)))

    def _show_page(self, kind: str) -> None:
        for name, page in self._pages.items():
            page.setVisible(name == kind)

    def _kind_changed(self) -> None:
        kind = self.kind
        self._show_page(kind)
        # Only restrictions have a base type; a pattern always applies to text.
        self.base_combo.setVisible(kind in ("enumeration", "bounds"))
        if kind == "bounds" and self.base_combo.currentData() == "string":
            self.set_base("double")
        if kind != "other" and self.kind_combo.findData("other") >= 0:
            self.kind_combo.removeItem(self.kind_combo.findData("other"))
            self._kept = None
        self.changed.emit()

    # -- value ----------------------------------------------------------------------------

    def set_completions(self, words) -> None:
        """Offer ``words`` (IFC class names…) while typing a simple value."""
        completer = QCompleter(sorted(words), self.simple_edit)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        self.simple_edit.setCompleter(completer)

    def set_value(self, value: IdsValue | None) -> None:
        """Show ``value`` (None: "Any", or an empty simple value when a value is required)."""
        for edit in (self.simple_edit, self.pattern_edit, self.min_edit, self.max_edit):
            edit.clear()
        self.enumeration_edit.clear()
        if value is None:
            self.set_kind("any" if self.optional else "simple")
            return
        kind = value.kind
        if kind == "pattern" and len(value.patterns) > 1:
            kind = "other"
        if kind == "other":
            self._kept = value
            if self.kind_combo.findData("other") < 0:
                self.kind_combo.addItem(_("As written"), "other")
            self.kept_label.setText(value.describe())
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData("other"))
            self.kind_combo.blockSignals(False)
            self._show_page("other")
            self.base_combo.hide()
            return
        self.set_base(value.base)
        if kind == "simple":
            self.simple_edit.setText(value.simple)
        elif kind == "pattern":
            self.pattern_edit.setText(value.patterns[0])
        elif kind == "enumeration":
            self.enumeration_edit.setPlainText("\n".join(value.enumeration))
        elif kind == "bounds":
            lower = value.bound("minInclusive") or value.bound("minExclusive")
            upper = value.bound("maxInclusive") or value.bound("maxExclusive")
            self.min_edit.setText(lower or "")
            self.max_edit.setText(upper or "")
            self.min_inclusive.setChecked(value.bound("minExclusive") is None)
            self.max_inclusive.setChecked(value.bound("maxExclusive") is None)
        self.set_kind(kind)
        self.set_base(value.base)

    def set_simple(self, text: str) -> None:
        """Type a simple value."""
        self.set_kind("simple")
        self.simple_edit.setText(text)

    def set_pattern(self, pattern: str) -> None:
        """Type a pattern."""
        self.set_kind("pattern")
        self.pattern_edit.setText(pattern)

    def set_enumeration(self, values, base: str = "string") -> None:
        """Type the accepted values, one per line."""
        self.set_kind("enumeration")
        self.set_base(base)
        self.enumeration_edit.setPlainText("\n".join(values))

    def set_bounds(self, minimum: str = "", maximum: str = "", *, min_included: bool = True,
                   max_included: bool = True, base: str = "double") -> None:
        """Type a range; an empty side is open."""
        self.set_kind("bounds")
        self.set_base(base)
        self.min_edit.setText(minimum)
        self.max_edit.setText(maximum)
        self.min_inclusive.setChecked(min_included)
        self.max_inclusive.setChecked(max_included)

    def value(self) -> IdsValue | None:
        """The value as the form shows it (None for "Any" or, when optional, an empty simple value)."""
        kind = self.kind
        base = self.base_combo.currentData()
        if kind == "other":
            return self._kept
        if kind == "any":
            return None
        if kind == "simple":
            text = self.simple_edit.text().strip()
            if not text and self.optional:
                return None
            return IdsValue.of(text.upper() if self.upper_case else text)
        if kind == "pattern":
            return IdsValue.matching(self.pattern_edit.text())
        if kind == "enumeration":
            lines = [line.strip() for line in self.enumeration_edit.toPlainText().splitlines() if line.strip()]
            return IdsValue.one_of([v.upper() for v in lines] if self.upper_case else lines, base)
        return IdsValue.between(self.min_edit.text().strip() or None, self.max_edit.text().strip() or None,
                                min_exclusive=not self.min_inclusive.isChecked(),
                                max_exclusive=not self.max_inclusive.isChecked(), base=base)
