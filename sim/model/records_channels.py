"""What a replication with remote channels (phone, chat, e-mail) hands to the results layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelRecords:
    """The channel of every client class and the remote channels' backlog counts."""

    class_channels: tuple[str, ...]
    """Channel per client class, indexed like the client records' ``cls``."""
    at_close: dict[str, tuple[int, ...]]
    """Contacts open (waiting or being handled) at each measured day's closing, per channel."""
    open_at_end: dict[str, int]
    """Contacts still open when the run stopped, per remote channel."""
    email_due: float
    """Seconds within which an e-mail should be answered."""
