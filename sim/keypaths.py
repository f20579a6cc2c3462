"""Key paths of nested scenario data (``floor.waiting_spaces``, ``staff[0].count``).

Shared by the results layer (which records the keys a scenario file sets) and the report layer
(which lists every parameter with its key path).
"""

from __future__ import annotations

from typing import Any


def flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every leaf of nested data as (key path, value); lists of scalars stay one leaf."""
    if isinstance(data, dict):
        if not data:
            return [(prefix, {})] if prefix else []
        out: list[tuple[str, Any]] = []
        for k, v in data.items():
            out.extend(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        out = []
        for i, v in enumerate(data):
            out.extend(flatten(v, f"{prefix}[{i}]"))
        return out
    return [(prefix, data)]


def written_paths(raw: Any) -> list[str]:
    """The key paths a file's raw data sets, with all their ancestors, sorted.

    A report marks a parameter as taken from a default when its path is not among these.
    """
    out: set[str] = set()
    for key, _ in flatten(raw if isinstance(raw, dict) else {}):
        parts = key.replace("[", ".[").split(".")
        for i in range(1, len(parts) + 1):
            out.add(".".join(parts[:i]).replace(".[", "["))
    return sorted(out)
