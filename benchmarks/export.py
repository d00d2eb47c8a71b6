"""Memory and time of exporting 100,000 targets (10,000 policies with ten each) as CSV, Parquet and XLSX.

usage: python benchmarks/export.py [--policies 10000] [--formats csv parquet xlsx]
Prints the peak memory the process reached (resident set, psutil) while each export ran, in MiB.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from datetime import UTC, datetime

import psutil
from sqlalchemy import insert

from policywatch import export as exporter
from policywatch.store import database
from policywatch.store.schema import policies


def fill(engine, count: int) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for n in range(count):
        targets = [{"metric": f"goal {k} of plan {n}", "value": float(k * 10 + n % 7), "unit": "percent",
                    "year": 2025 + k % 5, "mention_id": None, "evidence": [[k * 100, k * 100 + 20]]} for k in range(10)]
        rows.append({"key": f"bench:{n}", "implied": False, "title_en": f"Action Plan number {n} for smart industry",
                     "status": "final", "date": "2024-05-01", "issuers": ["miit"], "technologies": [],
                     "data": {"targets": targets, "amounts": [], "label": None}})
        if len(rows) == 2000:
            with engine.begin() as connection:
                connection.execute(insert(policies), rows)
            rows = []
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(policies), rows)


def peak_during(action) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    process = psutil.Process(os.getpid())
    peak, done = [process.memory_info().rss], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak.append(process.memory_info().rss)
            time.sleep(0.01)

    thread = threading.Thread(target=watch)
    thread.start()
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    done.set()
    thread.join()
    return max(peak) / 2**20, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=10_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet", "xlsx"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = database.connect(f"sqlite:///{folder}/export.db")
        fill(engine, args.policies)
        print(f"{args.policies * 10} targets stored; memory before exporting: "
              f"{psutil.Process(os.getpid()).memory_info().rss / 2**20:.0f} MiB "
              f"({datetime.now(UTC):%H:%M:%S})")
        for fmt in args.formats:
            path = f"{folder}/targets.{fmt}"

            def run(fmt: str = fmt, path: str = path) -> None:
                with open(path, "w" if fmt == "csv" else "wb", **({"encoding": "utf-8", "newline": ""} if fmt == "csv"
                                                                   else {})) as handle:
                    exporter.export(engine, "targets", fmt, handle)

            peak, elapsed = peak_during(run)
            print(f"targets as {fmt:8} peak {peak:6.0f} MiB  {elapsed:6.1f} s  {os.path.getsize(path) / 2**20:6.1f} MiB file")


if __name__ == "__main__":
    main()
