"""Benchmark of clash detection against ifcclash: same pairs, same tolerance, one run each.

For each case, from the IFC files to the list of clashes:

* ours cold — empty geometry cache: open, tessellate, index, cache, then clash;
* ours warm — the geometry cache filled by the cold run (what a re-run after a
  model update costs for the unchanged files, and what the viewer already holds);
* ifcclash — ``ifcclash.Clasher`` in intersection mode, tolerance 10 mm,
  check_all (it opens and tessellates every time; it has no cache). Without the
  ifcclash package, the same ``ifcopenshell.geom.tree`` calls it makes.

Target: warm ≤ 0.5 × ifcclash. Cases: Duplex architecture vs electrical,
Schependomlaan steel vs walls, and the demo (MEP vs every trade) at 1×, 4× and
16× to show how our time grows with the element count.

    .venv/bin/python bench/bench_clash.py [--scales 1,4,16] [--no-corpus] [--json out.json]

Prints a table; never asserts (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ifcopenshell  # noqa: E402
import ifcopenshell.geom  # noqa: E402

from bim.demo import generate_demo  # noqa: E402
from bim.federation import load_model  # noqa: E402
from checks.clash import ClashTest, Selection, run_clash_test  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpus"
TOLERANCE = 0.010
MEP = ("CVC", "PLB", "ELE")


def ours(paths_a: list[Path], paths_b: list[Path], trades: dict[Path, str]) -> tuple[float, int, int]:
    """Seconds from files to clashes, clash count, elements taking part."""
    start = time.perf_counter()
    models = {p: load_model(p, trade=trades.get(p)) for p in dict.fromkeys(paths_a + paths_b)}
    test = ClashTest("bench", a=Selection(models=tuple(models[p].model_id for p in paths_a)),
                     b=Selection(models=tuple(models[p].model_id for p in paths_b)))
    run = run_clash_test(test, list(models.values()))
    return time.perf_counter() - start, len(run.clashes), run.stats.elements_a + run.stats.elements_b


def _ifcclash_package(paths_a, paths_b) -> int:
    import ifcclash.ifcclash as ic

    settings = ic.ClashSettings()
    settings.logger = logging.getLogger("ifcclash")
    settings.output = os.devnull
    clasher = ic.Clasher(settings)
    clash_set = {"name": "bench", "a": [{"file": str(p)} for p in paths_a],
                 "b": [{"file": str(p)} for p in paths_b], "mode": "intersection", "tolerance": TOLERANCE,
                 "check_all": True}
    clasher.clash_sets = [clash_set]
    clasher.clash()
    return len(clash_set["clashes"])


def _tree_calls(paths_a, paths_b) -> int:
    tree = ifcopenshell.geom.tree(backend="opencascade.trianglebvh")
    sides = []
    for paths in (paths_a, paths_b):
        elements = []
        for path in paths:
            model = ifcopenshell.open(str(path))
            chosen = list(set(model.by_type("IfcElement")) - set(model.by_type("IfcFeatureElement")))
            iterator = ifcopenshell.geom.iterator(ifcopenshell.geom.settings(), model, multiprocessing.cpu_count(),
                                                  include=chosen)
            if iterator.initialize():
                while True:
                    tree.add_element(iterator.get())
                    if not iterator.next():
                        break
            elements.extend(chosen)
        sides.append(elements)
    return len(tree.clash_intersection_many(sides[0], sides[1], tolerance=TOLERANCE, check_all=True))


def reference(paths_a: list[Path], paths_b: list[Path]) -> tuple[float, int, str]:
    try:
        import ifcclash  # noqa: F401
        run, name = _ifcclash_package, "ifcclash"
    except ImportError:
        run, name = _tree_calls, "geom.tree"
    start = time.perf_counter()
    count = run(paths_a, paths_b)
    return time.perf_counter() - start, count, name


def measure(label: str, paths_a: list[Path], paths_b: list[Path], trades: dict[Path, str] | None = None) -> dict:
    trades = trades or {}
    with tempfile.TemporaryDirectory(prefix="bench-clash-cache-") as cache:
        os.environ["SYNTHESE_CACHE_DIR"] = cache
        cold, found, elements = ours(paths_a, paths_b, trades)
        warm, found_warm, _ = ours(paths_a, paths_b, trades)
    assert found == found_warm
    ref_time, ref_found, ref_name = reference(paths_a, paths_b)
    row = {"case": label, "elements": elements, "ours_cold_s": round(cold, 3), "ours_warm_s": round(warm, 3),
           "reference": ref_name, "reference_s": round(ref_time, 3), "warm_ratio": round(warm / ref_time, 3),
           "ours_clashes": found, "reference_clashes": ref_found}
    print(f"| {label} | {elements} | {cold:.2f} | {warm:.2f} | {ref_time:.2f} | {warm / ref_time:.2f}× | "
          f"{found} | {ref_found} |", flush=True)
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16", help="demo scales to run (comma-separated)")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus models")
    parser.add_argument("--json", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    print(f"ifcopenshell {ifcopenshell.version}, {os.cpu_count()} CPUs, tolerance {TOLERANCE * 1000:g} mm, hard mode")
    print("| case | elements | ours cold s | ours warm s | ifcclash s | warm / ifcclash | our clashes | its clashes |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    if not args.no_corpus:
        for a, b in (("duplex-architecture", "duplex-electrical"),
                     ("schependomlaan-root-staal", "schependomlaan-root-kalkzandsteen")):
            pa, pb = CORPUS / f"{a}.ifc", CORPUS / f"{b}.ifc"
            if pa.exists() and pb.exists():
                rows.append(measure(f"{a} vs {b}", [pa], [pb]))
            else:
                print(f"| {a} vs {b} | corpus not found at {CORPUS} |")
    with tempfile.TemporaryDirectory(prefix="bench-clash-demo-") as folder:
        for scale in (int(s) for s in args.scales.split(",") if s.strip()):
            project = generate_demo(Path(folder) / f"x{scale}", scale=scale)
            trades = {path: trade for trade, path in project.paths.items()}
            mep = [project.paths[t] for t in MEP]
            rows.append(measure(f"demo {scale}× (MEP vs all)", mep, project.files, trades))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
