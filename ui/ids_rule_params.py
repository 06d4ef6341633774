"""Typed editors for the parameters of a built-in rule, chosen from each parameter's declared kind.

A length gets a number box with its unit, a switch a check box, a choice a
list, a list of class names a comma-separated line. :class:`RuleParameters`
shows every parameter of one rule and gives the values back in the types
:meth:`checks.rules.base.Parameter.coerce` accepts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget,
)

from bim.i18n import _


class _NumberBox(QDoubleSpinBox):
    """A number box that shows 0.001 rather than 0.001000."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt naming)
        return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def parameter_editor(parameter, value: Any) -> QWidget:
    """A widget that edits ``parameter`` (a :class:`checks.rules.base.Parameter`), showing ``value``."""
    if parameter.kind == "bool":
        editor = QCheckBox()
        editor.setChecked(bool(value))
    elif parameter.kind == "float":
        editor = _NumberBox()
        editor.setDecimals(6)
        editor.setRange(parameter.minimum if parameter.minimum is not None else -1e9, 1e9)
        editor.setSingleStep(0.01)
        if parameter.unit:
            editor.setSuffix(f" {parameter.unit}")
        editor.setValue(float(value))
    elif parameter.kind == "int":
        editor = QSpinBox()
        editor.setRange(int(parameter.minimum) if parameter.minimum is not None else -10**9, 10**9)
        editor.setValue(int(value))
    elif parameter.kind == "str" and parameter.choices:
        editor = QComboBox()
        for choice in parameter.choices:
            editor.addItem(choice, choice)
        editor.setCurrentIndex(max(0, editor.findData(value)))
    elif parameter.kind == "list":
        editor = QLineEdit(", ".join(value))
        editor.setPlaceholderText(_("comma-separated"))
    else:
        editor = QLineEdit(str(value))
    editor.setToolTip(_(parameter.description))
    editor.setObjectName(parameter.name)
    return editor


def editor_value(parameter, editor: QWidget) -> Any:
    """The value ``editor`` (made by :func:`parameter_editor`) holds for ``parameter``."""
    if parameter.kind == "bool":
        return editor.isChecked()
    if parameter.kind == "float":
        return float(editor.value())
    if parameter.kind == "int":
        return int(editor.value())
    if parameter.kind == "str" and parameter.choices:
        return editor.currentData()
    if parameter.kind == "list":
        return [part.strip() for part in editor.text().split(",") if part.strip()]
    return editor.text()


def set_editor_value(parameter, editor: QWidget, value: Any) -> None:
    """Show ``value`` in ``editor`` (what a user does by typing)."""
    if parameter.kind == "bool":
        editor.setChecked(bool(value))
    elif parameter.kind in ("float", "int"):
        editor.setValue(value)
    elif parameter.kind == "str" and parameter.choices:
        editor.setCurrentIndex(editor.findData(value))
    elif parameter.kind == "list":
        editor.setText(", ".join(value))
    else:
        editor.setText(str(value))


class RuleParameters(QWidget):
    """Every parameter of one built-in rule, with its description, in a form."""

    def __init__(self, rule, values: dict[str, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.rule = rule
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout(self)
        summary = QLabel(rule.summary())
        summary.setWordWrap(True)
        form.addRow(summary)
        for parameter in rule.parameters:
            editor = parameter_editor(parameter, values.get(parameter.name, parameter.default))
            self.editors[parameter.name] = editor
            form.addRow(parameter.name, editor)
            note = QLabel(_(parameter.description))
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(mid)")
            form.addRow("", note)
        if not rule.parameters:
            form.addRow(QLabel(_("This rule has no parameters.")))

    def values(self) -> dict[str, Any]:
        """The parameters' values as the form shows them."""
        return {p.name: editor_value(p, self.editors[p.name]) for p in self.rule.parameters}

    def set_value(self, name: str, value: Any) -> None:
        """Type ``value`` into the parameter ``name``."""
        set_editor_value(self.rule.parameter(name), self.editors[name], value)
