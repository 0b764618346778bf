"""claimcheck: document-grounded claim verification."""

__version__ = "0.1.0"
