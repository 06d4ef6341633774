"""Benchmark of the coordination board and the search box, on SQLite and PostgreSQL.

Builds the 10,000-issue project of ``bench_issues.py`` (its generator: 50,000
comments, viewpoints with snapshots, history) on each backend, plus a few comments
with a rare word, and a 100,000-element index of synthetic elements with realistic
names, classes, storeys and property values. Then times:

- the dashboard refresh (``project_db.dashboard.dashboard``);
- the search box for typical queries: elements alone (index prebuilt, as between
  keystrokes), issues alone (SQL), and both combined (run one after the other here;
  the window runs them in parallel, so this is the worst case).

Target: a search answered within 200 ms (median and 95th percentile are shown; the
verdict uses the 95th percentile of the combined search).

Each is compared, in the same run, with a reference timed alternately with it (ratio
= ours / reference, median over median; below 1: we are faster):

- dashboard: the one issue-list query it builds on (``project.issues.list_rows()``),
  so the ratio is the dashboard's own overhead;
- issues: the most direct unranked SQL, per typed word ``title ILIKE %w% OR
  description ILIKE %w% OR comments.text ILIKE %w%`` over issues LEFT JOIN comments,
  its first 50 distinct ids and their COUNT (SQLAlchemy core, same engine); no
  accent folding, no labels, assignees or numbers, no ranking, no snippet;
- elements: a linear scan of the element records, lower-casing the concatenated
  GlobalId, name, class, type, storey and property values of each at every search
  and testing each typed word with ``in``, keeping the first 50 hits and the count.

    python bench/bench_board.py [--quick] [--issues 10000] [--elements 100000] [--repeat 15]
                                [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--sqlite PATH]

``--quick``: 1,000 issues, 10,000 elements, fewer repeats. ``--sqlite PATH`` keeps the
SQLite project there and reuses it on the next run (same issue count). The PostgreSQL
part creates, then drops, its own database; it is skipped with a note if the server
cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import distinct, func, or_, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import bench_issues  # noqa: E402  (the 10,000-issue generator, shared)
from bim.elements import ElementRecord  # noqa: E402
from bim.search import ElementIndex, ModelSearchIndex  # noqa: E402
from project_db.connection import open_project  # noqa: E402
from project_db.dashboard import dashboard  # noqa: E402
from project_db.errors import DatabaseUnavailable, ProjectNotFound  # noqa: E402
from project_db.global_search import search_everything  # noqa: E402
from project_db.issue_search import DEFAULT_LIMIT, search_issues  # noqa: E402
from project_db.records import IssueFilter  # noqa: E402
from project_db.schema import DbComment, DbIssue  # noqa: E402

TARGET_MS = 200.0
RARE_COMMENT_WORD = "carottage"
RARE_PROPERTY = "PV-2023-0042"
NOW = datetime(2025, 1, 6, tzinfo=timezone.utc)

# (ifc class, name pattern, type name, trade) of the synthetic elements
KINDS = (
    ("IfcWall", "Mur ext. béton {n} cm", "Mur béton 20 + isolant 10", "ARC"),
    ("IfcWall", "Cloison plâtre {n}", "Cloison 72/48", "ARC"),
    ("IfcSlab", "Dalle BA {n}", "Dalle pleine 20", "STR"),
    ("IfcColumn", "Poteau C{n}", "Poteau BA 30x30", "STR"),
    ("IfcBeam", "Poutre B{n}", "Poutre BA 20x50", "STR"),
    ("IfcDuctSegment", "Gaine CVC {n}x300", "Gaine rectangulaire acier", "CVC"),
    ("IfcDuctFitting", "Coude gaine {n}", "Coude 90°", "CVC"),
    ("IfcAirTerminal", "Bouche de soufflage {n}", "Diffuseur plafond", "CVC"),
    ("IfcPipeSegment", "Tuyau EU Ø{n}", "PVC évacuation", "PLB"),
    ("IfcValve", "Vanne d'arrêt {n}", "Vanne 1/4 tour", "PLB"),
    ("IfcCableCarrierSegment", "Chemin de câbles {n}", "CDC dalle marine 300", "ELE"),
    ("IfcLightFixture", "Luminaire {n}", "Luminaire LED 600x600", "ELE"),
    ("IfcDoor", "Porte {n}", "Porte 90x210 EI 30", "MEN"),
    ("IfcWindow", "Fenêtre {n}", "Fenêtre 120x135", "MEN"),
    ("IfcSpace", "Local {n}", "", "ARC"),
)
STOREYS = ("SS1", "RDC") + tuple(f"R+{i}" for i in range(1, 9))
MATERIALS = ("Béton C30/37", "Acier S235", "Plâtre BA13", "Acier galvanisé", "PVC", "Aluminium")
FIRE = ("EI 30", "EI 60", "REI 60", "REI 120", "")


def synthetic_models(n_elements: int, seed: int = 11) -> list[tuple[str, list[ElementRecord], list[tuple[str, ...]]]]:
    """``n_elements`` elements over one model per trade: (model id, records, property values)."""
    rng = random.Random(seed)
    models: dict[str, tuple[list[ElementRecord], list[tuple[str, ...]]]] = {}
    for i in range(n_elements):
        ifc_class, name, type_name, trade = rng.choice(KINDS)
        records, props = models.setdefault(trade, ([], []))
        records.append(ElementRecord(bench_issues._gid(rng), ifc_class, name.format(n=rng.randint(1, 400)),
                                     rng.choice(STOREYS), type_name, i + 1))
        values = [rng.choice(MATERIALS), rng.choice(("Yes", "No")), f"{rng.uniform(0.1, 30):.3g}",
                  f"Lot {trade}", rng.choice(FIRE)]
        if i % (n_elements // 3 or 1) == 17:
            values.append(RARE_PROPERTY)
        props.append(tuple(v for v in values if v))
    return [(f"bench-{trade}", records, props) for trade, (records, props) in models.items()]


Models = list[tuple[str, list[ElementRecord], list[tuple[str, ...]]]]


def build_index(n_elements: int) -> tuple[ElementIndex, dict[str, float], Models]:
    """The element index, how long its parts took to build (ms), and the models it indexes."""
    models = synthetic_models(n_elements)
    start = time.perf_counter()
    bare = [ModelSearchIndex(model_id, records) for model_id, records, _props in models]
    attributes_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    full = [index.with_properties(props) for index, (_m, _r, props) in zip(bare, models)]
    properties_ms = (time.perf_counter() - start) * 1000
    builds = {"index build: attributes": attributes_ms, "index build: property values": properties_ms}
    return ElementIndex(full), builds, models


def queries(index: ElementIndex, n_issues: int) -> list[tuple[str, str]]:
    """(what it stands for, the text typed)."""
    some = index.models[0].records[len(index.models[0].records) // 2]
    number = min(4521, n_issues)
    return [
        ("a GlobalId", some.global_id),
        ("an issue number", f"#{number}"),
        ("a word in titles", "CVC"),
        ("a word only in comments", "réunion"),
        ("a rare word only in comments", RARE_COMMENT_WORD),
        ("a class", "IfcDuct"),
        ("a storey", "R+3"),
        ("a rare property value", RARE_PROPERTY),
        ("two words", "poteau C12"),
        ("1 letter", "g"),
        ("2 letters", "ga"),
    ]


def measure(fn, repeat: int) -> tuple[float, float]:
    """(median, 95th percentile) in ms over ``repeat`` runs, after one warm-up run."""
    return measure_pair(fn, None, repeat)[0]


def measure_pair(ours, reference, repeat: int) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """(median, p95) of ``ours`` and of ``reference`` (None: not timed), run alternately
    after one warm-up run each, so that both see the same load on the machine."""
    fns = [fn for fn in (ours, reference) if fn is not None]
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        fn()
    for _ in range(repeat):
        for fn, kept in zip(fns, times):
            start = time.perf_counter()
            fn()
            kept.append((time.perf_counter() - start) * 1000)
    stats = [_stats(kept) for kept in times]
    return stats[0], (stats[1] if reference is not None else None)


def _stats(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]


def reference_issue_search(project, text: str, limit: int = DEFAULT_LIMIT) -> tuple[list[int], int]:
    """The reference for issues: plain unranked SQL, as a developer would first write it."""
    words = [w.lstrip("#") or w for w in text.split()]
    matches = [or_(DbIssue.title.ilike(f"%{w}%"), DbIssue.description.ilike(f"%{w}%"),
                   DbComment.text.ilike(f"%{w}%")) for w in words]
    joined = DbIssue.__table__.outerjoin(
        DbComment.__table__, (DbComment.issue_id == DbIssue.id) & DbComment.deleted.is_(False))
    found = select(DbIssue.id).distinct().select_from(joined).where(DbIssue.deleted.is_(False), *matches)
    count = select(func.count(distinct(DbIssue.id))).select_from(joined).where(DbIssue.deleted.is_(False), *matches)
    with project.engine.connect() as connection:
        ids = list(connection.execute(found.limit(limit)).scalars())
        return ids, connection.execute(count).scalar_one()


def reference_element_search(models: Models, text: str, limit: int = DEFAULT_LIMIT) -> tuple[list[str], int]:
    """The reference for elements: every record's texts joined and lower-cased, then ``in``."""
    words = text.lower().split()
    hits: list[str] = []
    total = 0
    for _model_id, records, props in models:
        for record, values in zip(records, props):
            haystack = " ".join((record.global_id, record.name, record.ifc_class, record.type_name,
                                 record.storey, *values)).lower()
            if all(w in haystack for w in words):
                total += 1
                if len(hits) < limit:
                    hits.append(record.global_id)
    return hits, total


