"""The executive summary speaks the client's language: names from descriptions, units, the
targets by their names with intervals and verdicts, and no internal KPI keys."""

from __future__ import annotations

import re

import pytest

from sim.experiment.api import compare, run
from sim.experiment.inputs import scenario_from_dict
from sim.report.executive import client_label, objective_words
from sim.report.fmt import estimate_text
from sim.report.writer import build_report
from sim.results.output import experiment_document, results_document
from tests.conftest import small_scenario
from tests.experiment_helpers import branch

KEY = re.compile(
    r"\b(?:all|class|role|team|task|tasks|cost|window|queue|waiting_area)\.[a-z_0-9.:-]+"
)
"""Something that looks like a KPI key (``all.service_level``, ``class.walk_in.lost_share``)."""


LUNCH = "Walk-ins at lunch: 1% served within 15 min between 10:00 and 12:00"
"""How reports name the lunch target below (its name, then what it asks)."""


def _texts(section) -> list[str]:
    """Every string a reader sees in a section: paragraphs, chart titles, table cells."""
    out = list(section.paragraphs)
    out += [c.title for c in section.charts] + [c.caption for c in section.charts]
    for t in section.tables:
        out += [t.title, t.note, *t.columns]
        out += [getattr(cell, "text", cell) for row in t.rows for cell in row]
    return out


@pytest.fixture(scope="module")
def lunch_run():
    data = small_scenario()
    data["description"] = "A small counter office with a lunch-hour target."
    data["client_classes"]["walk_in"]["description"] = "Walk-in counter clients"
    data["targets"]["specific"] = [
        {
            "name": "Walk-ins at lunch",
            "clients": ["walk_in"],
            "between": ["10:00", "12:00"],
            "wait": "15 min",
            "service_level": 0.01,
        }
    ]
    scenario = scenario_from_dict(data)
    return build_report(results_document(run(scenario), scenario))


def test_run_summary_lists_every_target_by_name_with_interval_and_verdict(lunch_run):
    summary = lunch_run.sections[0]
    assert summary.id == "executive-summary"
    table = summary.tables[0]
    rows = {row[0]: row for row in table.rows}
    assert LUNCH in rows, list(rows)
    lunch = rows[LUNCH]
    record = next(r for r in table.records if r["name"] == LUNCH)
    assert record["kpi"].startswith("window.walk_in.10:00-12:00")
    estimate = {k: record[k] for k in ("mean", "ci_low", "ci_high")}
    assert lunch[1].text == estimate_text(estimate, "share")
    assert lunch[2].text == "met" and lunch[2].css == "met"
    # The office-wide targets and the cost per day (with its currency) follow.
    assert "Total cost per day (EUR/day)" in rows
    verdicts = [r["verdict"] for r in table.records if r["verdict"]]
    assert len(verdicts) == 3  # two office-wide targets and the lunch target
    answer = next(p for p in summary.paragraphs if p.startswith("Answer:"))
    if set(verdicts) == {"met"}:
        assert answer == "Answer: Yes: it meets all 3 targets with 95% confidence."
    else:
        assert answer.startswith(("Answer: No: it misses", "Answer: Not yet decided"))


def test_run_summary_has_no_internal_keys_and_names_classes_by_description(lunch_run):
    summary = lunch_run.sections[0]
    texts = _texts(summary)
    leaks = [t for t in texts if KEY.search(str(t))]
    assert not leaks, leaks
    chart = next(c for c in summary.charts if c.key == "executive_classes")
    assert "Walk-in counter clients" in chart.draw.args[1]  # type: ignore[union-attr]


def test_compare_summary_names_the_currency_and_no_keys():
    costs = {"currency": "CHF", "lost_client_value": 40}
    result = compare(
        [
            scenario_from_dict(branch(3, replications=4, costs=costs)),
            scenario_from_dict(branch(5, replications=4, costs=costs)),
        ]
    )
    report = build_report(experiment_document("compare", result.to_dict()))
    summary = report.sections[0]
    assert summary.id == "executive-summary"
    texts = _texts(summary)
    leaks = [t for t in texts if KEY.search(str(t))]
    assert not leaks, leaks
    cost_line = next(p for p in summary.paragraphs if p.startswith("Cost:"))
    assert " CHF per day " in cost_line, cost_line
    assert any("(CHF/day)" in str(t) for t in texts)
    first_target = result.to_dict()["options"][0]["targets"][0]["name"]
    assert summary.charts[0].title == f"Trade-off: cost against {first_target}"


def test_labels_take_descriptions_and_target_names():
    definition = {
        "client_classes": {"walk_in": {"description": "Walk-in counter clients"}},
        "back_office": {"teams": {"casework": {"description": "Caseworkers"}}},
        "staff": {"teller": {}},
    }
    assert client_label("class.walk_in.lost_share", definition).startswith(
        "Walk-in counter clients: "
    )
    label = client_label("team.casework.interruptions_per_day", definition)
    assert label.startswith("Caseworkers: ") and "casework" not in label
    # Without a description the readable name stays.
    assert client_label("role.teller.utilization", definition).startswith("teller (role): ")
    window = "window.walk_in.12:00-14:00.within_15min.service_level"
    targets = [{"kpi": window, "name": "Walk-ins at lunch"}]
    assert client_label(window, definition, targets) == "Walk-ins at lunch"


def test_weighted_objective_is_named_by_its_kpis():
    words = objective_words("1 x cost.staff_per_day + 0.5 x cost.lost_clients_per_day")
    assert not KEY.search(words), words
    assert words.startswith("weighted sum of 1 × staff cost per day + 0.5 × ")
