"""Why an IDS file cannot be used: malformed XML, IDS 1.0 schema errors, meaningless rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bim.i18n import _, ngettext


@dataclass(frozen=True)
class IdsProblem:
    """One problem of an IDS file, at a line (and column, when known) of that file.

    ``kind`` is ``"xml"`` (not well-formed), ``"schema"`` (breaks the IDS 1.0
    XSD) or ``"semantic"`` (valid XML that no model could satisfy, such as an
    IFC class that does not exist).
    """

    line: int | None
    message: str
    kind: str = "schema"
    column: int | None = None

    def located(self, file_name: str) -> str:
        """``file:line:column: message``, the way compilers and editors expect it."""
        where = file_name
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class IdsError(Exception):
    """An IDS file is invalid; ``problems`` say where and why, ``str()`` gives the first in one line."""

    def __init__(self, path: Path | str | None, problems: list[IdsProblem] | tuple[IdsProblem, ...]):
        self.path = Path(path) if path is not None else None
        self.problems = tuple(problems)
        super().__init__(self.summary())

    @property
    def file_name(self) -> str:
        """The IDS file's name as shown to the user (``<string>`` for IDS given as text)."""
        return self.path.name if self.path is not None else "<string>"

    @property
    def is_semantic(self) -> bool:
        """Whether the file is well-formed, schema-valid IDS whose rules make no sense."""
        return bool(self.problems) and all(p.kind == "semantic" for p in self.problems)

    def summary(self) -> str:
        """One line: the first problem, located, and how many more there are."""
        if not self.problems:
            return _("{file}: invalid IDS").format(file=self.file_name)
        first = self.problems[0].located(self.file_name)
        more = len(self.problems) - 1
        if more:
            first += " " + ngettext("(and {n} more problem)", "(and {n} more problems)", more).format(n=more)
        return first

    def details(self) -> str:
        """Every problem, one per line."""
        return "\n".join(p.located(self.file_name) for p in self.problems)
