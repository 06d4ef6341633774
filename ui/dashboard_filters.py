"""The dashboard's filter row: period (quick picks or two dates), trade, label and model version.

The row knows nothing of the database: it is given the project's trades, labels and
model versions, and says which :class:`DashboardFilter` the user wants (``changed``).
Dates are the user's local days: the range runs from the first day's midnight to the
midnight after the last day.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from bim.i18n import N_, _
from project_db.dashboard import DashboardFilter
from project_db.reports.dashboard_charts import version_label

LAST_4_WEEKS, LAST_3_MONTHS, ALL_DATES, CUSTOM = "4w", "3m", "all", "custom"
PERIODS = ((LAST_4_WEEKS, N_("Last 4 weeks")), (LAST_3_MONTHS, N_("Last 3 months")), (ALL_DATES, N_("All dates")),
           (CUSTOM, N_("Custom dates")))
ANY = ""


def local_midnight(day: QDate) -> datetime:
    """The start of ``day`` in the machine's time zone, as an aware UTC datetime."""
    return datetime(day.year(), day.month(), day.day()).astimezone().astimezone(timezone.utc)


class DashboardFilterBar(QWidget):
    """Period, trade, label and model version choices for the dashboard."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.period = QComboBox()
        for key, text in PERIODS:
            self.period.addItem(_(text), key)
        self.period.setToolTip(_("Which issues the board counts: created (or closed) in this period"))
        self.start = QDateEdit(calendarPopup=True)
        self.end = QDateEdit(calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._on_date_edited)
        self.trade = QComboBox()
        self.label = QComboBox()
        self.model = QComboBox()
        self.model.setToolTip(_("Issues written while this model version was the newest, and check runs on it"))
        for combo in (self.trade, self.label, self.model):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            combo.activated.connect(lambda _i: self.changed.emit())
        self.period.activated.connect(lambda _i: self.set_period(self.period.currentData()))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.period)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.end)
        layout.addSpacing(12)
        layout.addWidget(self.trade)
        layout.addWidget(self.label)
        layout.addWidget(self.model)
        layout.addStretch(1)
        self.set_vocabulary((), ())
        self.set_versions(())
        self.set_period(LAST_4_WEEKS, emit=False)  # sensible dates to start from when the user edits them
        self.set_period(ALL_DATES, emit=False)

    # ------------------------------------------------------------------ choices offered

    def set_vocabulary(self, trades, labels) -> None:
        """Offer the project's trades (:class:`Trade`) and labels (:class:`VocabularyItem`), keeping the choices."""
        self._fill(self.trade, _("All trades"), [(t.code, f"{t.code} – {t.name()}") for t in trades])
        self._fill(self.label, _("All labels"), [(item.code, item.name()) for item in labels])

    def set_versions(self, versions) -> None:
        """Offer the project's model versions (:class:`ModelVersion`, newest first per model)."""
        items, by_model = [], {}
        for version in versions:
            by_model.setdefault(version.model_name, []).append(version)
        for name, model_versions in by_model.items():
            # ids as text: Qt would hand a tuple back as a list, which findData cannot match
            items.append((",".join(str(v.id) for v in model_versions),
                          _("{model} (every version)").format(model=name)))
            items.extend((str(v.id), "    " + version_label(v)) for v in model_versions)
        self._fill(self.model, _("All models"), items)

    @staticmethod
    def _fill(combo: QComboBox, any_text: str, items) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_text, ANY)
        for data, text in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
        combo.blockSignals(False)

    # ------------------------------------------------------------------ period

    def set_period(self, key: str, today: QDate | None = None, emit: bool = True) -> None:
        """Choose a quick period (``LAST_4_WEEKS``, ``LAST_3_MONTHS``, ``ALL_DATES``) or ``CUSTOM`` dates."""
        today = today or QDate.currentDate()
        self.period.setCurrentIndex(max(0, self.period.findData(key)))
        for edit in (self.start, self.end):
            edit.blockSignals(True)
        if key == LAST_4_WEEKS:
            self.start.setDate(today.addDays(-27))
            self.end.setDate(today)
        elif key == LAST_3_MONTHS:
            self.start.setDate(today.addMonths(-3).addDays(1))
            self.end.setDate(today)
        for edit in (self.start, self.end):
            edit.setEnabled(key != ALL_DATES)
            edit.blockSignals(False)
        if emit:
            self.changed.emit()

    def set_dates(self, start: QDate, end: QDate) -> None:
        """Count from ``start`` to ``end`` included (a custom period)."""
        self.period.setCurrentIndex(self.period.findData(CUSTOM))
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setEnabled(True)
            edit.setDate(day)
            edit.blockSignals(False)
        self.changed.emit()

    def _on_date_edited(self, _day) -> None:
        self.period.setCurrentIndex(self.period.findData(CUSTOM))
        self.changed.emit()

    # ------------------------------------------------------------------ the filter

    def current_filter(self) -> DashboardFilter:
        """The :class:`DashboardFilter` the row describes."""
        start = end = None
        if self.period.currentData() != ALL_DATES:
            first, last = sorted((self.start.date(), self.end.date()), key=lambda d: d.toJulianDay())
            start = local_midnight(first)
            end = local_midnight(last.addDays(1))  # not +24 h: a day may last 23 or 25 hours
        trade, label, versions = (c.currentData() or ANY for c in (self.trade, self.label, self.model))
        return DashboardFilter(start=start, end=end, trades=(trade,) if trade else (),
                               labels=(label,) if label else (),
                               model_versions=tuple(int(v) for v in versions.split(",")) if versions else ())
