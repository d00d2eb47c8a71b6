"""policywatch: China industrial- and technology-policy briefings as a searchable, cited database."""

__version__ = "0.1.0"
