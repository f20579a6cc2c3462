"""A compare report's appendix: every KPI once with a column per option, and of every option
after the first only the parameters in which it differs (so the printed report stays short)."""

from __future__ import annotations

from sim.experiment.api import compare
from sim.experiment.inputs import scenario_from_dict
from sim.report.fmt import estimate_text
from sim.report.writer import build_report
from sim.results.kpis import unit_of
from sim.results.output import experiment_document
from tests.experiment_helpers import branch


def test_appendix_side_by_side_and_assumptions_only_where_options_differ():
    result = compare(
        [
            scenario_from_dict(branch(3, replications=3)),
            scenario_from_dict(branch(5, replications=3)),
        ]
    )
    doc = experiment_document("compare", result.to_dict())
    report = build_report(doc)
    sections = {s.id: s for s in report.sections}
    (table,) = sections["all_kpis"].tables
    assert table.columns == ["KPI", "branch-3", "branch-5"]
    options = doc["options"]
    keys = list(options[0]["kpis"])
    assert len(table.rows) == len(keys)
    for row, key in zip(table.rows, keys, strict=True):
        for cell, option in zip(row[1:], options, strict=True):
            assert cell.text == estimate_text(option["kpis"][key], unit_of(key))
    # Records in long form: one per option and KPI, for the table's CSV file.
    assert len(table.records) == 2 * len(keys)
    assert {r["option"] for r in table.records} == {"branch-3", "branch-5"}

    first = sections["assumptions_1_branch_3"].tables[0]
    assert len(first.rows) > 20  # every parameter of the reference option
    second = sections["assumptions_2_branch_5"].tables[0]
    changed = {r["parameter"]: (r["value"], r["reference"]) for r in second.records}
    assert changed == {"name": ("branch-5", "branch-3"), "staff.teller.count": ("5", "3")}
    assert second.columns == ["Parameter", "Value", "In branch-3"]
