"""The report's information-quality and warnings sections appear exactly when there is something
to show."""

from __future__ import annotations

from sim.report.information_report import information_section, warnings_section


def estimate(mean: float) -> dict[str, float]:
    return {"mean": mean, "sd": 0.0, "ci_low": mean, "ci_high": mean, "n": 3}


def test_information_section_lists_overall_and_class_kpis():
    kpis = {
        "all.wait_mean_min": estimate(2.0),
        "all.lost_deals_per_day": estimate(4.0),
        "class.buyer.lost_deals_per_day": estimate(4.0),
        "class.buyer.repeat_visits_per_day": estimate(1.5),
        "cost.lost_deal_value_per_day": estimate(360.0),
    }
    section = information_section(kpis, "EUR")
    assert section is not None
    overall, by_class = section.tables
    assert [r["kpi"] for r in overall.records] == [
        "all.lost_deals_per_day",
        "cost.lost_deal_value_per_day",
    ]
    assert [r["kpi"] for r in by_class.records] == [
        "class.buyer.lost_deals_per_day",
        "class.buyer.repeat_visits_per_day",
    ]
    assert information_section({"all.wait_mean_min": estimate(2.0)}, "EUR") is None


def test_warnings_section_only_with_warnings():
    assert warnings_section([]) is None
    section = warnings_section([{"key": "it.level", "message": "not set"}])
    assert section is not None and section.paragraphs == ["it.level: not set"]
