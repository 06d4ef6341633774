"""Settings: the interface language (system, English, French)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from bim.i18n import _

LANGUAGE_KEY = "language"


def saved_language() -> str | None:
    """The language chosen in settings, or None to follow the system."""
    value = QSettings().value(LANGUAGE_KEY, "")
    return str(value) if value else None


class SettingsDialog(QDialog):
    """Choose the language; it applies at the next start, like the menus of Qt itself."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox()
        self.language.addItem(_("System language"), "")
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.language.setCurrentIndex(max(0, self.language.findData(saved_language() or "")))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Language:"), self.language)
        form.addRow(QLabel(_("The language changes at the next start.")))
        form.addRow(buttons)

    def accept(self) -> None:
        QSettings().setValue(LANGUAGE_KEY, self.language.currentData())
        super().accept()
