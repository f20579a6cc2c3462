"""Cross-field checks of a scenario that a schema alone cannot express.

Each check returns ``Problem``s with the key path that needs fixing, so that a planner sees every
mistake at once rather than one per run.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.errors import Problem
from sim.limits import CLIENTS, VARIANTS
from sim.scenario.backoffice import BackOffice, Rework
from sim.scenario.base import Crew
from sim.scenario.checks_channels import check_blending, check_channels
from sim.scenario.checks_information import check_information
from sim.scenario.spec import Appointments, ClientClass, OpeningHours, Scenario, SpecificTarget
from sim.spelling import did_you_mean
from sim.units import DAY, HOUR, format_clock

MAX_CLIENTS_PER_REPLICATION = CLIENTS.default
"""Refuse scenarios whose expected client count would run for hours: almost always a typo."""


def check_scenario(scenario: Scenario, source: str) -> list[Problem]:
    """All cross-field problems of ``scenario`` (empty when it can be simulated)."""
    return [Problem(source, path, msg) for path, msg in _all_problems(scenario)]


def _all_problems(s: Scenario) -> Iterator[tuple[str, str]]:
    if s.warmup_days >= s.days:
        yield (
            "warmup_days",
            (
                f"warm-up of {s.warmup_days} day(s) leaves nothing to measure out of {s.days} day(s); "
                "expected fewer warm-up days than 'days'"
            ),
        )
    if s.hours.close <= s.hours.open:
        yield (
            "hours.close",
            (
                f"closing time {format_clock(s.hours.close)} is not after opening time "
                f"{format_clock(s.hours.open)}"
            ),
        )
        return
    if not s.client_classes and s.back_office is None:
        yield (
            "client_classes",
            "nothing to simulate: no client classes and no 'back_office'; expected at least one "
            "client class (with 'staff'), or a back office on its own",
        )
    for name, cc in s.client_classes.items():
        yield from _check_class(f"client_classes.{name}", cc, s.hours)
    for name, role in s.staff.items():
        yield from _check_role(f"staff.{name}", role, s.hours)
    yield from _check_skills(s)
    yield from _check_volume(s)
    yield from _check_back_office(s)
    yield from _check_back_office_targets(s)
    yield from _check_optimization(s)
    for i, target in enumerate(s.targets.specific):
        yield from _check_specific_target(f"targets.specific[{i}]", target, s)
    yield from _check_it(s)
    yield from check_information(s)
    yield from check_channels(s)
    yield from check_blending(s)
    yield from _check_variants(s)


def _check_variants(s: Scenario) -> Iterator[tuple[str, str]]:
    """A sweep's grid multiplies: refuse a count over the limit before anything expands it."""
    if s.variants is None:
        return
    count = max(len(s.variants.cases or ()), 1)
    for values in (s.variants.grid or {}).values():
        count *= max(len(values), 1)
    if VARIANTS.exceeded(count):
        sizes = " x ".join(str(len(v)) for v in (s.variants.grid or {}).values())
        grid = f" (a grid of {sizes})" if sizes else ""
        yield ("variants", VARIANTS.message(count, detail=grid))


def _check_class(path: str, cc: ClientClass, hours: OpeningHours) -> Iterator[tuple[str, str]]:
    if cc.arrivals is None and cc.appointments is None:
        yield path, "this class never arrives; expected 'arrivals' or 'appointments' (or both)"
    if cc.arrivals is not None and isinstance(cc.arrivals.rate, list):
        n = hours.n_hours
        if len(cc.arrivals.rate) != n:
            yield (
                f"{path}.arrivals.rate",
                (
                    f"has {len(cc.arrivals.rate)} hourly rates but the office is open {n} hour(s) "
                    f"({format_clock(hours.open)}-{format_clock(hours.close)}); expected one rate "
                    "per opening hour, or a single number"
                ),
            )
    if cc.appointments is not None:
        yield from _check_appointments(f"{path}.appointments", cc.appointments, hours)


def _check_appointments(
    path: str, ap: Appointments, hours: OpeningHours
) -> Iterator[tuple[str, str]]:
    generated = (ap.start, ap.end, ap.every)
    if any(v is not None for v in generated) and not all(v is not None for v in generated):
        yield path, "a slot series needs all of 'start', 'end' and 'every'"
    if ap.every is not None and ap.every <= 0:
        yield f"{path}.every", "slot spacing must be more than zero"
    if not ap.times and ap.every is None:
        yield path, "no slots; expected 'times' or 'start'/'end'/'every'"
    for i, t in enumerate(ap.slot_times()):
        if not hours.open <= t < hours.close:
            where = f"{path}.times[{i}]" if ap.times else f"{path}.start"
            yield (
                where,
                (
                    f"slot at {format_clock(t)} is outside opening hours "
                    f"{format_clock(hours.open)}-{format_clock(hours.close)}"
                ),
            )
            break


