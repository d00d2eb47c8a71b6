"""Chinese word segmentation for search: jieba with its own dictionary, the project's domain words, the
glossary and the agency names, and a user dictionary anyone can extend.

Text is folded to Simplified characters first, so Traditional and Simplified find each other. The index keeps
each word jieba cuts and every dictionary word inside it (网络数据安全 gives 网络数据, 网络, 数据, 安全 …), so a
compound is found by its parts; a query is cut into its words the same way.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from policywatch.hanzi import HAN, to_mainland, to_simplified

CJK = HAN
WORD = re.compile(r"\w+")
USER_DICTIONARY_ENV = "POLICYWATCH_USERDICT"
_lock = threading.Lock()


def user_dictionary() -> Path:
    """The user's dictionary of domain words: $POLICYWATCH_USERDICT, else userdict.txt in the data folder.

    One word a line, optionally followed by a frequency and a part of speech (jieba's format)."""
    if env := os.environ.get(USER_DICTIONARY_ENV):
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("policywatch")) / "userdict.txt"


@cache
def _tokenizer():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        shipped = files("policywatch.data").joinpath("userdict.txt").read_text(encoding="utf-8")
        for line in shipped.splitlines():
            if line.strip():
                word, *rest = line.split()
                tokenizer.add_word(word, int(rest[0]) if rest else None)
        from policywatch.glossary import terms
        from policywatch.registry import agencies

        for term in terms():
            if len(term.zh) >= 2:
                tokenizer.add_word(term.zh, 1000)
        for agency in agencies().values():
            if agency.name_zh:
                tokenizer.add_word(agency.name_zh, 1000)
        path = user_dictionary()
        if path.is_file():
            tokenizer.load_userdict(str(path))
    return tokenizer


def reset() -> None:
    """Forget the loaded dictionaries, so that the next use reads the user dictionary again."""
    _tokenizer.cache_clear()
    _piece_words.cache_clear()


def index_words(text: str) -> str:
    """The words of a Chinese text for the word index, space separated, Latin ones lower-cased ("5G" as "5g");
    empty for a text without Chinese, which the English index serves."""
    if not text or not CJK.search(text):
        return ""
    import jieba

    # jieba cuts each run of Han characters and Latin letters on its own: cut run by run, a run seen before (in
    # this document's items and records, which repeat its text, or in another document) is not cut again
    folded = to_simplified(text)
    words = [word for piece in jieba.re_han_default.split(folded) if piece for word in _piece_words(piece)]
    if folded != text:  # Traditional text is found by mainland vocabulary too: 資料 by 数据, 軟體 by 软件
        seen = set(words)
        words += [word for piece in jieba.re_han_default.split(to_mainland(text)) if piece
                  for word in _piece_words(piece) if word not in seen]
    return " ".join(words)


@lru_cache(maxsize=50_000)  # a few MB; a long document's runs and the commonest others
def _piece_words(piece: str) -> tuple[str, ...]:
    tokenizer = _tokenizer()
    found = []
    for word in tokenizer.cut(piece, HMM=True):
        if not WORD.fullmatch(word):
            continue
        found.append(word.lower())
        # like jieba's search mode, but every dictionary word inside a longer one, not only those of 2 and 3
        # characters: 关键信息基础设施 is found by 基础设施 too
        for size in range(2, min(len(word), 9)):
            for start in range(len(word) - size + 1):
                part = word[start:start + size]
                if tokenizer.FREQ.get(part):
                    found.append(part)
    return tuple(found)


def query_words(term: str) -> list[str]:
    """The words of one Chinese query term (folded to Simplified)."""
    return [w.lower() for w in _tokenizer().cut(to_simplified(term), HMM=True) if WORD.fullmatch(w)]
