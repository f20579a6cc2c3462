"""Module attributes imported on first use (sim.lazy)."""

from __future__ import annotations

import sys
import types

import pytest

from sim.lazy import lazy_exports


def test_attribute_imported_once_and_kept() -> None:
    namespace: dict[str, object] = {}
    getattr_ = lazy_exports("pkg", {"sqrt": "math"}, namespace)
    sqrt = getattr_("sqrt")
    assert sqrt(9.0) == 3.0
    assert namespace["sqrt"] is sqrt


def test_unknown_name_raises_attribute_error_naming_the_module() -> None:
    getattr_ = lazy_exports("pkg", {"sqrt": "math"}, {})
    with pytest.raises(AttributeError, match="module 'pkg' has no attribute 'cos'"):
        getattr_("cos")


def test_package_exports_resolve_without_importing_every_layer() -> None:
    module = types.ModuleType("probe")
    module.__getattr__ = lazy_exports("probe", {"load_floor": "sim.layout"}, vars(module))  # type: ignore[method-assign]
    assert module.load_floor is sys.modules["sim.layout"].load_floor
    assert "load_floor" in vars(module)
