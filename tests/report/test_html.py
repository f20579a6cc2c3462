"""report.html: self-contained, escaped, every section and chart, tables and charts on disk."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sim.errors import OfficesimError
from sim.keypaths import flatten
from sim.report import build_report, render_report, write_report
from sim.report.fmt import scalar_text

from .conftest import XSS

URL = re.compile(r"""(?:src|href|xlink:href)\s*=\s*["']?\s*(?!#|data:)([^"'\s>]+)""", re.IGNORECASE)


def _render(doc: dict[str, Any], folder: Path, **kwargs: Any) -> tuple[str, list[Path]]:
    paths = render_report(doc, folder, **kwargs)
    return (folder / "report.html").read_text(encoding="utf-8"), paths


@pytest.fixture(scope="module")
def run_out(run_doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """The run report rendered once: (folder, html text, paths written)."""
    folder = tmp_path_factory.mktemp("run_report")
    html, paths = _render(run_doc, folder)
    return folder, html, paths


def test_run_report_is_self_contained_and_complete(run_doc: dict[str, Any], run_out):
    tmp_path, html, paths = run_out
    assert not URL.findall(html), "the report references something outside itself"
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert "https://" not in html
    report = build_report(run_doc)
    ids = [s.id for s in report.sections]
    for section in ("summary", "floor", "day", "waiting", "utilisation", "backoffice", "costs"):
        assert section in ids
    for chart in report.charts():
        assert f'data-chart="{chart.key}"' in html
        assert (tmp_path / "charts" / f"{chart.key}.svg").stat().st_size > 1000
        assert not (tmp_path / "charts" / f"{chart.key}.png").exists()  # only on request
    ids_in_page = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids_in_page) == len(set(ids_in_page)), "element ids must be unique on the page"
    assert (tmp_path / "tables" / "targets.csv").is_file()
    assert tmp_path / "report.html" == paths[0]


def test_png_on_request_and_parallel_drawing_change_nothing(
    run_doc: dict[str, Any], run_out, tmp_path: Path
):
    """PNGs only when asked for; charts drawn in worker processes give the same bytes."""
    from sim.report.render import draw_charts
    from sim.report.style import chart_style

    folder, html, _ = run_out
    paths = render_report(run_doc, tmp_path, png=True)
    report = build_report(run_doc)
    for chart in report.charts():
        png = tmp_path / "charts" / f"{chart.key}.png"
        assert png.read_bytes()[:4] == b"\x89PNG" and png in paths
        svg = (tmp_path / "charts" / f"{chart.key}.svg").read_text(encoding="utf-8")
        assert svg == (folder / "charts" / f"{chart.key}.svg").read_text(encoding="utf-8")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == html
    with chart_style():
        here = draw_charts(build_report(run_doc), png=True, workers=1)
        there = draw_charts(build_report(run_doc), png=True, workers=2)
    assert [d.svg for d in here] == [d.svg for d in there]
    assert [d.png for d in here] == [d.png for d in there]
    # Rendering again without PNGs removes the earlier ones (the folder shows one render).
    render_report(run_doc, tmp_path)
    assert not list((tmp_path / "charts").glob("*.png"))


def test_scenario_name_is_escaped(run_out):
    html = run_out[1]
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


def test_assumptions_echo_every_parameter_and_mark_defaults(run_doc: dict[str, Any], run_out):
    tmp_path = run_out[0]
    rows = (tmp_path / "tables" / "assumptions.csv").read_text(encoding="utf-8").splitlines()
    params = {r.split(",", 1)[0] for r in rows[1:]}
    definition = run_doc["scenario"]["definition"]
    expected = {k for k, _ in flatten(definition) if not k.startswith("variants")}
    assert expected <= params
    text = "\n".join(rows)
    assert "scenario file" in text and "default" in text
    assert scalar_text(definition["hours"]["open"]) in text


def test_reproducibility_block(run_doc: dict[str, Any], run_out):
    html = run_out[1]
    block = html[html.index('id="reproducibility"') :]
    assert run_doc["scenario"]["sha256"] in block
    assert run_doc["officesim_version"] in block
    assert "officesim run" in block
    assert f"<dd>{run_doc['run']['seed']}</dd>" in block


def test_hourly_band_brackets_the_mean(run_doc: dict[str, Any]):
    from sim.report.stats import hourly_band

    mean, low, high = hourly_band(run_doc["replications"], "waiting")
    assert len(mean) == 8
    for m, lo, hi, doc_mean in zip(mean, low, high, run_doc["hourly_mean"]["waiting"], strict=True):
        assert lo <= m <= hi
        assert m == pytest.approx(doc_mean)


def test_report_rerenders_from_results_json(run_doc: dict[str, Any], tmp_path: Path):
    (tmp_path / "results.json").write_text(json.dumps(run_doc), encoding="utf-8")
    paths = write_report(tmp_path)
    assert paths[0] == tmp_path / "report.html"
    with pytest.raises(OfficesimError):
        write_report(tmp_path / "missing")
    (tmp_path / "results.json").write_text(json.dumps({"schema": "other"}), encoding="utf-8")
    with pytest.raises(OfficesimError, match="not an officesim results document"):
        write_report(tmp_path)


def test_run_without_layout_has_no_floor_section(run_doc: dict[str, Any]):
    doc = json.loads(json.dumps(run_doc))
    doc["scenario"]["definition"]["layout"] = None
    assert "floor" not in [s.id for s in build_report(doc).sections]


@pytest.mark.parametrize("kind", ["compare", "sweep", "optimize"])
def test_experiment_reports(kind: str, request: pytest.FixtureRequest, tmp_path: Path):
    doc = request.getfixturevalue(f"{kind}_doc")
    html, _ = _render(doc, tmp_path)
    report = build_report(doc)
    assert report.charts(), "every report has charts"
    for chart in report.charts():
        assert f'data-chart="{chart.key}"' in html
    assert not URL.findall(html)
    if kind == "compare":
        assert "differences" in [s.id for s in report.sections]
        assert "Significant" in html
    if kind in ("compare", "sweep"):
        ranking = (tmp_path / "tables" / "ranking.csv").read_text(encoding="utf-8")
        assert ranking.splitlines()[0].startswith("rank,")
    if kind == "optimize":
        assert (tmp_path / "tables" / "trace.csv").is_file()


def test_ranking_puts_cheapest_feasible_option_first(compare_doc: dict[str, Any]):
    from sim.report.experiment_report import _options, cost_kpi, ranking

    options = _options("compare", compare_doc)
    ranked = ranking(options)
    key = cost_kpi(options)
    feasible = [o for r, o in ranked if r is not None]
    assert feasible, "with 3 and 4 tellers the easy targets are met"
    costs = [o.kpis[key]["mean"] for o in feasible]
    assert costs == sorted(costs)
    assert all(o.meets_targets for o in feasible)
    assert all(r is None for r, o in ranked if not o.meets_targets)


def test_pdf(run_doc: dict[str, Any], tmp_path: Path):
    _, paths = _render(run_doc, tmp_path, pdf=True, charts=False)
    pdf = tmp_path / "report.pdf"
    assert pdf in paths
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    n_charts = len(build_report(run_doc).charts())
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > n_charts + 1


def test_charts_and_tables_name_classes_and_roles_by_their_descriptions(run_out) -> None:
    """The bank branch describes its classes and roles; the report's charts show those names,
    not the internal ids (which stay in the appendix)."""
    charts = run_out[0] / "charts"
    waiting = (charts / "waiting_times.svg").read_text(encoding="utf-8")
    assert "Walk-in counter business" in waiting and ">walk_in<" not in waiting
    utilisation = (charts / "utilisation_by_hour.svg").read_text(encoding="utf-8")
    assert "Counter staff" in utilisation and "teller (role)" not in utilisation


def test_the_report_shows_no_path_of_the_machine(run_out) -> None:
    """The floor plan appears by its file name; neither the checkout's nor any absolute
    folder reaches the HTML a client receives."""
    html = run_out[1]
    root = str(Path(__file__).resolve().parents[2])
    assert root not in html
    assert "bank_branch.yaml" in html
