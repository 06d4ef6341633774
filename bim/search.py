"""Find elements of the federation by GlobalId, name, class, type, storey or property value.

Searching goes through an :class:`ElementIndex` built once per model (folded texts,
sorted word lists) and reused between keystrokes, so a search over 100,000 elements
costs a scan of prebuilt strings plus a few array operations, not a pass of Python
over every field of every element.

Matching is case- and accent-insensitive both ways: text and query are *folded*
(:func:`fold`: lower case, Latin diacritics removed), so "cloison" finds "Cloison",
"electrique" finds "Électrique" and "électrique" finds "ELECTRIQUE". Every word of
the query must occur in some field of the element.

Ranking, best first (an element ranks by its best word and field):

0. the whole GlobalId;
1. the whole name;
2. the whole type, class (with or without its "Ifc"), storey or a property value;
3. the start of the name;
4. the start of a word of the name, type, class, storey or a property value, or the
   start of the GlobalId;
5. anywhere in the name, type, class, storey, property values, then GlobalId (a few
   letters of a GlobalId match by chance, so they come last).

Within a rank, fields go in that order (name, type, class, storey, property, GlobalId),
then names alphabetically, then the models' order.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from bim.elements import ElementRecord
from bim.federation import ElementKey, Federation, LoadedModel
from bim.i18n import N_

# Fields in their order of preference; the names are shown to the user.
FIELDS = (N_("Name"), N_("Type"), N_("Class"), N_("Storey"), N_("Property"), N_("GlobalId"))
NAME, TYPE, CLASS, STOREY, PROPERTY, GLOBAL_ID = range(len(FIELDS))
# Kept for callers that sorted by field name.
FIELD_RANK = {name: rank for rank, name in enumerate(FIELDS)}

# Ranks (see the module docstring); a hit's code is rank * _FIELD_SLOTS + field.
WHOLE_ID, WHOLE_NAME, WHOLE_VALUE, NAME_START, WORD_START, INSIDE = range(6)
_FIELD_SLOTS = 8
_NONE = np.int16(32000)

# How strongly a hit matches, on one scale for elements and issues (lower is stronger),
# so a search box showing both can tell which group holds the best answer.
IDENTIFIER, EXACT, PREFIX, WORD, ELSEWHERE = range(5)

DIRECT_RANKING = 256  # up to this many candidates per model, each is ranked in Python
_WORD_BOUNDARY = re.compile(r"[\s\-/(),;:|'’\"_.\[\]]+")
_PROPERTY_SEPARATOR = " | "


# --------------------------------------------------------------------------- folding


class _FoldTable(dict):
    """``str.translate`` table folding one character to one character, filled on demand."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        lowered = char.lower()
        # One character for one keeps positions: a match found in folded text marks the original.
        folded = stripped if len(stripped) == 1 else (lowered if len(lowered) == 1 else char)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str | None) -> str:
    """``text`` in lower case without diacritics, character for character (same length)."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


def query_words(text: str) -> list[str]:
    """The folded words of a query; words without a letter or digit are dropped."""
    return [w for w in fold(text).split() if any(c.isalnum() for c in w)]


def snippet(text: str, words: Sequence[str], width: int = 60) -> str:
    """About ``width`` characters of ``text`` around the first of the folded ``words`` it contains (all if short)."""
    text = " ".join(text.split())  # one line: comments and descriptions may hold several
    if len(text) <= width:
        return text
    low = fold(text)
    found = [p for p in (low.find(w) for w in words) if p >= 0]
    pos = min(found, default=0)
    start = max(0, pos - min(12, width // 3))  # a little context, and the match within a narrow column's reach
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def match_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``words`` occur in ``text``, case and accents aside, as sorted (start, length) spans of ``text``.

    Every occurrence of every word counts; spans that overlap or touch are merged,
    so "pot poteau" marks "Poteau" once. Positions are those of ``text`` (Python
    characters): :func:`fold` keeps one character for one, so a place in the folded
    text is the same place in the original.
    """
    folded = fold(text)
    found = []
    for word in {fold(w) for w in words if w}:
        start = folded.find(word)
        while start >= 0:
            found.append((start, start + len(word)))
            start = folded.find(word, start + 1)
    spans: list[list[int]] = []
    for start, end in sorted(found):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(start, end - start) for start, end in spans]


