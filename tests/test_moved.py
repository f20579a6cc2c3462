"""Old flat module paths keep working for one release, with a deprecation warning."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys

import pytest

from sim.moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_every_old_path_names_an_existing_module(old: str) -> None:
    assert importlib.util.find_spec(MOVED[old]) is not None, MOVED[old]


def test_an_old_path_gives_the_moved_module_with_a_warning() -> None:
    code = (
        "import warnings\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "try:\n"
        "    from sim.loading import apply_overrides\n"
        "except DeprecationWarning as w:\n"
        "    print('warned:', w)\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"
        "from sim.loading import apply_overrides\n"
        "import sim.scenario.loading as new, sim.kpis as old_kpis, sim.results.kpis as kpis\n"
        "print(apply_overrides is new.apply_overrides, old_kpis is kpis)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "warned: sim.loading moved to sim.scenario.loading" in done.stdout
    assert done.stdout.strip().endswith("True True")


def test_new_paths_do_not_warn() -> None:
    code = (
        "import warnings\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "import sim.scenario.loading, sim.results.kpis, sim.experiment.api\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_path_that_never_existed_is_still_an_import_error() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("sim.no_such_module")
