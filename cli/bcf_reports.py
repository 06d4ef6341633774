"""BCF reports of check and clash runs: one topic per failing element or per clash.

The topics are plain :class:`project_db.records.Issue` records put straight into a
:class:`project_db.bcf.BcfContent` and written by :func:`project_db.bcf.write_bcf`,
which validates every XML document against the buildingSMART schemas; no project
is needed. Each topic selects its element(s) in a viewpoint, carries the
responsible trade as the label ``Trade: XXX`` and a fingerprint (the finding's or
the clash id), so importing the file twice into a project creates nothing twice.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timezone
from pathlib import Path

from bim.i18n import _
from bim.trades import TRADE_BY_CODE, guess_trade
from bim.viewpoint import Camera, ComponentRef, Viewpoint
from project_db.bcf import BcfContent, write_bcf
from project_db.bcf.model import BcfExtensions, BcfTopic, BcfViewpoint, trade_label
from project_db.records import Issue, LinkedElement

BCF_SUFFIXES = (".bcf", ".bcfzip")
BCF_VERSION = "3.0"
PRIORITY_BY_SEVERITY = {"error": "High", "warning": "Normal", "info": "Low"}
# How far from a clash the viewpoint's camera stands, in metres, looking down at it.
CLASH_CAMERA_DISTANCE = 4.0
# Check results carry no geometry: their viewpoints select elements but have no camera.
_NO_CAMERA = Camera(position=(0.0, 0.0, 10.0), direction=(0.0, 0.0, -1.0), up=(0.0, 1.0, 0.0))


def is_bcf_report(path: str | Path) -> bool:
    """Whether a ``--report`` file name asks for BCF."""
    return Path(path).suffix.lower() in BCF_SUFFIXES


def model_trades(model_ids, registered: dict[str, str | None] | None = None) -> dict[str, str]:
    """Model id (a file name) → trade code: the project's registered model of that name, else guessed from it."""
    registered = registered or {}
    trades = {}
    for model_id in model_ids:
        stem = Path(model_id.split("#")[0]).stem
        trades[model_id] = registered.get(model_id) or registered.get(stem) or guess_trade(stem)
    return trades


