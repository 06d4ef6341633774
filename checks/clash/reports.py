"""Clash reports, JSON or XLSX, chosen by file extension.

BCF is not written here: BCF files belong to ``project_db``, which will turn
clashes into issues with viewpoints. Asking for ``.bcf`` says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from bim.i18n import _
from checks.clash.grouping import DEFAULT_PROXIMITY
from checks.clash.report_content import build_content, content_dict
from checks.clash.results import ClashRun
from checks.clash.status import StatusReport
from checks.clash.xlsx_report import render_xlsx
from checks.reports.common import atomic_write

REPORT_FORMATS = (".json", ".xlsx")


class ClashReportError(ValueError):
    """A report that cannot be written in the format its file name asks for."""


def check_report_path(path: Path | str) -> None:
    """Raise :class:`ClashReportError` unless ``path`` names a format we write (before any work is done)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".bcf" or suffix == ".bcfzip":
        raise ClashReportError(_("{file}: BCF export of clashes is not available yet (use .json or .xlsx)")
                               .format(file=path))
    if suffix not in REPORT_FORMATS:
        raise ClashReportError(_("{file}: unknown report format (use {formats})").format(
            file=path, formats=", ".join(REPORT_FORMATS)))


def render_json(run: ClashRun, statuses: StatusReport | None = None, *, manual_groups: Mapping[str, str] | None = None,
                proximity: float = DEFAULT_PROXIMITY) -> bytes:
    """The JSON report as UTF-8 bytes."""
    content = build_content(run, statuses, manual_groups=manual_groups, proximity=proximity)
    return json.dumps(content_dict(content), ensure_ascii=False, indent=2).encode("utf-8")


def write_report(run: ClashRun, path: Path | str, statuses: StatusReport | None = None, *,
                 manual_groups: Mapping[str, str] | None = None, proximity: float = DEFAULT_PROXIMITY) -> Path:
    """Write the report of ``run`` to ``path`` (.json or .xlsx), never leaving half a file."""
    check_report_path(path)
    if Path(path).suffix.lower() == ".json":
        data = render_json(run, statuses, manual_groups=manual_groups, proximity=proximity)
    else:
        data = render_xlsx(build_content(run, statuses, manual_groups=manual_groups, proximity=proximity))
    return atomic_write(path, data)
