"""Spelling hints for names a user typed: one rule for every "did you mean" in officesim."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Least similarity (difflib's ratio) for a known name to be offered as the intended one. A
# short id differs in a larger share of its characters for a one-letter slip ('T4' for 'T1'
# is 0.5), so names of up to SHORT characters get the lower cut-off.
CUTOFF = 0.6
SHORT_CUTOFF = 0.5
SHORT = 3


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known name most like ``word``, if one is close enough to be a likely typo."""
    cutoff = SHORT_CUTOFF if len(word) <= SHORT else CUTOFF
    found = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` when a known name is close to ``word``, else ``""``."""
    match = closest(word, choices)
    return f"; did you mean '{match}'?" if match is not None and match != word else ""
