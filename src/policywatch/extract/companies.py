"""Company names in corporate news: capitalised name runs, minus agencies, places, months and sentence words."""

from __future__ import annotations

import re

from policywatch.extract.agencies import find_agencies

# Words that start a capitalised run without being (part of) a firm's name.
NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "its", "their", "his", "her", "in", "on", "at", "by", "for", "and",
    "media", "reports", "reporting", "report", "according", "chinese", "china", "china's", "global", "european",
    "american", "german", "french", "british", "japanese", "korean", "us", "u.s.", "eu", "uk", "western", "eastern",
    "state", "local", "national", "international", "government", "ministry", "meanwhile", "however", "also",
    "after", "before", "while", "since", "with", "from", "as", "first", "second", "third", "last",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "ai", "ev", "evs", "ic", "ics", "vc", "pe", "ipo", "r&d", "5g", "it", "cn", "en", "link", "article",
    "autonomous", "electric", "leading", "major", "domestic", "foreign", "startup", "start-up", "beijing",
    "shanghai", "shenzhen", "hong", "kong", "taiwan", "europe", "asia", "africa", "america", "germany",
    "france", "italy", "spain", "netherlands", "sweden", "india", "japan", "korea", "russia", "canada",
    "australia", "brazil", "mexico", "britain", "england", "switzerland", "belgium", "austria", "poland",
    "hubei", "guangdong", "zhejiang", "jiangsu", "anhui", "sichuan", "shandong", "fujian", "henan", "hebei",
    "hunan", "liaoning", "jilin", "shaanxi", "yunnan", "guizhou", "hainan", "tianjin", "chongqing", "wuhan",
    "hangzhou", "nanjing", "suzhou", "hefei", "xi'an", "chengdu", "guangzhou", "xiamen", "ningbo", "qingdao",
    "reuters", "bloomberg", "caixin", "xinhua", "yicai", "sina", "technode", "cgtn", "gasgoo", "leiphone",
    "weibo", "wechat", "financial", "times", "daily", "news", "service", "but", "is", "are", "to",
    "why", "what", "how", "who", "when", "where", "they", "he", "she", "we", "our", "there", "here", "all",
    "both", "each", "other", "such", "some", "most", "many", "several", "top", "big", "tech", "chip",
    "chips", "semiconductor", "one", "two", "three", "vehicle", "vehicles", "car", "cars", "stand-alone",
    "usd", "cny", "eur", "rmb", "gbp", "jpy", "hkd", "gwh", "mwh", "kwh", "gw", "mw", "km", "bn",
    # words that open a news sentence without naming a firm
    "shares", "sales", "exports", "imports", "prices", "investors", "regulators", "authorities", "officials",
    "analysts", "experts", "sources", "figures", "statistics", "data", "industry", "market", "markets",
    "four", "five", "despite", "following", "amid", "us-based", "china-based", "beijing-based", "shanghai-based",
    "shenzhen-based", "state-owned", "privately-owned",
    # nationalities: "the Hungarian government", "Dutch lithography"
    "hungarian", "dutch", "italian", "spanish", "swedish", "polish", "czech", "austrian", "belgian", "danish",
    "finnish", "indian", "russian", "canadian", "australian", "brazilian", "mexican", "taiwanese", "vietnamese",
    "indonesian", "thai", "malaysian", "singaporean", "swiss", "norwegian", "irish", "portuguese", "greek",
    "turkish", "saudi", "emirati", "israeli", "african", "asian", "south", "north",
}
ARTICLES = {"the", "a", "an"}
CONNECTORS = {"of", "in", "and", "&", "for", "de"}
NAME_ENDINGS = {"ai", "ev", "tech", "auto", "chip", "mobile"}
DESCRIPTOR = re.compile(r"\b(?:maker|makers|startup|start-up|company|companies|firm|firms|giant|giants|operator|"
                        r"operators|group|manufacturer|supplier|provider|platform|carmaker|automaker|chipmaker|"
                        r"developer|producer|arm|subsidiary|unicorn|player|retailer|bank|brand|rival)\b", re.I)
SUFFIX = re.compile(r"\b(?:Motor|Motors|Group|Holdings?|Technologies|Technology|Tech|Robotics|Automotive|Auto|"
                    r"Electronics|Semiconductor|Semiconductors|Corp|Corporation|Inc|Ltd|Co|AG|SE|GmbH|Bank|"
                    r"Telecom|Unicom|Mobile|Networks|Energy|Systems|Software|Capital|Ventures|Pharma|Chamber|"
                    r"Association)\b")
