"""officesim: discrete-event simulation of office front- and back-office operations."""

__version__ = "0.1.0"
