"""Compile a Scenario into the engine's runtime pieces: client classes, task types, arrivals.

Each piece gets its bound samplers on its own named streams here, once per replication, so the
hot path only calls plain attributes. Stream names are part of the results (same seed, same
numbers): ``service:<class>``, ``patience:<class>``, ``reception:<class>``,
``self-service:<class>``, ``creates:<class>``, ``lookup-need:<class>``, ``lookup:<class>``,
``task:<type>:step<j>``, the information and self-service streams of ``sim.model.information``, ``task-chance:<type>``, ``offsite:<team>``, ``handoff``,
``arrivals:<key>`` and ``appointments:<key>``.
"""

from __future__ import annotations

import numpy as np

from sim.model.backoffice import BackOfficeRuntime, StepRuntime, TaskRuntime, team_skill
from sim.model.clients import ClassRuntime
from sim.model.information import answer_runtime, bot_runtime
from sim.model.metrics import Level
from sim.random_streams import Streams
from sim.scenario.distributions import BLOCK_SIZE, Distribution, Sampler, block_sampler
from sim.scenario.spec import ClientClass, Scenario

__all__ = ["team_skill"]


def uniform_sampler(rng: np.random.Generator) -> Sampler:
    """Uniform draws in [0, 1) from ``rng``, drawn in blocks."""
    return block_sampler(lambda g, n: g.random(n), rng)


class UniformDraws:
    """Uniform draws in [0, 1) from ``rng`` in blocks of 512, taken several at a time.

    ``take(k)`` returns the next ``k`` numbers of the same sequence ``uniform_sampler`` gives one
    by one, in one call (a client deciding on each of many task types).
    """

    __slots__ = ("_buffer", "_position", "_rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buffer: list[float] = []
        self._position = 0

    def take(self, k: int) -> list[float]:
        """The next ``k`` draws."""
        start = self._position
        out = self._buffer[start : start + k]
        self._position = start + len(out)
        while len(out) < k:
            self._buffer = self._rng.random(BLOCK_SIZE).tolist()
            need = k - len(out)
            out += self._buffer[:need]
            self._position = min(need, BLOCK_SIZE)
        return out


def _maybe(dist: Distribution | None, streams: Streams, key: str) -> Sampler | None:
    return dist.sampler(streams(key)) if dist is not None else None


def _uniform_if(wanted: bool, streams: Streams, key: str) -> Sampler | None:
    return uniform_sampler(streams(key)) if wanted else None


def client_class(
    s: Scenario, index: int, name: str, streams: Streams, with_plan: bool
) -> ClassRuntime:
    """One client class with its samplers bound to the class's own streams."""
    cc: ClientClass = s.client_classes[name]
    lookup = cc.lookup
    walks_in = cc.channel == "walk_in"
    with_reception = s.reception is not None and cc.reception and walks_in
    return ClassRuntime(
        index=index,
        name=name,
        skill=cc.skill,
        priority=cc.priority,
        service=cc.service.sampler(streams(f"service:{name}")),
        patience=_maybe(cc.patience, streams, f"patience:{name}"),
        reception=(
            _maybe(s.reception.service, streams, f"reception:{name}")
            if with_reception and s.reception is not None
            else None
        ),
        speed=cc.walking_speed or s.walking.client_speed,
        walks=with_plan and walks_in,
        self_service=_uniform_if(
            s.it.deflection > 0 and cc.self_service is None, streams, f"self-service:{name}"
        ),
        creates=[(src.task, src.probability) for src in cc.creates],
        creates_draw=UniformDraws(streams(f"creates:{name}")) if cc.creates else None,
        lookup=lookup,
        lookup_probability=lookup.probability if lookup else 0.0,
        lookup_draw=_uniform_if(lookup is not None, streams, f"lookup-need:{name}"),
        lookup_time=_maybe(lookup.time if lookup else None, streams, f"lookup:{name}"),
        answers=(
            answer_runtime(lookup, s.it, streams, name)
            if lookup is not None and lookup.consequences is not None
            else None
        ),
        bot=bot_runtime(cc.self_service, streams, name) if cc.self_service is not None else None,
        channel=cc.channel,
    )


def client_classes(s: Scenario, streams: Streams, with_plan: bool) -> list[ClassRuntime]:
    """Every client class of ``s`` in scenario order."""
    return [client_class(s, i, name, streams, with_plan) for i, name in enumerate(s.client_classes)]


def speeds(classes: list[ClassRuntime]) -> np.ndarray:
    """Walking speed per class, indexed by class number."""
    return np.array([c.speed for c in classes], dtype=float)


def team_skills(s: Scenario) -> list[str]:
    """The dispatcher skills of the back-office teams' queues."""
    return [team_skill(t) for t in (s.back_office.teams if s.back_office else {})]


def back_office(s: Scenario, streams: Streams) -> BackOfficeRuntime | None:
    """The back office's task types, hand-off samplers and courier (None without one)."""
    bo = s.back_office
    if bo is None:
        return None
    tasks = {}
    for k, (name, tt) in enumerate(bo.tasks.items()):
        steps = [
            StepRuntime(
                skill=team_skill(st.team),
                team=st.team,
                time=st.time.sampler(streams(f"task:{name}:step{j}")),
                rework_probability=st.rework.probability if st.rework else 0.0,
                rework_to=st.rework.to if st.rework else 0,
            )
            for j, st in enumerate(tt.steps)
        ]
        tasks[name] = TaskRuntime(
            index=k,
            name=name,
            steps=steps,
            due=tt.due,
            priority=tt.priority,
            chance=uniform_sampler(streams(f"task-chance:{name}")),
        )
    offsite = {
        t: team.offsite.transfer_time.sampler(streams(f"offsite:{t}"))
        for t, team in bo.teams.items()
        if team.offsite is not None
    }
    courier = None
    if s.it.carrier == "front_staff":
        role = s.it.courier_role or next(iter(s.staff))
        courier = s.staff[role].skills[0]
    runtime = BackOfficeRuntime(
        tasks=tasks,
        transfer_delay=s.it.transfer_delay.sampler(streams("handoff")),
        offsite=offsite,
        courier_skill=courier,
    )
    runtime.open_tasks = Level()
    return runtime


def task_due(bo: BackOfficeRuntime) -> np.ndarray:
    """Due time per task type, indexed by task type number."""
    return np.array([t.due for t in bo.tasks.values()], dtype=float)