# Institutions named in corporate news that are not companies.
NOT_COMPANY = re.compile(r"\b(?:Stock Exchange|Exchange|University|Court|Ministry|Commission|Administration|"
                         r"Council|Congress|Bureau|Province|City|Zone|District)$")
# A capitalised run: words starting upper case (or CamelCase like iQiyi / WeRide / SVOLT),
# joined by "of", "in", "and", "&", "de" only between capitalised words.
RUN = re.compile(r"(?<![\w’'-])(?:[A-Z][\w’'&.-]*|[a-z]+[A-Z][\w-]*)(?:\s+(?:(?:of|in|&|de|for)\s+)?"
                 r"(?:[A-Z][\w’'&.-]*|[a-z]+[A-Z][\w-]*))*")
# "of" alone does not make a place ("shares of Xiaomi"); "the government of Huzhou" does
PREPOSITION_BEFORE = re.compile(r"\b(?:in|to|from|at|across|into|near|(?:government|city|province|mayor|capital)\s+of|"
                                r"such\s+as|including|like)\s+(?:the\s+)?$", re.I)


def _trim(words: list[str]) -> list[str]:
    if SUFFIX.search(" ".join(words)):  # an institution's full name keeps its adjectives and place
        while words and words[0].lower() in ARTICLES:
            words = words[1:]
        return words
    while words and (re.sub(r"['’]s$", "", words[0].lower()) in NOT_NAMES or words[0].lower() in CONNECTORS):
        words = words[1:]
    # "Pony AI", "Lotus Tech": a short word that is a name's last part when something stands before it
    while words and (words[-1].lower() in NOT_NAMES - NAME_ENDINGS or words[-1].lower() in CONNECTORS):
        words = words[:-1]
    return words


def find_companies(text: str) -> list[tuple[str, int, int]]:
    """Company names in a news item: (name, start, end), first mention of each."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), text)
    plain = re.sub(r"\*", " ", plain)
    agencies = [(a.start, a.end) for a in find_agencies(plain)]
    found: dict[str, tuple[str, int, int]] = {}
    for m in RUN.finditer(plain):
        if any(s < m.end() and m.start() < e for s, e in agencies):
            continue
        if re.search(r"\b(?:CEO|chief executive|founder|chairman|chairwoman|president|Mr\.?|Ms\.?|Dr\.?|minister|"
                     r"premier|spokesperson|analyst)\s*$", plain[max(0, m.start() - 25):m.start()], re.I):
            continue  # a person: "founder Lei Jun"
        words = [w.split("-")[0] if re.search(r"-(?:backed|owned|controlled|led|funded)$", w) else w
                 for w in m.group().split() if not re.search(r"-(?:based|listed|headquartered)$", w)]
        words = _trim(words)
        if not words:
            continue
        name = " ".join(words).removesuffix("’s").removesuffix("'s").rstrip(".,")
        start = m.start() + m.group().find(words[0])
        if re.fullmatch(r"[A-Z]{1,4}", name) and plain[start - 1:start] == "(":
            continue  # an acronym explaining the words before it: "(EDA)", "(VC)"
        before = plain[max(0, start - 40):start]
        after = plain[start + len(name):start + len(name) + 40]
        if PREPOSITION_BEFORE.search(before) and not (DESCRIPTOR.search(before[-25:]) or SUFFIX.search(name)):
            continue  # a place: "a plant in Taizhou", "the government of Huzhou"
        if DESCRIPTOR.match(after.strip().split(" ")[0] if after.strip() else "") and len(words) == 1 and \
                name.lower() in NOT_NAMES:
            continue
        if re.match(r"\s+(?:[a-z-]+\s+){0,2}(?:startup|maker|company|firm|giant|operator)\b", after) and \
                not SUFFIX.search(name) and start == len(plain) - len(plain.lstrip()):
            continue  # an adjective opening the item: "Autonomous vehicle startup WeRide"
        if NOT_COMPANY.search(name):
            continue
        key = name.lower()
        if key not in found and not any(key in k for k in found):
            found[key] = (name, start, start + len(name))
    return list(found.values())