def _check_role(path: str, role: Crew, hours: OpeningHours) -> Iterator[tuple[str, str]]:
    if (role.count is None) == (role.shifts is None):
        yield path, "expected either 'count' (all opening hours) or 'shifts', not both or neither"
        return
    for i, sh in enumerate(role.shifts or []):
        spath = f"{path}.shifts[{i}]"
        if sh.end <= sh.start:
            yield (
                f"{spath}.end",
                (
                    f"shift ends at {format_clock(sh.end)}, not after its start {format_clock(sh.start)}"
                ),
            )
        elif sh.end <= hours.open or sh.start >= hours.close:
            yield (
                spath,
                (
                    f"shift {format_clock(sh.start)}-{format_clock(sh.end)} lies outside opening hours "
                    f"{format_clock(hours.open)}-{format_clock(hours.close)}"
                ),
            )
    periods = role_periods(role, hours)
    shifts = [(start, end) for start, end, count in periods for _ in range(count)]
    spans: list[tuple[float, float]] = []
    for i, br in enumerate(role.breaks):
        bpath = f"{path}.breaks[{i}]"
        if br.duration <= 0:
            yield f"{bpath}.duration", "a break must last more than zero"
        on_duty = [(start, end) for start, end in shifts if start <= br.start < end]
        if not on_duty:
            yield (
                bpath,
                (
                    f"nobody of this role is on duty at {format_clock(br.start)}, so nobody takes "
                    "this break"
                ),
            )
        for j, (_, end) in enumerate(on_duty):
            finish = br.start + j * br.stagger + br.duration
            if finish > end:
                yield (
                    bpath,
                    (
                        f"with a stagger of {br.stagger / 60:g} min, member {j + 1} of the "
                        f"{len(on_duty)} on duty at {format_clock(br.start)} would still be on "
                        f"break at {format_clock(finish)}, after their shift ends at "
                        f"{format_clock(end)}"
                    ),
                )
                break
        for j, (s0, e0) in enumerate(spans):
            if br.start < e0 and s0 < br.start + br.duration:
                yield bpath, f"overlaps break {j} ({format_clock(s0)}-{format_clock(e0)})"
        spans.append((br.start, br.start + br.duration))


def role_periods(role: Crew, hours: OpeningHours) -> list[tuple[float, float, int]]:
    """The role's daily working periods as (start, end, members) in seconds after midnight."""
    if role.shifts is not None:
        return [(sh.start, sh.end, sh.count) for sh in role.shifts]
    return [(hours.open, hours.close, role.count or 0)]


def _check_skills(s: Scenario) -> Iterator[tuple[str, str]]:
    staffed: dict[str, list[str]] = {}
    closers: set[str] = set()
    for rname, role in s.staff.items():
        periods = role_periods(role, s.hours)
        if not any(count > 0 for _, _, count in periods):
            continue
        for skill in role.skills:
            staffed.setdefault(skill, []).append(rname)
            if any(count > 0 and end >= s.hours.close for _, end, count in periods):
                closers.add(skill)
    needed = s.skills_needed()
    held = {skill for role in s.staff.values() for skill in role.skills}
    for cname, cc in s.client_classes.items():
        if cc.skill not in staffed:
            yield f"client_classes.{cname}.skill", _nobody(cc.skill, held, s)
    if s.reception is not None and s.reception.skill in needed and s.reception.skill not in staffed:
        yield "reception.skill", _nobody(s.reception.skill, held, s)
    for rname, role in s.staff.items():
        if not set(role.skills) & needed:
            yield (
                f"staff.{rname}.skills",
                (
                    f"no client needs any of {role.skills}; this role would never work. Clients need: "
                    f"{sorted(needed)}"
                ),
            )
    for skill in sorted(needed & set(staffed) - closers):
        yield (
            f"staff.{staffed[skill][0]}.shifts",
            (
                f"nobody with skill '{skill}' works until closing at {format_clock(s.hours.close)}, "
                "so clients still waiting at closing would never be served; expected a shift that "
                "ends at or after closing time"
            ),
        )


def _nobody(skill: str, held: set[str], s: Scenario) -> str:
    msg = f"no staff member with a non-zero count holds skill '{skill}'"
    msg += did_you_mean(skill, sorted(held))
    return msg + f" (roles: {', '.join(s.staff)})"