def check_topics(result, trades: dict[str, str], author: str) -> list[BcfTopic]:
    """One topic per element failing a rule of a rule-set run (``RulesetRunResult``)."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    topics = []
    for finding in result.findings():
        element = finding.element
        trade = trades.get(element.model_id)
        reasons = finding.text or _("no reason given")
        description = _("{element} in {model} fails the rule {rule} ({severity}): {reasons}.").format(
            element=element.label, model=finding.model_name, rule=f"[{finding.rule_id}] {finding.rule_name}",
            severity=finding.severity.label, reasons=reasons.rstrip("."))
        selection = (ComponentRef(element.global_id, element.model_id),) if element.global_id else ()
        issue = Issue(
            title=f"{finding.rule_name}: {_element_text(element.ifc_class, element.name, element.global_id)}",
            description=description, topic_type="Issue",
            priority=PRIORITY_BY_SEVERITY.get(finding.severity.value), creation_date=now, creation_author=author,
            responsible_trade=trade, location_model=element.model_id, location_storey=element.storey,
            linked_elements=(LinkedElement(element.global_id, element.model_id),) if element.global_id else (),
            origin="check", origin_detail=finding.rule_key, fingerprint=finding.fingerprint,
        )
        viewpoints = (_viewpoint(Viewpoint(camera=_NO_CAMERA, selection=selection), has_camera=False),) \
            if selection else ()
        topics.append(BcfTopic(issue=issue, viewpoints=viewpoints, synthese_fields=True))
    return topics


def clash_topics(run, author: str, decisions: dict[str, str] | None = None) -> list[BcfTopic]:
    """One topic per clash of a ``ClashRun`` (those a coordinator ignored left out); side B's trade is responsible."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    decisions = decisions or {}
    topics = []
    for clash in run.clashes:
        if decisions.get(clash.id) == "ignored":
            continue
        a, b = clash.a, clash.b
        trade = b.trade if b.trade in TRADE_BY_CODE else None
        involved = tuple(t for t in {a.trade} if t in TRADE_BY_CODE and t != trade)
        measure = (_("{mm:.0f} mm deep").format(mm=clash.depth * 1000) if clash.depth is not None
                   else _("{mm:.0f} mm apart").format(mm=(clash.distance or 0.0) * 1000))
        point = ", ".join(f"{c:.3f}" for c in clash.point)
        description = _("Clash test {test}: {a} ({model_a}) clashes with {b} ({model_b}), {measure}, at ({point}). "
                        "Clash {id}.").format(
            test=run.test.name, a=_element_text(a.ifc_class, a.name, a.global_id), model_a=a.model_id,
            b=_element_text(b.ifc_class, b.name, b.global_id), model_b=b.model_id, measure=measure, point=point,
            id=clash.id)
        if decisions.get(clash.id) == "approved":
            description += " " + _("A coordinator approved this clash.")
        issue = Issue(
            title=_("Clash: {a} × {b}").format(a=_element_text(a.ifc_class, a.name), b=_element_text(b.ifc_class,
                                                                                                    b.name)),
            description=description, topic_type="Clash", priority="Normal", creation_date=now,
            creation_author=author, responsible_trade=trade, involved_trades=involved, location_model=b.model_id,
            location_storey=b.storey or a.storey or None,
            linked_elements=tuple(LinkedElement(e.global_id, e.model_id) for e in (a, b)),
            origin="clash", origin_detail=run.test.name, fingerprint=clash.id,
        )
        selection = tuple(ComponentRef(e.global_id, e.model_id) for e in (a, b))
        viewpoint = Viewpoint(camera=camera_looking_at(clash.point), selection=selection)
        topics.append(BcfTopic(issue=issue, viewpoints=(_viewpoint(viewpoint, has_camera=True),),
                               synthese_fields=True))
    return topics


def camera_looking_at(target, distance: float = CLASH_CAMERA_DISTANCE) -> Camera:
    """A perspective camera ``distance`` away from ``target``, looking down at it from the south-west."""
    direction = (1.0, 1.0, -1.0)
    norm = math.sqrt(sum(c * c for c in direction))
    direction = tuple(c / norm for c in direction)
    position = tuple(t - d * distance for t, d in zip(target, direction))
    # up: the vertical made perpendicular to the view direction
    dz = direction[2]
    up = tuple(u - dz * d for u, d in zip((0.0, 0.0, 1.0), direction))
    up_norm = math.sqrt(sum(c * c for c in up))
    return Camera(position=position, direction=direction, up=tuple(c / up_norm for c in up))


def write_topics(topics: list[BcfTopic], path: str | Path, project_name: str | None = None) -> int:
    """Write ``topics`` as a BCF 3.0 file (validated against the XSDs); returns how many were written."""
    issues = [t.issue for t in topics]
    extensions = BcfExtensions(
        topic_types=_unique(i.topic_type for i in issues),
        topic_statuses=_unique(i.status for i in issues),
        priorities=_unique(i.priority for i in issues),
        topic_labels=_unique(trade_label(i.responsible_trade) for i in issues if i.responsible_trade),
        users=_unique(i.creation_author for i in issues),
    )
    content = BcfContent(version=BCF_VERSION, project_id=str(uuid.uuid4()), project_name=project_name,
                         extensions=extensions, topics=tuple(topics))
    write_bcf(content, path)
    return len(topics)


def _viewpoint(viewpoint: Viewpoint, has_camera: bool) -> BcfViewpoint:
    return BcfViewpoint(guid=str(uuid.uuid4()), viewpoint=viewpoint, index=0, has_camera=has_camera)


def _element_text(ifc_class: str, name: str | None, global_id: str | None = None) -> str:
    text = f'{ifc_class} "{name}"' if name else ifc_class
    return f"{text} ({global_id})" if global_id else text


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v and v.strip()))
