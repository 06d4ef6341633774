"""Benchmark of the IDS engine against ifctester, on the shared corpus and the conformance suite.

For each corpus model and bundled rule set: our check time (run_ids, results
with reasons and storeys included) against ifctester's ``Ids.validate`` on the
same opened model and the same IDS, in the same process, interleaved, median
of ``--repeat`` runs (target ratio ≤ 1.0). Opening the model and loading the
IDS are not timed there; IDS loading is shown on its own line. Then the whole
conformance suite, each engine loading, opening and checking all 314 cases.

    .venv/bin/python bench/bench_checks.py [--repeat 3] [--models office-a,carwash-tekla] [--json out.json]

Prints tables; never asserts (timings belong here, not in tests).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ifcopenshell  # noqa: E402
import ifctester.ids  # noqa: E402

from checks.ids import IdsError, Status, load_ids, run_ids  # noqa: E402
from checks.model import CheckedModel  # noqa: E402

SHARED = ROOT / ".." / "shared"
CORPUS = SHARED / "corpus"
TESTCASES = SHARED / "ids-testcases"
RULESETS = ROOT / "resources" / "rulesets"

# The trade rule set that fits each corpus model (see corpus/README.md), on top of the basics.
TRADE_RULESET = {
    "duplex-architecture": "trade-architecture",
    "duplex-electrical": "trade-mep",
    "schependomlaan-root-kalkzandsteen": "trade-architecture",
    "schependomlaan-root-staal": "trade-structure",
    "schependomlaan-xella-bg": "trade-architecture",
    "institute-var-2": "trade-architecture",
    "office-a": "trade-architecture",
    "fzk-haus-ifc4": "accessibility-erp",
    "samplehouse-ifc4": "trade-architecture",
    "carwash-tekla": "trade-structure",
    "janesville-restaurant": "trade-architecture",
}


def _median_pair(ours_fn, theirs_fn, repeat: int) -> tuple[float, float]:
    ours, theirs = [], []
    for i in range(repeat):
        # Alternate who goes first so caches and machine noise favour neither.
        for fn, times in ((ours_fn, ours), (theirs_fn, theirs)) if i % 2 == 0 else ((theirs_fn, theirs), (ours_fn, ours)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(theirs)


def bench_corpus(models: list[str], repeat: int) -> list[dict]:
    """Per model and rule set: our time, ifctester's, the ratio and the applicable count."""
    rows = []
    for name in models:
        path = CORPUS / f"{name}.ifc"
        start = time.perf_counter()
        ifc_file = ifcopenshell.open(str(path))
        open_s = time.perf_counter() - start
        model = CheckedModel(path.name, name, ifc_file)
        for ruleset in ("model-quality-basics", TRADE_RULESET.get(name, "trade-architecture")):
            ids_path = RULESETS / f"{ruleset}.ids"
            document = load_ids(ids_path)
            theirs_ids = ifctester.ids.open(str(ids_path))
            result = run_ids([model], document)
            ours_s, theirs_s = _median_pair(lambda: run_ids([model], document),
                                            lambda: theirs_ids.validate(ifc_file), repeat)
            rows.append({
                "model": name, "ruleset": ruleset, "open_s": open_s,
                "applicable": sum(s.applicable_count for s in result.specifications),
                "failing": sum(s.failing_count for s in result.specifications),
                "ours_s": ours_s, "ifctester_s": theirs_s, "ratio": ours_s / theirs_s if theirs_s else float("nan"),
            })
            print(_row(rows[-1]), flush=True)
    return rows


def bench_ids_loading(repeat: int) -> list[dict]:
    """Loading each bundled IDS: ours (XSD + audit) against ifctester.ids.open(validate=True)."""
    rows = []
    ifctester.ids.get_schema()  # both share the compiled XSD; build it outside the timing
    for ids_path in sorted(RULESETS.glob("*.ids")):
        ours_s, theirs_s = _median_pair(lambda: load_ids(ids_path),
                                        lambda: ifctester.ids.open(str(ids_path), validate=True), repeat)
        rows.append({"ruleset": ids_path.stem, "ours_s": ours_s, "ifctester_s": theirs_s, "ratio": ours_s / theirs_s})
    return rows


