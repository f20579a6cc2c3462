"""Faults of the machine, not of the input: each a clear message and exit code 3, earlier results
left as they were.

A full disk and a read-only or forbidden folder are simulated by making the file-writing step
raise the ``OSError`` the operating system would (ENOSPC, EROFS, EACCES); a full disk under the
results store by SQLite's own error; a damaged store by cutting a real one short; an unreachable
Dask scheduler by a client that cannot connect. docs/errors.md documents exit code 3.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import sim.experiment.store
import sim.results.folders
import sim.results.output
from sim.cli.main import EXIT_INVALID, EXIT_OK, EXIT_RESOURCE, main
from tests.conftest import small_scenario, write_yaml


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture
def earlier_run(tmp_path: Path) -> tuple[Path, Path]:
    """A scenario and the output folder of a finished run of it."""
    data = small_scenario()
    data["replications"] = 2
    scenario = write_yaml(tmp_path, data)
    out = tmp_path / "out"
    assert main(["run", str(scenario), "-o", str(out), "-q", "-j", "1"]) == EXIT_OK
    return scenario, out


def _raiser(exc: BaseException) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fail


def _run(scenario: Path, out: Path, *extra: str) -> list[str]:
    return ["run", str(scenario), "-o", str(out), "-q", "-j", "1", *extra]


@pytest.mark.parametrize(
    ("code", "text", "words"),
    [
        (errno.ENOSPC, "No space left on device", "the disk is full"),
        (errno.EROFS, "Read-only file system", "the folder is on a read-only file system"),
        (errno.EACCES, "Permission denied", "permission denied"),
    ],
    ids=["disk full", "read-only folder", "permission denied"],
)
def test_a_write_that_the_system_refuses_is_a_message(
    earlier_run: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    text: str,
    words: str,
) -> None:
    scenario, out = earlier_run
    capsys.readouterr()
    target = out / "results.json"
    monkeypatch.setattr(
        sim.results.output, "atomic_write_text", _raiser(OSError(code, text, str(target)))
    )
    assert main(_run(scenario, out)) == EXIT_RESOURCE
    err = capsys.readouterr().err
    assert f"error: {target}: {text}; {words}" in err
    assert "-o" in err
    assert "Traceback" not in err and "internal error" not in err


def test_an_output_folder_that_cannot_be_created_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write_yaml(tmp_path, small_scenario())
    out = tmp_path / "out"
    monkeypatch.setattr(
        sim.results.folders,
        "_fresh",
        # The staging folder beside ``out`` is what the OS refuses; the message names ``out``.
        _raiser(OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".out.partial"))),
    )
    assert main(_run(scenario, out)) == EXIT_RESOURCE
    err = capsys.readouterr().err
    assert f"error: {out}: Read-only file system; the folder is on a read-only file system" in err


def test_a_full_disk_under_the_results_store_is_a_message(
    earlier_run: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario, out = earlier_run
    capsys.readouterr()
    monkeypatch.setattr(
        sim.experiment.store,
        "encode_result",
        _raiser(sqlite3.OperationalError("database or disk is full")),
    )
    before = _snapshot(out)
    assert main(_run(scenario, out, "--resume", "-n", "4")) == EXIT_RESOURCE
    err = capsys.readouterr().err
    assert f"error: {out / 'store.sqlite'}: results store cannot be used (database or" in err
    assert "free space on that disk" in err
    assert {k: v for k, v in _snapshot(out).items() if k != "store.sqlite"} == {
        k: v for k, v in before.items() if k != "store.sqlite"
    }


@pytest.mark.parametrize("keep", [0.5, 0.0], ids=["cut short", "emptied to junk"])
def test_a_damaged_store_on_resume_is_a_message(
    earlier_run: tuple[Path, Path], capsys: pytest.CaptureFixture[str], keep: float
) -> None:
    scenario, out = earlier_run
    capsys.readouterr()
    store = out / "store.sqlite"
    raw = store.read_bytes()
    damaged = raw[: int(len(raw) * keep)] if keep else b"not a database at all" * 50
    store.write_bytes(damaged)
    before = _snapshot(out)
    code = main(_run(scenario, out, "--resume"))
    err = capsys.readouterr().err
    assert code == EXIT_RESOURCE, err
    assert f"error: {store}: results store cannot be used (" in err
    assert "without --resume" in err
    assert "Traceback" not in err and "internal error" not in err
    assert _snapshot(out) == before


def test_a_bogus_dask_address_is_bad_input(
    earlier_run: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("dask.distributed")
    scenario, out = earlier_run
    capsys.readouterr()
    before = _snapshot(out)
    assert main(_run(scenario, out, "--dask", "bogus")) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "--dask 'bogus' is not a scheduler address" in err
    assert "tcp://host:port or 'local'" in err
    assert _snapshot(out) == before


def test_an_unreachable_scheduler_leaves_the_earlier_store_intact(
    earlier_run: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    scenario, out = earlier_run
    capsys.readouterr()
    monkeypatch.setattr(
        distributed,
        "Client",
        _raiser(OSError("Timed out trying to connect to tcp://10.0.0.9:8786 after 15 s")),
    )
    before = _snapshot(out)
    assert main(_run(scenario, out, "--dask", "tcp://10.0.0.9:8786")) == EXIT_RESOURCE
    err = capsys.readouterr().err
    assert "could not reach the Dask scheduler at 'tcp://10.0.0.9:8786'" in err
    assert _snapshot(out) == before
