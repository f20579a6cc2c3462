"""Cross-field checks of contact channels and blended work (see ``sim.scenario.checks``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sim.scenario.channels import REMOTE
from sim.scenario.spec import ClientClass, Scenario
from sim.spelling import did_you_mean


def check_channels(s: Scenario) -> Iterator[tuple[str, str]]:
    """Remote classes need someone answering their channel; requests outside opening hours
    need a class that takes them."""
    answered = _answered(s)
    for name, cc in s.client_classes.items():
        path = f"client_classes.{name}"
        yield from _check_after_hours(path, cc)
        if cc.channel == "walk_in" or (cc.skill, cc.channel) in answered:
            continue
        roles = [r for r, role in s.staff.items() if cc.skill in role.skills]
        hint = (
            f"; add '{cc.channel}' to the 'channels' of role {roles[0]!r}"
            if roles
            else f" (no role holds skill '{cc.skill}')"
        )
        yield (
            f"{path}.channel",
            f"no staff role with a non-zero count answers '{cc.channel}' for skill "
            f"'{cc.skill}'{hint}",
        )


def _check_after_hours(path: str, cc: ClientClass) -> Iterator[tuple[str, str]]:
    mode = cc.after_hours_mode
    if cc.channel not in REMOTE and mode != "closed":
        yield (
            f"{path}.after_hours",
            f"walk-ins come in opening hours only; this class walks in (remove 'after_hours: "
            f"{mode}', or give the class a remote channel: phone, chat or email)",
        )
        return
    if cc.after_hours_rate > 0 and mode == "closed":
        written = "is set to 'closed'" if cc.after_hours is not None else "defaults to 'closed'"
        yield (
            f"{path}.after_hours_rate",
            f"requests outside opening hours are not taken: 'after_hours' {written} for "
            f"'{cc.channel}' (set 'after_hours: queue' or 'after_hours: bot', or remove the rate)",
        )
    if mode == "bot" and cc.self_service is None:
        yield (
            f"{path}.after_hours",
            "'bot' sends requests outside opening hours to self-service, but the class has no "
            "'self_service'; expected a 'self_service' block, or 'after_hours: queue'",
        )


def _answered(s: Scenario) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for role in s.staff.values():
        if role.count == 0 or (role.shifts is not None and not any(x.count for x in role.shifts)):
            continue
        out |= {(skill, ch) for skill in role.skills for ch in role.channels}
    return out


def check_blending(s: Scenario) -> Iterator[tuple[str, str]]:
    """Blending names existing roles, teams and client skills."""
    b = s.blending
    if b is None:
        return
    teams = sorted(s.back_office.teams) if s.back_office else []
    if not teams and (b.front or b.back):
        yield "blending", "blending needs a 'back_office' with teams"
        return
    for role, front in b.front.items():
        path = f"blending.front.{role}"
        if role not in s.staff:
            yield path, f"no staff role '{role}'" + did_you_mean(role, s.staff) + _known(s.staff)
        for i, team in enumerate(front.teams):
            if team not in teams:
                yield f"{path}.teams[{i}]", f"no back-office team '{team}'" + _known(teams)
    skills = sorted({cc.skill for cc in s.client_classes.values()})
    for team, back in b.back.items():
        path = f"blending.back.{team}"
        if team not in teams:
            yield path, f"no back-office team '{team}'" + did_you_mean(team, teams) + _known(teams)
        for i, skill in enumerate(back.skills):
            if skill not in skills:
                yield (
                    f"{path}.skills[{i}]",
                    f"no client class needs skill '{skill}'" + _known(skills),
                )


def _known(names: Iterable[str]) -> str:
    return f" (known: {', '.join(sorted(names))})"
