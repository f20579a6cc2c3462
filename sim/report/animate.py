"""Replay one simulated day on the floor plan, frame by frame, as a GIF (or MP4 with ffmpeg).

Clients are dots: they walk along their paths on the walking network, sit on a waiting seat
(orange) and stand at a desk while served (green). The number waiting for each service shows at
its desks, the back office's open tasks as a bar, the time as a clock. The floor is drawn once
and each frame only redraws the moving parts, so a day of 480 frames takes seconds. The same
event log gives the same file, byte for byte.
"""

from __future__ import annotations

import math
import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from sim.errors import OfficesimError
from sim.layout import Floor, draw_floor, walk_network
from sim.model.eventlog import EventLog
from sim.report.floor import primary_roles
from sim.report.style import OKABE_ITO, chart_style
from sim.units import DAY, HOUR

STATE_COLOURS = {
    "walking": OKABE_ITO["blue"],
    "waiting": OKABE_ITO["orange"],
    "served": OKABE_ITO["green"],
}


class Path2D:
    """A polyline that gives the point at a fraction of its length."""

    def __init__(self, points: Sequence[tuple[float, float]]):
        self.xy = np.asarray(points, dtype=float).reshape(-1, 2)
        seg = np.hypot(*np.diff(self.xy, axis=0).T) if len(self.xy) > 1 else np.zeros(0)
        self.cum = np.concatenate([[0.0], np.cumsum(seg)])

    def at(self, fraction: float) -> tuple[float, float]:
        """The point ``fraction`` (0–1) of the way along."""
        total = self.cum[-1]
        if total <= 0 or len(self.xy) == 1:
            return float(self.xy[-1, 0]), float(self.xy[-1, 1])
        d = min(max(fraction, 0.0), 1.0) * total
        i = int(np.searchsorted(self.cum, d, side="right")) - 1
        i = min(i, len(self.xy) - 2)
        span = self.cum[i + 1] - self.cum[i]
        f = (d - self.cum[i]) / span if span > 0 else 0.0
        p = self.xy[i] + f * (self.xy[i + 1] - self.xy[i])
        return float(p[0]), float(p[1])


@dataclass
class _Client:
    """One client's day: when they are there and where they walk."""

    number: int
    start: float
    end: float
    walks: list[tuple[float, float, str, str]]


def _clients(log: EventLog, t0: float, t1: float) -> list[_Client]:
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for time, case, *_ in log.events:
        if log.cases.get(case, {}).get("kind") != "client":
            continue
        first[case] = min(first.get(case, time), time)
        last[case] = max(last.get(case, time), time)
    walks: dict[str, list[tuple[float, float, str, str]]] = defaultdict(list)
    for case, start, end, a, b in log.walks:
        walks[case].append((start, end, a, b))
        last[case] = max(last.get(case, end), end)
    out = []
    for case, start in first.items():
        if last[case] < t0 or start > t1 or not walks.get(case):
            continue
        number = int(case.rsplit("-", 1)[-1]) if case.rsplit("-", 1)[-1].isdigit() else 0
        out.append(_Client(number, start, last[case], sorted(walks[case])))
    return sorted(out, key=lambda c: (c.start, c.number))


def _intervals(log: EventLog, prefix: str) -> dict[str, list[tuple[float, float]]]:
    """Per activity suffix (skill), the (start, complete) intervals of ``prefix`` activities."""
    open_: dict[tuple[str, str], float] = {}
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for time, case, activity, life, *_ in log.sorted_events():
        if not activity.startswith(prefix):
            continue
        key = (case, activity)
        if life == "start":
            open_[key] = time
        elif life == "complete" and key in open_:
            out[activity.removeprefix(prefix)].append((open_.pop(key), time))
    return out


def _open_tasks(log: EventLog) -> list[tuple[float, float]]:
    created: dict[str, float] = {}
    out = []
    for time, case, activity, *_ in log.sorted_events():
        if activity == "create":
            created[case] = time
        elif activity == "complete" and case in created:
            out.append((created.pop(case), time))
    out += [(t, math.inf) for t in created.values()]
    return out


def _count(intervals: Sequence[tuple[float, float]], t: float) -> int:
    return sum(1 for a, b in intervals if a <= t < b)


