"""Quantity takeoff ("métré"), Qt-free: auditable quantities per element, grouped, exported.

Public API (the GUI builds on it):

* :func:`run_takeoff` (``engine``): loaded models + a :class:`TakeoffTemplate` →
  :class:`TakeoffResult` of :class:`ElementTakeoff` rows, with progress and cancel;
* values carry their source and definition (``values``): :class:`Quantity`,
  :class:`NotComputable`, :class:`Discrepancy`, :class:`LayerQuantity`;
* :func:`group_rows` (``grouping``): nested groups with subtotals and counts;
  :func:`filter_rows` for a selection, visible set, check result set or search;
* templates (``template``): frozen, JSON round-trip, built-ins by name;
* exports: :func:`write_xlsx`, :func:`write_csv`, :func:`write_json`, or
  :func:`write_takeoff` choosing by extension.

See ``computed`` for what each computed quantity measures, ``layers`` for the
per-layer convention, and ``declared`` for how quantity sets are read.
"""

from checks.takeoff.engine import ModelInfo, TakeoffResult, run_takeoff
from checks.takeoff.export import ExportFormatError, write_takeoff
from checks.takeoff.export_flat import write_csv, write_json
from checks.takeoff.export_xlsx import write_xlsx
from checks.takeoff.grouping import Group, filter_rows, group_rows
from checks.takeoff.kinds import KINDS, QuantityKind
from checks.takeoff.template import BUILTIN_TEMPLATES, TakeoffTemplate, TemplateError, load_template
from checks.takeoff.values import Discrepancy, ElementTakeoff, LayerQuantity, NotComputable, Quantity

__all__ = [
    "BUILTIN_TEMPLATES", "Discrepancy", "ElementTakeoff", "ExportFormatError", "Group", "KINDS", "LayerQuantity",
    "ModelInfo", "NotComputable", "Quantity", "QuantityKind", "TakeoffResult", "TakeoffTemplate", "TemplateError",
    "filter_rows", "group_rows", "load_template", "run_takeoff", "write_csv", "write_json", "write_takeoff",
    "write_xlsx",
]
