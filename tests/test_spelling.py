"""The one "did you mean" rule: likely typos get a hint, unrelated names do not."""

from __future__ import annotations

from sim.spelling import closest, did_you_mean


def test_a_typo_gets_the_intended_name() -> None:
    assert did_you_mean("patince", ["patience", "service"]) == "; did you mean 'patience'?"
    assert closest("T4", ["T1", "X9"]) == "T1"


def test_an_unrelated_name_gets_no_hint() -> None:
    assert did_you_mean("rent", ["currency", "rent_per_m2_month"]) == ""
    assert closest("zzz", ["alpha", "beta"]) is None


def test_the_name_itself_is_no_hint() -> None:
    assert did_you_mean("general", ["general"]) == ""