# --------------------------------------------------------------------------- hits


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
    tier: int = INSIDE  # WHOLE_ID … INSIDE

    @property
    def strength(self) -> int:
        """How strongly it matches, on the scale shared with issues (IDENTIFIER … ELSEWHERE)."""
        field = FIELD_RANK.get(self.field, GLOBAL_ID)
        if self.tier == WHOLE_ID:
            return IDENTIFIER
        if self.tier == WHOLE_NAME or (self.tier == WHOLE_VALUE and field != PROPERTY):
            return EXACT
        if self.tier == NAME_START:
            return PREFIX
        if self.tier == WORD_START and field not in (PROPERTY, GLOBAL_ID):
            return WORD
        return ELSEWHERE


@dataclass(frozen=True)
class ElementResults:
    """The best hits of a search and how many elements matched in all."""

    hits: tuple[SearchHit, ...]
    total: int

    @property
    def more(self) -> int:
        """Matches not among ``hits``."""
        return self.total - len(self.hits)


# --------------------------------------------------------------------------- index


class _Postings:
    """Distinct keys in sorted order, each with the elements holding it; the elements of
    one key, or of every key starting with a prefix, are one slice of one array."""

    def __init__(self, entries: Mapping[str, Iterable[int]]):
        self.keys = sorted(entries)
        lists = [np.fromiter(set(entries[k]), np.int32) for k in self.keys]
        sizes = np.fromiter((len(x) for x in lists), np.int64, len(lists))
        self.starts = np.zeros(len(lists) + 1, np.int64)
        np.cumsum(sizes, out=self.starts[1:])
        self.elements = np.concatenate(lists) if lists else np.zeros(0, np.int32)

    def exact(self, key: str) -> np.ndarray:
        i = bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            return self.elements[self.starts[i]:self.starts[i + 1]]
        return self.elements[:0]

    def prefix(self, prefix: str) -> np.ndarray:
        lo = bisect_left(self.keys, prefix)
        hi = bisect_left(self.keys, prefix + "\U0010ffff", lo)
        return self.elements[self.starts[lo]:self.starts[hi]]


def _postings(values: Sequence[str], split: bool) -> _Postings:
    entries: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        if not value:
            continue
        for key in (_words(value) if split else (value,)):
            entries.setdefault(key, []).append(i)
    return _Postings(entries)


def _words(value: str) -> set[str]:
    return {w for w in _WORD_BOUNDARY.split(value) if w}


def _class_keys(folded_class: str) -> tuple[str, ...]:
    return (folded_class, folded_class[3:]) if folded_class.startswith("ifc") else (folded_class,)


class _Properties:
    """One model's property values, folded and indexed."""

    def __init__(self, values: Sequence[Sequence[str]]):
        self.original = [_PROPERTY_SEPARATOR.join(v) for v in values]
        self.text = [fold(t) for t in self.original]
        self.values = [frozenset(fold(x) for x in v) for v in values]
        whole: dict[str, list[int]] = {}
        words: dict[str, list[int]] = {}
        for i, folded in enumerate(self.values):
            for value in folded:
                whole.setdefault(value, []).append(i)
                for w in _words(value):
                    words.setdefault(w, []).append(i)
        self.whole = _Postings(whole)
        self.words = _Postings(words)


