"""Indicators on small tables whose results are computed by hand here, adapters and error paths."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policywatch.cli import app
from policywatch.indicators import (
    IndicatorError,
    cagr,
    load_patents,
    load_trade,
    load_vc,
    specialisation,
    trade_balance,
    vc_totals,
)

runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PATENTS = """country,technology,year,value
CN,ai,2018,30
CN,robotics,2018,10
EU,ai,2018,10
EU,robotics,2018,50
CN,ai,2010,10
EU,ai,2010,20
"""


def test_shares_rta_rpa_by_hand(tmp_path: Path) -> None:
    table, notes = specialisation(load_patents(write(tmp_path, "p.csv", PATENTS)))
    row = table[(table.country == "CN") & (table.technology == "ai") & (table.year == 2018)].iloc[0]
    # world AI 2018 = 40; CN total 2018 = 40; world total 2018 = 100
    assert row.share == pytest.approx(30 / 40)
    rta = (30 / 40) / (40 / 100)
    assert row.rta == pytest.approx(rta)
    assert row.rpa == pytest.approx(100 * (rta**2 - 1) / (rta**2 + 1))
    eu = table[(table.country == "EU") & (table.technology == "robotics") & (table.year == 2018)].iloc[0]
    assert eu.share == pytest.approx(50 / 60) and eu.rta == pytest.approx((50 / 60) / (60 / 100))
    assert table.rpa.min() >= -100 and table.rpa.max() <= 100
    assert notes == []


def test_zero_denominators_are_reported_not_divided(tmp_path: Path) -> None:
    path = write(tmp_path, "z.csv", "country,technology,year,value\nCN,quantum,2019,0\nEU,quantum,2019,0\nEU,ai,2019,5\n")
    table, notes = specialisation(load_patents(path))
    quantum = table[table.technology == "quantum"]
    assert quantum.share.isna().all() and quantum.rta.isna().all()
    assert any("world total of the technology is zero" in n for n in notes)
    assert any("country's total is zero" in n for n in notes)


def test_growth_by_hand(tmp_path: Path) -> None:
    growth, notes = cagr(load_patents(write(tmp_path, "p.csv", PATENTS)), 2010, 2018)
    cn = growth[(growth.country == "CN") & (growth.technology == "ai")].iloc[0]
    assert cn.cagr == pytest.approx((30 / 10) ** (1 / 8) - 1)
    assert math.isnan(growth[(growth.country == "CN") & (growth.technology == "robotics")].iloc[0].cagr)
    assert notes and "undefined" in notes[0]
    with pytest.raises(ValueError, match="later end year"):
        cagr(load_patents(write(tmp_path, "q.csv", PATENTS)), 2018, 2010)


@pytest.mark.parametrize(("text", "message"), [
    ("country,technology,year,value\nCN,ai,2018,\n", "line 2: value is missing"),
    ("country,technology,year,value\nCN,ai,2018,-3\n", "line 2: value is negative"),
    ("country,technology,year,value\nCN,ai,twenty,3\n", "line 2: year 'twenty' is not a year"),
    ("country,tech,year,value\nCN,ai,2018,3\n", "missing column(s) technology"),
    ("country,technology,year,value\n,ai,2018,3\n", "line 2: country is missing"),
])
def test_bad_tables_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(IndicatorError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_patents(write(tmp_path, "bad.csv", text))


def test_trade_balance_and_export_share_by_hand(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", """reporter,partner,product,year,flow,value
CN,WLD,854231,2018,export,30
CN,WLD,854231,2018,import,90
EU,WLD,8542,2018,export,10
EU,WLD,8542,2018,import,10
CN,WLD,847950,2018,export,5
CN,WLD,999999,2018,export,7
""")
    trade, notes = load_trade(path)
    assert notes and "999999" in notes[0]  # an unknown code is reported and left out
    table, _ = trade_balance(trade)
    chips = table[(table.country == "CN") & (table.technology == "micro-nanoelectronics")].iloc[0]
    assert chips.balance == pytest.approx((30 - 90) / (30 + 90))
    assert chips.export_share == pytest.approx(30 / 40)
    robots = table[(table.country == "CN") & (table.technology == "robotics")].iloc[0]
    assert robots.balance == pytest.approx(1.0)  # the longest prefix (847950) wins over 8479


def test_comtrade_adapter(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"
                                    "2021,CHN,W00,X,8541,100\n2021,CHN,W00,M,8541,300\n")
    table, _ = trade_balance(load_trade(path, "comtrade")[0])
    assert table.iloc[0].balance == pytest.approx(-0.5)


def test_oecd_adapter(tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", "LOCATION,Country,IPC,TIME,Value\nCHN,China,G06N,2018,40\nDEU,Germany,G06N,2018,10\n"
                                    "CHN,China,B25J,2018,10\nDEU,Germany,B25J,2018,40\n")
    table, _ = specialisation(load_patents(path, "oecd"))
    assert set(table.technology) == {"artificial-intelligence", "robotics"}
    assert table[(table.country == "CHN") & (table.technology == "robotics")].iloc[0].share == pytest.approx(0.2)


def test_vc_totals_in_eur(tmp_path: Path) -> None:
    path = write(tmp_path, "v.csv", "country,technology,year,value,deals,startups,currency\n"
                                    "CN,ai,2020,1142,2,1,USD\nCN,ai,2020,1000,1,2,EUR\n")
    totals, notes = vc_totals(load_vc(path))
    row = totals.iloc[0]
    assert row.amount_eur == pytest.approx(1000 + 1142 / 1.1422, rel=1e-3)  # ECB 2020 average: 1.1422 USD per EUR
    assert row.deals == 3 and row.rounds_per_startup == pytest.approx(1.0) and notes == []


def test_cli_json_records_csv_plot_and_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", PATENTS)
    result = runner.invoke(app, ["indicators", "patents", str(path), "--json", "--country", "cn"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert {tuple(sorted(r)) for r in records} == {("country", "rpa", "rta", "share", "technology", "value", "year")}
    assert all(r["country"] == "CN" for r in records)
    as_csv = runner.invoke(app, ["indicators", "patents", str(path), "--csv"])
    assert as_csv.stdout.splitlines()[0] == "country,technology,year,value,share,rta,rpa"
    svg = tmp_path / "rpa.svg"
    plotted = runner.invoke(app, ["indicators", "patents", str(path), "--country", "CN", "--plot", str(svg)])
    assert plotted.exit_code == 0 and svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    growth = runner.invoke(app, ["indicators", "patents", str(path), "--growth", "2010:2018", "--json"])
    assert json.loads(growth.stdout)[0]["cagr"] == pytest.approx(3 ** (1 / 8) - 1)
    missing = runner.invoke(app, ["indicators", "patents", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1 and "none.csv: no such file" in missing.output
    unknown = runner.invoke(app, ["indicators", "patents", str(path), "--country", "XX"])
    assert unknown.exit_code == 1 and "country XX: not in the table" in unknown.output


def test_a_long_table_read_in_chunks_sums_as_one_and_names_the_right_line(tmp_path: Path, monkeypatch) -> None:
    from policywatch.indicators import tables

    rows = "".join(f"{c},{t},{y},{v}\n" for v, (c, t, y) in enumerate(
        [(c, t, y) for c in ("CN", "EU", "US") for t in ("ai", "robotics") for y in (2018, 2019)] * 3))
    path = write(tmp_path, "p.csv", "country,technology,year,value\n" + rows)
    whole = load_patents(path)
    monkeypatch.setattr(tables, "ROWS", 5)  # seven chunks, the same cells split across them
    chunked = load_patents(path)
    assert chunked.equals(whole) and list(chunked.dtypes.astype(str)) == ["category", "category", "int16", "int64"]
    assert len(whole) == 12 and whole.value.sum() == sum(range(36))
    bad = write(tmp_path, "bad.csv", "country,technology,year,value\n" + rows + "CN,ai,2018,lots\n")
    with pytest.raises(IndicatorError, match="line 38: value is 'lots'"):
        load_patents(bad)