def prepare(location: str, n_issues: int, reuse: bool = False):
    """The benchmark project at ``location``, filled unless ``reuse`` finds it already filled."""
    project = open_project(location, create=True)
    if reuse and len(project.issues.list_rows()) == n_issues:
        return project
    bench_issues.fill(project, n_issues)
    # the generator's comments all say the same; a few carry a word found nowhere else
    for issue_id in range(1, n_issues + 1, max(1, n_issues // 8)):
        project.issues.add_comment(issue_id, f"Prévoir un {RARE_COMMENT_WORD} de la dalle.", "bench")
    return project


def bench_backend(project, index: ElementIndex, models: Models, n_issues: int, repeat: int) -> dict:
    """Dashboard and search timings on one backend, each with its reference's."""
    board, board_ref = measure_pair(lambda: dashboard(project, NOW), lambda: project.issues.list_rows(IssueFilter()),
                                    max(5, repeat // 3))
    result = {"dashboard": board, "dashboard_ref": board_ref, "queries": []}
    for label, text in queries(index, n_issues):
        elements, elements_ref = measure_pair(lambda: index.search(text),
                                              lambda: reference_element_search(models, text), repeat)
        issues, issues_ref = measure_pair(lambda: search_issues(project, text),
                                          lambda: reference_issue_search(project, text), repeat)
        result["queries"].append({
            "label": label, "text": text,
            "elements_found": index.search(text).total, "issues_found": search_issues(project, text).total,
            "elements_ref_found": reference_element_search(models, text)[1],
            "issues_ref_found": reference_issue_search(project, text)[1],
            "elements": elements, "issues": issues, "elements_ref": elements_ref, "issues_ref": issues_ref,
            "combined": measure(lambda: search_everything(project, index, text), repeat),
        })
    return result


def _pg_database(url: str) -> tuple[str, str] | None:
    problem = bench_issues._pg_available(url)
    if problem is not None:
        print(f"PostgreSQL skipped: {problem}")
        return None
    name = f"synthese_bench_{uuid.uuid4().hex[:8]}"
    return name, make_url(url).set(database=name).render_as_string(hide_password=False)


def main(argv: list[str] | None = None) -> int:
    """Build, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 issues, 10,000 elements, fewer repeats")
    parser.add_argument("--issues", type=int)
    parser.add_argument("--elements", type=int)
    parser.add_argument("--repeat", type=int)
    parser.add_argument("--pg", default=os.environ.get("SYNTHESE_TEST_PG_URL",
                                                       "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--sqlite", type=Path, help="keep the SQLite project here and reuse it next time")
    args = parser.parse_args(argv)
    n_issues = args.issues or (1_000 if args.quick else 10_000)
    n_elements = args.elements or (10_000 if args.quick else 100_000)
    repeat = args.repeat or (5 if args.quick else 15)

    start = time.perf_counter()
    index, builds, models = build_index(n_elements)
    print(f"{len(index)} elements indexed in {(time.perf_counter() - start):.1f} s "
          f"(generation included)", flush=True)
    results: dict[str, dict] = {}
    workdir = Path(tempfile.mkdtemp(prefix="synthese-bench-board-"))
    try:
        location = str(args.sqlite) if args.sqlite else str(workdir / "board.synthese")
        started = time.perf_counter()
        project = prepare(location, n_issues, reuse=args.sqlite is not None)
        print(f"SQLite project ready in {time.perf_counter() - started:.0f} s", flush=True)
        try:
            results["SQLite"] = bench_backend(project, index, models, n_issues, repeat)
        finally:
            project.close()
        pg = _pg_database(args.pg)
        if pg is not None:
            name, url = pg
            try:
                started = time.perf_counter()
                project = prepare(url, n_issues)
                print(f"PostgreSQL project ready in {time.perf_counter() - started:.0f} s", flush=True)
                try:
                    results["PostgreSQL"] = bench_backend(project, index, models, n_issues, repeat)
                finally:
                    project.close()
            finally:
                try:
                    bench_issues._drop_pg(url, name)
                except (DatabaseUnavailable, ProjectNotFound):
                    pass
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _print(results, builds, n_issues, len(index), repeat)
    return 0


def _print(results: dict[str, dict], builds: dict[str, float], n_issues: int, n_elements: int, repeat: int) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{n_issues} issues ({n_issues * 5} comments), {n_elements} elements; times in ms, median / p95 "
          f"of {repeat} runs; target: search ≤ {TARGET_MS:.0f} ms (p95, combined); "
          f"{os.cpu_count()} CPUs, load average {load:.1f}\n")
    for label, ms in builds.items():
        print(f"{label:32}{ms:10.0f} ms (once per model, in the background)")
    print()
    for backend, result in results.items():
        (median, p95), (ref_median, ref_p95) = result["dashboard"], result["dashboard_ref"]
        print(f"{backend}: dashboard refresh {median:.0f} / {p95:.0f} ms; reference (its issue list query) "
              f"{ref_median:.0f} / {ref_p95:.0f} ms; ratio {_ratio(median, ref_median)}")
    header = (f"\n{'query':30}{'typed':26}{'backend':12}{'found (el./iss.)':>18}"
              f"{'elements':>16}{'issues':>16}{'combined':>16}  target")
    print(header)
    print("-" * len(header))
    for backend, result in results.items():
        for q in result["queries"]:
            cells = "".join(f"{m:8.1f} /{p:6.1f}" for m, p in (q["elements"], q["issues"], q["combined"]))
            verdict = "PASS" if q["combined"][1] <= TARGET_MS else "MISS"
            found = f"{q['elements_found']} / {q['issues_found']}"
            print(f"{q['label']:30}{q['text'][:25]:26}{backend:12}{found:>18}{cells}  {verdict}")
    _print_comparison(results)


def _print_comparison(results: dict[str, dict]) -> None:
    print("\nCompared with the reference (see the module docstring), median ms; ratio = ours / reference, "
          "below 1: we are faster; found: ours / reference (the reference folds no accents)")
    header = (f"{'query':30}{'backend':12}{'elements: ours':>16}{'ref':>8}{'ratio':>7}{'found':>15}"
              f"{'issues: ours':>14}{'ref':>8}{'ratio':>7}{'found':>14}")
    print(header)
    print("-" * len(header))
    for backend, result in results.items():
        for q in result["queries"]:
            (el, _), (el_ref, _), (iss, _), (iss_ref, _) = q["elements"], q["elements_ref"], q["issues"], q["issues_ref"]
            el_found = f"{q['elements_found']} / {q['elements_ref_found']}"
            iss_found = f"{q['issues_found']} / {q['issues_ref_found']}"
            print(f"{q['label']:30}{backend:12}{el:16.1f}{el_ref:8.1f}{_ratio(el, el_ref):>7}{el_found:>15}"
                  f"{iss:14.1f}{iss_ref:8.1f}{_ratio(iss, iss_ref):>7}{iss_found:>14}")


def _ratio(ours: float, reference: float) -> str:
    return f"{ours / reference:.2f}" if reference > 0 else "-"


if __name__ == "__main__":
    sys.exit(main())
