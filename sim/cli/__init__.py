"""The ``officesim`` command line, thin over the public API."""

from sim.cli.main import main

__all__ = ["main"]
