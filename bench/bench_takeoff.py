"""Benchmark of the quantity takeoff on the corpus, against ifc5d / ifcopenshell.util.shape.

Per model, in its own process (fresh caches, own memory):

* **load**: ``load_model`` with an empty geometry cache (tessellation, done once
  for the viewer anyway), then **warm**: the same from the cache;
* **takeoff**: ``run_takeoff`` of every element, every quantity (declared and
  computed, layers, discrepancies), on the cached geometry;
* **xlsx**: writing the quantity workbook;
* **ref**: ifc5d's ``qto.quantify`` with its ``IFC4QtoBaseQuantities`` rules on
  every element (it tessellates the model twice, gross and net, and measures
  with ``ifcopenshell.util.shape``); without ifc5d installed, a plain
  ``ifcopenshell.geom.iterator`` pass measuring volume, side, footprint and
  outer areas and extents with ``ifcopenshell.util.shape`` stands in for it;
* ratios: (takeoff + xlsx) / ref (the app's case: geometry already cached) and
  (load + takeoff + xlsx) / ref (a cold command-line run);
* agreement: of the net volumes both computed, how many agree within 1 %.

    .venv/bin/python bench/bench_takeoff.py [--models a,b] [--json out.json]

Prints a table; never asserts (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

JSON_MARK = "BENCH-JSON "
CHILD_TIMEOUT_S = 1800


def _reference_ifc5d(ifc_file) -> tuple[float, dict, str]:
    import ifc5d.qto

    elements = set(ifc_file.by_type("IfcElement")) | set(ifc_file.by_type("IfcSpace"))
    elements = {e for e in elements if not e.is_a("IfcFeatureElement")}
    start = time.perf_counter()
    results = ifc5d.qto.quantify(ifc_file, elements, ifc5d.qto.rules["IFC4QtoBaseQuantities"])
    seconds = time.perf_counter() - start
    volumes = {}
    for element, qtos in results.items():
        for quantities in qtos.values():
            if "NetVolume" in quantities:
                volumes[element.GlobalId] = float(quantities["NetVolume"])
    return seconds, volumes, "ifc5d"


def _reference_util_shape(ifc_file) -> tuple[float, dict, str]:
    import multiprocessing

    import ifcopenshell.geom
    import ifcopenshell.util.shape as shape

    settings = ifcopenshell.geom.settings()
    start = time.perf_counter()
    products = [e for e in ifc_file.by_type("IfcElement") if not e.is_a("IfcFeatureElement")]
    products += ifc_file.by_type("IfcSpace")
    iterator = ifcopenshell.geom.iterator(settings, ifc_file, multiprocessing.cpu_count(), include=products)
    volumes = {}
    if iterator.initialize():
        while True:
            item = iterator.get()
            g = item.geometry
            try:
                volumes[ifc_file.by_id(item.id).GlobalId] = shape.get_volume(g)
                shape.get_side_area(g), shape.get_footprint_area(g), shape.get_outer_surface_area(g)
                shape.get_x(g), shape.get_y(g), shape.get_z(g)
            except ValueError:  # empty shapes: util.shape reduces over no vertices
                pass
            if not iterator.next():
                break
    return time.perf_counter() - start, volumes, "util.shape"


def child(name: str) -> dict:
    """Measure one model; runs in its own process with its own empty cache."""
    import ifcopenshell

    from bim.federation import load_model
    from checks.takeoff import TakeoffTemplate, run_takeoff
    from checks.takeoff.export_xlsx import write_xlsx
    from checks.takeoff.kinds import KIND_KEYS
    from checks.takeoff.values import Quantity

    path = CORPUS / f"{name}.ifc"
    start = time.perf_counter()
    load_model(path)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    model = load_model(path)
    model.ifc()  # parsing the file is part of a warm takeoff: the cache holds geometry, not quantity sets
    warm = time.perf_counter() - start
    start = time.perf_counter()
    result = run_takeoff([model], TakeoffTemplate(quantities=KIND_KEYS))
    takeoff = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_xlsx(result, Path(folder) / "q.xlsx")
        xlsx = time.perf_counter() - start
    try:
        import ifc5d.qto  # noqa: F401

        reference = _reference_ifc5d
    except ImportError:
        reference = _reference_util_shape
    try:
        ref_s, ref_volumes, ref_name = reference(ifcopenshell.open(str(path)))
    except Exception as exc:  # ifc5d stops at the first empty shape (janesville): measure without it
        ref_s, ref_volumes, ref_name = _reference_util_shape(ifcopenshell.open(str(path)))
        ref_name = f"util.shape (ifc5d failed: {type(exc).__name__})"
    agree = compared = 0
    for row in result.elements:
        ours = row.computed.get("net_volume")
        theirs = ref_volumes.get(row.global_id)
        if isinstance(ours, Quantity) and theirs is not None and theirs > 1e-6:
            compared += 1
            agree += abs(ours.value - theirs) <= 0.01 * theirs
    return {"model": name, "elements": len(result.elements), "cold_load_s": cold, "warm_load_s": warm,
            "takeoff_s": takeoff, "xlsx_s": xlsx, "reference": ref_name, "reference_s": ref_s,
            "flagged": len(result.flagged_rows), "volumes_compared": compared, "volumes_agree": agree}


def run_child(name: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="synthese-bench-cache-") as cache:
        env = dict(os.environ, SYNTHESE_CACHE_DIR=cache)
        done = subprocess.run([sys.executable, __file__, "--child", name], capture_output=True, text=True, env=env,
                              timeout=CHILD_TIMEOUT_S)
    for line in done.stdout.splitlines():
        if line.startswith(JSON_MARK):
            return json.loads(line[len(JSON_MARK):])
    return {"model": name, "error": (done.stderr.strip().splitlines() or ["no output"])[-1]}


def print_table(rows: list[dict]) -> None:
    print("| model | elements | load cold s | load warm s | takeoff s | xlsx s | reference | ref s "
          "| (takeoff+xlsx)/ref | (cold+takeoff+xlsx)/ref | net volumes within 1 % |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['model']} | error: {r['error']} |")
            continue
        ours = r["takeoff_s"] + r["xlsx_s"]
        print(f"| {r['model']} | {r['elements']} | {r['cold_load_s']:.1f} | {r['warm_load_s']:.2f} | "
              f"{r['takeoff_s']:.2f} | {r['xlsx_s']:.2f} | {r['reference']} | {r['reference_s']:.1f} | "
              f"{ours / r['reference_s']:.2f} | {(ours + r['cold_load_s']) / r['reference_s']:.2f} | "
              f"{r['volumes_agree']}/{r['volumes_compared']} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", help="comma-separated corpus model names (default: all)")
    parser.add_argument("--json", help="also write the rows as JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(JSON_MARK + json.dumps(child(args.child)), flush=True)
        return 0
    names = args.models.split(",") if args.models else sorted(p.stem for p in CORPUS.glob("*.ifc"))
    rows = []
    for name in names:
        print(f"… {name}", file=sys.stderr, flush=True)
        rows.append(run_child(name))
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
