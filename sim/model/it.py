"""IT behaviour over a replication: the level in force (the scenario's, or manual work during an
outage), its outages, and the time costs it puts on hand-offs and lookups.

Processes ask the policy instead of reading the scenario's IT settings, so an outage switches
every rule at once. Samplers for re-keying and lookup overheads are created on first use with
their own named streams, per level in force (``<level>`` or ``fallback``).
"""

from __future__ import annotations

from collections.abc import Generator

import simpy

from sim.random_streams import Streams
from sim.scenario.distributions import Sampler
from sim.scenario.it import ITIntegration


class ITPolicy:
    """The IT rules of one replication and whether the integrated system is up."""

    def __init__(self, it: ITIntegration, streams: Streams):
        self.configured = it
        self.manual = it.as_manual()
        self.paper = it if it.handoff == "paper" else self.manual
        """The rules for paper hand-offs (the manual preset when paper is only the fallback)."""
        self.static = it.outage_every is None or it.service_factor == self.manual.service_factor
        """True when the service speed-up cannot change during a run (no outages switch it)."""
        self.up = True
        self.down_time = 0.0
        """Seconds the system was down after the warm-up."""
        self._streams = streams
        self._samplers: dict[str, Sampler] = {}

    def effective(self) -> ITIntegration:
        """The IT level in force now: the scenario's, or manual work during an outage."""
        return self.configured if self.up else self.manual

    def rekey_time(self, task_name: str, it: ITIntegration) -> float:
        """Re-keying time for a new task under the IT level ``it`` (manual during outages)."""
        if it.rekey_time.mean() <= 0:
            return 0.0
        key = f"rekey:{task_name}:{self._level(it)}"
        sampler = self._samplers.get(key)
        if sampler is None:
            sampler = self._samplers[key] = it.rekey_time.sampler(self._streams(key))
        return sampler()

    def lookup_overhead(self, it: ITIntegration) -> float:
        """Fixed time a lookup costs under the IT level ``it`` (finding the file, dialling)."""
        key = f"lookup-overhead:{self._level(it)}"
        sampler = self._samplers.get(key)
        if sampler is None:
            sampler = self._samplers[key] = it.lookup_overhead.sampler(self._streams(key))
        return sampler()

    def outages(
        self, env: simpy.Environment, horizon: float, measure_from: float
    ) -> Generator[simpy.Event, None, None]:
        """Alternate up and repair times until ``horizon``, counting down time after warm-up."""
        it = self.configured
        assert it.outage_every is not None and it.outage_repair is not None
        up = it.outage_every.sampler(self._streams("outage-every"))
        repair = it.outage_repair.sampler(self._streams("outage-repair"))
        while env.now < horizon:
            yield env.timeout(up())
            self.up = False
            start = env.now
            yield env.timeout(repair())
            self.up = True
            self.down_time += max(0.0, env.now - max(start, measure_from))

    def _level(self, it: ITIntegration) -> str:
        return it.level if it is self.configured else "fallback"
