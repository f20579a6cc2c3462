"""The report subcommands as the CLI registers them."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.cli.report import REPORT_COMMANDS, add_report_commands, add_report_options
from sim.errors import OfficesimError

from .conftest import tiny


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="officesim")
    sub = p.add_subparsers(dest="command", required=True)
    add_report_commands(sub)
    run = sub.add_parser("run")
    add_report_options(run)
    return p


def test_commands_registered():
    assert set(REPORT_COMMANDS) == {"animate", "report"}
    args = _parser().parse_args(["animate", "s.yaml", "-o", "d.gif", "--day", "2", "--fps", "5"])
    assert (args.day, args.fps, args.replication, args.step) == (2, 5, 0, 1.0)
    args = _parser().parse_args(["run", "--pdf", "--event-log"])
    assert args.pdf and args.event_log


def test_report_command_rerenders(compare_doc: dict[str, Any], tmp_path: Path, capsys):
    (tmp_path / "results.json").write_text(json.dumps(compare_doc), encoding="utf-8")
    args = _parser().parse_args(["report", str(tmp_path)])
    assert REPORT_COMMANDS["report"](args) == 0
    assert (tmp_path / "report.html").is_file()
    assert "report.html" in capsys.readouterr().out


def test_animate_without_layout_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(tiny()), encoding="utf-8")
    args = _parser().parse_args(["animate", str(path), "-o", str(tmp_path / "d.gif")])
    with pytest.raises(OfficesimError, match="no floor plan"):
        REPORT_COMMANDS["animate"](args)
