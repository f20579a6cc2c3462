"""Work done ahead of the results by a report's standby copy changes no byte of the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import pytest

from sim.report import SPARE_FIGURES, charts, prepare_render
from sim.report.render import draw_charts
from sim.report.style import chart_style
from sim.report.writer import build_report


@pytest.fixture
def no_spares():
    """Leave no spare figure behind for other tests (they would take them)."""
    charts._SPARE.clear()
    yield
    charts._SPARE.clear()


def test_charts_drawn_on_figures_made_ahead_are_the_same_bytes(
    run_doc: dict[str, Any], no_spares: None
) -> None:
    with chart_style():
        fresh = draw_charts(build_report(run_doc), workers=1)
        charts.prepare_figures(40)
        assert len(charts._SPARE) == 40
        spared = draw_charts(build_report(run_doc), workers=1)
        taken = 40 - len(charts._SPARE)
    assert taken == len(fresh) - 1  # every chart of one axes (the floor plan makes its own)
    assert [d.svg for d in spared] == [d.svg for d in fresh]


@pytest.mark.parametrize("kind", ["compare_doc", "sweep_doc", "optimize_doc"])
def test_experiment_charts_on_figures_made_ahead_are_the_same_bytes(
    kind: str, request: pytest.FixtureRequest, no_spares: None
) -> None:
    doc = request.getfixturevalue(kind)
    with chart_style():
        fresh = draw_charts(build_report(doc), workers=1)
        charts.prepare_figures(40)
        spared = draw_charts(build_report(doc), workers=1)
        assert len(charts._SPARE) < 40  # some were taken
    assert [d.svg for d in spared] == [d.svg for d in fresh]


def test_figures_made_ahead_stop_when_work_waits_and_keep_to_their_style(
    no_spares: None,
) -> None:
    calls = iter([False, False, True])
    with chart_style():
        charts.prepare_figures(10, lambda: next(calls))
        assert len(charts._SPARE) == 2
        with matplotlib.rc_context({"font.size": 20}):  # other settings: a figure made now
            fig = charts.figure(2.0)
            assert fig not in charts._SPARE and len(charts._SPARE) == 2
            label = fig.axes[0].xaxis.get_major_ticks()[0].label1
            assert label.get_fontsize() == 20.0
        spare = charts._SPARE[0].axes[0].xaxis.get_major_ticks()[0].label1
        assert spare.get_fontsize() == 9.5  # made under the report's style
        assert charts.figure(2.0, nrows=2).axes[0] not in {f.axes[0] for f in charts._SPARE}
        assert len(charts._SPARE) == 2
        taken = charts.figure(2.5, width=6.0)
        assert len(charts._SPARE) == 1
        assert tuple(taken.get_size_inches()) == (6.0, 2.5)


def test_render_prepared_ahead_writes_the_same_report(
    run_doc: dict[str, Any], tmp_path: Path, no_spares: None
) -> None:
    """What the standby copy does before the results (template, figures) changes nothing."""
    from sim.report.writer import render_report

    fresh, ahead = tmp_path / "fresh", tmp_path / "ahead"
    render_report(run_doc, fresh)
    prepare_render()
    assert len(charts._SPARE) == SPARE_FIGURES  # taken by the workers' copies, or here
    paths = render_report(run_doc, ahead)
    html = (ahead / "report.html").read_text(encoding="utf-8")
    assert html == (fresh / "report.html").read_text(encoding="utf-8")
    svgs = sorted(p.name for p in paths if p.suffix == ".svg")
    assert svgs == sorted(p.name for p in (fresh / "charts").glob("*.svg"))
    for name in svgs:
        assert (ahead / "charts" / name).read_bytes() == (fresh / "charts" / name).read_bytes()


@pytest.mark.parametrize("workers", [1, 2])
def test_each_chart_is_handed_on_in_order_as_it_is_drawn(
    run_doc: dict[str, Any], workers: int
) -> None:
    seen: list[tuple[int, str]] = []
    with chart_style():
        drawn = draw_charts(
            build_report(run_doc), workers=workers, each=lambda i, art: seen.append((i, art.svg))
        )
    assert seen == list(enumerate(d.svg for d in drawn))
