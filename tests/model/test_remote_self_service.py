"""Self-service, requests outside opening hours and lookups on phone, chat and e-mail classes,
repeat visits after a declared delay, and night arrival rates that follow the day factors.

Statistical checks use 99.9% Student-t intervals over independent replications
(``tests.model.test_information.covers``); counts that common random numbers make exact are
asserted exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.errors import InternalError, ScenarioError
from sim.experiment.api import run
from sim.experiment.inputs import scenario_from_dict
from sim.model import channels as remote
from sim.model.information import EVENT_BOT_TRIED, EVENT_CONTAINED, EVENT_REPEAT
from sim.model.metrics import OUTCOME_RENEGED, OUTCOME_SERVED
from sim.model.office import Office
from sim.random_streams import Streams
from sim.units import DAY, HOUR, MINUTE
from tests.model.test_information import QUIET_IT, covers, stock_lookup

OPEN, CLOSE = 9 * HOUR, 17 * HOUR
BOT_TIME = 3 * MINUTE
"""The bot time of the after-hours test (its contained events come this long after arrival)."""


def centre(cls: dict[str, Any], **extra: Any) -> Any:
    """A contact centre open 09:00-17:00: one remote class, agents on its channel, a back office
    for orders and lookups."""
    channel = cls.get("channel", "phone")
    call: dict[str, Any] = {
        "skill": "service",
        "channel": channel,
        "arrivals": {"rate": 30},
        "service": {"dist": "exponential", "mean": "4 min"},
        "creates": [{"task": "order", "probability": 0.5}],
        **cls,
    }
    data: dict[str, Any] = {
        "name": "centre",
        "days": 1,
        "replications": 30,
        "seed": 11,
        "hours": {"open": "09:00", "close": "17:00"},
        "client_classes": {"call": call},
        "staff": {"agent": {"count": 3, "skills": ["service"], "channels": [channel]}},
        "it": QUIET_IT,
        "back_office": {
            "teams": {"stock": {"count": 2}},
            "tasks": {
                "order": {"due": "1 d", "steps": [{"team": "stock", "time": "5 min"}]},
                "call_back": {"due": "4 h", "steps": [{"team": "stock", "time": "3 min"}]},
            },
        },
        **extra,
    }
    return scenario_from_dict(data)


def simulated(sc: Any, rep: int = 0) -> Office:
    office = Office(sc, rep)
    office.simulate()
    return office


@pytest.mark.parametrize("channel", ["phone", "chat", "email"])
def test_containment_removes_its_share_of_bot_contacts_from_the_human_queue(channel):
    share, containment = 0.6, 0.5
    bot = {"share": share, "containment": containment, "time": "1 min"}
    without = run(centre({"channel": channel}))
    with_bot = run(centre({"channel": channel, "self_service": bot}))
    tried = with_bot.values("all.bot_tried_per_day")
    contained = with_bot.values("all.contained_per_day")
    covers(contained / tried, containment)
    covers(tried / without.values("all.arrivals_per_day"), share)

    # The same contacts arrive (common random numbers): exactly the contained ones never reach
    # the human queue of the channel, on average c x share of all contacts. (A contact still
    # open when the run stops has no record yet: an escalation after closing waits for a
    # morning beyond the last day.)
    def reached(res: Any) -> np.ndarray:
        scope = f"channel.{channel}"
        return res.values(f"{scope}.arrivals_per_day") + res.values(f"{scope}.open_at_end")

    humans = reached(with_bot)
    assert np.array_equal(humans + contained, reached(without))
    covers(humans / (humans + contained), 1 - share * containment)


def test_escalated_calls_wait_with_the_patience_left_after_the_bot():
    bot = {"share": 1, "containment": 0, "time": "4 min"}
    sc = centre(
        {
            "arrivals": {"rate": 80},
            "service": "6 min",
            "patience": "10 min",
            "self_service": bot,
            "creates": [],
        },
        back_office=None,
        replications=1,
    )
    rec = simulated(sc).records().clients
    escalated_in_hours = rec["arrival"] % DAY < CLOSE - 4 * MINUTE
    reneged = (rec["outcome"] == OUTCOME_RENEGED) & escalated_in_hours
    assert reneged.sum() > 20
    # 10 min of patience less 4 min with the bot leaves 6 min on hold; the call lasted 10 min.
    assert np.allclose(rec["wait"][reneged], 6 * MINUTE)
    assert np.allclose(rec["time_in_system"][reneged], 10 * MINUTE)
    assert rec["wait"].max() <= 6 * MINUTE + 1e-6
    # Escalated after closing: the line is closed, the caller gives up after the bot.
    late = ~escalated_in_hours
    assert np.all(rec["outcome"][late] == OUTCOME_RENEGED)
    assert np.allclose(rec["time_in_system"][late], 4 * MINUTE)


def test_escalated_e_mails_join_the_backlog_and_count_their_reply_from_the_request():
    bot = {"share": 1, "containment": 0, "time": "30 min"}
    sc = centre(
        {"channel": "email", "patience": "1 min", "self_service": bot, "creates": []},
        back_office=None,
        replications=1,
    )
    rec = simulated(sc).records().clients
    served = rec["outcome"] == OUTCOME_SERVED
    assert not (rec["outcome"] == OUTCOME_RENEGED).any()
    # The reply time (time in system) covers the bot time, the backlog wait and the handling.
    assert np.all(rec["time_in_system"][served] >= 30 * MINUTE + rec["wait"][served] - 1e-6)


def test_contained_calls_still_create_their_back_office_tasks():
    bot = {"share": 1, "containment": 1, "time": "2 min"}
    sc = centre(
        {"creates": [{"task": "order", "probability": 1}], "self_service": bot}, replications=2
    )
    res = run(sc)
    contained = res.values("all.contained_per_day")
    assert np.all(contained > 100)
    assert np.all(res.values("channel.phone.arrivals_per_day") == 0)
    assert np.array_equal(res.values("task.order.created_per_day"), contained)


def test_channel_conservation_counts_contained_contacts_and_fails_on_a_lost_one():
    bot = {"share": 0.5, "containment": 0.5, "time": {"dist": "exponential", "mean": "2 min"}}
    office = simulated(centre({"channel": "chat", "self_service": bot}))
    book = office.channels
    assert book is not None and office.contacts is not None
    assert book.contained["chat"] == office.contacts.contained > 0
    assert book.arrived["chat"] == (
        book.done["chat"] + book.contained["chat"] + book.in_bot["chat"] + book.open["chat"].value
    )
    assert office.balance["contained"] == book.contained["chat"]
    book.contained["chat"] -= 1
    with pytest.raises(InternalError, match="conservation check failed on channel chat"):
        remote.check(office)


def _night(times: np.ndarray) -> np.ndarray:
    clock = times % DAY
    return (clock < OPEN) | (clock >= CLOSE)


def test_calls_outside_opening_hours_are_answered_the_next_morning():
    sc = centre(
        {"after_hours": "queue", "after_hours_rate": 4, "patience": "5 min"},
        days=2,
        replications=1,
    )
    rec = simulated(sc).records().clients
    night = _night(rec["arrival"])
    assert night.sum() > 20
    assert np.all(rec["outcome"][night] == OUTCOME_SERVED)
    started = rec["arrival"] + rec["wait"]
    # Each night call is answered after the next opening (09:00 of its day or of the next).
    opening = np.where(rec["arrival"] % DAY < OPEN, 0, DAY) + rec["arrival"] // DAY * DAY + OPEN
    assert np.all(started[night] >= opening[night] - 1e-6)
    # The evening's calls of day 0 appear in day 1's service.
    evening = night & (rec["arrival"] < DAY) & (rec["arrival"] % DAY >= CLOSE)
    assert evening.sum() > 0 and np.all(started[evening] // DAY == 1)


def test_with_after_hours_bot_every_night_request_tries_the_bot_first():
    bot = {"share": 0.2, "containment": 0.6, "time": "3 min"}
    cls = {"channel": "chat", "after_hours_rate": 5, "self_service": bot}
    queued = centre({**cls, "after_hours": "queue"}, replications=20)
    botted = centre({**cls, "after_hours": "bot"}, replications=20)
    share_night, contained_night = [], []
    for rep in range(20):
        q = simulated(queued, rep)
        b = simulated(botted, rep)
        assert b.contacts is not None and q.contacts is not None
        rows = b.contacts.as_numpy()
        at_night = _night(rows["time"])
        tried = int(((rows["kind"] == EVENT_BOT_TRIED) & at_night).sum())
        # The night requests, drawn from their own stream as the office does; with 'queue' only
        # the share tries the bot, with 'bot' every one does.
        times = remote.with_after_hours(botted, Streams(botted.seed, rep), "call", iter([[]]))
        night_requests = len(next(times))
        q_rows = q.contacts.as_numpy()
        q_night_tried = int(((q_rows["kind"] == EVENT_BOT_TRIED) & _night(q_rows["time"])).sum())
        assert tried == night_requests > q_night_tried
        share_night.append(q_night_tried / night_requests)
        contained = (rows["kind"] == EVENT_CONTAINED) & _night(rows["time"] - BOT_TIME)
        contained_night.append(int(contained.sum()) / tried)
        # Escalated night requests wait for the morning; none gives up.
        b_rec = b.records().clients
        assert not (b_rec["outcome"][_night(b_rec["arrival"])] == OUTCOME_RENEGED).any()
    covers(np.array(share_night), 0.2)
    covers(np.array(contained_night), 0.6)


@pytest.mark.parametrize(("after_hours", "given_up"), [("closed", True), ("queue", False)])
def test_an_escalation_after_closing_gives_up_only_when_the_class_is_closed(after_hours, given_up):
    bot = {"share": 1, "containment": 0, "time": "3 h"}
    sc = centre({"after_hours": after_hours, "self_service": bot}, days=2, replications=1)
    rec = simulated(sc).records().clients
    day0 = rec["arrival"] < DAY
    late = day0 & (rec["arrival"] % DAY >= CLOSE - 3 * HOUR)
    assert late.sum() > 20
    outcome = rec["outcome"][late]
    if given_up:
        assert np.all(outcome == OUTCOME_RENEGED) and np.all(rec["wait"][late] == 0)
    else:
        assert np.all(outcome == OUTCOME_SERVED)
        # Answered the next morning: the queue wait starts after the 3 h with the bot.
        answered = rec["arrival"] + 3 * HOUR + rec["wait"]
        assert np.all(answered[late] >= DAY + OPEN - 1e-6)


@pytest.mark.parametrize("channel", ["phone", "chat", "email"])
def test_stock_data_unavailable_raises_lost_sales_of_remote_clients_by_the_declared_share(
    channel,
):
    leave = 0.4
    reaction = {"unanswered": {"leave": leave}}
    cls = {"channel": channel}
    available = run(centre({**cls, "lookup": stock_lookup({"integrated": {}}, **reaction)}))
    missing = run(
        centre({**cls, "lookup": stock_lookup({"integrated": {"unanswered": 1}}, **reaction)})
    )
    assert np.all(available.values("all.lost_deals_per_day") == 0)
    lookups = missing.values("lookups.lookups_per_day")
    assert np.all(lookups > 0)
    assert np.all(missing.values("all.no_answers_per_day") == lookups)
    covers(missing.values("all.lost_deals_per_day") / lookups, leave)
    # The agent holds the contact during the lookup: handling takes longer than without one.
    assert (
        missing.values(f"channel.{channel}.response_time_mean_min").mean()
        >= run(centre(cls)).values(f"channel.{channel}.response_time_mean_min").mean()
    )


def test_callers_without_an_answer_are_called_back_by_a_task():
    cons = {"unanswered": {"callback": 1}, "callback_task": "call_back"}
    res = run(
        centre({"lookup": stock_lookup({"integrated": {"unanswered": 1}}, **cons)}),
        replications=3,
    )
    assert np.array_equal(
        res.values("task.call_back.created_per_day"), res.values("lookups.lookups_per_day")
    )


def _one_busy_day(channel: str, repeat_after: Any, days: int) -> Any:
    """Contacts on day 0 only (day factors), every lookup unanswered and repeated."""
    cons: dict[str, Any] = {"unanswered": {"repeat": 1}}
    if repeat_after is not None:
        cons["repeat_after"] = repeat_after
    lookup = stock_lookup({"integrated": {"unanswered": 1}}, **cons)
    cls = {
        "skill": "service",
        "arrivals": {"rate": 20, "day_factors": [1] + [0] * (days - 1)},
        "service": "3 min",
        "lookup": lookup,
        "channel": channel,
    }
    return centre(cls, days=days, replications=1)


@pytest.mark.parametrize("channel", ["walk_in", "phone"])
def test_repeat_visits_come_back_after_the_declared_number_of_days(channel):
    office = simulated(_one_busy_day(channel, "3 d", days=5))
    rec = office.records()
    assert rec.contacts is not None
    day = (rec.clients["arrival"] // DAY).astype(int)
    events = rec.contacts.events
    repeats = int(((events["kind"] == EVENT_REPEAT) & (events["time"] < DAY)).sum())
    assert repeats > 10
    # Nobody comes on days 1, 2 and 4; day 3 holds exactly the repeats of day 0, each at the
    # clock time of its first visit.
    assert set(day.tolist()) == {0, 3}
    assert int((day == 3).sum()) == repeats
    first = np.sort(rec.clients["arrival"][day == 0] % DAY)
    again = rec.clients["arrival"][day == 3] % DAY
    assert np.all(np.isin(np.round(again, 6), np.round(first, 6)))


def test_repeat_delays_drawn_from_a_distribution_are_whole_days_within_its_range():
    sc = _one_busy_day("phone", {"dist": "uniform", "low": "1 d", "high": "3 d"}, days=4)
    day = (simulated(sc).records().clients["arrival"] // DAY).astype(int)
    counts = np.bincount(day, minlength=4)
    # round(U(1, 3)) is 1, 2 or 3 days with chances 1/4, 1/2, 1/4 (of the first visits).
    assert counts[0] > 60 and all(counts[d] > 0 for d in (1, 2, 3))
    assert counts[2] > counts[1] and counts[2] > counts[3] - counts[1]


def test_the_default_repeat_is_the_next_day():
    day = simulated(_one_busy_day("phone", None, days=3)).records().clients["arrival"] // DAY
    assert set(day.astype(int).tolist()) == {0, 1, 2}


def test_night_arrival_rates_follow_the_day_factors():
    rate, factors, days = 3.0, [2.0, 0.5], 400
    sc = centre(
        {
            "channel": "chat",
            "after_hours_rate": rate,
            "arrivals": {"rate": 10, "day_factors": factors},
        },
        days=days,
        replications=1,
    )
    empty = iter([np.zeros(0)] * days)
    nights = remote.with_after_hours(sc, Streams(sc.seed, 0), "call", empty)
    counts = np.array([len(t) for t in nights], dtype=float)
    hours = (DAY - (CLOSE - OPEN)) / HOUR
    for k, factor in enumerate(factors):
        mine = counts[k :: len(factors)]
        expected = rate * factor * hours
        # Poisson counts: the mean of n nights is within 4 standard errors of the rate.
        assert abs(mine.mean() - expected) < 4 * np.sqrt(expected / len(mine))


@pytest.mark.parametrize(
    ("cls", "path", "words"),
    [
        ({"after_hours_rate": 2}, "client_classes.call.after_hours_rate", "defaults to 'closed'"),
        (
            {"after_hours": "bot"},
            "client_classes.call.after_hours",
            "has no 'self_service'",
        ),
        (
            {"channel": "walk_in", "after_hours": "queue"},
            "client_classes.call.after_hours",
            "walk-ins come in opening hours only",
        ),
    ],
)
def test_after_hours_mistakes_are_named_by_key_path(cls, path, words):
    with pytest.raises(ScenarioError) as err:
        centre(cls)
    assert path in str(err.value) and words in str(err.value)
