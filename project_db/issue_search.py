"""Ranked search of a project's issues: number, title, labels, assignee, description, comments.

One query finds and ranks the matches in the database and returns the best ones with
the total (labels and assignees, a few dozen values, are matched in Python first);
one or two small queries then fetch the comment or label that matched, for the
snippet. Matching works as for elements (:mod:`bim.search`): case- and
accent-insensitive both ways (on SQLite, Python functions registered on the
connection fold the texts with :func:`bim.search.fold` and test them; PostgreSQL
matches the raw columns with a regular expression accepting every case and accent of
each letter of the folded query), and every word must occur in some field. An
issue is scored by the first field holding each word, so a word found in every
comment costs one scan of the comments, as a rare one does.

Ranking, best first: the issue number ("#123" or "123"), then the title, labels,
assignee, description and comments; within a field, the whole text, its start, the
start of a word, anywhere. Ties go to the newest issue (highest number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Integer, Text, case, func, literal, select
from sqlalchemy.orm import Session

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


class _PythonMatcher:
    """SQLite: Python functions on the connection fold the texts (remembered between
    searches) and test them, one call per text and word; cheaper than folding with one
    call and comparing with LIKE, and a title's tier is one call instead of four LIKEs."""

    @staticmethod
    def contains(column, word: str):
        return func.synthese_contains(column, literal(word, Text), type_=Boolean)

    @staticmethod
    def tier(column, word: str):
        return func.synthese_tier(column, literal(word, Text), type_=Integer)

    @staticmethod
    def least(*scores):
        return func.min(*scores)  # SQLite's min() of several arguments is the scalar one


class _RegexMatcher:
    """PostgreSQL: raw columns against a regular expression that accepts every case and
    accent of each letter (``translate`` over a long table costs seconds on 50,000 comments)."""

    @staticmethod
    def contains(column, word: str):
        return column.regexp_match(_pattern(word))

    @staticmethod
    def tier(column, word: str):
        pattern = _pattern(word)
        starts = "".join("\\" + b if b in _REGEX_SPECIAL or b == "-" else b for b in _WORD_STARTS)
        return case((column.regexp_match(pattern),
                     case((column.regexp_match("^" + pattern + "$"), 0), (column.regexp_match("^" + pattern), 1),
                          (column.regexp_match("[" + starts + "]" + pattern), 2), else_=3)))

    @staticmethod
    def least(*scores):
        return func.least(*scores)


def _in_comments(matches):
    # Not correlated: one scan of the comments, its issues hashed (PostgreSQL) or put
    # in a temporary index (SQLite), done only when some issue gets that far. Per issue
    # instead (EXISTS), a word in every comment costs one comment an issue, but a rare
    # one costs an index lookup per comment on top of the same scan: twice as slow.
    return DbIssue.id.in_(select(DbComment.issue_id).where(DbComment.deleted.is_(False), matches))


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
        driver = connection.connection.driver_connection
        driver.create_function("synthese_contains", 2, _contains, deterministic=True)
        driver.create_function("synthese_tier", 2, _tier, deterministic=True)
        return _PythonMatcher()
    return _RegexMatcher()


_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 400_000  # texts; about 100 MB at worst, forgotten all at once past that


def _fold_remembered(text: str) -> str:
    # The same titles and comments are folded at every keystroke: remembering them
    # halves the cost of a search on SQLite (a lookup instead of a fold).
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        folded = _FOLDED[text] = fold(text)
    return folded


def _contains(text: str | None, word: str) -> bool:
    return text is not None and word in _fold_remembered(text)


def _tier(text: str | None, word: str) -> int | None:
    return None if text is None else tier_of(_fold_remembered(text), word)


def _ranked_query(words: list[str], limit: int, match, labels: list[dict[str, int]],
                  assignees: list[dict[str, int]]):
    # One pass over the issues per word gives each issue the score of the first field
    # holding the word, in rank order, or NULL (COALESCE stops there: a title match
    # never looks further), so a word found in all 50,000 comments no longer makes
    # 50,000 rows to group, rank and join. Each word only looks at the issues the
    # previous (longer) words kept, in materialised steps, so no score is computed
    # twice. The survivors are counted and ranked; only the best ``limit`` are joined
    # to their details.
    order = sorted(range(len(words)), key=lambda k: len(words[k]), reverse=True)
    kept = None
    for step, k in enumerate(order):
        source = DbIssue if kept is None else kept.join(DbIssue, DbIssue.id == kept.c.issue_id)
        carried = [DbIssue.id.label("issue_id"), DbIssue.number.label("number")] if kept is None else \
            [kept.c.issue_id, kept.c.number, *(kept.c[f"s{j}"] for j in order[:step])]
        query = select(*carried, _word_score(words[k], match, labels[k], assignees[k]).label(f"s{k}")) \
            .select_from(source).where(DbIssue.deleted.is_(False))
        if kept is not None:
            query = query.where(kept.c[f"s{order[step - 1]}"].is_not(None))
        kept = query.cte(f"scored_{step}").prefix_with("MATERIALIZED")
    scores = [kept.c[f"s{k}"] for k in range(len(words))]
    best = scores[0] if len(words) == 1 else match.least(*scores)
    matched = kept.c[f"s{order[-1]}"].is_not(None)
    ranked = (
        select(kept.c.issue_id, best.label("best"))
        .where(matched)
        .order_by(best, kept.c.number.desc())
        .limit(limit)
        .subquery("ranked")
    )
    # counted apart: a window count over 10,000 matches costs SQLite more than the rest
    total = select(func.count()).select_from(kept).where(matched).scalar_subquery()
    return (
        select(ranked.c.issue_id, ranked.c.best, total.label("total"), DbIssue.number, DbIssue.title,
               DbIssue.status, DbIssue.assigned_to, DbIssue.description, DbTrade.code.label("trade"))
        .join(DbIssue, DbIssue.id == ranked.c.issue_id)
        .outerjoin(DbTrade, DbTrade.id == DbIssue.responsible_trade_id)
        .order_by(ranked.c.best, DbIssue.number.desc())
    )


def _word_score(word: str, match, labels: dict[str, int], assignees: dict[str, int]):
    """An issue's score for ``word`` (field * 4 + tier, see :class:`IssueHit`), NULL where it is nowhere."""
    fields = []
    if word.isdigit() and len(word) < 10:
        fields.append(case((DbIssue.number == int(word), 0)))
    fields.append(1 * _TIERS + match.tier(DbIssue.title, word))
    if labels:
        fields.append(select(2 * _TIERS + func.min(case(labels, value=DbIssueLabel.label)))
                      .where(DbIssueLabel.issue_id == DbIssue.id, DbIssueLabel.label.in_(list(labels)))
                      .scalar_subquery())
    if assignees:
        fields.append(case((DbIssue.assigned_to.in_(list(assignees)),
                            3 * _TIERS + case(assignees, value=DbIssue.assigned_to))))
    fields.append(case((match.contains(DbIssue.description, word), 4 * _TIERS + 3)))
    fields.append(case((_in_comments(match.contains(DbComment.text, word)), 5 * _TIERS + 3)))
    return func.coalesce(*fields)


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
