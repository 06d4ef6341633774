"""``synthese.json``: Synthese's own topic fields, carried in the topic folder next to markup.bcf.

BCF has no place for the responsible/involved trades, location, linked elements,
origin and fingerprint, nor for the model each viewpoint component belongs to.
Other tools ignore an extra file in a topic folder; Synthese reads it back, so an
export re-imported into Synthese loses nothing. The responsible trade also travels
as a label ("Trade: CVC", see :mod:`project_db.bcf.model`) for the other tools.
"""

from __future__ import annotations

import json

from project_db.bcf.model import BcfTopic

FILENAME = "synthese.json"
FORMAT = 1


def dump(topic: BcfTopic, version: str, documents: dict[str, str | None]) -> bytes:
    """The sidecar of ``topic``; ``documents`` maps the topic's document guids to descriptions."""
    issue = topic.issue
    data: dict = {
        "synthese": FORMAT,
        "responsible_trade": issue.responsible_trade,
        "involved_trades": list(issue.involved_trades),
        "location": {"model": issue.location_model, "storey": issue.location_storey, "space": issue.location_space},
        "linked_elements": [[e.global_id, e.model] for e in issue.linked_elements],
        "origin": issue.origin,
        "origin_detail": issue.origin_detail,
        "fingerprint": issue.fingerprint,
        "viewpoints": {
            vp.guid: {
                # the model of each component, list by list, position by position
                "component_models": {
                    "selection": [c.model_id for c in vp.viewpoint.selection],
                    "exceptions": [c.model_id for c in vp.viewpoint.exceptions],
                    "colourings": [[c.model_id for c in col.components]
                                   for col in vp.viewpoint.colourings if col.components],
                },
                "has_camera": vp.has_camera,
                "aspect_ratio": vp.viewpoint.camera.aspect_ratio,
                "field_of_view": vp.viewpoint.camera.field_of_view,
                "view_to_world_scale": vp.viewpoint.camera.view_to_world_scale,
            }
            for vp in topic.viewpoints
        },
    }
    if version == "2.1":
        # what BCF 2.1 has no element for
        data["server_assigned_id"] = issue.server_assigned_id
        data["documents"] = documents
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load(data: bytes) -> dict:
    """The sidecar's fields (an empty dict if it is not one of ours or cannot be read)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(value, dict) or value.get("synthese") != FORMAT:
        return {}
    return value

