"""The briefing's charts as SVG: items by issuing body, by technology, and a timeline of the month."""

from __future__ import annotations

import calendar
import io
from collections import Counter

from policywatch.briefing.compose import Briefing
from policywatch.choices import issuer_label, technology_name


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "svg.fonttype": "none", "axes.spines.top": False,
                         "axes.spines.right": False})
    return plt


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def _bars(counts: Counter, title: str) -> str:
    plt = _pyplot()
    labels = [k for k, _ in counts.most_common(12)][::-1]
    fig, axis = plt.subplots(figsize=(5.5, 0.3 * len(labels) + 1.0))
    axis.barh(labels, [counts[k] for k in labels], color="#2a7ab9")
    axis.set_title(title, loc="left")
    axis.xaxis.get_major_locator().set_params(integer=True)
    svg = _svg(fig)
    plt.close(fig)
    return svg


def charts(briefing: Briefing) -> dict[str, str]:
    """Chart name -> SVG text, labelled with names, not ids; an empty month gets no charts."""
    entries = briefing.top + briefing.policy_news
    by_issuer = Counter(issuer_label(i) for e in entries for i in e.issuers)
    by_technology = Counter(technology_name(t) for e in entries for t in e.technologies)
    by_technology.update(technology_name(t) for n in briefing.corporate_news for t in n.technologies)
    result = {}
    if by_issuer:
        result["issuers"] = _bars(by_issuer, "Policies by issuing body")
    if by_technology:
        result["technologies"] = _bars(by_technology, "Items by technology")
    days = Counter(int(x.date[8:]) for x in [*entries, *briefing.corporate_news] if x.date and len(x.date) == 10)
    if days:
        plt = _pyplot()
        year, month = map(int, briefing.month.split("-"))
        last = calendar.monthrange(year, month)[1]
        fig, axis = plt.subplots(figsize=(6.5, 1.8))
        axis.bar(range(1, last + 1), [days.get(d, 0) for d in range(1, last + 1)], color="#d1495b")
        axis.set_xlim(0.5, last + 0.5)
        axis.set_title(f"Timeline of {briefing.month_name}: items per day", loc="left")
        axis.yaxis.get_major_locator().set_params(integer=True)
        result["timeline"] = _svg(fig)
        plt.close(fig)
    return result