class ModelSearchIndex:
    """The search structures of one model's elements (see the module docstring).

    Built once, read by any number of searches, from any thread.
    """

    def __init__(self, model_id: str, records: Sequence[ElementRecord],
                 properties: Sequence[Sequence[str]] | None = None):
        self.model_id = model_id
        self.records = records if isinstance(records, list) else list(records)
        self.gid = [r.global_id.lower() for r in self.records]
        self.name = [fold(r.name) for r in self.records]
        self.type = [fold(r.type_name) for r in self.records]
        self.cls = [r.ifc_class.lower() for r in self.records]
        self.storey = [fold(r.storey) for r in self.records]
        self._attribute_text = ["\x1f".join(x) for x in zip(self.gid, self.name, self.type, self.cls, self.storey)]
        self.by_gid = _postings(self.gid, split=False)
        self.by_name = _postings(self.name, split=False)
        self.by_type = _postings(self.type, split=False)
        self.by_storey = _postings(self.storey, split=False)
        classes: dict[str, list[int]] = {}
        for i, c in enumerate(self.cls):
            for key in _class_keys(c):
                classes.setdefault(key, []).append(i)
        self.by_class = _Postings(classes)
        self.name_words = _postings(self.name, split=True)
        self.type_words = _postings(self.type, split=True)
        self.storey_words = _postings(self.storey, split=True)
        order = sorted(range(len(self.records)), key=self.name.__getitem__)
        self.name_order = np.empty(len(self.records), np.int64)
        self.name_order[order] = np.arange(len(self.records))
        self.name_position = self.name_order.tolist()
        self.properties: _Properties | None = None
        self.haystack = self._attribute_text
        if properties is not None:
            self._set_properties(properties)

    def _set_properties(self, properties: Sequence[Sequence[str]]) -> None:
        if len(properties) != len(self.records):
            raise ValueError(f"{self.model_id}: {len(properties)} property lists for {len(self.records)} elements")
        self.properties = _Properties(properties)
        self.haystack = [a + "\x1f" + p for a, p in zip(self._attribute_text, self.properties.text)]

    def with_properties(self, properties: Sequence[Sequence[str]]) -> "ModelSearchIndex":
        """A copy that also searches property values (one list of value texts per element, in order)."""
        copy = _copy(self)
        copy._set_properties(properties)
        return copy

    @property
    def has_properties(self) -> bool:
        return self.properties is not None

    def __len__(self) -> int:
        return len(self.records)

    # -- searching ---------------------------------------------------------------------

    def candidates(self, words: Sequence[str]) -> list[int]:
        """Elements holding every word somewhere (the matches, unranked)."""
        haystack = self.haystack
        # the longest word first: it usually leaves the fewest elements for the others
        first, *others = sorted(words, key=len, reverse=True)
        found = [i for i, text in enumerate(haystack) if first in text]
        for w in others:
            found = [i for i in found if w in haystack[i]]
        return found

    def search(self, words: Sequence[str], limit: int) -> tuple[list[tuple[int, int]], int]:
        """The best ``limit`` matches as (code, element) in rank order, and the number of matches."""
        found = self.candidates(words)
        if not found or limit <= 0:
            return [], len(found)
        if len(found) <= DIRECT_RANKING:
            ranked = sorted((self.code(i, words), self.name_position[i], i) for i in found)
            return [(code, i) for code, _pos, i in ranked[:limit]], len(found)
        return self._search_many(words, np.asarray(found, np.int64), limit), len(found)

    def code(self, i: int, words: Sequence[str]) -> int:
        """Element ``i``'s rank code for ``words`` (each word already known to occur in it)."""
        code = min(self._word_code(i, w) for w in words)
        return min(code, self._phrase_code(i, " ".join(words))) if len(words) > 1 else code

    def _phrase_code(self, i: int, phrase: str) -> int:
        # "ei 60" typed whole is the value EI 60, not a name with 60 in it
        s = _FIELD_SLOTS
        if self.name[i] == phrase:
            return WHOLE_NAME * s + NAME
        for field, value in ((TYPE, self.type[i]), (STOREY, self.storey[i])):
            if value == phrase:
                return WHOLE_VALUE * s + field
        if self.properties is not None and phrase in self.properties.values[i]:
            return WHOLE_VALUE * s + PROPERTY
        if self.name[i].startswith(phrase):
            return NAME_START * s + NAME
        return int(_NONE)

    def _word_code(self, i: int, w: str) -> int:
        s = _FIELD_SLOTS
        gid, name, kind, cls, storey = self.gid[i], self.name[i], self.type[i], self.cls[i], self.storey[i]
        props = self.properties
        if gid == w:
            return WHOLE_ID * s + GLOBAL_ID
        if name == w:
            return WHOLE_NAME * s + NAME
        if kind == w:
            return WHOLE_VALUE * s + TYPE
        if w in _class_keys(cls):
            return WHOLE_VALUE * s + CLASS
        if storey == w:
            return WHOLE_VALUE * s + STOREY
        if props is not None and w in props.values[i]:
            return WHOLE_VALUE * s + PROPERTY
        if name.startswith(w):
            return NAME_START * s + NAME
        if any(x.startswith(w) for x in _words(name)):
            return WORD_START * s + NAME
        if any(x.startswith(w) for x in _words(kind)):
            return WORD_START * s + TYPE
        if any(x.startswith(w) for x in _class_keys(cls)):
            return WORD_START * s + CLASS
        if any(x.startswith(w) for x in _words(storey)):
            return WORD_START * s + STOREY
        if props is not None and any(x.startswith(w) for v in props.values[i] for x in _words(v)):
            return WORD_START * s + PROPERTY
        if gid.startswith(w):
            return WORD_START * s + GLOBAL_ID
        for field, value in ((NAME, name), (TYPE, kind), (CLASS, cls), (STOREY, storey)):
            if w in value:
                return INSIDE * s + field
        if props is not None and w in props.text[i]:
            return INSIDE * s + PROPERTY
        return INSIDE * s + GLOBAL_ID

    def _search_many(self, words: Sequence[str], found: np.ndarray, limit: int) -> list[tuple[int, int]]:
        # Ranks 0-4 come from the sorted keys, a slice per field; only elements matched
        # nowhere but inside a field need looking at one by one, and only until the
        # best ``limit`` are known.
        s = _FIELD_SLOTS
        n = len(self.records)
        codes = np.full(n, _NONE, np.int16)
        props = self.properties
        for w in words:
            word_codes = np.full(n, _NONE, np.int16)
            # worst first: a better rank written later wins
            steps = [(WORD_START, GLOBAL_ID, self.by_gid.prefix(w))]
            if props is not None:
                steps.append((WORD_START, PROPERTY, props.words.prefix(w)))
            steps += [(WORD_START, STOREY, self.storey_words.prefix(w)), (WORD_START, CLASS, self.by_class.prefix(w)),
                      (WORD_START, TYPE, self.type_words.prefix(w)), (WORD_START, NAME, self.name_words.prefix(w)),
                      (NAME_START, NAME, self.by_name.prefix(w))]
            if props is not None:
                steps.append((WHOLE_VALUE, PROPERTY, props.whole.exact(w)))
            steps += [(WHOLE_VALUE, STOREY, self.by_storey.exact(w)), (WHOLE_VALUE, CLASS, self.by_class.exact(w)),
                      (WHOLE_VALUE, TYPE, self.by_type.exact(w)), (WHOLE_NAME, NAME, self.by_name.exact(w)),
                      (WHOLE_ID, GLOBAL_ID, self.by_gid.exact(w))]
            for rank, field, elements in steps:
                if len(elements):
                    word_codes[elements] = rank * s + field
            np.minimum(codes, word_codes, out=codes)
        if len(words) > 1:
            phrase = " ".join(words)
            steps = [(NAME_START, NAME, self.by_name.prefix(phrase))]
            if props is not None:
                steps.append((WHOLE_VALUE, PROPERTY, props.whole.exact(phrase)))
            steps += [(WHOLE_VALUE, STOREY, self.by_storey.exact(phrase)),
                      (WHOLE_VALUE, TYPE, self.by_type.exact(phrase)), (WHOLE_NAME, NAME, self.by_name.exact(phrase))]
            for rank, field, elements in steps:
                if len(elements):
                    codes[elements] = np.minimum(codes[elements], rank * s + field)
        found_codes = codes[found]
        ranked = found[found_codes != _NONE]
        result = _top(ranked, codes[ranked], self.name_order, limit)
        if len(result) >= limit:
            return result
        return result + self._inside(words, found[found_codes == _NONE], limit - len(result))

    def _inside(self, words: Sequence[str], rest: np.ndarray, limit: int) -> list[tuple[int, int]]:
        """The best ``limit`` of ``rest``, elements matched only inside a field."""
        result: list[tuple[int, int]] = []
        remaining = rest.tolist()
        columns = [(NAME, self.name), (TYPE, self.type), (CLASS, self.cls), (STOREY, self.storey)]
        if self.properties is not None:
            columns.append((PROPERTY, self.properties.text))
        columns.append((GLOBAL_ID, self.gid))
        for field, column in columns:
            if len(result) >= limit or not remaining:
                break
            hit = [i for i in remaining if any(w in column[i] for w in words)]
            if not hit:
                continue
            hit_set = set(hit)
            remaining = [i for i in remaining if i not in hit_set]
            hit.sort(key=self.name_position.__getitem__)
            result += [(INSIDE * _FIELD_SLOTS + field, i) for i in hit[:limit - len(result)]]
        return result

    def hit(self, code: int, i: int, words: Sequence[str]) -> SearchHit:
        """The :class:`SearchHit` for element ``i`` found with rank code ``code``."""
        record = self.records[i]
        rank, field = divmod(int(code), _FIELD_SLOTS)
        value = {NAME: record.name, TYPE: record.type_name, CLASS: record.ifc_class, STOREY: record.storey,
                 GLOBAL_ID: record.global_id}.get(field)
        if field == PROPERTY and self.properties is not None:
            value = snippet(self.properties.original[i], words)
        return SearchHit((self.model_id, record.global_id), record.ifc_class, record.name, record.storey,
                         FIELDS[field], value or "", (int(code), self.name[i]), rank)


