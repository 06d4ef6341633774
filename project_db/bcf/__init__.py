"""BCF 2.1 and 3.0 import and export, lenient on read and strict (XSD-valid) on write.

- :func:`import_bcf` — a BCF file into a project (:class:`ImportReport`)
- :func:`export_bcf` — a project's issues to a BCF file (:class:`ExportReport`)
- :func:`read_bcf` / :func:`write_bcf` — the file format alone, without a project
"""

from project_db.bcf.errors import BcfError, BcfValidationError, HostileArchive, NotBcf
from project_db.bcf.exporter import ExportReport, export_bcf
from project_db.bcf.importer import ImportReport, import_bcf
from project_db.bcf.model import TRADE_LABEL_PREFIX, VERSIONS, BcfContent, Problem
from project_db.bcf.reader import read_bcf
from project_db.bcf.writer import write_bcf

__all__ = [
    "BcfContent", "BcfError", "BcfValidationError", "ExportReport", "HostileArchive", "ImportReport", "NotBcf",
    "Problem", "TRADE_LABEL_PREFIX", "VERSIONS", "export_bcf", "import_bcf", "read_bcf", "write_bcf",
]
