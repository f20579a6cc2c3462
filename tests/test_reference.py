"""docs/reference.md is what tools/gen_reference.py makes of the current scenario schema.

If this fails, the schema changed: regenerate with ``python tools/gen_reference.py >
docs/reference.md`` (the generator refuses keys without a description or an example).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from sim.scenario.distributions import DIST_NAMES
from sim.scenario.it import PRESETS
from sim.scenario.schema import scenario_json_schema

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "tools" / "gen_reference.py"
REFERENCE = ROOT / "docs" / "reference.md"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reference", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_is_up_to_date() -> None:
    expected = generator().render()
    current = REFERENCE.read_text(encoding="utf-8")
    assert current == expected, (
        "docs/reference.md is out of date; run: python tools/gen_reference.py > docs/reference.md"
    )


def test_check_flag_agrees() -> None:
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_reference_names_every_key_distribution_and_preset() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    schema = scenario_json_schema()
    for key in schema["properties"]:
        assert f"| `{key}` |" in text, key
    for path in (
        "client_classes.<name>.arrivals.rate",
        "staff.<name>.shifts[].start",
        "back_office.tasks.<name>.steps[].rework.to",
        "it.monthly_cost",
        "zoning.noise.exposure_distance",
    ):
        assert f"| `{path}` |" in text, path
    for kind in DIST_NAMES:
        assert f"| `{kind}` |" in text, kind
    for key in PRESETS["manual"]:
        assert f"| `{key}` |" in text, key
