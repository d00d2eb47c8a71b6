"""Indicator speed and memory: writes a long patent table of N rows, loads it and computes share, RTA and RPA.

usage: python benchmarks/indicators.py [--rows 10000000]
Prints the time to load and to compute, and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from policywatch.indicators import load_patents, specialisation


def write_table(path: Path, rows: int) -> None:
    rng = np.random.default_rng(1)
    countries = np.array([f"C{i:03d}" for i in range(200)])
    technologies = np.array([f"tech-{i:02d}" for i in range(25)])
    chunk = 1_000_000
    with path.open("w", encoding="utf-8") as handle:
        handle.write("country,technology,year,value\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            frame = pd.DataFrame({"country": countries[rng.integers(0, 200, n)],
                                  "technology": technologies[rng.integers(0, 25, n)],
                                  "year": rng.integers(1990, 2024, n), "value": rng.integers(0, 500, n)})
            frame.to_csv(handle, header=False, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "patents.csv"
        write_table(path, args.rows)
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        table = load_patents(path)
        loaded = time.perf_counter()
        result, _ = specialisation(table)
        done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"rows: {args.rows:,} -> {len(result):,} country/technology/year cells")
    print(f"load: {loaded - start:.1f} s, compute: {done - loaded:.1f} s, total: {done - start:.1f} s")
    print(f"peak memory: {peak / 1024:.0f} MiB (before loading: {baseline / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
