"""Module attributes imported on first use, so that importing a package stays cheap.

``sim`` exports its whole API without importing the layers behind it, and
``sim.experiment.api`` keeps ``compare``, ``sweep`` and ``optimize`` (and what they import)
out of a plain ``run``: each module lists which attribute lives where and lets
:func:`lazy_exports` build its module ``__getattr__`` (PEP 562).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any


def lazy_exports(
    owner: str, sources: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from ``sources[name]`` on first use.

    ``owner`` is the module's own name (for the error), ``sources`` a fixed table of the
    module's code, never user text. The value is kept in ``namespace`` (the module's globals),
    so the import happens once and later lookups do not reach ``__getattr__`` again. Other
    names raise AttributeError.
    """

    def __getattr__(name: str) -> Any:
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {owner!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
