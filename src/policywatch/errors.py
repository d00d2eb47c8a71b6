"""Errors a user can act on: each carries the file (or input) and a one-line reason."""


class PolicywatchError(Exception):
    """A user-facing error: printed as one line, never as a traceback."""


class ReadError(PolicywatchError):
    """A file could not be read into a Document."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
