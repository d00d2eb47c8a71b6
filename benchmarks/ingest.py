"""Ingest speed and memory, and how a growing archive affects it.

usage: python benchmarks/ingest.py [--documents 1000] [--workers 2] [--archive 100000] [--batch 100]

Generates briefing-like documents and ingests them into a fresh SQLite file: prints documents per second and the
peak resident memory. With --archive N it first fills a database with about N mentions (generated briefings
spread over ten years, each policy reported a few times), then times a batch of --batch new briefings into that
database and into an empty one, and prints the ratio: for the next month's briefings (a fifth of their items
late reports of the archive's last month), and, as a harder case, for briefings on months the archive already
covers, whose items join stored policies.
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
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# archive vocabulary: many technologies and instruments, so that unrelated policies share few words
FIELDS = ["robotics", "quantum computing", "hydrogen", "batteries", "semiconductors", "biomedicine", "satellites",
          "big data", "cloud computing", "blockchain", "drones", "rail transit", "shipbuilding", "new materials",
          "photovoltaics", "wind power", "smart grids", "genomics", "vaccines", "medical devices", "aviation engines",
          "machine tools", "rare earths", "lithium mining", "agricultural machinery", "cold chain logistics",
          "e-commerce", "online platforms", "fintech", "digital currency", "autonomous driving", "smart cities",
          "industrial software", "cybersecurity", "edge computing", "6G research", "carbon capture", "nuclear power"]
ACTIONS = ["standards for", "pilot zones for", "subsidies for", "safety rules for", "export controls on",
           "talent programmes for", "tax relief for", "procurement of", "investment in", "supervision of"]


def make_document(rng: random.Random, n: int) -> str:
    """A short monthly briefing: dated policy news from seven agencies on seven topics, then corporate news."""
    month = rng.choice(MONTHS[:6])
    lines = _opening(month, 2023, f"Demo Industries Briefing no. {n}")
    for _ in range(rng.randint(5, 15)):
        lines.append(f"- *{month} {rng.randint(1, 28)}:* {rng.choice(AGENCIES)} publishes a plan on "
                     f"{rng.choice(TOPICS)} with a target of {rng.randint(5, 90)} percent by 2025")
    return _closing(lines, rng, month, rng.randint(3, 8), 999, TOPICS)


def _opening(month: str, year: int, title: str) -> list[str]:
    return [f"{month.upper()} 2, {year} (REPORTING PERIOD: {month.upper()} 1 - 28)", "", f"# {title}", "",
            "## WORTH NOTING", "", "### Policy news", ""]


def _closing(lines: list[str], rng: random.Random, month: str, items: int, firms: int, subjects: list[str]) -> str:
    """The briefing's corporate news after its policy news, as its text."""
    lines += ["", "### Corporate news", ""]
    for _ in range(items):
        lines.append(f"- *{month} {rng.randint(1, 28)}:* Demo Co {rng.randint(1, firms)} raises "
                     f"CNY {rng.randint(1, 50)} billion for {rng.choice(subjects)}")
    return "\n".join(lines) + "\n"


def make_archive_document(rng: random.Random, n: int, when: tuple[int, int] | None = None,
                          late: float = 0.0) -> str:
    """A briefing of one month (``when``: year and month index, else any in 2014-2023) whose policies, seeded by
    year, month and number, recur across briefings, as real policies are reported by several sources in the days
    after their release; a share ``late`` of its items report policies of the month before."""
    year, month = when or (rng.randint(2014, 2023), rng.randrange(12))
    name = MONTHS[month]
    lines = _opening(name, year, f"Archive Briefing no. {n}")
    for _ in range(rng.randint(6, 14)):
        y, m = ((year, month - 1) if month else (year - 1, 11)) if rng.random() < late else (year, month)
        policy = random.Random(f"{y}-{m}-{rng.randrange(200)}")
        subject = f"{policy.choice(ACTIONS)} {policy.choice(FIELDS)} and {policy.choice(FIELDS)}"
        day = f"{MONTHS[m]} {policy.randint(1, 25) + rng.randint(0, 2)}" + (f", {y}" if y != year else "")
        lines.append(f"- *{day}:* {policy.choice(AGENCIES)} issues "
                     f"measures on {subject} with a target of {policy.randint(5, 90)} percent by {y + 5}")
    return _closing(lines, rng, name, rng.randint(3, 6), 9999, FIELDS)


def _write(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True)
    for n, body in enumerate(texts):
        (folder / f"brief-{n:06d}.md").write_text(body, encoding="utf-8")
    return folder


def _timed_ingest(folder: Path, url: str, workers: int) -> tuple[int, float]:
    start = time.perf_counter()
    results = api.ingest([folder], url, workers=workers)
    return sum(r.status == "added" for r in results), time.perf_counter() - start


def throughput(documents: int, workers: int) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp) / "corpus", [make_document(rng, n) for n in range(documents)])
        added, elapsed = _timed_ingest(folder, f"sqlite:///{tmp}/bench.db", workers)
        peak = getattr(psutil.Process().memory_info(), "peak_wset", None) or _peak_rss()
    print(f"documents: {added} added of {documents}")
    print(f"elapsed: {elapsed:.1f} s")
    print(f"throughput: {added / elapsed:.1f} documents/s")
    print(f"peak memory: {peak / 2**20:.0f} MiB")


def archive(mentions: int, batch: int, workers: int, runs: int = 3) -> None:
    import sqlite3
    import statistics

    from sqlalchemy import func, select

    from policywatch.store import database
    from policywatch.store.schema import mentions as mention_table

    rng = random.Random(11)
    per_document = 14  # about 10 policy and 4.5 corporate items
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        stored = _write(root / "archive", [make_archive_document(rng, n) for n in range(mentions // per_document)])
        # the next month's briefings, a fifth of their items on policies of the archive's last month
        new = _write(root / "batch", [make_archive_document(rng, 10**6 + n, (2024, 0), late=0.2) for n in range(batch)])
        # a harder case: briefings on any month of the archive, each joining policies already stored
        old = _write(root / "spread", [make_archive_document(rng, 2 * 10**6 + n) for n in range(batch)])
        start = time.perf_counter()
        api.ingest([stored], f"sqlite:///{root}/archive.db", workers=workers)
        engine = database.connect(f"sqlite:///{root}/archive.db")
        with engine.connect() as connection:
            held = connection.execute(select(func.count()).select_from(mention_table)).scalar_one()
        engine.dispose()
        print(f"archive: {held} mentions, filled in {time.perf_counter() - start:.0f} s")
        for label, folder in (("the next month's", new), ("the same months'", old)):
            into_empty, into_archive = [], []
            for run in range(runs):  # the median of a few runs, each into a fresh copy
                into_empty.append(_timed_ingest(folder, f"sqlite:///{root}/empty-{label[4]}{run}.db", workers)[1])
                with sqlite3.connect(root / "archive.db") as source, \
                        sqlite3.connect(root / f"copy-{label[4]}{run}.db") as copy:
                    source.backup(copy)
                into_archive.append(_timed_ingest(folder, f"sqlite:///{root}/copy-{label[4]}{run}.db", workers)[1])
            empty, full = statistics.median(into_empty), statistics.median(into_archive)
            print(f"{batch} briefings on {label} policies: {empty:.2f} s into an empty database, {full:.2f} s into "
                  f"the archive (medians of {runs}): ratio {full / empty:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--archive", type=int, default=0, help="mentions to fill a database with first")
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    if args.archive:
        archive(args.archive, args.batch, args.workers)
    else:
        throughput(args.documents, args.workers)


def _peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
