"""Issues from clashes: one per clash or one per group, each with its viewpoint, filed once.

A clash's issue has the clash id as fingerprint, a group's a hash of its sorted
clash ids and its name, so filing again after a re-run finds the issue already
there and creates nothing. Viewpoints (with snapshot) are rendered on the main
thread one per event-loop turn, so the window stays responsive; the database
writes happen in the background.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from bim.i18n import _, ngettext
from bim.viewpoint import ComponentRef
from checks.clash import Clash, ClashGroup, ClashTest, Mode
from project_db.records import Issue, LinkedElement
from ui.clash_results import clash_text, measure_text
from ui.clash_view import clash_keys, show_clashes
from ui.new_issue import model_name, suggested_due

SIDE_A, SIDE_B = "A", "B"


@dataclass(frozen=True)
class Filing:
    """An issue to file: its draft and the clashes its viewpoint shows."""

    draft: Issue
    clashes: tuple[Clash, ...]

    @property
    def fingerprint(self) -> str:
        return self.draft.fingerprint


@dataclass(frozen=True)
class FilingReport:
    """What filing did: the issues created, and how many already existed."""

    created: tuple[Issue, ...]
    existing: int


def group_fingerprint(group_name: str, clash_ids) -> str:
    """The fingerprint of a group's issue: the same group of the same clashes gives the same one."""
    text = "\x1f".join([group_name, *sorted(clash_ids)])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def responsible_trade(clashes, choice: str, known: set[str]) -> str | None:
    """The trade an issue goes to: side A's or side B's (most common over a group), or a chosen code."""
    if choice not in (SIDE_A, SIDE_B):
        return choice if choice in known else None
    trades = Counter((c.a if choice == SIDE_A else c.b).trade for c in clashes)
    trades = Counter({code: n for code, n in trades.items() if code in known})
    return trades.most_common(1)[0][0] if trades else None


def _point(clash: Clash) -> str:
    return ", ".join(f"{c:.3f}" for c in clash.point)


def _description(test: ClashTest, clashes) -> str:
    mode = _("hard clash") if test.mode is Mode.HARD else _("clearance {mm:g} mm").format(mm=test.clearance * 1000)
    lines = [_("Clash test {test} ({mode}).").format(test=test.name, mode=mode)]
    for clash in clashes:
        lines.append(_("{clash}: {measure} at ({point}) [{id}]").format(
            clash=clash_text(clash), measure=measure_text(clash), point=_point(clash), id=clash.id))
    return "\n".join(lines)


def _draft(window, vocabulary, test: ClashTest, clashes, title: str, fingerprint: str, trade_choice: str) -> Issue:
    known = {t.code for t in vocabulary.trades}
    trade = responsible_trade(clashes, trade_choice, known)
    involved = tuple(sorted({e.trade for c in clashes for e in (c.a, c.b)} & known - {trade}))
    elements = {(e.model_id, e.global_id): None for c in clashes for e in (c.a, c.b)}
    storeys = Counter(c.a.storey or c.b.storey for c in clashes if c.a.storey or c.b.storey)
    priority = "Normal" if any(p.code == "Normal" for p in vocabulary.priorities) else None
    topic_type = "Clash" if any(t.code == "Clash" for t in vocabulary.types) else "Issue"
    return Issue(
        title=title, description=_description(test, clashes), topic_type=topic_type, priority=priority,
        responsible_trade=trade, involved_trades=involved,
        location_model=model_name(window, clashes[0].b.model_id),
        location_storey=storeys.most_common(1)[0][0] if storeys else None,
        linked_elements=tuple(LinkedElement(gid, model_name(window, mid)) for mid, gid in elements),
        origin="clash", origin_detail=test.name, fingerprint=fingerprint,
        due_date=suggested_due(vocabulary, trade, priority),
    )


def clash_filing(window, vocabulary, test: ClashTest, clash: Clash, trade_choice: str) -> Filing:
    """The issue for one clash (fingerprint: the clash id)."""
    title = _("Clash: {what}").format(what=clash_text(clash))
    return Filing(_draft(window, vocabulary, test, [clash], title, clash.id, trade_choice), (clash,))


