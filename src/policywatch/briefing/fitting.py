"""Fitting the ranking's weights to the team's own past briefings.

A monthly briefing in the archive (layout ``monthly``) is a month of labelled examples of the team's judgement:
a policy it puts in its Top items is a positive, one it lists only in policy news (or a policy of that month it
leaves out) a negative. A policy's signals are read from its other sources, not from the briefing's own words,
so the fit learns what the team saw in the sources. The model is a logistic regression on the signals
(scikit-learn): its coefficients are the weights, one per signal, as explainable as the hand-set ones.
How well it generalises is measured month by month: fitted without a month, how many of that month's
human Top picks does the fitted ranking put in its Top N?
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from policywatch.briefing.compose import briefing_month, policies_of_month, with_context
from policywatch.briefing.ranking import SIGNALS, Weight, read_weights, vector
from policywatch.errors import PolicywatchError
from policywatch.store.policies import get_policy, list_policies
from policywatch.store.schema import documents, items, mentions, policy_mentions


@dataclass
class Example:
    """One policy of a past briefing's month, labelled by what the team did with it."""

    month: str
    policy_id: int
    title: str
    picked: bool  # in the briefing's Top items
    features: list[float]


@dataclass
class MonthResult:
    """How a ranking fitted without one month reproduces that month's Top picks."""

    month: str
    picks: int
    found: int  # picks in the ranking's Top N
    top: int
    candidates: int
    missed: list[str] = field(default_factory=list)


@dataclass
class Fit:
    """Fitted weights, the examples they came from, and the held-back months' results."""

    weights: dict[str, float]
    examples: list[Example]
    held_back: list[MonthResult]
    baseline: list[MonthResult]  # the same months ranked with the current weights, for comparison

    @staticmethod
    def share(results: list[MonthResult]) -> float:
        picks = sum(r.picks for r in results)
        return sum(r.found for r in results) / picks if picks else 0.0


def _features(engine: Engine, policy_id: int, listed: dict[str, Any], own: set[int]) -> list[float]:
    """The signals of a policy read from its sources other than the team's briefings (all when it has no other)."""
    full = with_context(engine, get_policy(engine, policy_id))
    others = [s for s in full["sources"] if s["document_id"] not in own]
    sources = others or full["sources"]
    documents_count = len({s["document_id"] for s in sources})
    return vector({**full, "sources": sources, "documents": documents_count, "instrument": listed.get("instrument")})


def examples(engine: Engine) -> list[Example]:
    """The labelled examples of every past briefing in the archive."""
    with engine.connect() as connection:
        briefings = connection.execute(select(documents.c.id, documents.c.text, documents.c.published)
                                       .where(documents.c.layout == "monthly")).all()
        own = {b.id for b in briefings}
        rows = connection.execute(
            select(mentions.c.document_id, items.c.section, policy_mentions.c.policy_id)
            .join(items, items.c.id == mentions.c.item_id)
            .join(policy_mentions, policy_mentions.c.mention_id == mentions.c.id)
            .where(mentions.c.document_id.in_(own), mentions.c.kind == "policy")).all() if own else []
    month_of_briefing = {b.id: briefing_month(b.text, b.published) for b in briefings}
    picked: dict[str, set[int]] = {}
    listed_in: dict[str, set[int]] = {}
    for document_id, section, policy_id in rows:
        month = month_of_briefing.get(document_id)
        if month is None:
            continue
        (picked if section == "top" else listed_in).setdefault(month, set()).add(policy_id)
    by_id = {p["id"]: p for p in list_policies(engine, include_implied=False)}
    found: list[Example] = []
    for month in sorted(picked):
        # the month's other policies, which the team left out, are negatives as well
        candidates = listed_in.get(month, set()) | {p["id"] for p, _ in policies_of_month(engine, month)} | picked[month]
        for group in same_titles([by_id[i] for i in sorted(candidates) if i in by_id]):
            # one policy the store still holds as several records (the briefing's and its sources'): one example,
            # a pick when any of them is, with what any of their sources say
            first = group[0]
            rows = [_features(engine, p["id"], p, own) for p in group]
            found.append(Example(month, first["id"], first["title_en"] or first["label"] or str(first["id"]),
                                 any(p["id"] in picked[month] for p in group), [max(v) for v in zip(*rows, strict=True)]))
    return found


