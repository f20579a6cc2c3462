"""A calibration as a plain JSON-ready document (``calibration.json``), which the report renders.

Schema ``officesim/calibration`` version 1: the log read and what was dropped, the arrival
profile of every day type, and per group the arrival rates, service and patience fits (with QQ
and survival points), observed staffing and appointments. A validation adds its own part.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from sim.calibrate.arrivals import ArrivalFit
from sim.calibrate.fit import Calibration
from sim.calibrate.mle import Fit
from sim.calibrate.patience import PatienceFit
from sim.calibrate.service import ServiceFit
from sim.calibrate.staffing import ObservedStaffing

SCHEMA = "officesim/calibration"
VERSION = 1
MAX_CURVE_POINTS = 400


def clean(value: Any) -> Any:
    """NaN and infinities become None, numpy scalars plain numbers, tuples lists."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fit_record(fit: Fit) -> dict[str, Any]:
    """One fitted family."""
    return {
        "family": fit.family,
        "params": list(fit.params),
        "loglik": fit.loglik,
        "aic": fit.aic,
        "mean_s": fit.mean,
        "sd_s": fit.sd,
        "mean_ci_s": list(fit.mean_ci),
        "sd_ci_s": list(fit.sd_ci),
        "ks": fit.ks,
    }


def arrivals_record(fit: ArrivalFit) -> dict[str, Any]:
    """Rates per interval with their CIs, and the Poisson tests."""
    return {
        "day_type": fit.day_type,
        "dates": [d.isoformat() for d in fit.dates],
        "intervals": [{k: v for k, v in asdict(r).items() if k != "daily"} for r in fit.intervals],
        "daily_totals": fit.daily_totals(),
        "dispersion": asdict(fit.dispersion),
        "uniform": asdict(fit.uniform),
    }


def service_record(fit: ServiceFit) -> dict[str, Any]:
    """Service fits (all services and the body without the short spike) and QQ points."""
    return {
        "n": fit.n,
        "mean_s": fit.mean,
        "sd_s": fit.sd,
        "mean_ci_s": list(fit.mean_ci),
        "short_share": fit.short_share,
        "fits": [fit_record(f) for f in fit.fits],
        "body_fits": [fit_record(f) for f in fit.body],
        "qq": {"fitted_s": list(fit.qq[0]), "observed_s": list(fit.qq[1])},
    }


def _thin(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, MAX_CURVE_POINTS)).astype(int))


def patience_record(fit: PatienceFit) -> dict[str, Any]:
    """Kaplan-Meier points (thinned), censored fits, naive fit and hazard."""
    keep = _thin(len(fit.km.t))
    pick = lambda xs: [xs[i] for i in keep]  # noqa: E731
    return {
        "n": fit.n,
        "abandoned": fit.abandoned,
        "km": {
            "t_s": pick(fit.km.t),
            "sf": pick(fit.km.sf),
            "low": pick(fit.km.low),
            "high": pick(fit.km.high),
        },
        "fits": [fit_record(f) for f in fit.fits],
        "naive": fit_record(fit.naive),
        "hazard": [{"from_s": a, "per_min": r, "events": n} for a, r, n in fit.hazard],
    }


def staffing_record(s: ObservedStaffing) -> dict[str, Any]:
    """Mean agents and occupancy per interval."""
    return {
        "method": s.method,
        "day_type": s.day_type,
        "dates": [d.isoformat() for d in s.dates],
        "starts_s": list(s.starts),
        "length_s": s.length,
        "mean_agents": s.mean_agents().tolist(),
        "occupancy": s.occupancy().tolist(),
    }


def calibration_document(cal: Calibration, scenario_file: Path | None = None) -> dict[str, Any]:
    """The whole calibration as plain data."""
    log = cal.log
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "source": log.source,
        "format": log.fmt,
        "rows_read": log.rows_read,
        "records_fitted": len(log),
        "dropped": [
            {"reason": r, "count": n, "first_line": ln} for r, n, ln in log.dropped.as_rows()
        ],
        "day_type": cal.day_type,
        "window_s": list(cal.window),
        "fitted_dates": [d.isoformat() for d in cal.dates],
        "before": cal.options.before.isoformat() if cal.options.before else None,
        "interval_s": cal.options.interval,
        "target_wait_s": cal.options.target_wait,
        "scenario_file": str(scenario_file) if scenario_file else None,
        "profile": {t: arrivals_record(f) for t, f in cal.profile.items()},
        "groups": {
            g: {
                "arrivals": arrivals_record(cal.arrivals[g]),
                "service": service_record(cal.service[g]),
                "patience": patience_record(cal.patience[g]),
                "appointments": asdict(cal.appointments[g]) if g in cal.appointments else None,
            }
            for g in cal.groups
        },
        "staffing": staffing_record(cal.staffing),
    }
    return clean(doc)
