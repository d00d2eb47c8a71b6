"""Time per megabyte on large and hostile texts: ordinary briefings, one sentence repeated, one giant paragraph
without line breaks; and the size limit's refusal of a 20 MB file.

usage: python benchmarks/large.py [--sizes 0.5 1 2] [--ingest]
Extraction should cost the same per MB whatever the size and content (within 2x of ordinary text). --ingest
also times the whole ingest of 2 MB of ordinary and of repeated text (storage, search index and resolution
included) and prints the ratio of their times per MB.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from policywatch.errors import ReadError
from policywatch.model import Document
from policywatch.pipeline import analyse
from policywatch.read import MB, read_bytes

SENTENCE = "The Ministry of Industry and Information Technology issued a plan to build 500 smart factories by 2025. "


def ordinary(size: int, rng: random.Random) -> str:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from extract import make_briefing  # the extraction benchmark's generated briefings

    parts, total = [], 0
    while total < size:
        parts.append(make_briefing(rng))
        total += len(parts[-1])
    return "".join(parts)[:size]


def texts(size: int, rng: random.Random) -> dict[str, str]:
    return {"ordinary briefings": ordinary(size, rng), "one sentence repeated": (SENTENCE * (size // len(SENTENCE) + 1))[:size],
            "one paragraph, no line breaks": " ".join(ordinary(size, rng).split())[:size]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    parser.add_argument("--ingest", action="store_true")
    args = parser.parse_args()
    rng = random.Random(3)
    for mb in args.sizes:
        for name, text in texts(int(mb * MB), rng).items():
            document = Document(sha256=name, source="b.txt", format="txt", text=text, language="en")
            start = time.perf_counter()
            result = analyse(document)
            elapsed = time.perf_counter() - start
            print(f"{mb:4.1f} MB  {name:30} {elapsed:7.2f} s  {elapsed / mb:6.2f} s/MB  {len(result.mentions):6} records")
    try:
        read_bytes(b"x" * (20 * MB), "huge.txt")
    except ReadError as exc:
        print(f"20 MB file: refused: {exc}")
    if args.ingest:
        ingest_times(rng)


def ingest_times(rng: random.Random) -> None:
    """Whole ingest (reading, extraction, storage, search index, resolution) of 2 MB of ordinary and of repeated
    text, each into a fresh SQLite database."""
    from policywatch import api
    from policywatch.store import database

    size = 2 * MB
    per_mb = {}
    for name, text in (("ordinary briefings", ordinary(size, rng)),
                       ("one sentence repeated", (SENTENCE * (size // len(SENTENCE) + 1))[:size])):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "text.txt"
            path.write_text(text, encoding="utf-8")
            engine = database.connect(f"sqlite:///{folder}/large.db")
            start = time.perf_counter()
            (result,) = api.ingest([path], engine)
            elapsed = time.perf_counter() - start
            engine.dispose()
        per_mb[name] = elapsed / (size / MB)
        print(f"ingest of 2 MB, {name}: {result.status}, {elapsed:.1f} s, {per_mb[name]:.2f} s/MB")
    print(f"repeated / ordinary, per MB: {per_mb['one sentence repeated'] / per_mb['ordinary briefings']:.2f}")

if __name__ == "__main__":
    main()
