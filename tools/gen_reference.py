"""Generate docs/reference.md, the scenario file reference, from the scenario schema.

The key list, types, defaults, ranges and descriptions come from the pydantic models in
``sim.scenario.spec`` (through ``officesim schema``'s JSON Schema); units and example values come from
the tables below. A key without a description or an example stops the generator, so a new key
cannot reach the reference undocumented.

    python tools/gen_reference.py > docs/reference.md    # regenerate
    python tools/gen_reference.py --check                 # exit 1 if docs/reference.md is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sim.scenario import distributions  # noqa: E402
from sim.scenario import spec as scenario  # noqa: E402
from sim.scenario.base import NAME_PATTERN  # noqa: E402
from sim.scenario.it import PRESETS  # noqa: E402
from sim.scenario.schema import scenario_json_schema  # noqa: E402
from sim.units import (  # noqa: E402
    CLOCK_PATTERN,
    DURATION_PATTERN,
    DURATION_UNITS,
)

REFERENCE = ROOT / "docs" / "reference.md"

# Types that the schema only knows as text (key: field name).
TYPES: dict[str, str] = {
    "desks": "list of desk or counter ids",
    "entrance": "point id",
    "exit": "point id",
    "waiting_spaces": "list of space ids",
    "courier_role": "role name",
    "task": "task type name",
    "team": "team name",
    "skill": "skill name",
    "skills": "list of skill names",
    "grid": "mapping of key path → list of values",
    "cases": "list of mappings of key path → value",
}

# Units and ranges of numbers that are not durations or clock times (key: field name).
UNITS: dict[str, str] = {
    "days": "days",
    "warmup_days": "days, fewer than `days`",
    "replications": "count",
    "seed": "integer ≥ 0",
    "capacity": "clients",
    "rate": "clients per hour",
    "day_factors": "multiplier per day, ≥ 0",
    "per_slot": "clients",
    "priority": "integer, higher first; may be negative",
    "walking_speed": "m/s",
    "client_speed": "m/s",
    "staff_speed": "m/s",
    "count": "people",
    "cost_per_hour": "currency per on-duty hour",
    "service_level": "share 0–1",
    "max_abandonment": "share 0–1",
    "to": "step number, 0 = first",
    "every_days": "days",
    "first_day": "day number, 0 = first simulated day",
    "area_m2": "m²",
    "rent_per_m2": "currency per m² and month",
    "rent_per_m2_month": "currency per m² and month",
    "working_days_per_month": "days",
    "lost_client_value": "currency per lost client",
    "late_task_penalty": "currency per late task",
    "monthly_cost": "currency per month",
    "service_factor": "multiplier",
    "interruptions_per_hour": "per hour",
    "exposure_distance": "m",
    "performance_loss": "share 0–1",
}

# Units that differ by where the key sits (key: key path).
PATH_UNITS: dict[str, str] = {
    "back_office.tasks.<name>.arrivals.rate": "tasks per hour",
    "back_office.tasks.<name>.arrivals.day_factors": "multiplier per day, ≥ 0",
}

# One example value per key path, as it would be written in a scenario file.
EXAMPLES: dict[str, str] = {
    "name": '"Bank branch"',
    "description": '"Town-centre branch, three tellers"',
    "days": "5",
    "warmup_days": "0",
    "replications": "20",
    "seed": "7",
    "hours": '{open: "09:00", close: "17:00"}',
    "hours.open": '"09:00"',
    "hours.close": '"17:00"',
    "waiting_area": "{capacity: 12}",
    "waiting_area.capacity": "12",
    "waiting_area.per_m2": "0.5",
    "reception": "{skill: reception, service: {dist: triangular, low: 15 s, mode: 30 s, "
    "high: 2 min}}",
    "reception.skill": "reception",
    "reception.service": "{dist: triangular, low: 15 s, mode: 30 s, high: 2 min}",
    "client_classes": "{teller: {skill: teller, arrivals: {rate: 20}, service: 4 min}}",
    "client_classes.<name>.description": '"Walk-in counter business"',
    "client_classes.<name>.skill": "teller",
    "client_classes.<name>.arrivals": "{rate: [14, 16, 20, 32, 32, 20, 16, 18]}",
    "client_classes.<name>.arrivals.rate": "[14, 16, 20, 32, 32, 20, 16, 18]",
    "client_classes.<name>.arrivals.day_factors": "[1.2, 0.9, 0.85, 1.05, 1.0]",
    "client_classes.<name>.appointments": '{start: "09:00", end: "16:30", every: 30 min}',
    "client_classes.<name>.appointments.times": '["10:00", "14:00"]',
    "client_classes.<name>.appointments.start": '"09:00"',
    "client_classes.<name>.appointments.end": '"16:30"',
    "client_classes.<name>.appointments.every": "30 min",
    "client_classes.<name>.appointments.per_slot": "1",
    "client_classes.<name>.appointments.no_show": "0.10",
    "client_classes.<name>.appointments.punctuality_mean": "-3 min",
    "client_classes.<name>.appointments.punctuality_sd": "5 min",
    "client_classes.<name>.service": "{dist: lognormal, mean: 5 min, sd: 3 min}",
    "client_classes.<name>.patience": "{dist: gamma, mean: 20 min, cv: 0.5}",
    "client_classes.<name>.priority": "2",
    "client_classes.<name>.reception": "false",
    "client_classes.<name>.walking_speed": "1.0",
    "client_classes.<name>.creates": "[{task: service_order, probability: 0.15}]",
    "client_classes.<name>.creates[].task": "service_order",
    "client_classes.<name>.creates[].probability": "0.15",
    "client_classes.<name>.lookup": "{team: operations, probability: 0.08, time: 2 min}",
    "client_classes.<name>.lookup.team": "operations",
    "client_classes.<name>.lookup.probability": "0.08",
    "client_classes.<name>.lookup.time": "{dist: triangular, low: 1 min, mode: 2 min, high: 5 min}",
    "client_classes.<name>.lookup.quality": "{integrated: {stale: 0.02}, outage: {unanswered: 1}}",
    "client_classes.<name>.lookup.quality.manual": "{stale: 0.1, unanswered: 0.15}",
    "client_classes.<name>.lookup.quality.manual.stale": "0.1",
    "client_classes.<name>.lookup.quality.manual.unanswered": "0.15",
    "client_classes.<name>.lookup.quality.partial": "{stale: 0.05, unanswered: 0.05}",
    "client_classes.<name>.lookup.quality.partial.stale": "0.05",
    "client_classes.<name>.lookup.quality.partial.unanswered": "0.05",
    "client_classes.<name>.lookup.quality.integrated": "{stale: 0.02, unanswered: 0.0}",
    "client_classes.<name>.lookup.quality.integrated.stale": "0.02",
    "client_classes.<name>.lookup.quality.integrated.unanswered": "0.0",
    "client_classes.<name>.lookup.quality.outage": "{unanswered: 1}",
    "client_classes.<name>.lookup.quality.outage.stale": "0.0",
    "client_classes.<name>.lookup.quality.outage.unanswered": "1",
    "client_classes.<name>.lookup.consequences": "{unanswered: {leave: 0.4, repeat: 0.3}, "
    "deal_value: 120}",
    "client_classes.<name>.lookup.consequences.stale": "{rework: 0.5, callback: 0.2}",
    "client_classes.<name>.lookup.consequences.stale.leave": "0.1",
    "client_classes.<name>.lookup.consequences.stale.callback": "0.2",
    "client_classes.<name>.lookup.consequences.stale.repeat": "0.1",
    "client_classes.<name>.lookup.consequences.stale.rework": "0.5",
    "client_classes.<name>.lookup.consequences.unanswered": "{leave: 0.4, repeat: 0.3}",
    "client_classes.<name>.lookup.consequences.unanswered.leave": "0.4",
    "client_classes.<name>.lookup.consequences.unanswered.callback": "0.2",
    "client_classes.<name>.lookup.consequences.unanswered.repeat": "0.3",
    "client_classes.<name>.lookup.consequences.unanswered.rework": "0.0",
    "client_classes.<name>.lookup.consequences.deal_value": "120",
    "client_classes.<name>.lookup.consequences.callback_task": "call_back",
    "client_classes.<name>.lookup.consequences.rework_after": "{dist: uniform, low: 4 h, high: 2 d}",
    "client_classes.<name>.lookup.consequences.repeat_after": "{dist: uniform, low: 1 d, high: 5 d}",
    "client_classes.<name>.self_service": "{share: 0.5, containment: 0.7, time: 3 min}",
    "client_classes.<name>.self_service.share": "0.5",
    "client_classes.<name>.self_service.containment": "0.7",
    "client_classes.<name>.self_service.time": "{dist: exponential, mean: 3 min}",
    "staff": "{teller: {count: 3, skills: [teller]}}",
    "staff.<name>.description": '"Counter staff"',
    "staff.<name>.count": "3",
    "staff.<name>.shifts": '[{start: "09:00", end: "13:00", count: 1}]',
    "staff.<name>.shifts[].start": '"07:45"',
    "staff.<name>.shifts[].end": '"14:15"',
    "staff.<name>.shifts[].count": "3",
    "staff.<name>.breaks": '[{start: "11:00", duration: 30 min, stagger: 30 min}]',
    "staff.<name>.breaks[].start": '"11:00"',
    "staff.<name>.breaks[].duration": "30 min",
    "staff.<name>.breaks[].stagger": "30 min",
    "staff.<name>.cost_per_hour": "38",
    "staff.<name>.desks": "[T1, T2, T3]",
    "staff.<name>.skills": "[advice, teller]",
    "targets": "{wait: 10 min, service_level: 0.8, max_abandonment: 0.05}",
    "targets.wait": "10 min",
    "targets.service_level": "0.8",
    "targets.max_abandonment": "0.05",
    "targets.max_backlog": "0",
    "targets.task_on_time": "0.9",
    "layout": "../layouts/bank_branch.yaml",
    "back_office": "{teams: {...}, tasks: {...}}",
    "back_office.teams": "{operations: {count: 2, desks: [B1, B2]}}",
    "back_office.teams.<name>.description": '"Payments and card orders"',
    "back_office.teams.<name>.count": "2",
    "back_office.teams.<name>.shifts": '[{start: "08:30", end: "17:30", count: 2}]',
    "back_office.teams.<name>.shifts[].start": '"08:30"',
    "back_office.teams.<name>.shifts[].end": '"17:30"',
    "back_office.teams.<name>.shifts[].count": "2",
    "back_office.teams.<name>.breaks": '[{start: "12:00", duration: 30 min, stagger: 30 min}]',
    "back_office.teams.<name>.breaks[].start": '"12:00"',
    "back_office.teams.<name>.breaks[].duration": "30 min",
    "back_office.teams.<name>.breaks[].stagger": "30 min",
    "back_office.teams.<name>.cost_per_hour": "42",
    "back_office.teams.<name>.desks": "[B1, B2, B3]",
    "back_office.teams.<name>.offsite": "{transfer_time: 4 h, area_m2: 60, rent_per_m2: 14}",
    "back_office.teams.<name>.offsite.transfer_time": "{dist: uniform, low: 2 h, high: 6 h}",
    "back_office.teams.<name>.offsite.area_m2": "60",
    "back_office.teams.<name>.offsite.rent_per_m2": "14",
    "back_office.tasks": "{service_order: {steps: [{team: operations, time: 12 min}], due: 1 d}}",
    "back_office.tasks.<name>.description": '"Account opening or card order"',
    "back_office.tasks.<name>.steps": "[{team: credit, time: 40 min}, {team: operations, "
    "time: 15 min}]",
    "back_office.tasks.<name>.steps[].team": "operations",
    "back_office.tasks.<name>.steps[].time": "{dist: lognormal, mean: 12 min, sd: 6 min}",
    "back_office.tasks.<name>.steps[].rework": "{probability: 0.10, to: 0}",
    "back_office.tasks.<name>.steps[].rework.probability": "0.10",
    "back_office.tasks.<name>.steps[].rework.to": "0",
    "back_office.tasks.<name>.due": "1 d",
    "back_office.tasks.<name>.priority": "5",
    "back_office.tasks.<name>.arrivals": "{rate: 3}",
    "back_office.tasks.<name>.arrivals.rate": "3",
    "back_office.tasks.<name>.arrivals.day_factors": "[1.4, 1, 1, 1, 0.8]",
    "back_office.recurring": '[{task: cash_reconciliation, at: "16:30"}]',
    "back_office.recurring[].task": "cash_reconciliation",
    "back_office.recurring[].at": '"16:30"',
    "back_office.recurring[].count": "1",
    "back_office.recurring[].every_days": "5",
    "back_office.recurring[].first_day": "4",
    "it": "{level: partial, monthly_cost: 600}",
    "it.level": "integrated",
    "it.handoff": "electronic",
    "it.pickup_interval": "30 min",
    "it.carrier": "front_staff",
    "it.courier_role": "teller",
    "it.transfer_delay": "{dist: exponential, mean: 10 min}",
    "it.lookup": "phone",
    "it.lookup_overhead": "1 min",
    "it.walk_without_plan": "2 min",
    "it.rekey_time": "{dist: triangular, low: 30 s, mode: 1 min, high: 3 min}",
    "it.error_probability": "0.018",
    "it.service_factor": "0.9",
    "it.deflection": "0.1",
    "it.answers": "{stale: 0.05, unanswered: 0.05}",
    "it.answers.stale": "0.05",
    "it.answers.unanswered": "0.05",
    "it.outage_every": "{dist: exponential, mean: 480 h}",
    "it.outage_repair": "{dist: lognormal, mean: 2 h, sd: 1.5 h}",
    "it.monthly_cost": "4000",
    "it.step_factor": "1.2",
    "it.rollout": "{implementation_cost: 25000, go_live_month: 3, ramp_slowdown: 0.25, ramp_weeks: 8}",
    "it.rollout.implementation_cost": "25000",
    "it.rollout.go_live_month": "3",
    "it.rollout.training_hours": "16",
    "it.rollout.ramp_slowdown": "0.25",
    "it.rollout.ramp_weeks": "8",
    "zoning": "{noise: {performance_loss: 0.07}, lookup_resumption: 2 min}",
    "zoning.noise": "{interruptions_per_hour: 2, exposure_distance: 8}",
    "zoning.noise.performance_loss": "0.07",
    "zoning.noise.interruptions_per_hour": "2",
    "zoning.noise.resumption": "2 min",
    "zoning.noise.exposure_distance": "8",
    "zoning.lookup_resumption": "2 min",
    "costs": "{rent_per_m2_month: 38, lost_client_value: 25}",
    "costs.currency": "EUR",
    "costs.rent_per_m2_month": "38",
    "costs.working_days_per_month": "21",
    "costs.lost_client_value": "25",
    "costs.lost_deal_value": "150",
    "costs.late_task_penalty": "10",
    "floor": "{entrance: entrance, exit: exit, waiting_spaces: [waiting]}",
    "floor.entrance": "entrance",
    "floor.exit": "exit",
    "floor.waiting_spaces": "[waiting]",
    "walking": "{client_speed: 1.34, staff_speed: 1.34}",
    "walking.client_speed": "1.34",
    "walking.staff_speed": "1.34",
    "walking.speed_density": "weidmann",
    "space": "{layout: ../layouts/hybrid_hq.geojson, teams: {sales: {employees: 60}}}",
    "space.layout": "../layouts/hybrid_hq.geojson",
    "space.hours": '["07:00", "20:00"]',
    "space.teams": "{sales: {employees: 60, attendance: 0.6}}",
    "space.teams.<name>.employees": "60",
    "space.teams.<name>.anchor_attendance": "0.9",
    "space.teams.<name>.arrival": '{mean: "09:00", sd: 30 min}',
    "space.teams.<name>.arrival.mean": '"09:00"',
    "space.teams.<name>.arrival.sd": "30 min",
    "space.teams.<name>.departure": '{mean: "17:30", sd: 30 min}',
    "space.teams.<name>.departure.mean": '"17:30"',
    "space.teams.<name>.departure.sd": "30 min",
    "space.teams.<name>.day": "{desk: 0.6, meetings: 0.25, away: 0.15}",
    "space.teams.<name>.day.desk": "0.6",
    "space.teams.<name>.day.meetings": "0.25",
    "space.teams.<name>.day.away": "0.15",
    "space.teams.<name>.day.episode": "45 min",
    "space.teams.<name>.neighbourhood": "[open_a_0, open_b_0]",
    "space.teams.<name>.level": '"1"',
    "space.teams.<name>.meetings": "[{per_day: 6, size: 3, size_max: 8, duration: 1 h}]",
    "space.teams.<name>.meetings[].per_day": "6",
    "space.teams.<name>.meetings[].size": "3",
    "space.teams.<name>.meetings[].size_max": "8",
    "space.teams.<name>.meetings[].duration": "{dist: uniform, low: 30 min, high: 1.5 h}",
    "space.teams.<name>.meetings[].lead_time": "1 h",
    "space.teams.<name>.meetings[].kind": "phone_booth",
    "space.teams.<name>.meetings[].earliest": '"09:00"',
    "space.teams.<name>.meetings[].latest": '"17:00"',
    "space.desks": "{policy: hot_desking, source: density, m2_per_desk: 16, ratio: 0.7}",
    "space.desks.policy": "neighbourhoods",
    "space.desks.source": "density",
    "space.desks.m2_per_desk": "16",
    "space.desks.overflow": "none",
    "space.desks.no_show": "0.1",
    "space.desks.walk_in": "0.2",
    "space.desks.auto_release": "30 min",
    "space.rooms": "{ghost: 0.15, auto_release: 15 min}",
    "space.rooms.ghost": "0.15",
    "space.rooms.auto_release": "15 min",
    "space.rooms.m2_per_seat": "2",
    "space.rooms.categories": "{meeting: [meeting, conference], focus: [focus], phone_booth: [booth]}",
    "space.movement": "{vertical: lift, lifts: {cars: 2}}",
    "space.movement.vertical": "stairs",
    "space.movement.stair_speed": "0.92",
    "space.movement.lifts": "{cars: 2, capacity: 13, door_time: 10 s, per_level: 2.5 s}",
    "space.movement.lifts.cars": "2",
    "space.movement.lifts.capacity": "13",
    "space.movement.lifts.door_time": "10 s",
    "space.movement.lifts.per_level": "2.5 s",
    "space.movement.door_flow": "1.3",
    "space.movement.trips": "true",
    "space.movement.inner_doors": "true",
    "space.rent_per_m2_month": "29.15",
    "space.level_rent": '{"2": 34.0}',
    "space.adjacency": "{sales: {marketing: 6}, product: {engineering: 10}}",
    "space.teams.<name>.attendance": "[0.45, 0.65, 0.65, 0.6, 0.3]",
    "space.teams.<name>.anchor_days": "[tue, thu]",
    "space.desks.ratio": "0.7",
    "space.week": "[mon, tue, wed, thu, fri]",
    "variants": "{grid: {staff.teller.count: [2, 3, 4]}}",
    "variants.grid": "{staff.teller.count: [2, 3, 4], waiting_area.capacity: [8, 12]}",
    "variants.cases": "[{staff.teller.count: 3}, {staff.teller.count: 4, reception: null}]",
    "targets.specific": '[{clients: [advice_walk_in], between: ["12:00", "14:00"], '
    "wait: 15 min, service_level: 0.8}]",
    "targets.specific[].name": "Advice walk-ins at lunch",
    "targets.specific[].clients": "[advice_walk_in]",
    "targets.specific[].channel": "phone",
    "targets.specific[].between": '["12:00", "14:00"]',
    "targets.specific[].wait": "15 min",
    "targets.specific[].service_level": "0.8",
    "targets.specific[].max_abandonment": "0.1",
    "targets.specific[].task": "loan_application",
    "targets.specific[].on_time": "0.9",
    "optimize": "{objective: total_cost}",
    "optimize.objective": "total_cost",
    "optimize.weights": "{cost.staff_per_day: 1, cost.lost_clients_per_day: 2}",
    "optimize.shift_times": '{teller: {earliest: "08:00", latest: "17:00", step: 30 min}}',
    "optimize.shift_times.<name>": '{earliest: "08:00", latest: "17:00", step: 30 min}',
    "optimize.shift_times.<name>.earliest": '"08:00"',
    "optimize.shift_times.<name>.latest": '"17:00"',
    "optimize.shift_times.<name>.step": "30 min",
}

# Contact channels and blended work.
EXAMPLES.update(
    {
        "client_classes.<name>.channel": "phone",
        "client_classes.<name>.after_hours_rate": "1.5",
        "client_classes.<name>.after_hours": "bot",
        "staff.<name>.channels": "[phone, chat]",
        "channels": "{chat: {sessions: 3, slowdown: 0.15}, email: {due: 24 h}}",
        "channels.chat": "{sessions: 3, slowdown: 0.15}",
        "channels.chat.sessions": "3",
        "channels.chat.slowdown": "0.15",
        "channels.email": "{due: 24 h}",
        "channels.email.due": "8 h",
        "blending": "{front: {teller: {teams: [payments]}}}",
        "blending.front": "{teller: {teams: [payments], switch_time: 1 min}}",
        "blending.front.<name>.teams": "[payments]",
        "blending.front.<name>.rule": "clients_first",
        "blending.front.<name>.switch_time": "1 min",
        "blending.back": "{payments: {skills: [service], channels: [phone], when_waiting: 4}}",
        "blending.back.<name>.skills": "[service]",
        "blending.back.<name>.channels": "[walk_in, phone]",
        "blending.back.<name>.when_waiting": "4",
        "blending.back.<name>.switch_time": "2 min",
    }
)

# Example of each distribution kind.
DIST_EXAMPLES: dict[str, str] = {
    "fixed": "{dist: fixed, value: 4 min}",
    "exponential": "{dist: exponential, mean: 20 min}",
    "uniform": "{dist: uniform, low: 2 min, high: 6 min}",
    "triangular": "{dist: triangular, low: 15 s, mode: 30 s, high: 2 min}",
    "normal": "{dist: normal, mean: 10 min, sd: 2 min}",
    "lognormal": "{dist: lognormal, mean: 5 min, sd: 3 min}",
    "gamma": "{dist: gamma, mean: 20 min, cv: 0.5}",
    "empirical": "{dist: empirical, unit: min, values: [3, 4, 6, 12], weights: [5, 10, 4, 1]}",
}

# Sections of the reference: heading, anchor text and the top-level keys they cover.
SECTIONS: list[tuple[str, list[str]]] = [
    ("General", ["name", "description", "days", "warmup_days", "replications", "seed"]),
    ("Opening hours and waiting", ["hours", "waiting_area", "reception"]),
    ("Clients", ["client_classes"]),
    ("Front-office staff", ["staff"]),
    ("Targets", ["targets"]),
    ("Floor plan and walking", ["layout", "floor", "walking"]),
    ("Back office", ["back_office"]),
    ("IT integration", ["it"]),
    ("Channels and blended work", ["channels", "blending"]),
    ("Zoning and costs", ["zoning", "costs"]),
    ("Space: workforce, desks, rooms and levels", ["space"]),
    ("Sweep variants", ["variants"]),
    ("Optimisation", ["optimize"]),
]


class Reference:
    """Walks the JSON Schema alongside the pydantic models and collects one row per key."""

    def __init__(self) -> None:
        self.schema = scenario_json_schema(ranges=False)
        self.defs: dict[str, Any] = self.schema["$defs"]
        self.models: dict[str, type[BaseModel]] = {}
        for module in (scenario, distributions):
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, BaseModel):
                    self.models[value.__name__] = value
        self.models["Scenario"] = scenario.Scenario
        self.missing: list[str] = []

    # -- schema helpers -------------------------------------------------------------------------

    def resolve(self, node: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        ref = node.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[1]
            return name, self.defs[name]
        return None, node

    @staticmethod
    def is_distribution(node: dict[str, Any]) -> bool:
        return any("discriminator" in option for option in node.get("anyOf", []))

    def strip_null(self, node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        options = node.get("anyOf")
        if options and not self.is_distribution(node):
            rest = [o for o in options if o.get("type") != "null"]
            if len(rest) < len(options):
                if len(rest) == 1:
                    merged = {k: v for k, v in node.items() if k != "anyOf"}
                    merged.update(rest[0])
                    return merged, True
                return {**node, "anyOf": rest}, True
        if self.is_distribution(node):
            rest = [o for o in node["anyOf"] if o.get("type") != "null"]
            return {**node, "anyOf": rest}, len(rest) < len(node["anyOf"])
        return node, False

    def type_text(self, node: dict[str, Any], key: str = "") -> str:
        node, nullable = self.strip_null(node)
        text = TYPES.get(key) or self._type_text(node)
        return f"{text} or `null`" if nullable else text

    def _type_text(self, node: dict[str, Any]) -> str:
        if self.is_distribution(node):
            return "distribution"
        if self.resolve(node)[0]:
            return "mapping"
        if "anyOf" in node:
            return " or ".join(self._type_text(o) for o in node["anyOf"])
        if "enum" in node:
            return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
        if "const" in node:
            return f"`{node['const']}`"
        kind = node.get("type")
        if kind == "string":
            return _string_text(node)
        if kind == "array":
            return "list of " + self._plural(node.get("items", {}))
        if kind == "object":
            return self._object_text(node)
        if kind in SIMPLE_TYPES:
            return SIMPLE_TYPES[kind]
        if not node:
            return "any value"
        return str(kind)

    def _object_text(self, node: dict[str, Any]) -> str:
        if "patternProperties" in node:
            (inner,) = node["patternProperties"].values()
            return "mapping of name → " + self._type_text(inner)
        if "additionalProperties" in node and isinstance(node["additionalProperties"], dict):
            return "mapping of key path → " + self._type_text(node["additionalProperties"])
        return "mapping"

    def _plural(self, node: dict[str, Any]) -> str:
        text = self._type_text(node)
        plurals = {
            "clock time": "clock times",
            "name": "names",
            "number": "numbers",
            "text": "texts",
            "mapping": "mappings",
            "any value": "values",
        }
        if text.startswith("mapping of"):
            return "mappings"
        return plurals.get(text, text)

    @staticmethod
    def range_text(node: dict[str, Any]) -> str:
        parts = []
        for n in [node, *node.get("anyOf", []), node.get("items", {})]:
            if not isinstance(n, dict):
                continue
            if "minimum" in n and "maximum" in n:
                parts.append(f"{_num(n['minimum'])}–{_num(n['maximum'])}")
            elif "minimum" in n:
                parts.append(f"≥ {_num(n['minimum'])}")
            elif "exclusiveMinimum" in n and "maximum" in n:
                parts.append(f"> {_num(n['exclusiveMinimum'])}, ≤ {_num(n['maximum'])}")
            elif "exclusiveMinimum" in n:
                parts.append(f"> {_num(n['exclusiveMinimum'])}")
            elif "maximum" in n:
                parts.append(f"≤ {_num(n['maximum'])}")
            if "minLength" in n and n.get("type") == "string":
                parts.append("not empty")
            if "minItems" in n:
                parts.append(f"at least {n['minItems']} entr{'y' if n['minItems'] == 1 else 'ies'}")
            if "minProperties" in n:
                parts.append(
                    f"at least {n['minProperties']} entr{'y' if n['minProperties'] == 1 else 'ies'}"
                )
            if "maxLength" in n:
                parts.append(f"at most {n['maxLength']} characters")
        seen: list[str] = []
        for p in parts:
            if p not in seen:
                seen.append(p)
        return ", ".join(seen)

    # -- model helpers --------------------------------------------------------------------------

    def field_info(self, model_name: str, key: str) -> tuple[str, Any] | None:
        model = self.models.get(model_name)
        if model is None:
            return None
        for fname, info in model.model_fields.items():
            if (info.alias or fname) == key:
                for cls in model.__mro__:
                    if fname in getattr(cls, "__annotations__", {}):
                        return cls.__name__, info
                return model_name, info
        return None

    def default_text(self, model_name: str, key: str, required: bool, kind: str) -> str:
        if model_name == "ITIntegration" and key in PRESETS["manual"]:
            return "from the `level` preset"
        if required:
            return "required"
        found = self.field_info(model_name, key)
        if found is None:
            return ""
        _, info = found
        if info.default_factory is not None:
            value = info.default_factory()
            if isinstance(value, BaseModel):
                return "all sub-keys at their defaults"
            return "`" + json.dumps(value) + "`"
        default = info.default
        if default is PydanticUndefined:
            return "required"
        if default is None:
            return "`null`"
        return "`" + _yaml_value(default, kind.startswith("duration")) + "`"

    def description(self, model_name: str, key: str, node: dict[str, Any], path: str) -> str:
        # The schema describes every key (sim.scenario.schema.DESCRIPTIONS fills the gaps).
        text = node.get("description")
        if not text:
            inner, _ = self.strip_null(node)
            name, target = self.resolve(inner)
            if name:
                text = target.get("description")
        if not text:
            self.missing.append(f"description of {path} ({model_name}.{key})")
            return ""
        return " ".join(text.split())

    def unit(self, key: str, node: dict[str, Any], path: str) -> str:
        if path in PATH_UNITS:
            return PATH_UNITS[path]
        inner, _ = self.strip_null(node)
        if self.is_distribution(inner):
            return "durations (see Distributions)"
        kind = self._type_text(inner)
        if kind.startswith("clock time") or kind == "list of clock times":
            return "clock time hh:mm"
        if kind == "duration":
            return "duration with unit"
        unit = UNITS.get(key, "")
        if not unit and (inner.get("minimum") == 0 and inner.get("maximum") == 1):
            unit = "probability 0–1"
        return unit

    # -- the walk -------------------------------------------------------------------------------

    def rows(self, model_name: str, node: dict[str, Any], prefix: str) -> list[list[str]]:
        out: list[list[str]] = []
        required = set(node.get("required", []))
        for key, prop in node.get("properties", {}).items():
            path = f"{prefix}{key}"
            inner, _ = self.strip_null(prop)
            unit = self.unit(key, prop, path)
            rng = self.range_text(inner)
            unit_range = unit if rng in unit else ", ".join(x for x in (unit, rng) if x)
            example = EXAMPLES.get(path)
            if example is None:
                self.missing.append(f"example of {path}")
                example = ""
            kind = self.type_text(prop, key)
            out.append(
                [
                    f"`{path}`",
                    kind,
                    self.default_text(model_name, key, key in required, kind),
                    unit_range,
                    self.description(model_name, key, prop, path),
                    f"`{example}`",
                ]
            )
            out += self.children(inner, path)
        return out

    def children(self, node: dict[str, Any], path: str) -> list[list[str]]:
        if self.is_distribution(node):
            return []
        name, target = self.resolve(node)
        if name and "properties" in target:
            return self.rows(name, target, path + ".")
        if node.get("type") == "object" and "patternProperties" in node:
            (inner,) = node["patternProperties"].values()
            name, target = self.resolve(inner)
            if name:
                return self.rows(name, target, path + ".<name>.")
        if node.get("type") == "array":
            name, target = self.resolve(node.get("items", {}))
            if name:
                return self.rows(name, target, path + "[].")
        return []

    def section_rows(self, keys: list[str]) -> list[list[str]]:
        root = {
            "properties": {k: self.schema["properties"][k] for k in keys},
            "required": [k for k in self.schema["required"] if k in keys],
        }
        return self.rows("Scenario", root, "")

    # -- distributions and presets --------------------------------------------------------------

    def distribution_rows(self) -> list[list[str]]:
        out = []
        for kind in distributions.DIST_NAMES:
            name = kind.capitalize()
            node = self.defs[name]
            required = set(node.get("required", []))
            params = []
            for key in node["properties"]:
                if key in ("dist", "unit"):
                    continue
                text = f"`{key}`"
                if key not in required:
                    text += " (optional)"
                params.append(text)
            model = self.models[name]
            doc = " ".join((model.__doc__ or "").split()).replace("``", "`")
            out.append([f"`{kind}`", ", ".join(params), doc, f"`{DIST_EXAMPLES[kind]}`"])
        return out

    def check_complete(self) -> None:
        for key in self.schema["properties"]:
            if not any(key in keys for _, keys in SECTIONS):
                self.missing.append(f"section for top-level key {key}")
        for kind in distributions.DIST_NAMES:
            if kind not in DIST_EXAMPLES:
                self.missing.append(f"example of distribution {kind}")
        if self.missing:
            raise SystemExit(
                "tools/gen_reference.py: add to its tables:\n  " + "\n  ".join(self.missing)
            )


def _num(value: float) -> str:
    return f"{value:g}"


def _yaml_value(value: Any, is_duration: bool) -> str:
    """A default as it would be written in a scenario file (durations with units)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and is_duration:
        return _duration(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if value == "":
        return '""'
    return str(value)


def _duration(seconds: float) -> str:
    """A duration in seconds written with the largest unit that divides it."""
    for size, unit in ((3600.0, "h"), (60.0, "min")):
        if seconds and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _preset_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict) and "dist" not in value:
        return ", ".join(f"{k} {v:g}" for k, v in value.items())
    if isinstance(value, dict):
        kind = value["dist"]
        params = ", ".join(f"{k} {v}" for k, v in value.items() if k != "dist")
        return f"{kind}: {params}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render() -> str:
    ref = Reference()
    lines = [
        "# Scenario file reference",
        "",
        "<!-- Generated by tools/gen_reference.py from the scenario schema; do not edit by hand."
        " Regenerate with: python tools/gen_reference.py > docs/reference.md -->",
        "",
        "Every key a scenario file may contain, with its type, default, unit, meaning and an "
        "example value. Keys are written as paths: `client_classes.<name>.arrivals.rate` is the "
        "`rate` under `arrivals` of any client class; `staff.<name>.shifts[].start` is the "
        "`start` of each entry of a role's `shifts` list. The same paths work with `--set` "
        "(list entries by number: `staff.teller.shifts.0.count=2`) and in sweep `variants`.",
        "",
        "For explanations and worked examples see [scenarios.md](scenarios.md); for the rules "
        "that check how keys fit together, [scenarios.md#cross-field-rules-and-their-messages]"
        "(scenarios.md#cross-field-rules-and-their-messages); for error messages, "
        "[errors.md](errors.md). Editors can validate files against the JSON Schema that "
        "`officesim schema` prints.",
        "",
        "## Units and formats",
        "",
        "- **duration**: a number and a unit, e.g. `90 s`, `5 min`, `1.5 h`, `2 d`. Units: "
        + ", ".join(f"`{u}`" for u in DURATION_UNITS)
        + ". A bare number is refused (except `0`). Only `punctuality_mean` may be negative.",
        '- **clock time**: `hh:mm`, 24-hour, `00:00` to `24:00`; write it in quotes (`"09:00"`).',
        "- **name**: starts with a letter; letters, digits, `_` and `-` only; case-sensitive.",
        "- **distribution**: a mapping with a `dist` key ([below](#distributions)), or a plain "
        "duration meaning a fixed value (`service: 4 min`).",
        "- **rates** are per hour; **probabilities and shares** are numbers from 0 to 1 "
        "(`0.1`, not `10%`); **speeds** are in m/s; **money** is in the currency of "
        "`costs.currency`, per on-duty hour for staff, per month for rent and IT.",
        "- `null` switches an optional part off (`reception: null`).",
        "- **range** (an assumption): any number or duration may instead be written "
        "`{low, mode, high}` or `{low, high}`; runs use the mode (or the middle), `officesim "
        "sensitivity` varies it ([scenarios.md](scenarios.md#ranges-assumptions-instead-of-points)).",
        "",
        "Contents: "
        + " · ".join(f"[{title}](#{_anchor(title)})" for title, _ in SECTIONS)
        + " · [Distributions](#distributions) · [IT presets](#it-presets)",
        "",
    ]
    header = ["key", "type", "default", "unit / range", "meaning", "example"]
    for title, keys in SECTIONS:
        lines += [f"## {title}", ""]
        lines += _table(header, ref.section_rows(keys))
        lines.append("")
    lines += [
        "## Distributions",
        "",
        "Service, reception, patience, lookup, step, re-keying, transfer and outage times are "
        "distributions. Every parameter is a duration, except `cv` (a plain number) and "
        "`weights` (plain numbers ≥ 0). Every kind also takes `unit:` (`s`, `min`, `h`, …), "
        "after which bare numbers mean that unit: "
        "`{dist: gamma, mean: 20, unit: min, cv: 0.5}`.",
        "",
    ]
    lines += _table(["`dist`", "parameters", "meaning", "example"], ref.distribution_rows())
    lines += [
        "",
        "## IT presets",
        "",
        "`it.level` fills every `it` key the file does not give. Any key can be overridden: "
        "`it: {level: partial, pickup_interval: 15 min}`. Note that a file which sets "
        "`monthly_cost` keeps that cost when only the level is changed with "
        "`--set it.level=...`. What the values rest on: "
        "[assumptions.md](assumptions.md#it-integration-presets).",
        "",
    ]
    levels = list(PRESETS)
    keys = list(PRESETS[levels[0]])
    preset_rows = [[f"`{k}`"] + [_preset_text(PRESETS[lv][k]) for lv in levels] for k in keys]
    lines += _table(["key", *levels], preset_rows)
    lines.append("")
    ref.check_complete()
    return "\n".join(lines)


SIMPLE_TYPES = {"integer": "integer", "number": "number", "boolean": "true/false"}
STRING_PATTERNS = {CLOCK_PATTERN: "clock time", DURATION_PATTERN: "duration", NAME_PATTERN: "name"}


def _string_text(node: dict[str, Any]) -> str:
    """What a string key holds, in words (clock time, duration, name, file path, text)."""
    pattern = node.get("pattern")
    if pattern in STRING_PATTERNS:
        return STRING_PATTERNS[pattern]
    return "file path" if node.get("format") == "path" else "text"


def _anchor(title: str) -> str:
    return "-".join(title.lower().replace(",", "").split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if docs/reference.md is out of date"
    )
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
        if current != text:
            print(
                "docs/reference.md is out of date; run: python tools/gen_reference.py > "
                "docs/reference.md",
                file=sys.stderr,
            )
            return 1
        print("docs/reference.md is up to date")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
