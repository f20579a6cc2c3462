"""``officesim stack``: bad input exits 2 with one line naming the file and key, no traceback."""

from __future__ import annotations

from sim.cli.main import EXIT_INVALID, main
from tests.conftest import write_yaml
from tests.experiment_helpers import branch


def test_a_scenario_without_a_space_section_is_refused(tmp_path, capsys):
    path = write_yaml(tmp_path, branch(2))
    assert main(["stack", str(path), "-o", str(tmp_path / "out")]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert f"error: {path}: space: stack planning needs a space section" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_negative_value_of_walking_is_refused(tmp_path, capsys):
    path = write_yaml(tmp_path, branch(2))
    assert main(["stack", str(path), "--walk-value", "-1"]) == EXIT_INVALID
    assert "--walk-value" in capsys.readouterr().err
