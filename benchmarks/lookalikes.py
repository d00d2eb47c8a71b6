"""Look-alike notices: one issuer and one month against the same volume spread over issuers and years.

usage: python benchmarks/lookalikes.py [--notices 600] [--sentences 30]

Generates --notices short notices of --sentences near-identical policy sentences each, all from one issuer and
dated in one month (every policy mention then shares the same blocks), and the same notices spread over eight
issuers and five years. Each set is ingested into a fresh SQLite database in a child process; prints the time and
the peak resident memory (psutil, sampled, and the child's own high-water mark) of both, and their ratio, and the
time of one more notice ingested into each database afterwards (resolved incrementally). Blocking
is bounded when the look-alikes cost no more than about twice the spread notices, in time and memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ISSUERS = ["MIIT", "NDRC", "MOST", "SAMR", "MOFCOM", "CAC", "NEA", "MOF"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# a small vocabulary, so that the sentences of every notice look alike
SUBJECTS = ["smart factory pilots", "industrial robot standards", "5G network upgrades", "battery recycling",
            "computing power centres", "data labelling bases", "hydrogen vehicle trials", "chip design tools"]
PLACES = ["Jiangsu", "Guangdong", "Zhejiang", "Sichuan", "Hubei", "Shandong", "Henan", "Hunan", "Anhui", "Fujian",
          "Jiangxi", "Shaanxi", "Yunnan", "Guizhou", "Liaoning", "Jilin", "Hebei", "Shanxi", "Gansu", "Hainan"]


def notice(rng: random.Random, n: int, issuer: str, year: int, month: int, sentences: int) -> str:
    """One notice: a heading, then ``sentences`` bullets that differ only in a subject, a province, a day and a
    figure."""
    name = MONTHS[month]
    lines = [f"{name.upper()} 28, {year}", "", f"# {issuer} circular digest no. {n}", "", "## Policy news", ""]
    for _ in range(sentences):
        lines.append(f"- *{name} {rng.randint(1, 28)}:* {issuer} issues a notice on {rng.choice(SUBJECTS)} in "
                     f"{rng.choice(PLACES)} with a target of {rng.randint(5, 90)} percent by {year + 3}")
    return "\n".join(lines) + "\n"


def write(folder: Path, case: str, numbers: range, sentences: int) -> None:
    """The notices of one case as Markdown files: all of MIIT in March 2024, or spread over issuers and years."""
    rng = random.Random(numbers.start + 5)
    folder.mkdir(parents=True)
    for n in numbers:
        if case == "lookalike":
            issuer, year, month = "MIIT", 2024, 2
        else:
            issuer, year, month = ISSUERS[n % len(ISSUERS)], 2020 + n % 5, (n // 40) % 12
        (folder / f"notice-{n:05d}.md").write_text(notice(rng, n, issuer, year, month, sentences), encoding="utf-8")


def child(case: str, notices: int, sentences: int) -> None:
    """Ingest one case into a fresh database and print what it cost as JSON."""
    from sqlalchemy import func, select

    from policywatch import api
    from policywatch.store import database
    from policywatch.store.schema import mention_pairs, mentions, policies

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / case
        write(folder, case, range(notices), sentences)
        start = time.perf_counter()
        results = api.ingest([folder], f"sqlite:///{tmp}/bench.db")
        elapsed = time.perf_counter() - start
        # then one more notice of the same kind, resolved incrementally against everything stored
        write(Path(tmp) / "more", case, range(notices, notices + 1), sentences)
        start = time.perf_counter()
        api.ingest([Path(tmp) / "more"], f"sqlite:///{tmp}/bench.db")
        more = time.perf_counter() - start
        engine = database.connect(f"sqlite:///{tmp}/bench.db")
        with engine.connect() as connection:
            counts = {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                      for name, table in (("mentions", mentions), ("pairs", mention_pairs), ("policies", policies))}
        engine.dispose()
    print(json.dumps({"seconds": elapsed, "more": more, "added": sum(r.status == "added" for r in results),
                      "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, **counts}))


def measure(case: str, notices: int, sentences: int) -> dict:
    """Run one case in a child process, sampling its resident memory."""
    process = subprocess.Popen([sys.executable, __file__, "--child", case, "--notices", str(notices),
                                "--sentences", str(sentences)], stdout=subprocess.PIPE, text=True)
    watched, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"{case}: the child failed ({process.returncode})")
    found = json.loads(out.strip().splitlines()[-1])
    found["peak"] = max(peak, found["maxrss"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=600)
    parser.add_argument("--sentences", type=int, default=30)
    parser.add_argument("--child", choices=["lookalike", "spread"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.notices, args.sentences)
        return
    found = {}
    for case, label in (("spread", "spread over 8 issuers and 5 years"), ("lookalike", "one issuer, one month")):
        found[case] = result = measure(case, args.notices, args.sentences)
        print(f"{label:34} {result['added']} notices, {result['mentions']} mentions, {result['pairs']} pairs, "
              f"{result['policies']} policies: {result['seconds']:.1f} s, peak {result['peak'] / 2**20:.0f} MiB; "
              f"one more notice: {result['more']:.1f} s")
    print(f"look-alike / spread: time {found['lookalike']['seconds'] / found['spread']['seconds']:.2f}, "
          f"memory {found['lookalike']['peak'] / found['spread']['peak']:.2f}")


if __name__ == "__main__":
    main()
