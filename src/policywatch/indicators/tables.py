"""Input tables: the documented long CSV formats and adapters for UN Comtrade and OECD patent exports.

Long formats (header row required, extra columns ignored):
- patents:  country,technology,year,value
- vc:       country,technology,year,value[,deals][,startups][,currency]   (value: amount invested)
- trade:    reporter,partner,product,year,flow,value                        (flow: export / import)
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import nullcontext
from functools import cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

from policywatch.errors import PolicywatchError

LONG_COLUMNS = ["country", "technology", "year", "value"]
TRADE_COLUMNS = ["reporter", "partner", "product", "year", "flow", "value"]
ROWS = 500_000  # rows read at a time from a long patent table: a few hundred MB as text
FLOWS = {"export": "export", "exports": "export", "x": "export", "import": "import", "imports": "import", "m": "import"}


class IndicatorError(PolicywatchError):
    """Input a computation cannot use: one line naming the file and the reason."""


def _wanted(path: str | Path, usecols: list[str] | None, optional: tuple[str, ...]) -> list[str] | None:
    """The file's own names of the columns asked for (matched without case or spaces), checking they are there."""
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig")
    except FileNotFoundError:
        raise IndicatorError(f"{path}: no such file") from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise IndicatorError(f"{path}: not a readable CSV file ({exc.__class__.__name__})") from None
    columns = {c.strip().lower(): c for c in header.columns}
    if usecols:
        missing = [c for c in usecols if c not in columns]
        if missing:
            raise IndicatorError(f"{path}: missing column(s) {', '.join(missing)} (expected {','.join(usecols)})")
    return [columns[c] for c in [*usecols, *(o for o in optional if o in columns)]] if usecols else None


