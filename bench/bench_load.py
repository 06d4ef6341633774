"""Open-to-frame benchmark of the corpus models, against ifcopenshell's own iterator.

One command prints, per model, a table row with:

* **ref**: the raw ``ifcopenshell.geom.iterator`` pass a plain script would do
  (default settings plus world coordinates, ``cpu_count()`` threads, every shape
  iterated and its vertex buffer read), ``ifcopenshell.open`` included;
* **cold**: our open with an empty geometry cache, up to a complete first frame
  (``load_model`` + ``show_model`` in an offscreen 1280×800 scene + ``render()``);
* **warm**: the same in a new process, from the cache the cold run filled;
* triangles drawn, peak RSS of both opens, orbit frame time with interaction LOD,
  one full-detail frame, pick latency (locator build apart), isolate latency;

then the targets with PASS/MISS and, per model, where the cold and warm open
spent their time.

Every open runs in its own subprocess (this file with ``--child``), so each one
starts with cold Python caches, gets its own peak RSS, and the cache directory
is one the benchmark owns (``SYNTHESE_CACHE_DIR`` points at a temporary folder).

Usage (from the repository root)::

    .venv/bin/python bench/bench_load.py [--models a,b] [--repeat N] [--skip-reference]

Only the standard library is imported at module level: the tessellation
workers are spawned and re-import this file, and importing VTK there would only
inflate their memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
if str(REPO) not in sys.path:
    # Run as ``python bench/bench_load.py``: only bench/ is on the path, not the project.
    sys.path.insert(0, str(REPO))

WINDOW_SIZE = (1280, 800)
ORBIT_FRAMES = 20
ORBIT_STEP_DEG = 5.0
FULL_FRAMES = 3
PICK_GRID = (5, 4)  # 20 picks spread over the view
ISOLATE_FRACTION = 0.10
ISOLATE_REPEATS = 10
CHILD_TIMEOUT_S = 1800
JSON_MARK = "BENCH-JSON "

# The model the open-time targets are set on (pick and isolate are checked on the largest).
TARGET_MODEL = "janesville-restaurant"


# --------------------------------------------------------------------------- child helpers


def _peak_rss_mb() -> dict:
    """Peak resident memory so far: this process, and the largest reaped child (a tessellation worker).

    ``ru_maxrss`` is in KiB on Linux; RUSAGE_CHILDREN gives the peak of the largest
    single child waited for, not a sum, hence the worker count next to it.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {"self_mb": own, "worker_mb": workers}


