"""`python -m policywatch.cli`: the same command as `policywatch`."""

from policywatch.cli import app

app()
