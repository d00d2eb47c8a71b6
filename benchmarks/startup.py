"""Start-up time of the command line: how long a user waits before anything happens.

usage: python benchmarks/startup.py [--repeat 5]
Runs `policywatch --version`, `--help`, `search --help` and `documents list` (on a small database made in a
temporary folder) as fresh processes and prints the best and median wall time of each, and which heavy modules
`import policywatch.cli` loads (none is the aim: they are imported by the commands that need them).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("sqlalchemy", "alembic", "pydantic", "jieba", "opencc", "fastapi", "pandas", "matplotlib", "policywatch.api")
NOTICE = """Ministry of Industry and Information Technology, 12 March 2024: a draft plan for industrial robots
sets a target of 500 robots per 10,000 workers by 2027."""


def timed(command: list[str], repeat: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system) of ``repeat`` fresh runs of ``command``; on a busy machine the CPU
    time is the steadier figure."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def report(label: str, runs: tuple[list[float], list[float]]) -> None:
    walls, cpus = runs
    print(f"{label:<16} wall best {min(walls):.3f} s, median {statistics.median(walls):.3f} s; "
          f"CPU best {min(cpus):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    env = {**os.environ, "COLUMNS": "120"}
    code = f"import sys, policywatch.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')"
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    print(f"heavy modules loaded by `import policywatch.cli`: {loaded}")
    report("python -c pass", timed([sys.executable, "-c", "pass"], options.repeat, env))  # what no change saves
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.db")
        notice = Path(folder) / "notice.txt"
        notice.write_text(NOTICE, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "policywatch.cli", "--db", db, "ingest", str(notice)], check=True,
                       capture_output=True, env=env)
        for label, args in (("--version", ["--version"]), ("--help", ["--help"]), ("search --help", ["search", "--help"]),
                            ("documents list", ["--db", db, "documents", "list"])):
            report(label, timed([sys.executable, "-m", "policywatch.launcher", *args], options.repeat, env))


if __name__ == "__main__":
    main()
