"""Benchmark of the project database on SQLite and PostgreSQL, printed as a table.

A project with 10,000 issues, 50,000 comments and 10,000 viewpoints with snapshots
(plus their history) is filled in bulk, then timed: the issues panel's rows (one
query), the same filtered by trade, opening one issue (comments, viewpoints,
history), and a BCF export and import of 1,000 topics. Target: panel and filter
≤ 300 ms.

    python bench/bench_issues.py [--issues 10000] [--pg postgresql://postgres@127.0.0.1/postgres]

The PostgreSQL part creates, then drops, its own database on that server; it is
skipped with a note if the server cannot be reached.
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bim.viewpoint import Camera, Colouring, ComponentRef, Viewpoint  # noqa: E402
from project_db import viewpoint_codec  # noqa: E402
from project_db.bcf import export_bcf, import_bcf  # noqa: E402
from project_db.connection import engine_for, open_project  # noqa: E402
from project_db.errors import DatabaseUnavailable, ProjectNotFound  # noqa: E402
from project_db.records import IssueFilter  # noqa: E402
from project_db.schema import (  # noqa: E402
    LABEL_SEPARATOR,
    DbComment,
    DbHistory,
    DbIssue,
    DbIssueLabel,
    DbProjectState,
    DbViewpoint,
)

TRADES = ("ARC", "STR", "CVC", "PLB", "ELE", "VRD", "FAC", "MEN", "CLO", "SPK")
STATUSES = ("Open", "In Progress", "Resolved", "Closed")
PRIORITIES = ("Critical", "High", "Normal", "Low")
LABELS = ("Openings", "Fire safety", "Accessibility", "Maintenance access")
SNAPSHOT_BYTES = 8 * 1024  # a small JPEG-sized thumbnail; real snapshots vary from 20 to 500 kB


def _gid(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$"
    return "".join(rng.choice(alphabet) for _ in range(22))


def fill(project, n_issues: int, comments_per_issue: int = 5, seed: int = 7) -> None:
    """Insert the benchmark data in bulk (straight into the tables, as a migration would)."""
    rng = random.Random(seed)
    now = datetime(2025, 1, 6, tzinfo=timezone.utc)
    with project.transaction() as session:
        trade_ids = dict(session.execute(text("SELECT code, id FROM trades")).all())
    snapshot = b"\x89PNG\r\n\x1a\n" + os.urandom(SNAPSHOT_BYTES)
    batch = 2000
    for start in range(0, n_issues, batch):
        count = min(batch, n_issues - start)
        issues, labels, comments, viewpoints, history = [], [], [], [], []
        for i in range(start + 1, start + count + 1):
            created = now - timedelta(days=rng.randint(0, 700))
            issues.append(dict(
                id=i, guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), number=i,
                title=f"Conflit {rng.choice(TRADES)} / {rng.choice(TRADES)} niveau R+{rng.randint(0, 8)} n°{i}",
                description="Réservation à prévoir dans la voile béton." if i % 3 else None,
                topic_type=rng.choice(("Clash", "Issue", "Request")), status=rng.choice(STATUSES),
                priority=rng.choice(PRIORITIES), stage="EXE", assigned_to=f"user{rng.randint(1, 40)}@x.fr",
                due_date=created + timedelta(days=rng.randint(5, 60)), bcf_index=None, server_assigned_id=None,
                reference_links=[], related_topics=[], bim_snippet=None, snippet_data=None, header_files=[],
                creation_date=created, creation_author=f"user{rng.randint(1, 40)}@x.fr", modified_date=None,
                modified_author=None, responsible_trade_id=trade_ids[rng.choice(TRADES)], location_model=None,
                location_storey=f"R+{rng.randint(0, 8)}", location_space=None,
                linked_elements=[[_gid(rng), "CVC.ifc"]], origin="clash", origin_detail=None,
                fingerprint=f"clash:{i}", deleted=False, deleted_at=None, deleted_by=None, change_seq=1, version=1,
                comment_count=comments_per_issue, viewpoint_count=1, label_text=None,
            ))
            chosen = rng.sample(LABELS, rng.randint(0, 2))
            issues[-1]["label_text"] = LABEL_SEPARATOR.join(chosen) or None
            for ordinal, label in enumerate(chosen):
                labels.append(dict(issue_id=i, label=label, ordinal=ordinal))
            history.append(dict(at=created, author="import", entity="issue", entity_id=i, issue_id=i,
                                field="created", old_value=None, new_value='"x"'))
            for c in range(comments_per_issue):
                comments.append(dict(guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), issue_id=i,
                                     date=created + timedelta(hours=c), author=f"user{rng.randint(1, 40)}@x.fr",
                                     text="Vu en réunion de synthèse, à reprendre par l'entreprise.",
                                     viewpoint_guid=None, modified_date=None, modified_author=None,
                                     deleted=False, version=1))
                history.append(dict(at=created + timedelta(hours=c), author="import", entity="comment",
                                    entity_id=None, issue_id=i, field="comment added", old_value=None,
                                    new_value='"Vu"'))
            vp = Viewpoint(
                camera=Camera((rng.uniform(0, 100), rng.uniform(0, 100), 12.0), (0.0, 1.0, -0.3), (0.0, 0.0, 1.0)),
                default_visibility=True,
                exceptions=tuple(ComponentRef(_gid(rng), "ARC.ifc") for _ in range(20)),
                selection=tuple(ComponentRef(_gid(rng), "CVC.ifc") for _ in range(3)),
                colourings=(Colouring("#FF0000", (ComponentRef(_gid(rng), "CVC.ifc"),)),),
            )
            viewpoints.append(dict(guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), issue_id=i,
                                   bcf_index=0, data=viewpoint_codec.encode(vp), snapshot=snapshot,
                                   snapshot_format="png", created_at=created, created_by="import", deleted=False))
        with project.transaction() as session:
            session.execute(insert(DbIssue.__table__), issues)
            session.execute(insert(DbIssueLabel.__table__), labels) if labels else None
            session.execute(insert(DbComment.__table__), comments)
            session.execute(insert(DbViewpoint.__table__), viewpoints)
            session.execute(insert(DbHistory.__table__), history)
    with project.transaction() as session:
        session.execute(update(DbProjectState).values(next_issue_number=n_issues + 1, change_seq=1))
        if project.backend == "postgresql":
            session.execute(text("SELECT setval(pg_get_serial_sequence('issues', 'id'), :n)"), {"n": n_issues})
            session.execute(text("ANALYZE"))
        else:
            session.execute(text("ANALYZE"))


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """(first run, median of the others) in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:]) if len(times) > 1 else times[0]