def _top(elements: np.ndarray, codes: np.ndarray, name_order: np.ndarray, limit: int) -> list[tuple[int, int]]:
    if not len(elements):
        return []
    key = codes.astype(np.int64) * (len(name_order) + 1) + name_order[elements]
    if len(key) > limit:
        keep = np.argpartition(key, limit - 1)[:limit]
        elements, codes, key = elements[keep], codes[keep], key[keep]
    order = np.argsort(key, kind="stable")
    return list(zip(codes[order].tolist(), elements[order].tolist()))


class ElementIndex:
    """Search over several models' indexes at once (a federation), results merged by rank."""

    def __init__(self, models: Sequence[ModelSearchIndex] = ()):
        self.models = list(models)

    def __len__(self) -> int:
        return sum(len(m) for m in self.models)

    def search(self, text: str, limit: int = 50) -> ElementResults:
        """The best ``limit`` elements for ``text`` and how many matched (see the module docstring)."""
        words = query_words(text)
        if not words:
            return ElementResults((), 0)
        merged, total = [], 0
        for position, model in enumerate(self.models):
            found, count = model.search(words, limit)
            total += count
            merged += [(code, model.name[i], position, i) for code, i in found]
        merged.sort()
        hits = tuple(self.models[position].hit(code, i, words) for code, _name, position, i in merged[:limit])
        return ElementResults(hits, total)


