"""Read walking traffic per network edge back from a results.json (for floor heatmaps)."""

from __future__ import annotations

import json
from pathlib import Path

from sim.errors import OfficesimError
from sim.layout import EdgeKey


def load_edge_traffic(path: Path) -> dict[EdgeKey, float]:
    """Client walks per edge per day from a results file written by ``officesim run``."""
    source = str(path)
    if not path.is_file():
        raise OfficesimError.single(source, "", "results file not found")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        rows = doc["walking"]["edge_traffic"]
        return {(str(r["from"]), str(r["to"])): float(r["per_day"]) for r in rows}
    except (ValueError, KeyError, TypeError):
        raise OfficesimError.single(
            source,
            "walking.edge_traffic",
            "not an officesim results file with walking traffic (run a scenario with a layout)",
        ) from None