def bench(location: str, empty_location: str, n_issues: int, workdir: Path) -> dict[str, tuple]:
    """Fill a project at ``location`` and time the operations; ``empty_location`` receives the BCF import."""
    results: dict[str, tuple] = {}
    project = open_project(location, create=True)
    try:
        start = time.perf_counter()
        fill(project, n_issues)
        results["fill (bulk insert, not a target)"] = ((time.perf_counter() - start) * 1000, None, "")
        rows = project.issues.list_rows()
        results["issues panel: all rows"] = (*timed(lambda: project.issues.list_rows()), f"{len(rows)} rows")
        flt = IssueFilter(trades=("CVC",))
        n = len(project.issues.list_rows(flt))
        results["filter by trade (CVC)"] = (*timed(lambda: project.issues.list_rows(flt)), f"{n} rows")
        flt2 = IssueFilter(trades=("CVC",), open_only=True, text="R+3")
        n = len(project.issues.list_rows(flt2))
        results["filter trade+open+text"] = (*timed(lambda: project.issues.list_rows(flt2)), f"{n} rows")
        issue_id = rows[len(rows) // 2].id
        detail = project.issues.detail(issue_id)
        results["open one issue (detail)"] = (*timed(lambda: project.issues.detail(issue_id)),
                                              f"{len(detail.comments)} comments, {len(detail.viewpoints)} vp, "
                                              f"{len(detail.history)} history")
        token = project.changes_since(0).token
        results["change poll, nothing new"] = (*timed(lambda: project.changes_since(token), 20), "")
        ids = [r.id for r in rows[:1000]]
        out = workdir / f"export-{project.backend}.bcf"
        results["BCF 3.0 export, 1,000 topics"] = (*timed(lambda: export_bcf(project, out, issue_ids=ids), 2),
                                                   f"{out.stat().st_size // 1024} kB")
    finally:
        project.close()
    target = open_project(empty_location, create=True)
    try:
        start = time.perf_counter()
        report = import_bcf(target, out, "bench")
        results["BCF 3.0 import, 1,000 topics"] = ((time.perf_counter() - start) * 1000, None,
                                                   f"{report.created} created, {report.comments_added} comments")
    finally:
        target.close()
    return results


def _pg_available(url: str) -> str | None:
    try:
        engine = engine_for(url)
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means "no server": reported, not raised
        return str(error).splitlines()[0]


def _drop_pg(url: str, name: str) -> None:
    admin = engine_for(make_url(url).set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> int:
    """Run the benchmark on SQLite and PostgreSQL and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--pg", default=os.environ.get("SYNTHESE_TEST_PG_URL",
                                                       "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="synthese-bench-"))
    try:
        table = _run_all(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _print(table, args.issues)
    return 0


def _run_all(args: argparse.Namespace, workdir: Path) -> dict[str, dict[str, tuple]]:
    table: dict[str, dict[str, tuple]] = {}
    table["SQLite"] = bench(str(workdir / "bench.synthese"), str(workdir / "import.synthese"), args.issues, workdir)
    problem = _pg_available(args.pg)
    if problem is None:
        names = [f"synthese_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
        urls = [make_url(args.pg).set(database=n).render_as_string(hide_password=False) for n in names]
        try:
            table["PostgreSQL"] = bench(urls[0], urls[1], args.issues, workdir)
        finally:
            for url, name in zip(urls, names):
                try:
                    _drop_pg(url, name)
                except (DatabaseUnavailable, ProjectNotFound):
                    pass
    else:
        print(f"PostgreSQL skipped: {problem}")
    return table


def _print(table: dict[str, dict[str, tuple]], n_issues: int) -> None:
    operations = list(next(iter(table.values())))
    backends = list(table)
    header = f"{'operation':34}" + "".join(f"{b + ' first':>19}{b + ' median':>19}" for b in backends) + "  notes"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{n_issues} issues, {n_issues * 5} comments, {n_issues} viewpoints "
          f"with {SNAPSHOT_BYTES // 1024} kB snapshots; times in ms (target: panel and filter ≤ 300 ms); "
          f"{os.cpu_count()} CPUs, load average {load:.1f}\n")
    print(header)
    print("-" * len(header))
    for op in operations:
        line = f"{op:34}"
        notes = []
        for b in backends:
            first, median, note = table[b][op]
            line += f"{first:19.1f}" + (f"{median:19.1f}" if median is not None else f"{'':19}")
            if note:
                notes.append(f"{b}: {note}")
        print(line + "  " + "; ".join(notes))


if __name__ == "__main__":
    sys.exit(main())
