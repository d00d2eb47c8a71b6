"""Ingest speed and memory: generates N briefing-like documents and ingests them into a fresh SQLite file.

usage: python benchmarks/ingest.py [--documents 2000] [--workers 2]
Prints documents per second and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import psutil

from policywatch import api

AGENCIES = ["MIIT", "NDRC", "MOST", "the State Council", "SAMR", "MOFCOM", "CAC"]
TOPICS = ["industrial internet", "5G base stations", "new energy vehicles", "integrated circuits",
          "artificial intelligence", "smart manufacturing", "data security"]
MONTHS = ["January", "February", "March", "April", "May", "June"]


def make_document(rng: random.Random, n: int) -> str:
    month = rng.choice(MONTHS)
    lines = [f"{month.upper()} 2, 2023 (REPORTING PERIOD: {month.upper()} 1 - 28)", "",
             f"# Demo Industries Briefing no. {n}", "", "## WORTH NOTING", "", "### Policy news", ""]
    for _ in range(rng.randint(5, 15)):
        lines.append(f"- *{month} {rng.randint(1, 28)}:* {rng.choice(AGENCIES)} publishes a plan on "
                     f"{rng.choice(TOPICS)} with a target of {rng.randint(5, 90)} percent by 2025")
    lines += ["", "### Corporate news", ""]
    for _ in range(rng.randint(3, 8)):
        lines.append(f"- *{month} {rng.randint(1, 28)}:* Demo Co {rng.randint(1, 999)} raises "
                     f"CNY {rng.randint(1, 50)} billion for {rng.choice(TOPICS)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for n in range(args.documents):
            (folder / f"brief-{n:05d}.md").write_text(make_document(rng, n), encoding="utf-8")
        process = psutil.Process()
        start = time.perf_counter()
        results = api.ingest([folder], f"sqlite:///{tmp}/bench.db", workers=args.workers)
        elapsed = time.perf_counter() - start
        peak = getattr(process.memory_info(), "peak_wset", None) or _peak_rss()
    added = sum(r.status == "added" for r in results)
    print(f"documents: {added} added of {args.documents}")
    print(f"elapsed: {elapsed:.1f} s")
    print(f"throughput: {added / elapsed:.1f} documents/s")
    print(f"peak memory: {peak / 2**20:.0f} MiB")


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
