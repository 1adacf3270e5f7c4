"""``make bench``: speed and memory, each figure a median over repeated runs and a ratio to a baseline
measured in the same run (these machines are shared and noisy, so ratios travel better than seconds).

Usage: python tools/bench.py [--repeat N] [--build-repeat M] [--skip-make] [--out reports/bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, **kwargs)
    return time.perf_counter() - start


def median_pair(cmd_a: list[str], cmd_b: list[str], repeat: int) -> tuple[float, float]:
    """Interleave the two commands so drifting load affects both alike."""
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(cmd_a))
        b.append(timed(cmd_b))
    return statistics.median(a), statistics.median(b)


LOAD_SNIPPET = """
import json, sys, time, statistics
import pandas as pd
import tipstats
from tipstats.datasets import DATASETS
from tipstats.paths import processed_dir
from tipstats import loaders
name, repeat = sys.argv[1], int(sys.argv[2])
path = processed_dir() / DATASETS[name].filename
# warm the imports and the OS file cache outside the timings
pd.read_csv(path, dtype=str); import pandera.pandas
t = time.perf_counter(); tipstats.load(name); cold = time.perf_counter() - t
warm = []
for _ in range(repeat):
    t = time.perf_counter(); tipstats.load(name); warm.append(time.perf_counter() - t)
uncached = []
for _ in range(repeat):
    loaders._load_validated.cache_clear()
    t = time.perf_counter(); tipstats.load(name); uncached.append(time.perf_counter() - t)
plain = []
for _ in range(repeat):
    t = time.perf_counter(); pd.read_csv(path); plain.append(time.perf_counter() - t)
print(json.dumps({"cold_first_ms": cold * 1e3, "warm_ms": statistics.median(warm) * 1e3,
                  "validated_ms": statistics.median(uncached) * 1e3, "plain_read_csv_ms": statistics.median(plain) * 1e3}))
"""


def bench_loads(repeat: int) -> list[dict]:
    sys.path.insert(0, str(REPO / "src"))
    from tipstats.datasets import list_datasets

    rows = []
    for name in list_datasets():
        out = subprocess.run(
            [PY, "-c", LOAD_SNIPPET, name, str(repeat)], check=True, capture_output=True, text=True
        )
        row = {"dataset": name, **json.loads(out.stdout)}
        row["ratio_validated_vs_plain"] = row["validated_ms"] / row["plain_read_csv_ms"]
        rows.append(row)
    return rows


def peak_rss_mib_of(cmd: list[str]) -> tuple[float, float]:
    """Wall time and the peak resident memory of the largest child process (ru_maxrss of children)."""
    code = (
        "import resource, subprocess, sys, time; t=time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([PY, "-c", code, *cmd], check=True, capture_output=True, text=True, cwd=REPO)
    seconds, mib = out.stdout.split()
    return float(seconds), float(mib)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--build-repeat", type=int, default=1)
    parser.add_argument("--skip-make", action="store_true", help="skip the `make all` timings")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "bench.json")
    args = parser.parse_args()

    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "repeat": args.repeat,
    }
    imp, base = median_pair([PY, "-c", "import tipstats"], [PY, "-c", "import pandas"], args.repeat)
    results["import"] = {"tipstats_s": imp, "pandas_s": base, "ratio": imp / base, "target": "<= 1.3"}
    # `import tipstats` alone does not import pandas (lazy); this is what it adds on top of pandas.
    both, base2 = median_pair([PY, "-c", "import pandas, tipstats"], [PY, "-c", "import pandas"], args.repeat)
    results["import_with_pandas"] = {"tipstats_and_pandas_s": both, "pandas_s": base2, "ratio": both / base2}
    results["load"] = bench_loads(args.repeat)

    if not args.skip_make:
        raw_floor = (
            "import pandas as pd, pathlib; "
            "[pd.read_csv(p, dtype=str) for p in sorted(pathlib.Path('data/raw').rglob('*.csv'))]"
        )
        builds = []
        for _ in range(args.build_repeat):
            subprocess.run(["make", "clean-outputs"], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
            seconds, mib = peak_rss_mib_of(["make", "all"])
            builds.append((seconds, mib))
        floor, floor_mib = peak_rss_mib_of([PY, "-c", raw_floor])
        noop = [timed(["make", "all"]) for _ in range(args.repeat)]
        help_s = statistics.median(timed(["make", "help"]) for _ in range(args.repeat))
        clean_s = statistics.median(b[0] for b in builds)
        results["make_all_from_clean"] = {
            "seconds": clean_s, "baseline_read_raw_s": floor, "ratio": clean_s / floor, "runs": len(builds),
        }  # fmt: skip
        results["make_all_nothing_to_do"] = {
            "seconds": statistics.median(noop), "baseline_make_help_s": help_s,
            "ratio": statistics.median(noop) / help_s, "target": "well under 2 s",
        }  # fmt: skip
        results["peak_memory"] = {
            "make_all_max_rss_mib": max(b[1] for b in builds), "baseline_read_raw_max_rss_mib": floor_mib,
            "ratio": max(b[1] for b in builds) / floor_mib,
        }  # fmt: skip

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'measure':<38}{'value':>12}{'baseline':>12}{'ratio':>8}")
    print(f"{'import tipstats vs import pandas (s)':<38}{imp:>12.3f}{base:>12.3f}{imp / base:>8.2f}")
    label = "import pandas, tipstats vs pandas (s)"
    print(f"{label:<38}{both:>12.3f}{base2:>12.3f}{both / base2:>8.2f}")
    for row in results["load"]:
        label = f"load {row['dataset']} (ms)"
        print(
            f"{label:<38}{row['validated_ms']:>12.1f}{row['plain_read_csv_ms']:>12.1f}{row['ratio_validated_vs_plain']:>8.2f}"
        )
    print(
        f"{'  (warm, cached: median ms over all)':<38}{statistics.median(r['warm_ms'] for r in results['load']):>12.2f}"
    )
    if not args.skip_make:
        m = results["make_all_from_clean"]
        print(
            f"{'make all from clean (s)':<38}{m['seconds']:>12.1f}{m['baseline_read_raw_s']:>12.2f}{m['ratio']:>8.1f}"
        )
        m = results["make_all_nothing_to_do"]
        print(
            f"{'make all, nothing to do (s)':<38}{m['seconds']:>12.2f}{m['baseline_make_help_s']:>12.2f}{m['ratio']:>8.1f}"
        )
        m = results["peak_memory"]
        label = "peak memory of make all (MiB)"
        print(
            f"{label:<38}{m['make_all_max_rss_mib']:>12.0f}{m['baseline_read_raw_max_rss_mib']:>12.0f}{m['ratio']:>8.1f}"
        )
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