def _emit(result: dict) -> None:
    """Hand the result to the parent: one marked JSON line (libraries may print too)."""
    sys.stdout.write(JSON_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()


class _Phases:
    """Wall time spent in named library functions, by wrapping them in place.

    This splits an open into hash / parse / tessellate / cache read / expand / …
    without changing product code; the wrappers cost microseconds per call.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner, attribute: str, label: str) -> None:
        original = getattr(owner, attribute)
        phases = self

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases.seconds[label] = phases.seconds.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, attribute, timed)


def _instrument() -> _Phases:
    """Wrap the steps of ``load_model`` / ``show_model`` worth naming in the breakdown."""
    from bim import federation, geometry_cache, tessellation
    from viewer.scene import Scene

    phases = _Phases()
    phases.wrap(federation, "file_sha256", "hash")
    phases.wrap(geometry_cache, "load", "cache read")
    phases.wrap(geometry_cache, "store", "cache write")
    phases.wrap(federation, "open_ifc", "parse")
    phases.wrap(federation, "index_model", "index")
    phases.wrap(federation, "summarize", "summary")
    phases.wrap(federation, "tessellate", "tessellate")
    phases.wrap(tessellation.InstancedMesh, "bounds", "bounds")
    phases.wrap(tessellation.InstancedMesh, "expand", "expand")
    # show_model looks add_mesh up on the scene instance; wrapping the class reaches it.
    phases.wrap(Scene, "add_mesh", "scene build")
    return phases


def _frame(scene, window) -> float:
    """Seconds for one complete frame.

    ``WaitForCompletion`` (glFinish) makes llvmpipe finish rasterising before the
    clock stops; otherwise part of a frame would be billed to the next one.
    """
    start = time.perf_counter()
    scene.render()
    window.WaitForCompletion()
    return time.perf_counter() - start


def child_reference(path: Path) -> dict:
    """The plain ifcopenshell pass users would compare with: world coordinates, all threads."""
    import multiprocessing

    import ifcopenshell
    import ifcopenshell.geom

    start = time.perf_counter()
    model = ifcopenshell.open(str(path))
    opened = time.perf_counter()
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    iterator = ifcopenshell.geom.iterator(settings, model, multiprocessing.cpu_count())
    shapes = vertices = triangles = 0
    if iterator.initialize():
        while True:
            geometry = iterator.get().geometry
            # Reading the buffers is what any consumer does at least once per shape.
            vertices += len(geometry.verts_buffer) // 24
            triangles += len(geometry.faces_buffer) // 12
            shapes += 1
            if not iterator.next():
                break
    end = time.perf_counter()
    return {"total_s": end - start, "open_s": opened - start, "iterate_s": end - opened, "shapes": shapes,
            "vertices": vertices, "triangles": triangles, "threads": multiprocessing.cpu_count(), **_peak_rss_mb()}


def child_open(path: Path, interact: bool) -> dict:
    """Open ``path`` (cold or warm: the parent chooses the cache directory) to a first
    complete frame; with ``interact``, then measure orbit, pick and isolate."""
    import numpy as np

    from bim.federation import Federation, load_model
    from viewer.federation_view import show_model
    from viewer.offscreen import offscreen_scene

    phases = _instrument()
    scene, window = offscreen_scene(WINDOW_SIZE)
    # The app's window and GL context exist before any file is opened; making the
    # context here keeps EGL start-up out of the open time.
    _frame(scene, window)
    phases.seconds.clear()

    start = time.perf_counter()
    model = load_model(path)
    loaded = time.perf_counter()
    federation = Federation()
    federation.add(model)
    show_model(scene, federation, model)
    scene.set_standard_view("iso")
    shown = time.perf_counter()
    first_frame = _frame(scene, window)
    end = time.perf_counter()
    result = {
        "total_s": end - start, "load_s": loaded - start, "show_s": shown - loaded, "first_frame_s": first_frame,
        "from_cache": bool(model.from_cache), "elements": len(model.elements), "failures": len(model.failures),
        "triangles": int(scene.drawn_triangle_count()), "phases": dict(phases.seconds), **_peak_rss_mb(),
    }
    if interact:
        result.update(_interaction(scene, window, model, np))
    return result


def _model_on_screen(scene) -> tuple[tuple[float, float], tuple[float, float]]:
    """The screen rectangle (VTK display pixels) the model's bounding box covers, clipped to the window.

    Picks are spread over this rectangle rather than the whole window, so most rays
    meet geometry (a ray that hits nothing is cheap and would flatter the median).
    """
    width, height = WINDOW_SIZE
    box = scene.bounds()
    if box is None:
        return (0.0, 0.0), (float(width), float(height))
    renderer = scene.renderer
    renderer.ResetCameraClippingRange()
    xs, ys = [], []
    for corner in range(8):
        point = [(box[1] if (corner >> k) & 1 else box[0])[k] for k in range(3)]
        renderer.SetWorldPoint(*(float(c) for c in point), 1.0)
        renderer.WorldToDisplay()
        x, y, _z = renderer.GetDisplayPoint()
        xs.append(x)
        ys.append(y)
    x0, x1 = max(0.0, min(xs)), min(float(width), max(xs))
    y0, y1 = max(0.0, min(ys)), min(float(height), max(ys))
    if x1 <= x0 or y1 <= y0:
        return (0.0, 0.0), (float(width), float(height))
    return (x0, y0), (x1, y1)


def _interaction(scene, window, model, np) -> dict:
    """Orbit with LOD, full-detail frames, picking and isolate on the scene just opened."""
    out: dict = {}
    camera = scene.renderer.GetActiveCamera()

    start = time.perf_counter()
    scene.begin_interaction()  # builds the LOD subset on first use
    out["lod_build_s"] = time.perf_counter() - start
    out["lod_triangles"] = int(scene.drawn_triangle_count())
    orbit = []
    for _ in range(ORBIT_FRAMES):
        camera.Azimuth(ORBIT_STEP_DEG)
        orbit.append(_frame(scene, window))
    scene.end_interaction()
    out["orbit_frame_ms"] = 1000 * statistics.median(orbit)
    out["orbit_first_frame_ms"] = 1000 * orbit[0]
    out["restore_frame_ms"] = 1000 * _frame(scene, window)  # first full frame after the camera stops
    full = []
    for _ in range(FULL_FRAMES):
        camera.Azimuth(ORBIT_STEP_DEG)
        full.append(_frame(scene, window))
    out["full_frame_ms"] = 1000 * statistics.median(full)

    start = time.perf_counter()
    scene.prepare_picking()
    out["locator_s"] = time.perf_counter() - start
    cols, rows = PICK_GRID
    (x0, y0), (x1, y1) = _model_on_screen(scene)
    picks, hits = [], 0
    for j in range(rows):
        for i in range(cols):
            x, y = x0 + (i + 0.5) * (x1 - x0) / cols, y0 + (j + 0.5) * (y1 - y0) / rows
            start = time.perf_counter()
            hit = scene.pick(x, y)
            picks.append(time.perf_counter() - start)
            hits += hit is not None
    out["pick_ms"] = 1000 * statistics.median(picks)
    out["pick_max_ms"] = 1000 * max(picks)
    out["pick_hits"] = f"{hits}/{len(picks)}"

    geometry = scene.geometry(model.model_id)
    with_geometry = np.flatnonzero(geometry.element_triangles > 0)
    keys = [(model.model_id, geometry.elements[i].global_id) for i in with_geometry]
    rng = np.random.default_rng(0)
    count = max(1, round(ISOLATE_FRACTION * len(keys)))
    isolate, show_all = [], []
    isolated_frame = None
    for n in range(ISOLATE_REPEATS):
        chosen = [keys[i] for i in rng.choice(len(keys), size=min(count, len(keys)), replace=False)]
        start = time.perf_counter()
        scene.isolate(chosen)
        isolate.append(time.perf_counter() - start)
        if n == 0:
            isolated_frame = _frame(scene, window)
        start = time.perf_counter()
        scene.show_all()
        show_all.append(time.perf_counter() - start)
    out["isolate_ms"] = 1000 * statistics.median(isolate)
    out["show_all_ms"] = 1000 * statistics.median(show_all)
    out["isolated_frame_ms"] = 1000 * isolated_frame
    out["isolate_count"] = count
    return out


# --------------------------------------------------------------------------- parent


def _run_child(args: list[str], env: dict) -> dict:
    """Run this file as a child and return its JSON (or an ``error`` entry)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    try:
        proc = subprocess.run(command, env=env, cwd=str(REPO), capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {CHILD_TIMEOUT_S} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(JSON_MARK):
            return json.loads(line[len(JSON_MARK):])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
    return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}


def _median_results(runs: list[dict]) -> dict:
    """Merge repeated runs: the median of every number, the first value of anything else."""
    good = [r for r in runs if "error" not in r]
    if not good:
        return runs[0]
    merged: dict = {}
    for key, value in good[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[key] = statistics.median(r[key] for r in good if key in r)
        elif isinstance(value, dict):
            merged[key] = _median_results([r[key] for r in good if key in r])
        else:
            merged[key] = value
    return merged


def _log(message: str) -> None:
    """Progress on stderr, so a long run can be followed without mixing into the table."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_model(path: Path, repeat: int, skip_reference: bool) -> dict:
    """Reference, cold and warm opens of one model, each in a fresh process."""
    name = path.stem
    row: dict = {"model": name, "size_mb": path.stat().st_size / 2**20}
    base_env = dict(os.environ)
    if not skip_reference:
        row["ref"] = _median_results([_run_child(["reference", str(path)], base_env) for _ in range(repeat)])
        _log(f"{name}: reference {_fmt(row['ref'].get('total_s'), '.1f')} s")
    colds, warms = [], []
    for _ in range(repeat):
        cache = tempfile.mkdtemp(prefix="synthese-bench-")
        env = {**base_env, "SYNTHESE_CACHE_DIR": cache}
        try:
            colds.append(_run_child(["open", str(path)], env))
            _log(f"{name}: cold {_fmt(colds[-1].get('total_s'), '.2f')} s")
            warms.append(_run_child(["open", str(path), "--interact"], env))
            _log(f"{name}: warm {_fmt(warms[-1].get('total_s'), '.2f')} s")
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    row["cold"], row["warm"] = _median_results(colds), _median_results(warms)
    if "error" not in row["warm"] and not row["warm"].get("from_cache"):
        row["warm"]["error"] = "the warm open did not come from the cache"
    return row


def _fmt(value, spec: str, missing: str = "—") -> str:
    if value is None:
        return missing
    if spec.endswith("d"):  # medians of counts come back as floats
        value = int(round(value))
    return format(value, spec)


def _ratio(a, b) -> float | None:
    return a / b if a is not None and b else None


COLUMNS = (  # header, width, value(row) -> str
    ("model", 36, lambda r: r["model"]),
    ("MB", 5, lambda r: _fmt(r["size_mb"], ".1f")),
    ("ref s", 7, lambda r: _fmt(r.get("ref", {}).get("total_s"), ".1f")),
    ("cold s", 7, lambda r: _fmt(r["cold"].get("total_s"), ".2f")),
    ("warm s", 7, lambda r: _fmt(r["warm"].get("total_s"), ".2f")),
    ("cold/ref", 8, lambda r: _fmt(_ratio(r["cold"].get("total_s"), r.get("ref", {}).get("total_s")), ".2f")),
    ("warm/ref", 8, lambda r: _fmt(_ratio(r["warm"].get("total_s"), r.get("ref", {}).get("total_s")), ".3f")),
    ("triangles", 9, lambda r: _fmt(r["warm"].get("triangles"), ",d")),
    ("RSS cold MB", 11, lambda r: _rss(r["cold"])),
    ("RSS warm MB", 11, lambda r: _rss(r["warm"])),
    ("orbit ms", 8, lambda r: _fmt(r["warm"].get("orbit_frame_ms"), ".0f")),
    ("full ms", 7, lambda r: _fmt(r["warm"].get("full_frame_ms"), ".0f")),
    ("locator s", 9, lambda r: _fmt(r["warm"].get("locator_s"), ".2f")),
    ("pick ms", 7, lambda r: _fmt(r["warm"].get("pick_ms"), ".1f")),
    ("isolate ms", 10, lambda r: _fmt(r["warm"].get("isolate_ms"), ".0f")),
)


def _rss(result: dict) -> str:
    """Main process peak, plus the largest worker's when workers ran (they run side by side)."""
    if result.get("self_mb") is None:
        return "—"
    own = f"{result['self_mb']:.0f}"
    return own + (f"+{result['worker_mb']:.0f}w" if result.get("worker_mb", 0) >= 1 else "")


def _targets(rows: list[dict]) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/MISS/n.a.) for the footer."""
    by_name = {r["model"]: r for r in rows}
    out = []
    jv = by_name.get(TARGET_MODEL)
    cold_ratio = _ratio(jv["cold"].get("total_s"), jv.get("ref", {}).get("total_s")) if jv else None
    out.append((f"{TARGET_MODEL} cold ≤ 0.5× reference", _fmt(cold_ratio, ".2f") + "×",
                "n/a" if cold_ratio is None else ("PASS" if cold_ratio <= 0.5 else "MISS")))
    warm = jv["warm"].get("total_s") if jv else None
    out.append((f"{TARGET_MODEL} warm ≤ 3 s", _fmt(warm, ".2f") + " s",
                "n/a" if warm is None else ("PASS" if warm <= 3.0 else "MISS")))
    measured = [r for r in rows if r["warm"].get("triangles") is not None]
    largest = max(measured, key=lambda r: r["warm"]["triangles"], default=None)
    for label, key, limit in (("pick", "pick_ms", 50.0), ("isolate", "isolate_ms", 100.0)):
        value = largest["warm"].get(key) if largest else None
        where = largest["model"] if largest else "largest model"
        out.append((f"{label} ≤ {limit:.0f} ms on the largest model ({where})", _fmt(value, ".1f") + " ms",
                    "n/a" if value is None else ("PASS" if value <= limit else "MISS")))
    return out


def _breakdown(result: dict) -> str:
    """``phase s`` pairs of one open, largest first, then the render."""
    if "error" in result:
        return "ERROR " + result["error"]
    phases = sorted(result.get("phases", {}).items(), key=lambda kv: -kv[1])
    # "scene build" contains nothing else wrapped; "expand" and "bounds" run inside show/load.
    parts = [f"{k} {v:.2f}" for k, v in phases if v >= 0.005]
    parts.append(f"first render {result['first_frame_s']:.2f}")
    return ", ".join(parts)


def print_report(rows: list[dict], args) -> None:
    header = "  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w, _) in enumerate(COLUMNS))
    print(header)
    print("-" * len(header))
    for r in rows:
        print("  ".join(f(r).rjust(w) if i else f(r).ljust(w) for i, (_, w, f) in enumerate(COLUMNS)))
    print("-" * len(header))
    ref_threads = next((r["ref"].get("threads") for r in rows if "ref" in r and "threads" in r["ref"]), "?")
    print(f"ref: ifcopenshell.open + geom.iterator, default settings + use-world-coords, {ref_threads} threads. "
          f"cold/warm: load_model + show_model + iso fit + first render, {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]} offscreen, "
          f"new process each; medians of {args.repeat}.")
    print(f"orbit: median of {ORBIT_FRAMES} frames Azimuth({ORBIT_STEP_DEG:g}) with LOD; full: median of {FULL_FRAMES} "
          f"full-detail frames; pick: median of {PICK_GRID[0] * PICK_GRID[1]} picks on a grid over the model's screen box after "
          f"prepare_picking (locator s); isolate: median of {ISOLATE_REPEATS} isolates of {ISOLATE_FRACTION:.0%} of the elements. "
          "RSS: peak of the main process (+ largest tessellation worker, w).")
    print(f"1-min load average: {args.load_before:.1f} at start, {args.load_after:.1f} at end "
          f"on {os.cpu_count()} cores (above the core count, other processes shared the CPU).")
    print()
    print("Targets")
    for label, value, verdict in _targets(rows):
        print(f"  {verdict:4}  {label}: {value}")
    print()
    print("Where the time goes (seconds; cold / warm)")
    for r in rows:
        print(f"  {r['model']}")
        print(f"    cold: {_breakdown(r['cold'])}")
        print(f"    warm: {_breakdown(r['warm'])}")
        w = r["warm"]
        if "error" not in w:
            print(f"    view: LOD {w['lod_triangles']:,} tris (build {w['lod_build_s']:.2f} s, first orbit frame "
                  f"{w['orbit_first_frame_ms']:.0f} ms), restore frame {w['restore_frame_ms']:.0f} ms, picks hit "
                  f"{w['pick_hits']} (max {w['pick_max_ms']:.1f} ms), show_all {w['show_all_ms']:.0f} ms, "
                  f"frame after isolate {w['isolated_frame_ms']:.0f} ms")
        ref = r.get("ref", {})
        if "error" in ref:
            print(f"    ref: ERROR {ref['error']}")
        elif ref:
            print(f"    ref: open {ref['open_s']:.2f}, iterate {ref['iterate_s']:.1f}, {ref['shapes']} shapes, "
                  f"{ref['triangles']:,} tris, peak {ref['self_mb']:.0f} MB")


def corpus_models(names: str | None) -> list[Path]:
    """The corpus files to run: all, or those named (file stems; a unique prefix will do)."""
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS} (expected ../shared/corpus next to the repository)")
    files = sorted(CORPUS.glob("*.ifc"), key=lambda p: p.stat().st_size)
    if not names:
        return files
    chosen = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        matches = [p for p in files if p.stem == name] or [p for p in files if p.stem.startswith(name)]
        if len(matches) != 1:
            sys.exit(f"--models: {name!r} matches {len(matches)} corpus files")
        chosen.append(matches[0])
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", help="comma-separated corpus file stems (default: every model)")
    parser.add_argument("--repeat", type=int, default=1, help="opens per model; the table shows medians")
    parser.add_argument("--skip-reference", action="store_true", help="leave out the (slow) ifcopenshell reference")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)  # internal: reference|open PATH
    parser.add_argument("--interact", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, path = args.child[0], Path(args.child[1])
        _emit(child_reference(path) if kind == "reference" else child_open(path, args.interact))
        return 0

    args.repeat = max(1, args.repeat)
    # Other work on the machine shows up as slower frames and opens; record it.
    args.load_before = os.getloadavg()[0]
    rows = []
    for path in corpus_models(args.models):
        rows.append(bench_model(path, args.repeat, args.skip_reference))
    args.load_after = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print_report(rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
