"""kpis.xlsx and kpis.parquet: formatted sheets that carry exactly the numbers of kpis.csv."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.experiment.api import compare, run
from sim.experiment.inputs import scenario_from_dict
from sim.results.output import experiment_document, write_experiment, write_results
from tests.conftest import small_scenario
from tests.experiment_helpers import branch

ROOT = Path(__file__).resolve().parents[2]

pd = pytest.importorskip("pandas")
openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("pyarrow")


def _plain(frame):
    """Cells as Python values, every missing value as None (bool columns differ in dtype)."""
    return frame.astype(object).where(frame.notna(), None)


def _same_as_csv(folder: Path) -> None:
    expected = _plain(pd.read_csv(folder / "kpis.csv"))
    sheet = _plain(pd.read_excel(folder / "kpis.xlsx", sheet_name="KPIs"))
    # Excel keeps 15-16 significant digits; Parquet keeps the CSV's exact floats.
    pd.testing.assert_frame_equal(sheet, expected, rtol=1e-12)
    table = _plain(pd.read_parquet(folder / "kpis.parquet"))
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert len(expected) > 20


def test_run_workbook_matches_kpis_csv_and_has_formatted_sheets(tmp_path):
    scenario = scenario_from_dict(small_scenario())
    result = run(scenario)
    paths = write_results(result, scenario, tmp_path)
    assert {p.name for p in paths} >= {"kpis.xlsx", "kpis.parquet"}
    _same_as_csv(tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "kpis.xlsx")
    assert wb.sheetnames == ["Summary", "Per hour", "KPIs"]
    kpis = wb["KPIs"]
    assert kpis["A1"].font.bold and kpis.freeze_panes == "B2"
    header = [c.value for c in kpis[1]]
    col = header.index("mean") + 1
    for row in kpis.iter_rows(min_row=2):
        if row[0].value == "all.service_level":
            assert row[col - 1].number_format == "0.0%"
    hours = pd.read_excel(tmp_path / "kpis.xlsx", sheet_name="Per hour")
    assert list(hours["hour"]) == ["09:00-10:00", "10:00-11:00", "11:00-12:00"]
    assert hours["arrivals"].tolist() == pytest.approx(result.hourly["arrivals"])
    summary = pd.read_excel(tmp_path / "kpis.xlsx", sheet_name="Summary")
    assert summary["verdict"].iloc[0] in ("met", "missed", "uncertain")


def test_compare_workbook_has_one_column_group_per_option(tmp_path):
    result = compare(
        [
            scenario_from_dict(branch(3, replications=3)),
            scenario_from_dict(branch(4, replications=3)),
        ]
    )
    doc = experiment_document("compare", result.to_dict())
    write_experiment(tmp_path, doc, {"kpis.csv": result.rows()})
    _same_as_csv(tmp_path)
    sheets = pd.read_excel(tmp_path / "kpis.xlsx", sheet_name=None)
    assert list(sheets) == ["Summary", "Comparison", "KPIs"]
    cmp = sheets["Comparison"].set_index("kpi")
    wait = result.summaries[1]["all.wait_mean_min"].mean
    assert cmp.loc["all.wait_mean_min", "branch-4: mean"] == pytest.approx(wait, rel=1e-12)
    diff = result.differences[1]["all.wait_mean_min"].mean
    assert cmp.loc["all.wait_mean_min", "branch-4: diff"] == pytest.approx(diff, rel=1e-12)
    assert sheets["Summary"]["target"].iloc[1] == result.decision().headline


def test_warm_up_imports_the_writers_of_the_files_that_can_be_written():
    """Run in a fresh interpreter: this one has imported openpyxl and pyarrow already."""
    code = (
        "import sys\n"
        "from sim.results.workbook import WRITER_MODULES, missing_libraries, warm_up\n"
        "names = [m for f, ms in WRITER_MODULES.items() if f not in missing_libraries() for m in ms]\n"
        "before = [m in sys.modules for m in names]\n"
        "warm_up()\n"
        "print(len(names), any(before), all(m in sys.modules for m in names))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    count, any_before, all_after = done.stdout.split()
    assert int(count) > 0 and any_before == "False" and all_after == "True"


def _cells(path: Path) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(path)
    return {
        name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames
    }


def test_analyst_files_handed_over_are_those_written_at_once(tmp_path):
    """With the analyst files passed on (a report's standby copy writes them), they are written
    from the folder's results.json and kpis.csv, with the same cells and bytes."""
    from sim.results.output import Handover, write_analyst_tables_of

    scenario = scenario_from_dict(small_scenario())
    result = run(scenario)
    at_once = write_results(result, scenario, tmp_path / "at_once")
    started: list[str] = []
    later = tmp_path / "later"
    handed = write_results(
        result,
        scenario,
        later,
        handover=Handover(then=lambda: started.append("then"), analyst_tables=False),
    )
    assert started == ["then"]
    assert [p.name for p in handed] == ["results.json", "kpis.csv"]
    assert not (later / "kpis.xlsx").exists()
    doc = json.loads((later / "results.json").read_text(encoding="utf-8"))
    with write_analyst_tables_of(later, doc, ["kpis.csv"]) as written:
        pass
    assert [p.name for p in at_once] == [p.name for p in handed + written]
    assert (later / "kpis.parquet").read_bytes() == (
        tmp_path / "at_once" / "kpis.parquet"
    ).read_bytes()
    assert _cells(later / "kpis.xlsx") == _cells(tmp_path / "at_once" / "kpis.xlsx")


def test_experiment_files_handed_over_are_those_written_at_once(tmp_path):
    from sim.results.output import Handover, write_analyst_tables_of

    a = scenario_from_dict(branch(2, replications=2))
    b = scenario_from_dict(branch(3, replications=2))
    result = compare([a, b])
    doc = experiment_document("compare", {"options": []})
    tables = {"kpis.csv": result.rows()}
    write_experiment(tmp_path / "at_once", doc, tables)
    later = tmp_path / "later"
    write_experiment(later, doc, tables, Handover(analyst_tables=False))
    doc_back = json.loads((later / "results.json").read_text(encoding="utf-8"))
    with write_analyst_tables_of(later, doc_back, list(tables)):
        pass
    assert _cells(later / "kpis.xlsx") == _cells(tmp_path / "at_once" / "kpis.xlsx")
    assert (later / "kpis.parquet").read_bytes() == (
        tmp_path / "at_once" / "kpis.parquet"
    ).read_bytes()


def test_the_report_copy_loads_what_the_analyst_files_need():
    """The report's standby copy writes kpis.xlsx and kpis.parquet: it loads their libraries."""
    from sim.report import RENDER_MODULES
    from sim.results.workbook import WRITER_MODULES

    for modules in WRITER_MODULES.values():
        for module in modules:
            assert any(r == module or r.startswith(f"{module}.") for r in RENDER_MODULES), module
