"""Drawing produces images; the public API is what ``__all__`` promises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import sim.layout
from sim.layout import build_walk_network, load_floor, save_floor_image

LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_floor_image(tmp_path: Path, suffix: str) -> None:
    floor = load_floor(LAYOUTS / "bank_branch.yaml")
    network = build_walk_network(floor)
    traffic: Counter[tuple[str, str]] = Counter()
    for seat in ("S1", "S7"):
        traffic.update(network.path_edges("entrance", seat, "client"))
    out = save_floor_image(
        floor, tmp_path / f"bank{suffix}", network=network, traffic=traffic, title="Bank"
    )
    assert out.stat().st_size > 10_000
    head = out.read_bytes()[:100]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in out.read_bytes()[:2000]


def test_save_floor_image_rejects_unknown_suffix(tmp_path: Path) -> None:
    floor = load_floor(LAYOUTS / "bank_branch.yaml")
    with pytest.raises(ValueError, match=r"\.png"):
        save_floor_image(floor, tmp_path / "plan.gif")


def test_public_api() -> None:
    for name in sim.layout.__all__:
        assert hasattr(sim.layout, name), name
    assert len(set(sim.layout.__all__)) == len(sim.layout.__all__)


def test_reuse_gives_the_floor_loaded_before_until_the_file_changes(tmp_path: Path) -> None:
    """``reuse=True`` takes the floor an earlier load of the unchanged file built (a report
    draws its run's floor); a changed file, or a load without ``reuse``, is read again."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes((LAYOUTS / "bank_branch.yaml").read_bytes())
    first = load_floor(plan)
    assert load_floor(plan, reuse=True) is first
    assert load_floor(plan) is not first  # without reuse: read again
    again = load_floor(plan)
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    changed = load_floor(plan, reuse=True)
    assert changed is not again and changed.fingerprint == again.fingerprint
    sim.layout.clear_cache()
    assert load_floor(plan, reuse=True) is not changed  # forgotten