def _ours_on_case(ids_path: Path) -> str:
    try:
        document = load_ids(ids_path)
    except IdsError:
        return "invalid"
    model = CheckedModel(ids_path.stem, ids_path.stem, ifcopenshell.open(str(ids_path.with_suffix(".ifc"))))
    status = run_ids([model], document, only_targeted_schemas=False).status
    return "fail" if status is Status.FAIL else "pass"


def _ifctester_on_case(ids_path: Path) -> str:
    try:
        ids = ifctester.ids.open(str(ids_path), validate=True)
    except Exception:  # ifctester raises various errors for invalid files
        return "invalid"
    ids.validate(ifcopenshell.open(str(ids_path.with_suffix(".ifc"))))
    return "pass" if all(s.status for s in ids.specifications) else "fail"


def bench_conformance() -> dict:
    """Whole suite, each engine once: seconds and cases right (ifctester may answer fail for invalid)."""
    cases = sorted(TESTCASES.glob("*/*.ids"))
    ifctester.ids.get_schema()
    out = {"cases": len(cases)}
    for label, judge, lenient in (("ours", _ours_on_case, False), ("ifctester", _ifctester_on_case, True)):
        start = time.perf_counter()
        right = 0
        for case in cases:
            expected, got = case.name.split("-", 1)[0], judge(case)
            right += got == expected or (lenient and expected == "invalid" and got == "fail")
        out[f"{label}_s"], out[f"{label}_right"] = time.perf_counter() - start, right
    return out


def _row(r: dict) -> str:
    return (f"| {r['model']:<34} | {r['ruleset']:<20} | {r['applicable']:>6} | {r['failing']:>6} | "
            f"{r['ours_s']:>8.3f} | {r['ifctester_s']:>11.3f} | {r['ratio']:>5.2f} |")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--models", help="comma-separated corpus model names (default: all)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir() or not TESTCASES.is_dir():
        print(f"shared data not found under {SHARED.resolve()}", file=sys.stderr)
        return 2
    models = args.models.split(",") if args.models else sorted(p.stem for p in CORPUS.glob("*.ifc"))
    print(f"IDS check time, median of {args.repeat} (model opened and IDS loaded beforehand)\n")
    print(f"| {'model':<34} | {'rule set':<20} | {'applic':>6} | {'fails':>6} | {'ours s':>8} | {'ifctester s':>11} | ratio |")
    print(f"|{'-' * 36}|{'-' * 22}|{'-' * 8}|{'-' * 8}|{'-' * 10}|{'-' * 13}|-------|")
    corpus = bench_corpus(models, args.repeat)
    ours_total, theirs_total = sum(r["ours_s"] for r in corpus), sum(r["ifctester_s"] for r in corpus)
    print(f"| {'all':<34} | {'':<20} | {'':>6} | {'':>6} | {ours_total:>8.3f} | {theirs_total:>11.3f} | "
          f"{ours_total / theirs_total:>5.2f} |")
    loading = bench_ids_loading(args.repeat)
    print("\nIDS loading (XSD validation; ours adds the semantic audit)\n")
    for r in loading:
        print(f"  {r['ruleset']:<22} ours {r['ours_s'] * 1000:7.1f} ms   ifctester {r['ifctester_s'] * 1000:7.1f} ms   ratio {r['ratio']:.2f}")
    suite = bench_conformance()
    print(f"\nConformance suite ({suite['cases']} cases: load IDS, open IFC, check)\n")
    print(f"  ours       {suite['ours_s']:6.2f} s   {suite['ours_right']}/{suite['cases']} right")
    print(f"  ifctester  {suite['ifctester_s']:6.2f} s   {suite['ifctester_right']}/{suite['cases']} right "
          "(counting fail as right for invalid- cases)")
    if args.json:
        Path(args.json).write_text(json.dumps({"corpus": corpus, "loading": loading, "conformance": suite}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
