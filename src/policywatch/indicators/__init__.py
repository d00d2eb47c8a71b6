"""Technology indicators from public statistics: world shares, revealed advantage (RTA/RCA, RPA),
trade balance, growth and venture capital — functions over tidy pandas tables.

pandas is used because every indicator is a group-by over a long table; it reads 10 million rows of CSV
in seconds with categorical columns, and it is the format analysts already hold their statistics in.
"""

from policywatch.indicators.compute import cagr, specialisation, trade_balance, vc_totals
from policywatch.indicators.tables import IndicatorError, load_patents, load_trade, load_vc

__all__ = ["IndicatorError", "cagr", "load_patents", "load_trade", "load_vc", "specialisation", "trade_balance",
           "vc_totals"]
