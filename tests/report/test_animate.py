"""The animation: deterministic GIF bytes, clients placed on the floor, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from sim.cli.report import animate_scenario, record_replication
from sim.errors import OfficesimError
from sim.experiment.inputs import scenario_from_dict
from sim.layout import load_floor
from sim.report.animate import DayReplay, Path2D
from sim.units import DAY, HOUR

from .conftest import tiny


def test_path_interpolation():
    p = Path2D([(0, 0), (3, 0), (3, 4)])
    assert p.at(0) == (0, 0)
    assert p.at(1) == (3, 4)
    assert p.at(3 / 7) == pytest.approx((3, 0))
    assert p.at(0.5)[0] == pytest.approx(3)


def test_gif_is_deterministic(bank_scenario, tmp_path: Path):
    a = animate_scenario(bank_scenario, tmp_path / "a.gif", minutes_per_frame=10)
    b = animate_scenario(bank_scenario, tmp_path / "b.gif", minutes_per_frame=10)
    assert a.read_bytes() == b.read_bytes()
    with Image.open(a) as im:
        assert im.n_frames >= 8 * 6
    other = animate_scenario(bank_scenario, tmp_path / "c.gif", minutes_per_frame=10, replication=1)
    assert other.read_bytes() != a.read_bytes()


def test_clients_are_on_the_floor(bank_scenario):
    log = record_replication(bank_scenario, 0)
    floor = load_floor(bank_scenario.layout)
    replay = DayReplay(log, floor, 9 * HOUR, DAY)
    minx, miny, maxx, maxy = floor.bounds
    seen = 0
    for t in range(9 * 3600, 17 * 3600, 600):
        xy, states = replay.positions(t)
        seen += len(states)
        assert set(states) <= {"walking", "waiting", "served"}
        if len(xy):
            assert (xy[:, 0] >= minx - 1).all() and (xy[:, 0] <= maxx + 1).all()
            assert (xy[:, 1] >= miny - 1).all() and (xy[:, 1] <= maxy + 1).all()
    assert seen > 0


def test_errors(bank_scenario, tmp_path: Path):
    with pytest.raises(OfficesimError, match="no floor plan"):
        animate_scenario(scenario_from_dict(tiny()), tmp_path / "x.gif")
    with pytest.raises(OfficesimError, match="day 9"):
        animate_scenario(bank_scenario, tmp_path / "x.gif", day=9)
    with pytest.raises(OfficesimError, match=r"\.gif or \.mp4"):
        animate_scenario(bank_scenario, tmp_path / "x.avi")
