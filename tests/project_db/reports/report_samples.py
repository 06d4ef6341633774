"""A small French site to report on: issues with snapshots, comments and deadlines, and a held meeting."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PIL import Image
from pypdf import PdfReader

from bim.viewpoint import Camera, Viewpoint
from project_db.records import Issue, Meeting, MeetingItem, User

# Noon UTC: the same calendar day in every time zone the tests may run in.
CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 3, 12, 15, 0, tzinfo=timezone.utc)
HELD_AT = datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc)
DUCT_DUE = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)  # 2 d 3 h before NOW
NEW_DUE = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)

DUCT = "Gaine CVC sous la poutre P12 – réservation à créer"
OPENING = "Trémie d'escalier trop étroite"
SOCKET = "Prise électrique derrière la porte"
CABLE_TRAY = "Chemin de câbles <R+2> & faux plafond"


def snapshot_png(colour=(200, 40, 40), size=(320, 180)) -> bytes:
    """A real PNG, as the viewer would capture."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    """Every page's text, as a reader copying it out of the PDF would get it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_image_count(data: bytes) -> int:
    """How many images the PDF's pages show."""
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


@dataclass(frozen=True)
class Site:
    """The ids of the sample issues."""

    duct: Issue
    opening: Issue
    socket: Issue
    cable_tray: Issue


def make_site(project) -> Site:
    """Four issues in three trades: one overdue with a snapshot and comments, one closed, one without a trade."""
    project.settings.save_user(User(name="Éloïse Durand", email="eloise@bet-fluides.fr", role="coordinator"), "setup")
    duct = project.issues.create(Issue(
        title=DUCT, description="Décaler la gaine de 20 cm vers le nord.\nVoir le plan R+1.", responsible_trade="CVC",
        priority="High", labels=("Openings",), assigned_to="eloise@bet-fluides.fr", due_date=DUCT_DUE,
        location_storey="R+1", location_space="Local technique", creation_date=CREATED), "alice")
    project.issues.add_viewpoint(duct.id, Viewpoint(camera=Camera((0.0, 0.0, 10.0), (0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),
                                                    snapshot_png=snapshot_png()), "alice")
    project.issues.add_comment(duct.id, "Vu avec l'entreprise : reprise de la maquette d'ici vendredi.", "bob")
    opening = project.issues.create(Issue(
        title=OPENING, responsible_trade="STR", priority="Normal", status="Closed", creation_date=CREATED), "alice")
    socket = project.issues.create(Issue(
        title=SOCKET, responsible_trade="ELE", priority="Low", creation_date=CREATED), "alice")
    cable_tray = project.issues.create(Issue(title=CABLE_TRAY, creation_date=CREATED), "alice")
    return Site(duct, opening, socket, cable_tray)


def hold_meeting(project, site: Site) -> Meeting:
    """Meeting 1 with the four issues on its agenda; three discussed, the cable tray not."""
    meeting = project.meetings.create(Meeting(
        title="Réunion de synthèse n°3", held_at=HELD_AT, attendees=("eloise@bet-fluides.fr", "Bruno Lefèvre"),
        location="Salle Œuvre, base vie",
        items=tuple(MeetingItem(issue_id=issue.id, position=position)
                    for position, issue in enumerate((site.duct, site.opening, site.socket, site.cable_tray)))),
        "alice")
    project.meetings.record(meeting.id, site.duct.id, "alice", decision="Décaler la gaine de 20 cm",
                            action="Mettre à jour la maquette CVC", assigned_to="eloise@bet-fluides.fr",
                            due_date=NEW_DUE, status="In Progress")
    project.meetings.record(meeting.id, site.opening.id, "alice", decision="Trémie élargie : levée")
    project.meetings.record(meeting.id, site.socket.id, "alice", decision="Déplacer la prise",
                            action="Plan ELE indice B", comment="À valider par l'architecte", status="Closed")
    return project.meetings.get(meeting.id)
