"""Find elements of the federation by GlobalId, name, class, type, storey or property value."""

from __future__ import annotations

from dataclasses import dataclass

from bim.federation import ElementKey, Federation, LoadedModel
from bim.i18n import N_

# Lower rank = better match; the field names are shown to the user.
FIELD_RANK = {N_("GlobalId"): 0, N_("Name"): 1, N_("Type"): 2, N_("Class"): 3, N_("Storey"): 4, N_("Property"): 5}


@dataclass(frozen=True)
class SearchHit:
    """One element found, with the field that matched and the text it matched in."""

    key: ElementKey
    ifc_class: str
    name: str
    storey: str
    field: str
    matched: str
    rank: tuple


def _property_texts(model: LoadedModel) -> dict[str, str]:
    texts = getattr(model, "_property_texts", None)
    if texts is None:
        from bim.properties import property_text

        texts = property_text(model.ifc())
        model._property_texts = texts
    return texts


def search_elements(federation: Federation, text: str, *, limit: int = 500,
                    include_properties: bool = True) -> list[SearchHit]:
    """Elements matching ``text`` (case-insensitive), best matches first.

    Every word must match; a GlobalId typed whole comes first, then matches
    at the start of a name, then anywhere in name, type, class, storey or
    property values.
    """
    words = text.lower().split()
    if not words:
        return []
    hits: list[SearchHit] = []
    for model in federation:
        props = _property_texts(model) if include_properties else {}
        for record in model.elements:
            fields = (
                ("GlobalId", record.global_id),
                ("Name", record.name),
                ("Type", record.type_name),
                ("Class", record.ifc_class),
                ("Storey", record.storey),
                ("Property", props.get(record.global_id, "")),
            )
            best = None
            for word in words:
                word_best = None
                for field_name, value in fields:
                    low = value.lower()
                    if not low:
                        continue
                    if field_name == "Class" and word in (low, low.removeprefix("ifc")):
                        score = (FIELD_RANK[field_name], 0)
                    elif low == word:
                        score = (FIELD_RANK[field_name], 0)
                    elif low.startswith(word) or (field_name == "Class" and low.removeprefix("ifc").startswith(word)):
                        score = (FIELD_RANK[field_name], 1)
                    elif word in low:
                        score = (FIELD_RANK[field_name], 2)
                    else:
                        continue
                    if field_name == "GlobalId" and score[1]:
                        # Part of a GlobalId's random letters matches by chance: rank it after every other field.
                        score = (len(FIELD_RANK), score[1])
                    if word_best is None or score < word_best[0]:
                        word_best = (score, field_name, value)
                if word_best is None:
                    break
                if best is None or word_best[0] < best[0]:
                    best = word_best
            else:
                score, field_name, value = best
                matched = value if field_name != "Property" else _snippet(value, words)
                hits.append(SearchHit((model.model_id, record.global_id), record.ifc_class, record.name,
                                      record.storey, field_name, matched, (score, record.name.lower())))
    hits.sort(key=lambda h: h.rank)
    return hits[:limit]


def _snippet(text: str, words: list[str], width: int = 60) -> str:
    low = text.lower()
    pos = min((low.find(w) for w in words if w in low), default=0)
    start = max(0, pos - width // 3)
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
