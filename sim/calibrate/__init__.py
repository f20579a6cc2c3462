"""Calibration: fit a scenario's numbers to the office's own logs (``sim.logs`` records).

Arrivals as a non-homogeneous Poisson process, service times by maximum likelihood and AIC,
patience from censored waits, staffing as observed, appointments and back-office steps; and the
calibrated scenario written with a provenance comment on every number. Depends only on
``sim.units``, ``sim.errors``, ``sim.logs`` and scipy.
"""

from sim.calibrate.appointments import AppointmentFit, fit_appointments
from sim.calibrate.arrivals import ArrivalFit, IntervalRate, PoissonTest, fit_arrivals
from sim.calibrate.backoffice import StepFit, TaskTypeFit, fit_tasks
from sim.calibrate.fit import CalibrateOptions, Calibration, calibrate_contacts
from sim.calibrate.mle import Fit, Sample, fit_best, fit_family
from sim.calibrate.patience import PatienceFit, fit_patience
from sim.calibrate.service import ServiceFit, fit_service
from sim.calibrate.staffing import ObservedStaffing, observe_staffing, stacked_shifts
from sim.calibrate.writer import scenario_yaml

__all__ = [
    "AppointmentFit",
    "ArrivalFit",
    "CalibrateOptions",
    "Calibration",
    "Fit",
    "IntervalRate",
    "ObservedStaffing",
    "PatienceFit",
    "PoissonTest",
    "Sample",
    "ServiceFit",
    "StepFit",
    "TaskTypeFit",
    "calibrate_contacts",
    "fit_appointments",
    "fit_arrivals",
    "fit_best",
    "fit_family",
    "fit_patience",
    "fit_service",
    "fit_tasks",
    "observe_staffing",
    "scenario_yaml",
    "stacked_shifts",
]
