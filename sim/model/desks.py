"""Desk policies: who may sit where, and which free desk a person takes.

- ``assigned``: members of each team get desks in turn (their preferred desks first); an
  owner's desk is never given to anyone else; members without a desk sit at unassigned desks.
- ``hot_desking``: any free desk.
- ``neighbourhoods``: a free desk in the team's zone; when it is full, anywhere (overflow
  ``anywhere``) or nowhere (``none``).
- ``booking``: desks booked before the day in random order; a booking holds its desk until the
  booked arrival plus ``auto_release``; people without a booking take free, unheld desks.

Among the free desks a person may take, they choose the one nearest (on foot, mean over them)
to the team-mates already seated, or one at random when none is; preferred desks (zone or the
team's level) come first under every policy.
"""

from __future__ import annotations

import numpy as np

from sim.model.space_plan import SpacePlan
from sim.scenario.space import Space

NO_DESK = -1


class DeskPool:
    """The desks of one day: who sits where, and who holds a booking."""

    def __init__(self, plan: SpacePlan, spec: Space, rng: np.random.Generator):
        self.plan = plan
        self.spec = spec
        self.rng = rng
        n = len(plan.desks)
        self.sitter = np.full(n, NO_DESK, dtype=int)
        """Person index seated at each desk (NO_DESK when free)."""
        self.owner = np.full(n, NO_DESK, dtype=int)
        self.hold_until = np.full(n, -np.inf)
        self.holder = np.full(n, NO_DESK, dtype=int)
        self.seated_by_team: dict[str, set[int]] = {t: set() for t in spec.teams}
        self.assigned: dict[int, int] = {}
        self.preferred: dict[str, np.ndarray] = {}
        for team in spec.teams:
            mask = np.zeros(n, dtype=bool)
            mask[list(plan.preferred.get(team, frozenset()))] = True
            self.preferred[team] = mask

    def assign_owners(self, teams_of: list[str]) -> None:
        """Assigned policy: give desks to people (indices into ``teams_of``) team by team."""
        free = set(range(len(self.plan.desks)))
        for person, team in enumerate(teams_of):
            if not free:
                return
            preferred = sorted(self.plan.preferred.get(team, frozenset()) & free)
            desk = preferred[0] if preferred else min(free)
            free.discard(desk)
            self.owner[desk] = person
            self.assigned[person] = desk

    def book(self, person: int, team: str, until: float) -> int:
        """Booking policy: hold a desk until ``until``; NO_DESK when every desk is booked."""
        candidates = np.flatnonzero(self.holder == NO_DESK)
        desk = self._choose(candidates, team)
        if desk != NO_DESK:
            self.holder[desk] = person
            self.hold_until[desk] = until
        return desk

    def _free(self, now: float, person: int) -> np.ndarray:
        free = self.sitter == NO_DESK
        if self.spec.desks.policy == "assigned":
            free &= self.owner == NO_DESK
        held = (self.holder != NO_DESK) & (self.hold_until > now) & (self.holder != person)
        return free & ~held

    def claim(self, person: int, team: str, now: float) -> tuple[int, bool]:
        """The desk ``person`` sits at (NO_DESK if none) and whether it is a preferred one."""
        policy = self.spec.desks.policy
        desk = NO_DESK
        if policy == "assigned" and person in self.assigned:
            desk = self.assigned[person]
        elif policy == "booking":
            mine = np.flatnonzero((self.holder == person) & (self.hold_until > now))
            if len(mine):
                desk = int(mine[0])
        mask = self.preferred[team]
        has_zone = bool(mask.any())
        if desk == NO_DESK:
            free = self._free(now, person)
            inside = np.flatnonzero(free & mask) if has_zone else np.flatnonzero(free)
            if len(inside):
                desk = self._choose(inside, team)
            elif has_zone and not (
                policy == "neighbourhoods" and self.spec.desks.overflow == "none"
            ):
                desk = self._choose(np.flatnonzero(free), team)
        if desk == NO_DESK:
            return NO_DESK, False
        self.sitter[desk] = person
        self.seated_by_team[team].add(desk)
        return desk, (not has_zone) or bool(mask[desk])

    def release(self, desk: int, team: str) -> None:
        """The person at ``desk`` leaves for the day."""
        self.sitter[desk] = NO_DESK
        self.seated_by_team[team].discard(desk)
        self.holder[desk] = NO_DESK

    def _choose(self, candidates: np.ndarray, team: str) -> int:
        if len(candidates) == 0:
            return NO_DESK
        mates = sorted(self.seated_by_team.get(team, ()))
        if not mates:
            return int(candidates[int(self.rng.integers(len(candidates)))])
        cost = self.plan.desk_metres[candidates][:, mates].sum(axis=1)
        return int(candidates[int(np.argmin(cost))])
