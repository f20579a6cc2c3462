"""Behaviour is pinned: every shipped scenario, with its seed and 3 replications, gives the
``kpis.csv`` recorded in ``tests/golden/``.

A change that alters any number here changes what users get from the same scenario and seed;
such a change regenerates the files on purpose (``python tests/test_golden.py``) and says why
in its commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import sim
from sim.results.output import kpis_csv

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def current_kpis(scenario: Path) -> str:
    """The kpis.csv text of ``scenario`` at its own seed with 3 replications, in this process."""
    return kpis_csv(sim.run(scenario, replications=3, jobs=1))


def test_every_shipped_scenario_has_a_golden_file() -> None:
    assert {p.stem for p in SCENARIOS} == {
        p.name.removesuffix(".kpis.csv") for p in GOLDEN.iterdir()
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_kpis_are_byte_identical_to_the_golden_file(scenario: Path) -> None:
    expected = (GOLDEN / f"{scenario.stem}.kpis.csv").read_text(encoding="utf-8")
    assert current_kpis(scenario) == expected


if __name__ == "__main__":  # regenerate on purpose
    for path in SCENARIOS:
        (GOLDEN / f"{path.stem}.kpis.csv").write_text(current_kpis(path), encoding="utf-8")
        print("wrote", path.stem, file=sys.stderr)
