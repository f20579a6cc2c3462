"""The bank contact-centre-plus-branch example: three IT levels, channels and blended work."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.experiment.inputs import load_scenario
from sim.report.channels_report import channel_keys
from tests.test_examples import SCENARIOS, assert_greater, result_of

BANK = {
    "manual": SCENARIOS / "bank_contact_centre_manual.yaml",
    "partial": SCENARIOS / "bank_contact_centre.yaml",
    "integrated": SCENARIOS / "bank_contact_centre_integrated.yaml",
}
PAIRED = 6


def test_bank_examples_differ_only_in_it() -> None:
    dumps = []
    for level, path in BANK.items():
        scenario = load_scenario(path)
        assert scenario.it.level == level
        assert {c.channel for c in scenario.client_classes.values()} == {
            "walk_in",
            "phone",
            "chat",
            "email",
        }
        assert scenario.blending is not None
        assert scenario.blending.front and scenario.blending.back
        dumps.append(scenario.model_dump(exclude={"it", "name", "description"}))
    assert dumps[0] == dumps[1] == dumps[2]


def test_integrated_it_answers_more_calls_frees_teller_time_and_brings_fewer_repeat_calls() -> None:
    manual = result_of(BANK["manual"], PAIRED)
    integrated = result_of(BANK["integrated"], PAIRED)
    # A faster counter and contact centre (service factor 0.9): fewer callers hang up.
    assert_greater(manual, integrated, "channel.phone.abandonment_share")
    # Paper tasks take longer (re-keying, errors): blending tellers spend more time on them.
    assert_greater(manual, integrated, "role.teller.share_tasks")
    assert_greater(integrated, manual, "cost.it_per_day")
    # Agents' questions to the servicing team are answered worse by hand (stale 0.08,
    # unanswered 0.10 against 0.01 and 0.01): more callers call again another day.
    assert_greater(manual, integrated, "class.phone_call.repeat_visits_per_day")
    # The voice bot and the chat-bot solve contacts whatever the IT level.
    for result in (manual, integrated):
        assert np.all(result.values("class.phone_call.contained_per_day") > 0)
        assert np.all(result.values("class.chat.contained_per_day") > 0)


def test_bank_example_reports_every_channel_and_time_share(tmp_path: Path) -> None:
    kpis = result_of(BANK["partial"]).summary
    keys = channel_keys(kpis)
    for channel in ("walk_in", "phone", "chat", "email"):
        assert f"channel.{channel}.service_level" in keys
    for remote in ("phone", "chat", "email"):
        assert f"channel.{remote}.backlog_at_close" in keys
    assert "role.teller.share_tasks" in keys and "team.servicing.share_clients" in keys
    # Chats and forms sent at night wait for the morning: e-mail has a backlog at closing
    # or at the end, and the night's chats are still open when the run stops.
    assert kpis["channel.chat.open_at_end"].mean > 0
