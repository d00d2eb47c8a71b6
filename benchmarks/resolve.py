"""Resolution speed: clusters generated policy mentions and prints the time for 12,500 / 25,000 / 50,000
mentions, so that the growth (n log n at worst) can be read off.

usage: python benchmarks/resolve.py [--max 50000]
"""

from __future__ import annotations

import argparse
import random
import time

from policywatch.resolve import MentionRecord, resolve

ISSUERS = ["miit", "ndrc", "most", "mof", "mofcom", "samr", "cac", "state-council", "nea", "csrc", "pboc", "mot"]
SYLLABLES = ["ro", "bo", "ta", "chi", "pa", "lan", "ser", "vo", "mi", "ka", "den", "lu", "pri", "so", "gra", "fen"]
# a vocabulary as large as policy texts have, so that unrelated policies share few words
WORDS = sorted({"".join(random.Random(i).sample(SYLLABLES, 3)) for i in range(3000)})


def make_records(n: int, rng: random.Random) -> list[MentionRecord]:
    records = []
    policies = n // 3  # each policy is reported about three times
    for i in range(n):
        p = rng.randrange(policies)
        prng = random.Random(p)
        topic = prng.sample(WORDS, 5)
        issuer = prng.choice(ISSUERS)
        day = f"20{prng.randint(15, 24)}-{prng.randint(1, 12):02d}-{prng.randint(1, 28):02d}"
        data = {"issuers": [issuer], "status": "final", "date": day if rng.random() < 0.7 else None,
                "summary": f"{issuer} issues a notice on {' '.join(topic)} {' '.join(rng.sample(WORDS, 3))}"}
        if prng.random() < 0.4:
            data["title_en"] = f"Notice on {' '.join(w.title() for w in topic)}"
        records.append(MentionRecord(i, f"doc{i}:0:policy", i, "policy", data))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(3)
    previous = None
    for n in (args.max // 4, args.max // 2, args.max):
        records = make_records(n, rng)
        start = time.perf_counter()
        result = resolve(records)
        elapsed = time.perf_counter() - start
        growth = f", x{elapsed / previous:.2f} for twice the mentions" if previous else ""
        print(f"{n:>7} mentions -> {len(result.policies):>6} policies in {elapsed:6.1f} s{growth}")
        previous = elapsed


if __name__ == "__main__":
    main()
