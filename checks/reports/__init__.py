"""Reports of check runs: JSON, HTML, XLSX and JUnit XML, chosen by file extension.

``write_report(result, "out.html")`` writes the right format; each module also
offers ``render_*`` to get the content without a file. ``result`` is an IDS run
(:class:`~checks.ids.results.IdsRunResult`) or a rule-set run
(:class:`~checks.rules.results.RulesetRunResult`, IDS and built-in rules), which
reads the same and adds each rule's kind, severity and fingerprints.
"""

from __future__ import annotations

from pathlib import Path

from bim.i18n import _
from checks.ids.results import IdsRunResult
from checks.reports.html_report import render_html, write_html
from checks.reports.json_report import render_json, report_dict, write_json
from checks.reports.junit_report import render_junit, write_junit
from checks.reports.xlsx_report import render_xlsx, write_xlsx

WRITERS = {".json": write_json, ".html": write_html, ".htm": write_html, ".xlsx": write_xlsx}
REPORT_EXTENSIONS = tuple(WRITERS)


class ReportFormatError(ValueError):
    """The report file name has an extension no writer handles."""


def write_report(result: IdsRunResult, path: Path | str) -> Path:
    """Write ``result`` (an IDS or rule-set run) in the format given by ``path``'s extension (.json, .html, .xlsx)."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ReportFormatError(
            _("{file}: unknown report format (use {formats})").format(file=path, formats=", ".join(REPORT_EXTENSIONS))
        )
    return writer(result, path)


__all__ = [
    "REPORT_EXTENSIONS",
    "ReportFormatError",
    "render_html",
    "render_json",
    "render_junit",
    "render_xlsx",
    "report_dict",
    "write_html",
    "write_json",
    "write_junit",
    "write_report",
    "write_xlsx",
]