def _check_volume(s: Scenario) -> Iterator[tuple[str, str]]:
    per_day = 0.0
    for cc in s.client_classes.values():
        if cc.arrivals is not None:
            rates = cc.arrivals.hourly(s.hours.n_hours) or [0.0]  # an empty list: see _check_class
            peak = max(cc.arrivals.day_factors or [1.0])
            per_day += sum(rates) * peak * min(s.hours.length, DAY) / (len(rates) * HOUR)
        if cc.appointments is not None:
            per_day += len(cc.appointments.slot_times()) * cc.appointments.per_slot
    total = per_day * s.days
    yield from _check_task_volume(s)
    if CLIENTS.exceeded(total):
        yield (
            "client_classes",
            (
                f"about {total:,.0f} clients per replication ({per_day:,.0f} a day for {s.days} days) "
                f"is more than officesim will simulate ({CLIENTS.value:,}); check the "
                f"arrival rates (they are per hour) and the number of days ({CLIENTS.hint()})"
            ),
        )


def _check_task_volume(s: Scenario) -> Iterator[tuple[str, str]]:
    bo = s.back_office
    if bo is None:
        return
    per_day = 0.0
    for tt in bo.tasks.values():
        if tt.arrivals is not None:
            rates = tt.arrivals.hourly(s.hours.n_hours)
            peak = max(tt.arrivals.day_factors or [1.0])
            per_day += sum(rates) * peak * min(s.hours.length, DAY) / (len(rates) * HOUR)
    per_day += sum(rec.count / rec.every_days for rec in bo.recurring)
    total = per_day * s.days
    if CLIENTS.exceeded(total):
        yield (
            "back_office",
            (
                f"about {total:,.0f} back-office tasks per replication ({per_day:,.0f} a day for "
                f"{s.days} days) is more than officesim will simulate "
                f"({CLIENTS.value:,}); check task arrival rates (per hour) and "
                f"recurring counts ({CLIENTS.hint()})"
            ),
        )


def _suggest(name: str, known: list[str]) -> str:
    return did_you_mean(name, known) or f" (known: {', '.join(known) or 'none'})"


def _check_back_office(s: Scenario) -> Iterator[tuple[str, str]]:
    bo = s.back_office
    wants_tasks = [
        (f"client_classes.{c}.creates[{i}].task", src.task)
        for c, cc in s.client_classes.items()
        for i, src in enumerate(cc.creates)
    ]
    wants_teams = [
        (f"client_classes.{c}.lookup.team", cc.lookup.team)
        for c, cc in s.client_classes.items()
        if cc.lookup is not None
    ]
    if bo is None:
        for path, _ in wants_tasks + wants_teams:
            yield path, "refers to the back office, but the scenario has no 'back_office'"
        return
    teams = list(bo.teams)
    tasks = list(bo.tasks)
    for name, team in bo.teams.items():
        yield from _check_role(f"back_office.teams.{name}", team, s.hours)
    for path, task in wants_tasks:
        if task not in bo.tasks:
            yield path, f"no task type '{task}'{_suggest(task, tasks)}"
    for i, rec in enumerate(bo.recurring):
        if rec.task not in bo.tasks:
            yield (
                f"back_office.recurring[{i}].task",
                f"no task type '{rec.task}'{_suggest(rec.task, tasks)}",
            )
    for path, wanted in wants_teams:
        if wanted not in bo.teams:
            yield path, f"no team '{wanted}'{_suggest(wanted, teams)}"
    yield from _check_task_steps(bo, s.hours)


def _check_task_steps(bo: BackOffice, hours: OpeningHours) -> Iterator[tuple[str, str]]:
    """Every step of every task type: a staffed team, and rework that can end."""
    teams = list(bo.teams)
    staffed = {
        t for t, team in bo.teams.items() if any(c > 0 for _, _, c in role_periods(team, hours))
    }
    for tname, tt in bo.tasks.items():
        for k, step in enumerate(tt.steps):
            path = f"back_office.tasks.{tname}.steps[{k}]"
            if step.team not in bo.teams:
                yield f"{path}.team", f"no team '{step.team}'{_suggest(step.team, teams)}"
            elif step.team not in staffed:
                yield f"{path}.team", f"team '{step.team}' has no members, so this step never ends"
            if step.rework is not None:
                yield from _check_rework(path, step.rework, k)


