"""Scenarios built in code for the experiment-layer tests (compare, sweep, optimize, store)."""

from __future__ import annotations

from typing import Any


def branch(tellers: int = 3, **extra: Any) -> dict[str, Any]:
    """A morning at a branch: 36 clients an hour, 5-minute services, impatient clients."""
    data: dict[str, Any] = {
        "name": f"branch-{tellers}",
        "days": 1,
        "replications": 12,
        "seed": 3,
        "hours": {"open": "09:00", "close": "13:00"},
        "client_classes": {
            "walk_in": {
                "skill": "general",
                "arrivals": {"rate": 36},
                "service": {"dist": "exponential", "mean": "5 min"},
                "patience": {"dist": "exponential", "mean": "20 min"},
            }
        },
        "staff": {"teller": {"count": tellers, "skills": ["general"], "cost_per_hour": 30}},
        "targets": {"wait": "10 min", "service_level": 0.8, "max_abandonment": 0.05},
    }
    data.update(extra)
    return data


def mmc(c: int = 1, **extra: Any) -> dict[str, Any]:
    """An M/M/c office open 24 hours: 30 clients an hour, 6-minute exponential services."""
    data: dict[str, Any] = {
        "name": "mmc",
        "days": 3,
        "warmup_days": 1,
        "replications": 8,
        "seed": 11,
        "hours": {"open": "00:00", "close": "24:00"},
        "client_classes": {
            "c": {
                "skill": "s",
                "arrivals": {"rate": 30},
                "service": {"dist": "exponential", "mean": "6 min"},
            }
        },
        "staff": {"srv": {"count": c, "skills": ["s"], "cost_per_hour": 20}},
        "targets": {"wait": "2 min", "service_level": 0.8, "max_abandonment": None},
    }
    data.update(extra)
    return data


LUNCH_RATES = [8, 10, 12, 18, 30, 30, 16, 10, 8]


def lunch(**extra: Any) -> dict[str, Any]:
    """08:00-17:00 with a lunch peak and candidate shifts (count 0 = candidate only)."""
    data: dict[str, Any] = {
        "name": "lunch",
        "days": 2,
        "replications": 10,
        "seed": 5,
        "hours": {"open": "08:00", "close": "17:00"},
        "client_classes": {
            "walk_in": {
                "skill": "general",
                "arrivals": {"rate": LUNCH_RATES},
                "service": {"dist": "exponential", "mean": "8 min"},
                "patience": {"dist": "exponential", "mean": "20 min"},
            }
        },
        "staff": {
            "teller": {
                "skills": ["general"],
                "cost_per_hour": 25,
                "shifts": [
                    {"start": "08:00", "end": "17:00", "count": 1},
                    {"start": "08:00", "end": "12:00", "count": 0},
                    {"start": "11:00", "end": "15:00", "count": 0},
                    {"start": "13:00", "end": "17:00", "count": 0},
                ],
            }
        },
        "targets": {"wait": "10 min", "service_level": 0.8, "max_abandonment": 0.05},
    }
    data.update(extra)
    return data