def _title_keys(policy: dict[str, Any]) -> set[str]:
    """Keys of a policy's titles that its other records share: the Chinese title in Simplified characters and the
    English title's words, both without period, draft and interpretation marks."""
    from policywatch.resolve.clustering import zh_key

    keys = set()
    if policy.get("title_zh"):
        keys.add("zh:" + re.sub(r"征求意见稿|草案|的?(?:政策)?解读|\d{4}[-—–~至]\d{4}年?", "", zh_key(policy["title_zh"])))
    if policy.get("title_en"):
        words = re.findall(r"[a-z]{3,}", policy["title_en"].lower())
        kept = sorted(set(words) - {"the", "for", "and", "draft", "comments", "comment", "interpretation", "plan"})
        if len(kept) >= 3:
            keys.add("en:" + " ".join(kept))
    return {k for k in keys if len(k) > 6}


def same_titles(policies: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Policies grouped where their titles' keys meet (in the order given)."""
    groups: list[list[dict[str, Any]]] = []
    owner: dict[str, int] = {}
    for policy in policies:
        keys = _title_keys(policy)
        hits = sorted({owner[k] for k in keys if k in owner})
        if not hits:
            groups.append([policy])
            index = len(groups) - 1
        else:
            index = hits[0]
            groups[index].append(policy)
            for other in hits[1:]:  # a policy that joins two groups makes them one
                groups[index].extend(groups[other])
                groups[other] = []
                owner.update({k: index for k, v in owner.items() if v == other})
        owner.update({k: index for k in keys})
    return [g for g in groups if g]


def fit_weights(train: list[Example], prior: dict[str, Weight]) -> dict[str, float]:
    """Weights from a logistic regression on the examples' signals; a signal that never varies among them keeps
    its prior weight (nothing can be learnt about it)."""
    from sklearn.linear_model import LogisticRegression

    labels = [e.picked for e in train]
    if len(set(labels)) < 2:
        raise PolicywatchError("fitting needs months with Top picks and with other policies")
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    model.fit([e.features for e in train], labels)
    weights = {}
    for i, name in enumerate(SIGNALS):
        varies = len({e.features[i] for e in train}) > 1
        weights[name] = round(float(model.coef_[0][i]), 3) if varies else (prior[name].weight if name in prior else 0.0)
    return weights


def rank_month(month_examples: list[Example], weights: dict[str, float], top: int | None) -> MonthResult:
    """A month's examples ranked by ``weights``: how many of the team's picks are in the Top N (N: the number of
    picks, unless ``top`` is given). Off-topic policies never rank, as in the briefing."""
    off = SIGNALS.index("off_topic")
    scored = sorted(month_examples, key=lambda e: (e.features[off] > 0, -sum(w * x for w, x in zip(
        (weights.get(s, 0.0) for s in SIGNALS), e.features, strict=True)), e.policy_id))
    picks = [e for e in month_examples if e.picked]
    size = top if top is not None else len(picks)
    chosen = {e.policy_id for e in scored[:size]}
    return MonthResult(month_examples[0].month, len(picks), sum(e.policy_id in chosen for e in picks), size,
                       len(month_examples), [e.title for e in picks if e.policy_id not in chosen])


def fit(engine: Engine, top: int | None = None, prior: dict[str, Weight] | None = None) -> Fit:
    """Fit the weights to every past briefing, and measure each month held back from the fit."""
    prior = prior if prior is not None else read_weights()
    found = examples(engine)
    months = sorted({e.month for e in found})
    if len(months) < 2:
        raise PolicywatchError(f"fitting needs the team's briefings of two months or more in the archive "
                               f"(found {len(months)}: ingest past monthly briefings with their sources)")
    held_back, baseline = [], []
    current = {name: w.weight for name, w in prior.items()}
    for month in months:
        train = [e for e in found if e.month != month]
        test = [e for e in found if e.month == month]
        if len({e.picked for e in train}) < 2 or not any(e.picked for e in test):
            continue
        held_back.append(rank_month(test, fit_weights(train, prior), top))
        baseline.append(rank_month(test, current, top))
    return Fit(fit_weights(found, prior), found, held_back, baseline)