def _check_rework(path: str, rw: Rework, k: int) -> Iterator[tuple[str, str]]:
    """A rework loop of step ``k`` goes back to an earlier step and is left eventually."""
    if rw.to > k:
        yield (
            f"{path}.rework.to",
            f"rework goes back to step {rw.to}, which is not an earlier step (expected 0 to {k})",
        )
    if rw.probability >= 1:
        yield (
            f"{path}.rework.probability",
            "a rework probability of 1 sends every task round this loop forever; "
            "expected less than 1",
        )


def _check_back_office_targets(s: Scenario) -> Iterator[tuple[str, str]]:
    if s.back_office is not None:
        return
    for key in ("max_backlog", "task_on_time"):
        if getattr(s.targets, key) is not None:
            yield f"targets.{key}", "a back-office target, but the scenario has no 'back_office'"


def _check_specific_target(path: str, t: SpecificTarget, s: Scenario) -> Iterator[tuple[str, str]]:
    client_fields = [
        k
        for k in ("clients", "channel", "between", "wait", "service_level", "max_abandonment")
        if getattr(t, k) is not None
    ]
    if t.is_task:
        if client_fields:
            yield (
                path,
                (
                    f"a task target cannot also set {', '.join(client_fields)}; write a separate "
                    "client target"
                ),
            )
        tasks = s.back_office.tasks if s.back_office else {}
        if t.task not in tasks:
            yield f"{path}.task", f"no task type '{t.task}'{_suggest(str(t.task), list(tasks))}"
        if t.on_time is None:
            yield path, "a task target needs 'on_time' (the least share done in time)"
        return
    if t.on_time is not None:
        yield f"{path}.on_time", "'on_time' is a task target; expected 'task' beside it"
    if t.service_level is None and t.max_abandonment is None:
        yield (
            path,
            (
                "no target value; expected 'service_level' or 'max_abandonment' (or 'task' with "
                "'on_time')"
            ),
        )
    if t.channel is not None and t.clients is not None:
        yield f"{path}.channel", "give 'clients' or 'channel', not both"
    elif t.channel is not None and not t.covered(s.client_classes):
        yield (
            f"{path}.channel",
            f"no client class comes by '{t.channel}'; expected the channel of some class",
        )
    for j, name in enumerate(t.clients or []):
        if name not in s.client_classes:
            yield (
                f"{path}.clients[{j}]",
                f"no client class '{name}'{_suggest(name, list(s.client_classes))}",
            )
    if t.between is not None:
        start, end = t.between
        if end <= start:
            yield (
                f"{path}.between",
                (
                    f"{format_clock(end)} is not after {format_clock(start)}; expected "
                    "['hh:mm', 'hh:mm'] with the end after the start"
                ),
            )
        elif start < s.hours.open or end > s.hours.close:
            yield (
                f"{path}.between",
                (
                    f"{format_clock(start)}-{format_clock(end)} is not within the opening hours "
                    f"{format_clock(s.hours.open)}-{format_clock(s.hours.close)}"
                ),
            )


def _check_optimization(s: Scenario) -> Iterator[tuple[str, str]]:
    opt = s.optimize
    if opt.objective == "weighted" and not opt.weights:
        yield "optimize.weights", "objective 'weighted' needs weights: KPI key -> weight"
    if opt.objective != "weighted" and opt.weights:
        yield (
            "optimize.weights",
            f"weights are used only by objective 'weighted', not '{opt.objective}'",
        )
    teams = s.back_office.teams if s.back_office else {}
    for name, window in opt.shift_times.items():
        crew = s.staff.get(name) or teams.get(name)
        path = f"optimize.shift_times.{name}"
        if crew is None:
            known = [*s.staff, *teams]
            yield path, f"no role or team '{name}'{_suggest(name, known)}"
            continue
        if not crew.shifts:
            yield path, "this role works all opening hours; list its 'shifts' to move them"
        earliest = s.hours.open if window.earliest is None else window.earliest
        latest = s.hours.close if window.latest is None else window.latest
        for i, sh in enumerate(crew.shifts or []):
            if sh.end - sh.start > latest - earliest:
                yield (
                    path,
                    (
                        f"shift {i + 1} ({format_clock(sh.start)}-{format_clock(sh.end)}) is longer "
                        f"than {format_clock(earliest)}-{format_clock(latest)}"
                    ),
                )


def _check_it(s: Scenario) -> Iterator[tuple[str, str]]:
    it = s.it
    if it.deflection >= 1:
        yield "it.deflection", "a self-service share of 1 means no client ever comes in"
    if it.courier_role is not None and it.courier_role not in s.staff:
        yield (
            "it.courier_role",
            f"no staff role '{it.courier_role}'{_suggest(it.courier_role, list(s.staff))}",
        )