class DayReplay:
    """Positions and counts of one day, computed from an event log, for any moment."""

    def __init__(self, log: EventLog, floor: Floor, t0: float, t1: float):
        self.floor = floor
        self.network = walk_network(floor)
        self.clients = _clients(log, t0, t1)
        self.waits = _intervals(log, "wait for ")
        self.tasks = _open_tasks(log)
        self._paths: dict[tuple[str, str], Path2D] = {}
        kinds = {p.id: p.kind for p in floor.points}
        self.kinds = kinds

    def path(self, a: str, b: str) -> Path2D:
        """The walking path from point ``a`` to point ``b`` (cached)."""
        key = (a, b)
        if key not in self._paths:
            self._paths[key] = Path2D(self.network.path(a, b, "client"))
        return self._paths[key]

    def positions(self, t: float) -> tuple[np.ndarray, list[str]]:
        """Client positions (n × 2) and states at time ``t``."""
        xy: list[tuple[float, float]] = []
        states: list[str] = []
        for c in self.clients:
            if not c.start <= t <= c.end:
                continue
            where, state = None, "walking"
            for start, end, a, b in c.walks:
                if t < start:
                    break
                if t <= end:
                    frac = (t - start) / (end - start) if end > start else 1.0
                    where, state = self.path(a, b).at(frac), "walking"
                    break
                where = self.floor.point(b).xy
                state = {"seat": "waiting", "desk": "served", "counter": "served"}.get(
                    self.kinds.get(b, ""), "walking"
                )
            if where is None:
                where = self.floor.point(c.walks[0][2]).xy
            if state != "walking":
                angle = c.number * 2.39996
                r = 0.12 + 0.05 * (c.number % 4)
                where = (where[0] + r * math.cos(angle), where[1] + r * math.sin(angle))
            xy.append(where)
            states.append(state)
        return np.asarray(xy, dtype=float).reshape(-1, 2), states

    def waiting(self, t: float) -> dict[str, int]:
        """Clients waiting per skill at ``t``."""
        return {skill: _count(iv, t) for skill, iv in self.waits.items()}

    def open_tasks(self, t: float) -> int:
        """Back-office tasks open at ``t``."""
        return _count(self.tasks, t)


def _clock(t: float) -> str:
    day, rest = divmod(t, DAY)
    return f"Day {int(day) + 1} · {int(rest // HOUR):02d}:{int(rest % HOUR // 60):02d}"


@dataclass(frozen=True)
class Frames:
    """Which day to animate and how: frames per second of video, simulated seconds a frame."""

    day: int = 0
    """The day, 0-based."""
    fps: int = 12
    step: float = 60.0
    title: str = ""
    """Above the plan (default: the plan's name)."""


def animate_day(
    log: EventLog,
    floor: Floor,
    definition: Mapping[str, Any],
    path: Path,
    frames: Frames = Frames(),
) -> Path:
    """Render one day of a replication's event log to ``path`` (.gif or .mp4).

    ``definition`` is the scenario as plain data (``Scenario.echo()``): opening hours, and the
    staff roles' skills and desks (for where each queue is shown). One frame per
    ``frames.step`` simulated seconds, from opening until the last client has left (at most an
    hour after closing).
    """
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise OfficesimError.single(str(path), "", "the animation file must end in .gif or .mp4")
    if suffix == ".mp4" and shutil.which("ffmpeg") is None:
        raise OfficesimError.single(
            str(path), "", "MP4 needs ffmpeg on the PATH; install it or write a .gif instead"
        )
    from sim.units import parse_clock

    hours = definition["hours"]
    day, step = frames.day, frames.step
    t0 = day * DAY + parse_clock(hours["open"])
    close = day * DAY + parse_clock(hours["close"])
    replay = DayReplay(log, floor, t0, close + HOUR)
    last = max((c.end for c in replay.clients if c.start <= close), default=close)
    t1 = min(max(close, last), close + HOUR)
    times = np.arange(t0, t1 + step / 2, step)
    with chart_style():
        peak = max((replay.open_tasks(t) for t in times.tolist()), default=0)
        fig, artists = _stage(floor, definition, replay, frames.title, peak)
        images = _render(fig, artists, replay, times)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gif":
        _save_gif(images, path, frames.fps)
    else:
        _save_mp4(images, path, frames.fps)
    return path


