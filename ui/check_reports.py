"""Saving a check run as a report file: HTML, XLSX or JSON (:func:`checks.reports.write_report`) or JUnit XML.

The format follows the file name's extension; a name typed without one gets the
extension of the format chosen in the file dialog.
"""

from __future__ import annotations

from pathlib import Path

from checks.reports import write_junit, write_report

# (file-dialog filter, extension), the first is the default.
REPORT_FORMATS = (
    ("HTML (*.html)", ".html"),
    ("Excel (*.xlsx)", ".xlsx"),
    ("JSON (*.json)", ".json"),
    ("JUnit XML (*.xml)", ".xml"),
)
REPORT_FILTER = ";;".join(name for name, _ext in REPORT_FORMATS)


def with_extension(path: str | Path, chosen_filter: str = "") -> Path:
    """``path`` with a report extension: its own if it has a known one, else the chosen filter's."""
    path = Path(path)
    known = [ext for _name, ext in REPORT_FORMATS]
    if path.suffix.lower() in known or path.suffix.lower() == ".htm":
        return path
    ext = next((ext for name, ext in REPORT_FORMATS if name == chosen_filter), known[0])
    return path.with_name(path.name + ext)


def write_check_report(result, path: str | Path) -> Path:
    """Write ``result`` to ``path`` in the format its extension names (runs off the UI thread)."""
    path = Path(path)
    if path.suffix.lower() == ".xml":
        return write_junit(result, path)
    return write_report(result, path)


def suggested_name(result) -> str:
    """A file name for the report of ``result``: the rule set's key and the run's date."""
    day = (result.started_at or "")[:10]
    return f"checks-{result.ruleset.key}-{day}" if day else f"checks-{result.ruleset.key}"
