"""Clash detection between trades: hard clashes and clearances, grouped and tracked across model versions.

Qt-free and database-free. A :class:`ClashTest` (two sides, a mode, tolerances,
exclusions) runs on models loaded by :func:`bim.federation.load_model` with
:func:`run_clash_test`, reusing their tessellation; :func:`group_clashes` sorts the
:class:`Clash` results, :func:`compare_runs` tracks them across versions, and
:func:`write_report` writes JSON or XLSX.
"""

from checks.clash.definition import (
    DEFAULT_CLEARANCE, DEFAULT_TOLERANCE, ClashDefinitionError, ClashTest, Exclusions, Mode, PropertyFilter, Selection,
)
from checks.clash.engine import run_clash_test
from checks.clash.filter_syntax import FILTER_SYNTAX_HELP, describe_selection, parse_selection
from checks.clash.grouping import ClashGroup, GroupBy, group_clashes
from checks.clash.reports import REPORT_FORMATS, write_report
from checks.clash.results import Clash, ClashElement, ClashRun, ModelVersion, RunStats, clash_id
from checks.clash.status import ClashStatus, Decision, StatusReport, TrackedClash, compare_runs

__all__ = [
    "DEFAULT_CLEARANCE", "DEFAULT_TOLERANCE", "FILTER_SYNTAX_HELP", "REPORT_FORMATS", "Clash", "ClashDefinitionError",
    "ClashElement", "ClashGroup", "ClashRun", "ClashStatus", "ClashTest", "Decision", "Exclusions", "GroupBy", "Mode",
    "ModelVersion", "PropertyFilter", "RunStats", "Selection", "StatusReport", "TrackedClash", "clash_id",
    "compare_runs", "describe_selection", "group_clashes", "parse_selection", "run_clash_test", "write_report",
]
