"""How issue values read on screen: dates in local time, field names, history values."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from bim.i18n import N_, _

# Field names as the history and the merge message show them.
FIELD_LABELS = {
    "title": N_("Title"), "description": N_("Description"), "topic_type": N_("Type"), "status": N_("Status"),
    "priority": N_("Priority"), "labels": N_("Labels"), "stage": N_("Stage"), "assigned_to": N_("Assigned to"),
    "due_date": N_("Due date"), "responsible_trade": N_("Responsible trade"),
    "involved_trades": N_("Involved trades"), "location_model": N_("Model"), "location_storey": N_("Storey"),
    "location_space": N_("Space"), "linked_elements": N_("Linked elements"), "created": N_("Created"),
    "deleted": N_("Deleted"), "comment": N_("Comment"), "viewpoint": N_("Viewpoint"),
    "comment added": N_("added"), "viewpoint added": N_("added"), "comment deleted": N_("deleted"),
    "viewpoint deleted": N_("deleted"), "reference_links": N_("Reference links"),
    "related_topics": N_("Related topics"), "origin": N_("Origin"),
}


def field_label(name: str) -> str:
    """The translated label of an issue field (the name itself if unknown)."""
    label = FIELD_LABELS.get(name)
    return _(label) if label else name.replace("_", " ")


def local(moment: datetime) -> datetime:
    """An aware (or naive UTC) moment in the workstation's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone()


def format_moment(moment: datetime | None) -> str:
    """Date and time, local: ``2025-03-14 09:30``."""
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def format_day(moment: datetime | None) -> str:
    """The local date only: ``2025-03-14``."""
    return local(moment).strftime("%Y-%m-%d") if moment else ""


def due_from_day(day: date) -> datetime:
    """A due date chosen as a day means the end of that (local) day."""
    return datetime.combine(day, time(23, 59, 59)).astimezone().astimezone(timezone.utc)


def format_value(value: object) -> str:
    """A history value (JSON-like, as recorded) as one short line."""
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return format_moment(value)
    if isinstance(value, str):
        if len(value) >= 19 and value[4] == "-" and value[10] in "T ":
            try:
                return format_moment(datetime.fromisoformat(value))
            except ValueError:
                pass
        return value if len(value) <= 120 else value[:117] + "…"
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, dict) and "global_id" in v for v in value):
            return _("{n} elements").format(n=len(value))
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value(v)}" for k, v in value.items() if v not in (None, "", [], ()))
    return str(value)
