"""Reading the office's own logs: queue tickets, call records and back-office task steps.

An input format like the scenario and layout readers: it depends only on ``sim.units`` and
``sim.errors``, and hands plain records to ``sim.calibrate``.
"""

from sim.logs.presets import FORMATS, LogFormat
from sim.logs.read import ReadOptions, log_format, read_contacts, read_tasks
from sim.logs.records import ContactLog, Dropped, TaskLog, day_type_of

__all__ = [
    "FORMATS",
    "ContactLog",
    "Dropped",
    "LogFormat",
    "ReadOptions",
    "TaskLog",
    "day_type_of",
    "log_format",
    "read_contacts",
    "read_tasks",
]
