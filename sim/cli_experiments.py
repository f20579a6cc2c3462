"""Subcommands for experiments over several scenarios or variants (compare, sweep, optimize)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXPERIMENT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
"""Command name → handler; each handler returns the exit code."""


def add_experiment_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the experiment subcommands on the main parser's subparsers."""