# --------------------------------------------------------------------------- federation

_BUILD_LOCK = threading.Lock()
_PROPERTIES_LOCK = threading.Lock()  # apart: reading property values takes long and attribute searches go on


def ifc_property_values(ifc) -> dict[str, tuple[str, ...]]:
    """GlobalId → every property and quantity value of the element, as display texts."""
    import ifcopenshell.util.element

    from bim.properties import format_value

    values = {}
    for element in list(ifc.by_type("IfcElement")) + list(ifc.by_type("IfcSpace")):
        texts = []
        for props in ifcopenshell.util.element.get_psets(element).values():
            texts.extend(format_value(v) for k, v in props.items() if k != "id")
        values[element.GlobalId] = tuple(t for t in texts if t)
    return values


def model_index(model: LoadedModel, include_properties: bool = False) -> ModelSearchIndex:
    """The search index of one loaded model, built on first use and kept on the model.

    With ``include_properties`` the IFC file is parsed (if a warm open skipped it) and
    every element's property values are read: seconds on a large model, once.
    """
    index = _cached(model)
    if index is None:
        with _BUILD_LOCK:
            index = _cached(model)
            if index is None:
                index = ModelSearchIndex(model.model_id, model.elements)
                model._search_index = index
    if include_properties and not index.has_properties:
        with _PROPERTIES_LOCK:
            index = _cached(model)
            if not index.has_properties:
                values = ifc_property_values(model.ifc())
                index = index.with_properties([values.get(r.global_id, ()) for r in model.elements])
                model._search_index = index
    return index


def _cached(model: LoadedModel) -> ModelSearchIndex | None:
    index = model.__dict__.get("_search_index")
    if index is None or index.records is not model.elements:
        return None
    if index.model_id != model.model_id:  # the federation renamed the model: same elements, new key
        index = _copy(index, model_id=model.model_id)
        model._search_index = index
    return index


def _copy(index: ModelSearchIndex, **changes) -> ModelSearchIndex:
    copy = object.__new__(ModelSearchIndex)
    copy.__dict__.update(index.__dict__)
    copy.__dict__.update(changes)
    return copy


def properties_ready(model: LoadedModel) -> bool:
    """True if ``model``'s index already searches property values."""
    index = model.__dict__.get("_search_index")
    return index is not None and index.has_properties and index.records is model.elements


def federation_index(federation: Federation, include_properties: bool = True,
                     only_ready: bool = False) -> ElementIndex:
    """An :class:`ElementIndex` over the federation's models (each model's index is reused).

    ``only_ready``: property values only where they are already indexed (no parsing now).
    """
    models = []
    for model in federation:
        wanted = include_properties and (not only_ready or properties_ready(model))
        models.append(model_index(model, include_properties=wanted))
    return ElementIndex(models)


def search_elements(federation: Federation, text: str, *, limit: int = 500,
                    include_properties: bool = True) -> list[SearchHit]:
    """Elements matching ``text``, best matches first (see the module docstring)."""
    index = federation_index(federation, include_properties=include_properties)
    if not include_properties:
        index = ElementIndex([_without_properties(m) for m in index.models])
    return list(index.search(text, limit).hits)


def _without_properties(index: ModelSearchIndex) -> ModelSearchIndex:
    if not index.has_properties:
        return index
    return _copy(index, properties=None, haystack=index._attribute_text)
