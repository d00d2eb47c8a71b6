"""The monthly briefing: compose it from the database, rank the Top items, chart the month, render it."""

from policywatch.briefing.compose import Briefing, compose
from policywatch.briefing.render import render

__all__ = ["Briefing", "compose", "render"]