def _stage(
    floor: Floor, definition: Mapping[str, Any], replay: DayReplay, title: str, peak: int
) -> tuple[Figure, dict[str, Any]]:
    minx, miny, maxx, maxy = floor.bounds
    aspect = (maxy - miny + 2) / max(maxx - minx, 1e-9)
    fig = Figure(figsize=(8.0, min(max(5.6 * aspect, 3.6), 7.0)))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.1, 0.7, 0.8))
    draw_floor(floor, ax, labels=True, point_labels=False, title=title or floor.name)
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    dots = ax.scatter([], [], s=28, zorder=20, edgecolors="white", linewidths=0.5)
    staff = definition.get("staff", {})
    queue_text = {}
    for skill, role in primary_roles(staff).items():
        desks = [d for d in staff[role].get("desks") or [] if d in replay.kinds]
        if desks and skill in replay.waits:
            x = sum(floor.point(d).point.x for d in desks) / len(desks)
            y = max(floor.point(d).point.y for d in desks)
            queue_text[skill] = ax.text(
                x,
                y + 0.5,
                "",
                ha="center",
                fontsize=8,
                fontweight="bold",
                zorder=21,
                color="#5A1E00",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": OKABE_ITO["vermillion"]},
            )
    clock = fig.text(0.75, 0.88, "", fontsize=14, fontweight="bold", family="monospace")
    side = fig.add_axes((0.82, 0.17, 0.14, 0.42))
    side.set_xlim(0, 1)
    side.set_ylim(0, max(peak, 1) * 1.1)
    side.set_xticks([])
    side.set_ylabel("Open back-office tasks (count)", fontsize=8)
    side.set_title("Back office", fontsize=9, loc="center")
    bar = side.bar([0.5], [0], width=0.6, color=OKABE_ITO["purple"])[0]
    counts = fig.text(0.75, 0.08, "", fontsize=8, family="monospace")
    for i, (state, colour) in enumerate(STATE_COLOURS.items()):
        fig.text(0.75, 0.81 - 0.045 * i, f"● {state}", color=colour, fontsize=9)
    if not replay.tasks:
        side.set_visible(False)
    fig.canvas.draw()
    artists = {
        "dots": dots,
        "queues": queue_text,
        "clock": clock,
        "bar": bar,
        "side": side,
        "counts": counts,
        "ax": ax,
        "background": fig.canvas.copy_from_bbox(fig.bbox),  # type: ignore[attr-defined]
    }
    return fig, artists


def _render(
    fig: Figure, a: dict[str, Any], replay: DayReplay, times: np.ndarray
) -> list[np.ndarray]:
    canvas = fig.canvas
    colours = {s: c for s, c in STATE_COLOURS.items()}
    frames = []
    for t in times.tolist():
        canvas.restore_region(a["background"])  # type: ignore[attr-defined]
        xy, states = replay.positions(t)
        a["dots"].set_offsets(xy if len(xy) else np.zeros((0, 2)))
        a["dots"].set_facecolors([colours[s] for s in states] or ["none"])
        a["ax"].draw_artist(a["dots"])
        waiting = replay.waiting(t)
        for skill, text in a["queues"].items():
            n = waiting.get(skill, 0)
            text.set_text(f"{n} waiting ({skill})" if n else "")
            a["ax"].draw_artist(text)
        a["clock"].set_text(_clock(t))
        fig.draw_artist(a["clock"])
        if a["side"].get_visible():
            n_open = replay.open_tasks(t)
            a["bar"].set_height(n_open)
            a["side"].draw_artist(a["bar"])
            a["counts"].set_text(f"clients inside: {len(states)}\nopen tasks: {n_open}")
        else:
            a["counts"].set_text(f"clients inside: {len(states)}")
        fig.draw_artist(a["counts"])
        frames.append(np.asarray(canvas.buffer_rgba())[..., :3].copy())  # type: ignore[attr-defined]
    return frames


def _palette(frames: list[np.ndarray]) -> Image.Image:
    """One palette for every frame: from the first, middle and last frames and the style colours."""
    width = frames[0].shape[1]
    swatch = np.zeros((4, width, 3), dtype=np.uint8)
    colours = [*OKABE_ITO.values(), "#5A1E00", "#FFFFFF", "#222222"]
    for i, hex_colour in enumerate(colours):
        rgb = [int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)]
        swatch[:, i * width // len(colours) : (i + 1) * width // len(colours)] = rgb
    source = np.vstack([frames[0], frames[len(frames) // 2], frames[-1], swatch])
    return Image.fromarray(source).quantize(colors=255, dither=Image.Dither.NONE)


def _save_gif(frames: list[np.ndarray], path: Path, fps: int) -> None:
    palette = _palette(frames)
    images = [
        Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames
    ]
    tmp = path.with_name(f".{path.name}.tmp")
    images[0].save(
        tmp,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=max(1, round(1000 / fps)),
        loop=0,
    )
    tmp.replace(path)


def _save_mp4(frames: list[np.ndarray], path: Path, fps: int) -> None:
    from matplotlib.animation import FFMpegWriter

    h, w = frames[0].shape[:2]
    fig = Figure(figsize=(w / 100, h / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    image = ax.imshow(frames[0])
    writer = FFMpegWriter(fps=fps, codec="libx264", extra_args=["-pix_fmt", "yuv420p"])
    with writer.saving(fig, str(path), dpi=100):
        for f in frames:
            image.set_data(f)
            writer.grab_frame()
