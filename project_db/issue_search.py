"""Ranked search of a project's issues: number, title, labels, assignee, description, comments.

One query finds and ranks the matches in the database and returns the best ones with
the total (labels and assignees, a few dozen values, are matched in Python first);
one or two small queries then fetch the comment or label that matched, for the
snippet. Matching works as for elements (:mod:`bim.search`): case- and
accent-insensitive both ways (SQLite folds the columns with :func:`bim.search.fold`
itself, registered on the connection; PostgreSQL matches the raw columns with a
regular expression accepting every case and accent of each letter of the folded
query), and every word must occur in some field.

Ranking, best first: the issue number ("#123" or "123"), then the title, labels,
assignee, description and comments; within a field, the whole text, its start, the
start of a word, anywhere. Ties go to the newest issue (highest number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Integer, Text, case, distinct, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from bim.i18n import N_
from bim.search import ELSEWHERE, EXACT, IDENTIFIER, PREFIX, WORD, fold, query_words, snippet
from project_db.schema import DbComment, DbIssue, DbIssueLabel, DbTrade

if TYPE_CHECKING:
    from project_db.connection import Project

DEFAULT_LIMIT = 50
# Fields in rank order, as IssueHit.matched_field gives them, with the names shown to users.
MATCHED_FIELDS = {"number": N_("Number"), "title": N_("Title"), "label": N_("Label"), "assignee": N_("Assignee"),
                  "description": N_("Description"), "comment": N_("Comment")}
_FIELD_CODES = tuple(MATCHED_FIELDS)
_TIERS = 4  # whole, start, word start, anywhere: a score is field * _TIERS + tier
_WORD_STARTS = (" ", "-", "/", "(", "'", "’", "°", "#", "_", ".")
_SQLITE_FOLD = "synthese_fold"


@dataclass(frozen=True)
class IssueHit:
    """One issue found: what matched (a key of :data:`MATCHED_FIELDS`) and the text around it.

    ``score`` orders hits: lower ranks first (field * 4 + whole/start/word/anywhere).
    """

    issue_id: int
    number: int
    title: str
    status: str
    trade: str | None
    matched_field: str
    snippet: str
    score: int

    @property
    def strength(self) -> int:
        """How strongly it matches, on the scale shared with elements (:data:`bim.search.IDENTIFIER` …)."""
        tier = self.score % _TIERS
        if self.matched_field == "number":
            return IDENTIFIER
        if self.matched_field == "title":
            return (EXACT, PREFIX, WORD, ELSEWHERE)[tier]
        # a whole label or assignee is worth a word of a title; the rest is incidental
        return WORD if self.matched_field in ("label", "assignee") and tier == 0 else ELSEWHERE


@dataclass(frozen=True)
class IssueResults:
    """The best hits of a search and how many issues matched in all."""

    hits: tuple[IssueHit, ...]
    total: int

    @property
    def more(self) -> int:
        """Matches not among ``hits``."""
        return self.total - len(self.hits)


class _Folded(FunctionElement):
    """A text column folded by :func:`bim.search.fold` (SQLite only: a Python function on the connection)."""

    type = Text()
    name = "folded"
    inherit_cache = True


@compiles(_Folded)
def _folded_by_python(element, compiler, **kw) -> str:
    return f"{_SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


def _variants() -> dict[str, str]:
    # every character (ASCII, Latin-1, Latin Extended-A/B) that folds to a given one
    found: dict[str, set[str]] = {}
    for code in list(range(0x20, 0x7F)) + list(range(0xC0, 0x250)):
        char = chr(code)
        found.setdefault(fold(char), {fold(char)}).add(char)
    return {k: "".join(sorted(v)) for k, v in found.items()}


_VARIANTS = _variants()
_REGEX_SPECIAL = set("\\^$.|?*+()[]{}")


def search_issues(project: "Project", text: str, limit: int = DEFAULT_LIMIT) -> IssueResults:
    """The best ``limit`` issues (not deleted) for ``text`` and how many matched, in one transaction."""
    words = [w.lstrip("#") or w for w in query_words(text)]
    if not words:
        return IssueResults((), 0)
    with project.transaction() as session:
        matcher = _matcher(session)
        labels = _vocabulary_tiers(session, select(DbIssueLabel.label).distinct(), words)
        assignees = _vocabulary_tiers(session, select(DbIssue.assigned_to).where(
            DbIssue.deleted.is_(False), DbIssue.assigned_to.is_not(None)).distinct(), words)
        rows = session.execute(_ranked_query(words, limit, matcher, labels, assignees)).all()
        if not rows:
            return IssueResults((), 0)
        extras = _matched_texts(session, rows, words)
    hits = tuple(
        IssueHit(issue_id=row.issue_id, number=row.number, title=row.title, status=row.status, trade=row.trade,
                 matched_field=_FIELD_CODES[row.best // _TIERS],
                 snippet=_snippet(row, words, extras), score=int(row.best))
        for row in rows
    )
    return IssueResults(hits, int(rows[0].total))


def _vocabulary_tiers(session: Session, values, words: list[str]) -> list[dict[str, int]]:
    """For each word, the values (labels, assignees: a few dozen) it matches and how (tier)."""
    folded = [(v, _fold_remembered(v)) for v in session.execute(values).scalars() if v]
    return [{v: t for v, f in folded if (t := tier_of(f, w)) is not None} for w in words]


def tier_of(folded: str, word: str) -> int | None:
    """How the folded ``word`` occurs in ``folded``: 0 whole, 1 start, 2 start of a word, 3 anywhere, None not."""
    if word not in folded:
        return None
    if folded == word:
        return 0
    if folded.startswith(word):
        return 1
    return 2 if any(b + word in folded for b in _WORD_STARTS) else 3


class _LikeMatcher:
    """SQLite: columns folded by a Python function (remembered between searches), compared with LIKE."""

    fold_once = True

    @staticmethod
    def prepare(column):
        return _Folded(column)

    def whole(self, column, word: str):
        return column == word

    def start(self, column, word: str):
        return column.like(_escaped(word) + "%", escape="\\")

    def word_start(self, column, word: str):
        return or_(*(column.like("%" + _escaped(b + word) + "%", escape="\\") for b in _WORD_STARTS))

    def anywhere(self, column, word: str):
        return column.like("%" + _escaped(word) + "%", escape="\\")


class _RegexMatcher:
    """PostgreSQL: raw columns against a regular expression that accepts every case and
    accent of each letter (``translate`` over a long table costs seconds on 50,000 comments)."""

    fold_once = False

    @staticmethod
    def prepare(column):
        return column

    def whole(self, column, word: str):
        return column.regexp_match("^" + _pattern(word) + "$")

    def start(self, column, word: str):
        return column.regexp_match("^" + _pattern(word))

    def word_start(self, column, word: str):
        starts = "".join("\\" + b if b in _REGEX_SPECIAL or b == "-" else b for b in _WORD_STARTS)
        return column.regexp_match("[" + starts + "]" + _pattern(word))

    def anywhere(self, column, word: str):
        return column.regexp_match(_pattern(word))


def _pattern(word: str) -> str:
    parts = []
    for char in word:
        variants = _VARIANTS.get(char, char + (char.upper() if len(char.upper()) == 1 else ""))
        if len(variants) > 1:
            parts.append("[" + "".join("\\" + v if v in _REGEX_SPECIAL or v == "-" else v for v in variants) + "]")
        else:
            parts.append("\\" + char if char in _REGEX_SPECIAL else char)
    return "".join(parts)


def _matcher(session: Session):
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # cheap, and sure to be there on whichever pooled connection this transaction got
        connection.connection.driver_connection.create_function(_SQLITE_FOLD, 1, _fold_remembered,
                                                                deterministic=True)
        return _LikeMatcher()
    return _RegexMatcher()


_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 400_000  # texts; about 100 MB at worst, forgotten all at once past that


def _fold_remembered(text: str | None) -> str | None:
    # The same titles and comments are folded at every keystroke: remembering them
    # halves the cost of a search on SQLite (a lookup instead of a fold).
    if text is None:
        return None
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        folded = _FOLDED[text] = fold(text)
    return folded


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _tier(match, column, word: str):
    """0 whole, 1 start, 2 start of a word, 3 anywhere (``column`` is known to contain ``word``)."""
    return case((match.whole(column, word), 0), (match.start(column, word), 1),
                (match.word_start(column, word), 2), else_=3)


def _ranked_query(words: list[str], limit: int, match, labels: list[dict[str, int]],
                  assignees: list[dict[str, int]]):
    # One SELECT per word and field gives (issue, word, score); the issues where every
    # word scored keep their best score. On SQLite the titles are folded once per
    # query (a materialised CTE) for the four tier comparisons; descriptions and
    # comments only need "anywhere"; labels and assignees were matched in Python.
    titles = select(DbIssue.id.label("id"), match.prepare(DbIssue.title).label("title")) \
        .where(DbIssue.deleted.is_(False)).cte("searched_titles")
    if match.fold_once:
        titles = titles.prefix_with("MATERIALIZED")
    description = match.prepare(DbIssue.description)
    comment = match.prepare(DbComment.text)
    parts = []

    def part(issue_id, k: int, score, *conditions) -> None:
        parts.append(select(issue_id.label("issue_id"), literal(k, Integer).label("word"), score.label("score"))
                     .where(*conditions))

    for k, word in enumerate(words):
        if word.isdigit() and len(word) < 10:
            part(DbIssue.id, k, literal(0, Integer), DbIssue.number == int(word))
        part(titles.c.id, k, 1 * _TIERS + _tier(match, titles.c.title, word), match.anywhere(titles.c.title, word))
        if labels[k]:
            part(DbIssueLabel.issue_id, k, 2 * _TIERS + case(labels[k], value=DbIssueLabel.label),
                 DbIssueLabel.label.in_(list(labels[k])))
        if assignees[k]:
            part(DbIssue.id, k, 3 * _TIERS + case(assignees[k], value=DbIssue.assigned_to),
                 DbIssue.assigned_to.in_(list(assignees[k])))
        part(DbIssue.id, k, literal(4 * _TIERS + 3, Integer), DbIssue.deleted.is_(False),
             match.anywhere(description, word))
        part(DbComment.issue_id, k, literal(5 * _TIERS + 3, Integer), DbComment.deleted.is_(False),
             match.anywhere(comment, word))
    hits = union_all(*parts).subquery("hits")
    grouped = (
        select(hits.c.issue_id, func.min(hits.c.score).label("best"))
        .group_by(hits.c.issue_id)
        .having(func.count(distinct(hits.c.word)) == len(words))
        .subquery("grouped")
    )
    return (
        select(grouped.c.issue_id, grouped.c.best, DbIssue.number, DbIssue.title, DbIssue.status,
               DbIssue.assigned_to, DbIssue.description, DbTrade.code.label("trade"),
               func.count().over().label("total"))
        .join(DbIssue, DbIssue.id == grouped.c.issue_id)
        .outerjoin(DbTrade, DbTrade.id == DbIssue.responsible_trade_id)
        .where(DbIssue.deleted.is_(False))
        .order_by(grouped.c.best, DbIssue.number.desc())
        .limit(limit)
    )


def _matched_texts(session: Session, rows, words: list[str]) -> dict[tuple[str, int], str]:
    """The label or comment that matched, for the hits whose best field is one of those."""
    wanted = {code: [r.issue_id for r in rows if _FIELD_CODES[r.best // _TIERS] == code]
              for code in ("label", "comment")}
    found: dict[tuple[str, int], str] = {}
    sources = (("label", select(DbIssueLabel.issue_id, DbIssueLabel.label)
                .where(DbIssueLabel.issue_id.in_(wanted["label"])).order_by(DbIssueLabel.ordinal)),
               ("comment", select(DbComment.issue_id, DbComment.text)
                .where(DbComment.issue_id.in_(wanted["comment"]), DbComment.deleted.is_(False))
                .order_by(DbComment.date, DbComment.id)))
    for code, query in sources:
        if not wanted[code]:
            continue
        for issue_id, text in session.execute(query):
            folded = fold(text)
            if (code, issue_id) not in found and any(w in folded for w in words):
                found[(code, issue_id)] = text
    return found


def _snippet(row, words: list[str], extras: dict[tuple[str, int], str]) -> str:
    field = _FIELD_CODES[row.best // _TIERS]
    if field in ("number", "title"):
        return row.title
    text = {"assignee": row.assigned_to, "description": row.description}.get(field) \
        or extras.get((field, row.issue_id), "")
    return snippet(text, words)
