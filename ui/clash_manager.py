"""The clash test editor: name, sides A and B, mode, tolerances and exclusions of one test.

Each side is a set of trades and/or models, narrowed by classes, storeys and
properties (the same filters as ``synthese clash --a-filter``). Side B may be
"the same as side A" for a self-clash. Distances are typed in millimetres, as
coordinators speak of them, and stored in metres.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from bim.i18n import N_, _
from bim.trades import TRADES, trade_name
from checks.clash import ClashDefinitionError, ClashTest, Exclusions, Mode, Selection, parse_selection
from checks.clash.selection import check_classes

EXCLUSION_LABELS = (
    ("openings", N_("An element with its own openings")),
    ("fillings", N_("A door or window with its host wall")),
    ("assemblies", N_("Parts of the same assembly")),
    ("aggregates", N_("An aggregate with its parts")),
    ("same_element", N_("The same element in two models")),
    ("same_model", N_("Any two elements of one model")),
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


class _Checklist(QListWidget):
    """A short list of checkable codes."""

    def __init__(self, items: list[tuple[str, str]], checked: tuple[str, ...]):
        super().__init__()
        for code, text in items:
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if code in checked else Qt.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(110)

    def checked(self) -> tuple[str, ...]:
        return tuple(self.item(i).data(Qt.UserRole) for i in range(self.count())
                     if self.item(i).checkState() == Qt.Checked)

    def set_checked(self, codes) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in codes else Qt.Unchecked)


class SideEditor(QGroupBox):
    """One side of a test: trades, models, classes, storeys, properties."""

    def __init__(self, title: str, selection: Selection, model_ids: list[str], storeys: list[str]):
        super().__init__(title)
        codes = [t.code for t in TRADES] + sorted(set(selection.trades) - {t.code for t in TRADES})
        self.trades = _Checklist([(c, f"{c} – {trade_name(c)}") for c in codes], selection.trades)
        models = list(dict.fromkeys([*model_ids, *selection.models]))
        self.models = _Checklist([(m, m) for m in models], selection.models)
        self.classes = QLineEdit(", ".join(selection.classes))
        self.classes.setPlaceholderText(_("any class, e.g. IfcDuctSegment, IfcPipeSegment"))
        self.storeys = QLineEdit(", ".join(selection.storeys))
        self.storeys.setPlaceholderText(", ".join(storeys) or _("any storey"))
        self.properties = QLineEdit("; ".join(str(p) for p in selection.properties))
        self.properties.setPlaceholderText(_("e.g. Pset_WallCommon.IsExternal=True"))
        form = QFormLayout(self)
        form.addRow(_("Trades:"), self.trades)
        form.addRow(_("Models:"), self.models)
        form.addRow(_("Classes:"), self.classes)
        form.addRow(_("Storeys:"), self.storeys)
        form.addRow(_("Properties:"), self.properties)
        form.addRow(QLabel(_("Nothing ticked: every trade (or model) takes part.")))

    def selection(self) -> Selection:
        """The side as typed; raises :class:`ClashDefinitionError` for a malformed filter."""
        classes = _split(self.classes.text())
        check_classes(classes)
        properties = parse_selection(self.properties.text()).properties if self.properties.text().strip() else ()
        if self.properties.text().strip() and not properties:
            raise ClashDefinitionError(_("property filters are written Pset.Property=value"))
        return Selection(models=self.models.checked(), trades=self.trades.checked(), classes=classes,
                         storeys=_split(self.storeys.text()), properties=properties)

    def set_selection(self, selection: Selection) -> None:
        self.trades.set_checked(selection.trades)
        self.models.set_checked(selection.models)
        self.classes.setText(", ".join(selection.classes))
        self.storeys.setText(", ".join(selection.storeys))
        self.properties.setText("; ".join(str(p) for p in selection.properties))


class ClashTestDialog(QDialog):
    """Edit (or create) a clash test; :meth:`test` gives the result once accepted.

    ``taken``: names of the other tests of the project (a new name must not be one).
    """

    def __init__(self, test: ClashTest | None, model_ids: list[str], storeys: list[str], taken: set[str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Edit clash test") if test else _("New clash test"))
        self.original = test
        self._taken = taken
        self._result: ClashTest | None = None
        test = test or ClashTest(_("New test"))
        self.name = QLineEdit(test.name)
        self.name.selectAll()
        self.side_a = SideEditor(_("Side A"), test.a, model_ids, storeys)
        self.side_b = SideEditor(_("Side B"), test.b, model_ids, storeys)
        self.same_as_a = QCheckBox(_("Side B is side A (self-clash)"))
        self.same_as_a.setChecked(self.original is not None and test.self_clash)
        self.same_as_a.toggled.connect(lambda same: self.side_b.setEnabled(not same))
        self.side_b.setEnabled(not self.same_as_a.isChecked())
        self.mode = QComboBox()
        self.mode.addItem(_("Hard clash (interpenetration)"), Mode.HARD.value)
        self.mode.addItem(_("Clearance (too close)"), Mode.CLEARANCE.value)
        self.mode.setCurrentIndex(self.mode.findData(test.mode.value))
        self.tolerance = self._millimetres(test.tolerance)
        self.clearance = self._millimetres(test.clearance)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.exclusions = {}
        exclusion_box = QGroupBox(_("Never a clash"))
        grid = QGridLayout(exclusion_box)
        for n, (name, label) in enumerate(EXCLUSION_LABELS):
            box = QCheckBox(_(label))
            box.setChecked(getattr(test.exclusions, name))
            self.exclusions[name] = box
            grid.addWidget(box, n // 2, n % 2)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Mode:"), self.mode)
        form.addRow(_("Tolerance:"), self.tolerance)
        form.addRow(_("Clearance:"), self.clearance)
        sides = QHBoxLayout()
        sides.addWidget(self.side_a)
        sides.addWidget(self.side_b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(sides)
        layout.addWidget(self.same_as_a)
        layout.addWidget(exclusion_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._mode_changed()

    @staticmethod
    def _millimetres(metres: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 10_000.0)
        spin.setDecimals(1)
        spin.setSuffix(" mm")
        spin.setValue(metres * 1000.0)
        return spin

    def _mode_changed(self) -> None:
        hard = self.mode.currentData() == Mode.HARD.value
        self.tolerance.setEnabled(hard)
        self.clearance.setEnabled(not hard)

    def set_mode(self, mode: Mode, millimetres: float) -> None:
        """Choose the mode and its distance (the tolerance or the clearance)."""
        self.mode.setCurrentIndex(self.mode.findData(Mode(mode).value))
        (self.tolerance if Mode(mode) is Mode.HARD else self.clearance).setValue(millimetres)

    def build(self) -> ClashTest:
        """The test as typed; raises :class:`ClashDefinitionError` with what is wrong."""
        name = self.name.text().strip()
        if name in self._taken:
            raise ClashDefinitionError(_("a clash test named {name!r} already exists").format(name=name))
        side_a = self.side_a.selection()
        side_b = side_a if self.same_as_a.isChecked() else self.side_b.selection()
        exclusions = Exclusions(**{name: box.isChecked() for name, box in self.exclusions.items()})
        return ClashTest(name=name, a=side_a, b=side_b, mode=Mode(self.mode.currentData()),
                         tolerance=round(self.tolerance.value() / 1000.0, 6),
                         clearance=round(self.clearance.value() / 1000.0, 6), exclusions=exclusions)

    def accept(self) -> None:
        """Close only with a valid test; otherwise say what is wrong."""
        try:
            self._result = self.build()
        except ClashDefinitionError as exc:
            self.error.setText(str(exc))
            return
        super().accept()

    def test(self) -> ClashTest | None:
        """The accepted test."""
        return self._result