def _read(path: str | Path, usecols: list[str] | None = None, optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """The whole table as text, its column names stripped and lower-cased."""
    return next(_chunks(path, usecols, optional, rows=None))


def _chunks(path: str | Path, usecols: list[str] | None = None, optional: tuple[str, ...] = (),
            rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The table as text, ``rows`` rows at a time (all at once when None); each chunk's index counts rows from the
    top of the file, so errors name the file's own line."""
    wanted = _wanted(path, usecols, optional)
    options = {"usecols": wanted, "encoding": "utf-8-sig", "dtype": str, "keep_default_na": False}
    try:
        whole = rows is None
        with nullcontext([pd.read_csv(path, **options)]) if whole else pd.read_csv(path, chunksize=rows, **options) \
                as frames:
            for frame in frames:
                frame.columns = [c.strip().lower() for c in frame.columns]
                yield frame
    except (pd.errors.ParserError, ValueError) as exc:
        raise IndicatorError(f"{path}: not a readable CSV file ({exc})") from None


def _numbers(frame: pd.DataFrame, column: str, path: str | Path, allow_missing: bool = False) -> pd.Series:
    text = frame[column].str.strip().str.replace(",", "", regex=False)
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & (~text.eq("") | (not allow_missing))
    if bad.any():
        row = int(bad.idxmax())
        raw = frame[column].loc[row]
        raise IndicatorError(f"{path}: line {row + 2}: {column} is {'missing' if not raw.strip() else repr(raw)}"
                             f" (expected a number)")
    if (values < 0).any():
        row = int((values < 0).idxmax())
        raise IndicatorError(f"{path}: line {row + 2}: {column} is negative ({frame[column].loc[row]})")
    return values


def _years(frame: pd.DataFrame, path: str | Path) -> pd.Series:
    years = pd.to_numeric(frame["year"].str.strip(), errors="coerce")
    if years.isna().any() or (years % 1 != 0).any():
        row = int((years.isna() | (years % 1 != 0)).idxmax())
        raise IndicatorError(f"{path}: line {row + 2}: year {frame['year'].loc[row]!r} is not a year")
    return years.astype("int16")


def _texts(frame: pd.DataFrame, columns: list[str], path: str | Path) -> None:
    """Names stripped of spaces; none may be empty."""
    for column in columns:
        values = frame[column].str.strip()
        if values.eq("").any():
            raise IndicatorError(f"{path}: line {int(values.eq('').idxmax()) + 2}: {column} is missing")
        frame[column] = values


def _categories(frame: pd.DataFrame, columns: list[str], path: str | Path) -> None:
    _texts(frame, columns, path)
    for column in columns:
        frame[column] = frame[column].astype("category")


def load_patents(path: str | Path, fmt: str = "long", mapping: str | Path | None = None) -> pd.DataFrame:
    """Patent counts as country, technology, year, value (summed where rows repeat)."""
    if fmt == "oecd":
        return _oecd(path, mapping)
    if fmt != "long":
        raise IndicatorError(f"{path}: unknown format '{fmt}' for patents (long, oecd)")
    # a chunk at a time, each summed at once: ten million rows read whole as text take gigabytes
    keys = ["country", "technology", "year"]
    parts = []
    for frame in _chunks(path, LONG_COLUMNS, rows=ROWS):
        frame["value"] = _numbers(frame, "value", path)
        frame["year"] = _years(frame, path)
        _texts(frame, ["country", "technology"], path)
        parts.append(frame.groupby(keys, sort=False)["value"].sum().reset_index())
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = frame["year"].astype("int16")
    for column in ("country", "technology"):
        frame[column] = frame[column].astype("category")
    return _sum(frame[LONG_COLUMNS], keys)


def load_vc(path: str | Path) -> pd.DataFrame:
    """Venture capital rounds: country, technology, year, value (amount), deals, startups, currency."""
    frame = _read(path, LONG_COLUMNS, optional=("deals", "startups", "currency"))
    frame["value"] = _numbers(frame, "value", path).astype(float)
    frame["year"] = _years(frame, path)
    frame["deals"] = _numbers(frame, "deals", path) if "deals" in frame else 1.0
    frame["startups"] = _numbers(frame, "startups", path, allow_missing=True) if "startups" in frame else float("nan")
    frame["currency"] = frame["currency"].str.strip().str.upper().replace("", "EUR") if "currency" in frame else "EUR"
    _categories(frame, ["country", "technology"], path)
    return frame[[*LONG_COLUMNS, "deals", "startups", "currency"]]


def load_trade(path: str | Path, fmt: str = "long", mapping: str | Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Trade flows as reporter, partner, technology, year, flow, value; plus notes on codes that map to nothing."""
    if fmt == "comtrade":
        frame = _comtrade(path)
    elif fmt == "long":
        frame = _read(path, TRADE_COLUMNS)
    else:
        raise IndicatorError(f"{path}: unknown format '{fmt}' for trade (long, comtrade)")
    frame["value"] = _numbers(frame, "value", path)
    frame["year"] = _years(frame, path)
    flows = frame["flow"].str.strip().str.lower().map(FLOWS)
    if flows.isna().any():
        row = int(flows.isna().idxmax())
        raise IndicatorError(f"{path}: line {row + 2}: flow {frame['flow'].iloc[row]!r} is neither export nor import")
    frame["flow"] = flows
    frame["technology"], notes = map_codes(frame["product"], "hs", mapping)
    frame = frame[frame["technology"].notna()].copy()
    _categories(frame, ["reporter", "partner", "technology"], path)
    return _sum(frame[["reporter", "partner", "technology", "year", "flow", "value"]],
                ["reporter", "partner", "technology", "year", "flow"]), notes


def _sum(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.groupby(keys, observed=True, sort=True)["value"].sum().reset_index()


@cache
def _default_mapping() -> tuple[tuple[str, str, str], ...]:
    text = files("policywatch.data").joinpath("technology_map.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple((r["scheme"], r["code"], r["technology"]) for r in rows)


def _mapping(scheme: str, path: str | Path | None) -> dict[str, str]:
    if path is None:
        rows = _default_mapping()
    else:
        table = _read(path, ["scheme", "code", "technology"])
        rows = tuple(zip(table["scheme"], table["code"], table["technology"], strict=True))
    return {code.replace(" ", "").upper(): tech for s, code, tech in rows if s.strip().lower() == scheme}


def map_codes(codes: pd.Series, scheme: str, mapping: str | Path | None = None) -> tuple[pd.Series, list[str]]:
    """Technology of each code by the longest matching prefix; names that are not codes pass through.

    Returns the technologies (NaN where a code maps to nothing) and a note naming the unknown codes.
    """
    table = _mapping(scheme, mapping)
    clean = codes.astype(str).str.replace(" ", "", regex=False).str.upper()
    lengths = sorted({len(k) for k in table}, reverse=True)
    result = {}
    for code in clean.unique():
        looks_like_code = any(ch.isdigit() for ch in code)
        found = next((table[code[:n]] for n in lengths if code[:n] in table), None)
        result[code] = found if found or looks_like_code else code.lower()
    mapped = clean.map(result)
    unknown = sorted(c for c, t in result.items() if t is None)
    notes = [f"{len(unknown)} {scheme} code(s) map to no technology and were left out: "
             f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}"] if unknown else []
    return mapped, notes


def _pick(columns: dict[str, str], names: list[str], path: str | Path, what: str) -> str:
    for name in names:
        if name.lower() in columns:
            return columns[name.lower()]
    raise IndicatorError(f"{path}: no {what} column (looked for {', '.join(names)})")


def _comtrade(path: str | Path) -> pd.DataFrame:
    """A UN Comtrade CSV export (classic or Comtrade+ headers) as the long trade table."""
    raw = _read(path)
    columns = {c.lower(): c for c in raw.columns}
    frame = pd.DataFrame({
        "reporter": raw[_pick(columns, ["reporteriso", "reporter iso", "reporter", "reporterdesc"], path, "reporter")],
        "partner": raw[_pick(columns, ["partneriso", "partner iso", "partner", "partnerdesc"], path, "partner")],
        "product": raw[_pick(columns, ["cmdcode", "commodity code"], path, "commodity code")],
        "year": raw[_pick(columns, ["refyear", "year", "period"], path, "year")].str[:4],
        "flow": raw[_pick(columns, ["flowcode", "trade flow", "flowdesc", "trade flow code"], path, "trade flow")],
        "value": raw[_pick(columns, ["primaryvalue", "trade value (us$)", "tradevalue"], path, "trade value")],
    })
    frame["flow"] = frame["flow"].str.strip().str.lower().replace({"1": "import", "2": "export",
                                                                    "re-export": "export", "re-import": "import"})
    return frame


def _oecd(path: str | Path, mapping: str | Path | None) -> pd.DataFrame:
    """An OECD patent-statistics CSV export (OECD.Stat or SDMX headers) as the long patent table."""
    raw = _read(path)
    columns = {c.lower(): c for c in raw.columns}
    frame = pd.DataFrame({
        "country": raw[_pick(columns, ["location", "ref_area", "cou", "country"], path, "country")],
        "technology": raw[_pick(columns, ["ipc", "technology", "tech", "cpc"], path, "technology")],
        "year": raw[_pick(columns, ["time", "time_period", "year"], path, "year")],
        "value": raw[_pick(columns, ["value", "obs_value"], path, "value")],
    })
    frame["technology"], _ = map_codes(frame["technology"], "ipc", mapping)
    frame = frame[frame["technology"].notna()].copy()
    frame["value"] = _numbers(frame.reset_index(drop=True), "value", path).to_numpy()
    frame["year"] = _years(frame.reset_index(drop=True), path).to_numpy()
    _categories(frame, ["country", "technology"], path)
    return _sum(frame[LONG_COLUMNS], ["country", "technology", "year"])
