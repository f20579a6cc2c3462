"""The package's version, in one place (read by the build and by every output that records it)."""

__version__ = "0.1.0"
