"""Non-blocking questions: a message box with named choices that calls back with the choice.

The box is opened with ``open()``, not ``exec()``: background results keep arriving
while it is shown, and tests can press its buttons by name.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


class Prompt(QMessageBox):
    """A question whose buttons are named; ``choose(name)`` presses one."""

    def __init__(self, parent: QWidget, icon, title: str, text: str, choices: list[tuple[str, str, object]],
                 on_choice: Callable[[str], None], details: str = ""):
        super().__init__(icon, title, text, QMessageBox.NoButton, parent)
        self.buttons_by_name = {}
        for name, label, role in choices:
            self.buttons_by_name[name] = self.addButton(label, role)
        if details:
            self.setDetailedText(details)
        self._on_choice = on_choice
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button) -> None:
        for name, candidate in self.buttons_by_name.items():
            if candidate is button:
                self._on_choice(name)
                return

    def choose(self, name: str) -> None:
        """Press the button called ``name``."""
        self.buttons_by_name[name].click()

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.buttons_by_name)


def ask(parent: QWidget, icon, title: str, text: str, choices, on_choice, details: str = "") -> Prompt:
    """Show a :class:`Prompt` without blocking and return it."""
    prompt = Prompt(parent, icon, title, text, choices, on_choice, details)
    prompt.open()
    return prompt
