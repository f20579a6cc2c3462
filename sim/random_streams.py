"""Named random streams: one numpy Generator per (replication, purpose), derived from the seed.

Streams are keyed by name rather than by creation order, so adding a stream, reordering code or
changing staffing never shifts another stream's numbers (common random numbers across options),
and results do not depend on which process or machine runs a replication.
"""

from __future__ import annotations

import zlib

import numpy as np


def purpose_key(purpose: str) -> int:
    """A stable 32-bit key for a stream name (CRC-32; identical on every platform and run)."""
    return zlib.crc32(purpose.encode("utf-8"))


class Streams:
    """The random streams of one replication, created on first use and cached by name."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication
        self._cache: dict[str, np.random.Generator] = {}

    def __call__(self, purpose: str) -> np.random.Generator:
        """The generator for ``purpose`` (e.g. ``"arrivals:teller"``)."""
        rng = self._cache.get(purpose)
        if rng is None:
            seq = np.random.SeedSequence(
                self.seed, spawn_key=(self.replication, purpose_key(purpose))
            )
            rng = self._cache[purpose] = np.random.Generator(np.random.PCG64(seq))
        return rng
