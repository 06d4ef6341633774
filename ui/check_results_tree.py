"""The tree of a rule-set run: rule set › rule › failing element, with severities, counts and reasons.

The tree only shows a :class:`checks.rules.results.RulesetRunResult` and says which
nodes the user picked (:class:`CheckNode`); what a pick does in 3D is the checks
features' business (:mod:`ui.check_view`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from bim.i18n import _, ngettext
from checks.ids.results import Status

COLUMNS = ("name", "severity", "failing", "applicable", "class", "storey", "model", "reason")
COLUMN = {name: i for i, name in enumerate(COLUMNS)}
COLUMN_WIDTHS = {"name": 320, "severity": 70, "failing": 60, "applicable": 74, "class": 150, "storey": 60,
                 "model": 170}
STATUS_COLOURS = {Status.FAIL: QColor(200, 30, 30), Status.PASS: QColor(30, 140, 50),
                  Status.SKIPPED: QColor(128, 128, 128)}
NODE_ROLE = Qt.UserRole + 1


@dataclass(frozen=True)
class CheckNode:
    """A node of the results tree: the whole run, one rule (by key), or one finding (by fingerprint)."""

    kind: str  # "ruleset", "rule" or "finding"
    rule_key: str | None = None
    fingerprint: str | None = None


def _headers() -> list[str]:
    return [_("Result"), _("Severity"), _("Failing"), _("Applicable"), _("Class"), _("Storey"), _("Model"),
            _("Reason")]


def _rule_order(rule) -> tuple[int, int]:
    # Failing rules first, most severe first; then passing, then skipped ones.
    status_rank = {Status.FAIL: 0, Status.PASS: 1, Status.SKIPPED: 2}[rule.status]
    return status_rank, rule.severity.rank if rule.status is Status.FAIL else 0


class CheckResultsTree(QTreeWidget):
    """Shows one run; ``nodes_selected`` tells which nodes the user selected (empty: none)."""

    nodes_selected = Signal(list)  # list[CheckNode]

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = None
        self.items: dict[CheckNode, QTreeWidgetItem] = {}
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(_headers())
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for name, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(COLUMN[name], width)
        self.itemSelectionChanged.connect(lambda: self.nodes_selected.emit(self.selected_nodes()))

    def show_result(self, result, model_names: dict[str, str] | None = None) -> None:
        """Replace the tree with ``result`` (a rule-set run); ``model_names`` names models by id."""
        names = dict(model_names or {})
        for model in result.models:
            names.setdefault(model.model_id, model.name)
        self.blockSignals(True)
        try:
            self.clear()
            self.items = {}
            self.result = result
            self._add_run(result, names)
        finally:
            self.blockSignals(False)
        self.nodes_selected.emit([])

    def _add_run(self, result, names: dict[str, str]) -> None:
        failed = result.count(Status.FAIL)
        findings = sum(r.specification.failing_count for r in result.rules)
        top = self._item(None, CheckNode("ruleset"), [
            _("{title} ({version})").format(title=result.ruleset.title, version=result.ruleset.version), "",
            str(findings), "", "", "", "", ngettext("{failed} of {n} rule fails", "{failed} of {n} rules fail",
                                                   len(result.rules)).format(failed=failed, n=len(result.rules))])
        top.setForeground(0, QBrush(STATUS_COLOURS[result.status]))
        for rule in sorted(result.rules, key=_rule_order):
            self._add_rule(top, rule, names)
        top.setExpanded(True)

    def _add_rule(self, parent: QTreeWidgetItem, rule, names: dict[str, str]) -> None:
        spec = rule.specification
        status_text = {Status.FAIL: _("fails"), Status.PASS: _("passes"), Status.SKIPPED: _("skipped")}[rule.status]
        item = self._item(parent, CheckNode("rule", rule.key), [
            _("{name} [{rule_id}]").format(name=rule.name, rule_id=rule.rule_id), rule.severity.label,
            str(spec.failing_count), str(spec.applicable_count), "", "", "",
            spec.skip_reason or status_text])
        item.setForeground(0, QBrush(STATUS_COLOURS[rule.status]))
        item.setToolTip(0, spec.description or rule.name)
        for finding in rule.findings():
            element = finding.element
            child = self._item(item, CheckNode("finding", rule.key, finding.fingerprint), [
                element.name or element.global_id or f"#{element.step_id}", "", "", "", element.ifc_class,
                element.storey or "—", names.get(element.model_id, finding.model_name), finding.text])
            child.setToolTip(0, element.label)
            child.setToolTip(COLUMN["reason"], finding.text)
        item.setExpanded(rule.status is Status.FAIL)

    def _item(self, parent, node: CheckNode, texts: list[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(texts)
        item.setData(0, NODE_ROLE, node)
        for column in (COLUMN["failing"], COLUMN["applicable"]):
            item.setTextAlignment(column, Qt.AlignRight | Qt.AlignVCenter)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        self.items[node] = item
        return item

    # ------------------------------------------------------------------ reading

    def selected_nodes(self) -> list[CheckNode]:
        """The nodes the user selected, in tree order."""
        return [item.data(0, NODE_ROLE) for item in self.selectedItems()]

    def select_nodes(self, nodes) -> None:
        """Select ``nodes`` (as a click would, so ``nodes_selected`` is emitted once)."""
        self.blockSignals(True)
        try:
            self.clearSelection()
            for node in nodes:
                item = self.items.get(node)
                if item is not None:
                    item.setSelected(True)
                    self.scrollToItem(item)
        finally:
            self.blockSignals(False)
        self.nodes_selected.emit(self.selected_nodes())

    def rule_item(self, rule_key: str) -> QTreeWidgetItem | None:
        """The item of a rule, by key (``builtin:ELEMENT-MATERIAL``)."""
        return self.items.get(CheckNode("rule", rule_key))
