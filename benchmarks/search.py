"""Search latency: policywatch's search against the bare FTS5 MATCH on the same database.

usage: python benchmarks/search.py [--items 100000] [--repeat 20]
Generates English and Chinese items, indexes them through the store (timed), runs a fixed query set and
prints p50/p95 latency of policywatch.api.search and of the bare MATCH on the index it uses (English stems,
Chinese words or trigrams), and their ratio: once for the query alone (--exact), once with the translated query
that search adds by default, against the two bare MATCHes it amounts to.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time

from sqlalchemy import text

from policywatch import api
from policywatch.model import Document, Item
from policywatch.read.language import detect_language
from policywatch.store import database
from policywatch.store.search import _fts_query, _plan, _word_terms, _words_match, translate

EN_SUBJECTS = ["The MIIT", "The NDRC", "The State Council", "SAMR", "MOFCOM", "The CAC", "Shanghai"]
EN_VERBS = ["publishes", "issues", "releases a draft of", "announces", "revises"]
EN_TOPICS = ["guidelines on industrial internet platforms", "an action plan for 5G base stations",
             "measures to support new energy vehicles", "rules on data security and export controls",
             "a plan for integrated circuit design tools", "opinions on smart manufacturing",
             "standards for humanoid robots", "anti-monopoly guidelines for the platform economy"]
ZH_TOPICS = ["智能网联汽车准入试点", "工业互联网创新发展行动计划", "生成式人工智能服务管理办法", "集成电路产业发展政策",
             "新能源汽车购置税减免", "数据安全管理办法", "机器人产业发展规划", "平台经济反垄断指南"]
ZH_SUBJECTS = ["工业和信息化部", "国家发展改革委", "国务院", "市场监管总局", "商务部"]
QUERIES = ["industrial internet", '"data security"', "robot*", "vehicles AND battery", "platform OR monopoly",
           "guidelines NOT draft", "semiconductor", "export control", "智能网联汽车", "工业互联网", "人工智能服务",
           "集成电路产业", "反垄断指南", "smart manufacturing", "5G", "standards"]


def make_items(rng: random.Random, n: int) -> list[str]:
    sentences = []
    for i in range(n):
        if i % 3 == 2:
            sentences.append(f"{rng.choice(ZH_SUBJECTS)}发布{rng.choice(ZH_TOPICS)}，提出到2025年实现"
                             f"{rng.randint(10, 90)}%的目标。")
        else:
            sentences.append(f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_TOPICS)} on "
                             f"{rng.choice(['March', 'May', 'July'])} {rng.randint(1, 28)}, with a target of "
                             f"{rng.randint(5, 95)} percent by 2025, item {i}.")
    return sentences


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--per-document", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        engine = database.connect(f"sqlite:///{tmp}/bench.db")
        sentences = make_items(rng, args.items)
        start = time.perf_counter()
        for d in range(0, len(sentences), args.per_document):
            chunk = sentences[d:d + args.per_document]
            body, spans, offset = [], [], 0
            for s in chunk:
                spans.append(Item(start=offset, end=offset + len(s)))
                body.append(s)
                offset += len(s) + 1
            doc_text = "\n".join(body) + "\n"
            doc = Document(sha256=f"{d:064d}", source=f"gen-{d}.txt", format="txt", text=doc_text,
                           language=detect_language(doc_text))
            database.save_document(engine, doc, "generic", spans, [])
        indexing = time.perf_counter() - start
        timings: dict[str, list[float]] = {name: [] for name in ("exact", "bare", "expanded", "bare both")}
        with engine.connect() as connection:
            for _ in range(args.repeat):
                for query in QUERIES:
                    translated = translate(query)
                    t0 = time.perf_counter()
                    bare_match(connection, query)
                    timings["bare"].append(time.perf_counter() - t0)
                    if translated:
                        bare_match(connection, translated)
                    timings["bare both"].append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    api.search(query, engine, limit=20, exact=True)
                    timings["exact"].append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    api.search(query, engine, limit=20)
                    timings["expanded"].append(time.perf_counter() - t0)
    print(f"items indexed: {args.items} in {indexing:.1f} s ({args.items / indexing:.0f} items/s)")
    for name, label in (("exact", "search --exact"), ("bare", "bare MATCH"), ("expanded", "search (translated too)"),
                        ("bare both", "bare MATCH, both")):
        values = timings[name]
        print(f"{label:24} p50 {statistics.median(values) * 1000:7.2f} ms   p95 {percentile(values, 0.95) * 1000:7.2f} ms")
    print(f"p95 ratio, query alone (search --exact / bare MATCH): "
          f"{percentile(timings['exact'], 0.95) / percentile(timings['bare'], 0.95):.2f}")
    print(f"p95 ratio, with the translated query (search / both bare MATCHes): "
          f"{percentile(timings['expanded'], 0.95) / percentile(timings['bare both'], 0.95):.2f}")


def bare_match(connection, query: str) -> None:  # type: ignore[no-untyped-def]
    """The FTS5 MATCH alone on the index policywatch uses for the query, top 20 by rank."""
    plan = _plan(query)
    if plan == "words":
        table, match = "search_zh", _words_match(_word_terms(query))
    elif plan == "substring":
        table, match = "search_tri", " ".join(f'"{t.strip(chr(34))}"' for t in query.split())
    else:
        table, match = "search_en", _fts_query(query)
    connection.execute(text(f"SELECT rowid FROM {table} WHERE {table} MATCH :q ORDER BY rank LIMIT 20"),
                       {"q": match}).all()

if __name__ == "__main__":
    main()
