"""The demo project: the five demo models in an embedded SQLite project, with example issues.

Qt-free, so it can run in a worker thread. It is built once into the user data folder
(beside the demo IFC files) and reused afterwards, so a new user who opens the demo
sees a populated project: every trade has a few issues, with comments and linked
elements; their viewpoints are added by the window (:mod:`ui.demo_viewpoints`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bim.i18n import N_, _
from bim.progress import CancelFn, ProgressFn, check_cancelled, report

DEMO_AUTHOR = "demo@synthese.example"
# Marks the example issues: the window gives each a viewpoint with a snapshot once the
# demo's models are on screen (see ui.demo_viewpoints); rendering needs the 3D view.
DEMO_MARK = "synthese-demo"
DEMO_SUFFIX = ".synthese"


def demo_project_path() -> Path:
    """Where the demo project lives: ``demo.synthese`` next to the demo IFC folder."""
    from bim.commands import default_demo_dir

    return default_demo_dir().parent / f"demo{DEMO_SUFFIX}"


@dataclass(frozen=True)
class DemoIssue:
    """One example issue: who must act, on which demo elements, and how far along it is."""

    trade: str
    involved: tuple[str, ...]
    elements: tuple[tuple[str, str], ...]  # (trade, element key) of the demo
    title: str
    description: str
    topic_type: str = "Issue"
    status: str = "Open"
    priority: str = "Normal"
    labels: tuple[str, ...] = ()
    due_in_days: int | None = 14  # negative: already overdue
    comments: tuple[str, ...] = ()


DEMO_ISSUES = (
    DemoIssue("CVC", ("STR",), (("CVC", "RDC/duct-N"), ("STR", "RDC/beam-B1")),
              N_("Supply duct runs through beam B1"),
              N_("The 400x300 supply duct crosses beam B1 (0.20 m deep in the beam). Lower the duct or ask "
                 "structure for a reservation."),
              "Clash", "Open", "High", ("Openings",), -3,
              (N_("Structure cannot drill B1 at mid-span: please reroute under the beam."),)),
    DemoIssue("CVC", ("ELE",), (("CVC", "RDC/duct-1a"), ("ELE", "RDC/tray-CLR")),
              N_("Cable tray too close under duct 1a"),
              N_("Only 30 mm between the cable tray and the duct; 50 mm are required for maintenance."),
              "Clash", "In Progress", "Normal", ("Maintenance access",), 10),
    DemoIssue("STR", ("CVC",), (("STR", "RDC/beam-B1"),),
              N_("Confirm reservation in beam B1 for the supply duct"),
              N_("If the duct cannot be lowered, structure must confirm a 450x350 reservation in B1."),
              "Request", "Open", "High", ("Openings",), 7),
    DemoIssue("STR", ("ELE",), (("STR", "RDC/col-C3"), ("ELE", "RDC/tray-COL")),
              N_("Cable tray passes through column C3"),
              N_("The cable tray along grid C runs through column C3. The column stays; the tray must bypass it."),
              "Clash", "Resolved", "Critical", (), -1,
              (N_("Tray rerouted around C3 in the next electrical model."),)),
    DemoIssue("PLB", ("ARC",), (("PLB", "RDC/pipe-EF"), ("ARC", "RDC/wall-P1")),
              N_("Water pipe crosses partition P1 without an opening"),
              N_("Add a sleeve in partition P1 or reroute the pipe through the existing door opening."),
              "Clash", "Open", "Normal", ("Openings",), 14),
    DemoIssue("PLB", (), (("PLB", "R+1/pipe-A1"),),
              N_("Water pipe of room A has no material"),
              N_("The model gives no material for the R+1 water pipe of room A: the quantity takeoff misses it."),
              "Remark", "Open", "Low", (), 30),
    DemoIssue("ELE", (), (("ELE", "R+1/tray-B"),),
              N_("Cable tray of room B is in no storey"),
              N_("Attach the tray to storey R+1 so that it appears in the storey filters and quantities."),
              "Issue", "Open", "Normal", (), 21),
    DemoIssue("ELE", ("STR",), (("ELE", "RDC/tray-COL"),),
              N_("Reroute the grid C cable tray around column C3"),
              N_("Follow-up of the column clash: new route to be shown in the next model version."),
              "Issue", "In Progress", "High", (), 5),
    DemoIssue("ARC", ("MEN",), (("ARC", "RDC/door-D02"),),
              N_("Door D02 too narrow for an accessible ERP"),
              N_("0.87 m nominal and 0.80 m clear: an accessible door needs 0.90 m nominal and 0.83 m clear "
                 "(arrêté du 20 avril 2017)."),
              "Issue", "Open", "High", ("Accessibility",), -5,
              (N_("Door schedule to be updated with a 0.93 m leaf."),)),
    DemoIssue("ARC", (), (("ARC", "R+1/wall-E"),),
              N_("External wall E of R+1 has no fire rating"),
              N_("Pset_WallCommon.FireRating is missing: the fire safety report cannot check the wall."),
              "Issue", "Open", "Normal", ("Fire safety",), 14),
    DemoIssue("ARC", (), (("ARC", "R+1/space-B"),),
              N_("Space of R+1 without number or name"),
              N_("Give the space a number and a name so that the room schedule is complete."),
              "Remark", "Closed", "Low", (), None),
)


def ensure_demo_project(path: Path | None = None, author: str = DEMO_AUTHOR, progress: ProgressFn | None = None,
                        cancel: CancelFn | None = None) -> Path:
    """The demo project's path, building it first if it does not exist yet.

    It is built beside its final name and renamed at the end, so an interrupted build
    never leaves a half-filled demo that later starts would reuse.
    """
    from bim.commands import default_demo_dir
    from bim.demo import generate_demo
    from project_db import open_project

    path = Path(path) if path is not None else demo_project_path()
    if path.exists():
        return path
    report(progress, 0, 3, _("Generating the demo models"))
    demo = generate_demo(default_demo_dir(), cancel=cancel)
    check_cancelled(cancel)
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    try:
        with open_project(part, create=True, name=_("Demo project")) as project:
            report(progress, 1, 3, _("Storing the demo models in the project"))
            for trade, file in demo.paths.items():
                check_cancelled(cancel)
                project.models.store_model_file(file, trade, author)
            report(progress, 2, 3, _("Writing example issues"))
            _write_issues(project, demo, author, cancel)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    report(progress, 3, 3, _("Demo project ready"))
    return path


def _write_issues(project, demo, author: str, cancel: CancelFn | None) -> None:
    from project_db.records import Issue, LinkedElement

    now = datetime.now(timezone.utc)
    for example in DEMO_ISSUES:
        check_cancelled(cancel)
        gids = [(trade, demo.global_id(trade, key)) for trade, key in example.elements]
        first = demo.element(gids[0][1])
        draft = Issue(
            title=_(example.title), description=_(example.description), topic_type=example.topic_type,
            status=example.status, priority=example.priority, labels=example.labels,
            due_date=now + timedelta(days=example.due_in_days) if example.due_in_days is not None else None,
            responsible_trade=example.trade, involved_trades=example.involved,
            location_model=demo.paths[gids[0][0]].name, location_storey=first.storey,
            linked_elements=tuple(LinkedElement(gid, demo.paths[trade].name) for trade, gid in gids),
            stage="EXE", origin_detail=DEMO_MARK,
        )
        issue = project.issues.create(draft, author)
        for text in example.comments:
            project.issues.add_comment(issue.id, _(text), author)
