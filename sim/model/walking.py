"""Walking on the floor plan: client routes and seats, staff walks to teams, desks of members.

Two strategies with the same interface: ``PlanWalking`` over a ``FloorPlan`` (distances in
metres, walks counted per point pair for the traffic map) and ``NoWalking`` for a scenario
without a layout (no walks, staff lookups take the IT level's ``walk_without_plan``).
Processes never ask whether there is a plan; they ask the strategy.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model.plan import FloorPlan


class NoWalking:
    """No floor plan: nobody walks, there are no seats and no desks."""

    entrance = -1
    exit = -1
    capacity: int | None = None
    """Waiting places the plan offers (None: the plan sets no limit)."""

    def __init__(self, staff_speed: float, unplanned_walk: float) -> None:
        self.staff_speed = staff_speed
        self.unplanned_walk = unplanned_walk
        """Seconds a staff walk to a team takes when the plan cannot tell (IT's default)."""
        self.client_walks: Counter[tuple[int, int]] = Counter()
        """Walks of measured clients per (from, to) point pair (for traffic per edge)."""

    def client_metres(self, a: int, b: int, measured: bool) -> float:
        """Metres from point ``a`` to ``b`` for a client (counted for traffic when measured)."""
        return 0.0

    def point_id(self, point: int) -> str:
        """The id of a point in event logs ("" for none)."""
        return ""

    def desk(self, scope: str, index: int) -> int:
        """The desk of member ``index`` of crew ``scope`` (-1 without one)."""
        return -1

    def exposed(self, desk: int) -> bool:
        """True when ``desk`` is within earshot of clients."""
        return False

    def staff_seconds_to_team(self, desk: int, team: str) -> float:
        """Seconds for a staff member at ``desk`` (-1: from the front hub) to reach ``team``.

        Without a plan (or when the team has no desk on it) the IT level's default walk.
        """
        return self.unplanned_walk


class PlanWalking(NoWalking):
    """Walks over a floor plan's distance tables."""

    def __init__(self, plan: FloorPlan, staff_speed: float, unplanned_walk: float) -> None:
        super().__init__(staff_speed, unplanned_walk)
        self.plan = plan
        self.entrance = plan.entrance
        self.exit = plan.exit
        self.capacity = plan.waiting_capacity
        self._client = plan.client_distance
        self._staff = plan.staff_distance
        self._ids = plan.ids

    def client_metres(self, a: int, b: int, measured: bool) -> float:
        """Metres from point ``a`` to ``b`` for a client (counted for traffic when measured)."""
        if measured:
            self.client_walks[(a, b)] += 1
        return self._client[a][b]

    def point_id(self, point: int) -> str:
        """The id of a point in event logs ("" for none)."""
        return self._ids[point] if point >= 0 else ""

    def desk(self, scope: str, index: int) -> int:
        """The desk of member ``index`` of crew ``scope`` (members share desks round robin)."""
        desks = self.plan.role_desks.get(scope, ())
        return desks[index % len(desks)] if desks else -1

    def exposed(self, desk: int) -> bool:
        """True when ``desk`` is within earshot of clients."""
        return desk in self.plan.exposed

    def staff_seconds_to_team(self, desk: int, team: str) -> float:
        """Seconds for a staff member at ``desk`` (-1: from the front hub) to reach ``team``."""
        start = desk if desk >= 0 else self.plan.hub
        desks = self.plan.role_desks.get(f"team.{team}", ())
        if not desks:
            return self.unplanned_walk
        return min(self._staff[start][d] for d in desks) / self.staff_speed


def public_area(plan: FloorPlan) -> float:
    """Square metres of the plan's public spaces (where clients walk)."""
    return float(sum(space.area for space in plan.floor.spaces if space.is_public))