def group_filing(window, vocabulary, test: ClashTest, group: ClashGroup, clashes: list[Clash],
                 trade_choice: str) -> Filing:
    """One issue for a whole group of clashes."""
    title = ngettext("Clash group {group}: {n} clash", "Clash group {group}: {n} clashes", len(clashes)).format(
        group=group.label, n=len(clashes))
    fingerprint = group_fingerprint(group.label, [c.id for c in clashes])
    return Filing(_draft(window, vocabulary, test, clashes, title, fingerprint, trade_choice), tuple(clashes))


def _existing_fingerprints(project, fingerprints) -> set[str]:
    return {fp for fp in fingerprints if project.issues.by_fingerprint(fp) is not None}


def _write(project, filings: list[tuple[Filing, object]], author: str) -> FilingReport:
    from project_db.issues import DuplicateFingerprint

    created, existing = [], 0
    for filing, viewpoint in filings:
        if project.issues.by_fingerprint(filing.fingerprint) is not None:
            existing += 1  # filed meanwhile (another workstation, a double click)
            continue
        try:
            issue = project.issues.create(filing.draft, author)
        except DuplicateFingerprint:
            existing += 1
            continue
        project.issues.add_viewpoint(issue.id, viewpoint, author)
        created.append(issue)
    return FilingReport(tuple(created), existing)


class ClashIssueFiler(QObject):
    """Files a batch of :class:`Filing`: skip those already filed, render viewpoints, write the rest."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # FilingReport
    failed = Signal(object)  # the exception

    def __init__(self, window, session, parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.session = session
        self.busy = False
        self._todo: list[Filing] = []
        self._captured: list[tuple[Filing, object]] = []
        self._existing = 0
        self._cancelled = False

    def file(self, filings: list[Filing]) -> None:
        """File ``filings`` (one batch at a time)."""
        if self.busy:
            return
        self.busy, self._cancelled = True, False
        fingerprints = [f.fingerprint for f in filings]

        def checked(existing: set[str]):
            self._existing = len(existing)
            self._todo = [f for f in filings if f.fingerprint not in existing]
            self._captured = []
            self._next_viewpoint()

        if self.session.run(lambda project: _existing_fingerprints(project, fingerprints), checked,
                            self._failed) is None:
            self._failed(RuntimeError(_("Open or create a project first: issues are kept in a project.")))

    def cancel(self) -> None:
        """Stop rendering viewpoints; nothing is written."""
        self._cancelled = True

    def _next_viewpoint(self) -> None:
        if self._cancelled:
            self.busy = False
            self.finished.emit(FilingReport((), self._existing))
            return
        done, total = len(self._captured), len(self._captured) + len(self._todo)
        if not self._todo:
            self._write()
            return
        self.progress.emit(done, total, _("Rendering viewpoints"))
        filing = self._todo.pop(0)
        show_clashes(self.window, list(filing.clashes))
        viewpoint = self.window.scene.capture_viewpoint(with_snapshot=True)
        # The snapshot shows the trade colours; the stored selection names the clashing elements, as BCF tools expect.
        selection = tuple(ComponentRef(gid, mid) for mid, gid in clash_keys(filing.clashes))
        viewpoint = replace(viewpoint, selection=selection)
        self._captured.append((filing, viewpoint))
        QTimer.singleShot(0, self, self._next_viewpoint)  # let the window breathe between renders

    def _write(self) -> None:
        captured, author, existing = self._captured, self.session.author, self._existing

        def written(report: FilingReport):
            self.busy = False
            self.finished.emit(replace(report, existing=report.existing + existing))

        if not captured:
            written(FilingReport((), 0))
            return
        self.progress.emit(len(captured), len(captured), _("Saving issues"))
        self.session.run(lambda project: _write(project, captured, author), written, self._failed)

    def _failed(self, exc) -> None:
        self.busy = False
        self.failed.emit(exc)
