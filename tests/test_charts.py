"""Indicator charts: technologies by name, years as whole numbers on the time axis."""

from __future__ import annotations

from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")


def test_specialisation_chart_names_technologies_and_counts_whole_years(tmp_path: Path) -> None:
    import matplotlib

    from policywatch.indicators.chart import plot_specialisation

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text, so the labels can be read back
    rows = [{"country": "CN", "technology": tech, "year": year, "share": share, "rpa": rpa}
            for tech, rpa in (("robotics", 40.0), ("nev", -20.0))
            for year, share in ((2019, 0.1), (2020, 0.15), (2021, 0.2))]
    path = tmp_path / "cn.svg"
    plot_specialisation(pd.DataFrame(rows), "CN", path)
    svg = path.read_text(encoding="utf-8")
    assert "New Energy Vehicles" in svg and "Robotics" in svg and ">nev<" not in svg
    assert ">2020<" in svg and "2019.5" not in svg and "2020.5" not in svg
