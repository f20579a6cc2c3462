"""Work done beside this process: in a forked copy where one can be made, its errors raised here,
and done here when the copy dies without an answer or cannot be made."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sim.forked import Beside, Standby
from sim.results.workbook import workbook_sheets, write_workbook
from sim.workers import start_method
from tests.conftest import small_scenario

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh single-threaded interpreter: the test process may have threads (pytest-xdist),
# and then no copy is forked at all.
SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from sim.forked import Beside

    out = Path(sys.argv[1])
    me = os.getpid()

    def write(name):
        (out / name).write_text(str(os.getpid()))

    Beside(lambda: write("forked")).wait()

    def fail():
        raise ValueError("no room on the disk")

    try:
        Beside(fail).wait()
    except ValueError as exc:
        (out / "error").write_text(str(exc))

    def die_unless_here():
        if os.getpid() != me:
            os._exit(3)
        write("redone")

    Beside(die_unless_here).wait()
    print(me)
    """
)


@pytest.mark.skipif(start_method() != "fork", reason="copies are forked on Linux only")
def test_work_runs_in_a_copy_and_its_errors_and_deaths_come_back(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, check=True
    )
    me = done.stdout.strip()
    assert (tmp_path / "forked").read_text() != me  # written by the copy
    assert (tmp_path / "error").read_text() == "no room on the disk"
    assert (tmp_path / "redone").read_text() == me  # the copy died: done here


def test_without_a_copy_the_work_is_done_here(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("sim.forked.start_method", lambda: "spawn")
    target = tmp_path / "here"
    job = Beside(lambda: target.write_text("done"))
    assert not target.exists()  # not before wait()
    job.wait()
    assert target.read_text() == "done"
    with pytest.raises(KeyError):
        Beside(lambda: {}["missing"]).wait()


@pytest.mark.skipif(start_method() != "fork", reason="copies are forked on Linux only")
def test_analyst_tables_written_beside_are_those_written_here(tmp_path: Path):
    """kpis.xlsx from a forked copy (in a fresh process) has the cells of one written here."""
    openpyxl = pytest.importorskip("openpyxl")
    code = textwrap.dedent(
        """
        import json, sys
        from pathlib import Path
        from sim.experiment.api import run
        from sim.experiment.inputs import scenario_from_dict
        from sim.results.output import write_results

        sc = scenario_from_dict(json.loads(sys.argv[2]))
        write_results(run(sc), sc, Path(sys.argv[1]))
        """
    )
    beside = tmp_path / "beside"
    data = json.dumps(small_scenario())
    subprocess.run([sys.executable, "-c", code, str(beside), data], check=True, cwd=ROOT)
    doc = json.loads((beside / "results.json").read_text())
    here = tmp_path / "here.xlsx"
    write_workbook(here, workbook_sheets(doc, {"kpis.csv": (beside / "kpis.csv").read_text()}))
    a, b = openpyxl.load_workbook(beside / "kpis.xlsx"), openpyxl.load_workbook(here)
    assert a.sheetnames == b.sheetnames == ["Summary", "Per hour", "KPIs"]
    for name in a.sheetnames:
        cells_a = [[c.value for c in row] for row in a[name].iter_rows()]
        assert cells_a == [[c.value for c in row] for row in b[name].iter_rows()]
        assert len(cells_a) > 1


STANDBY_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from sim.forked import Standby

    me = os.getpid()

    def standby_job(what):
        if what == "fail":
            raise ValueError("the disk is full")
        if what == "die" and os.getpid() != me:
            os._exit(3)
        return os.getpid()

    ready = Standby(["json"])
    ready.start(standby_job, "pid")
    print(ready.result() != me)  # done by the copy
    failing = Standby([])
    failing.start(standby_job, "fail")
    try:
        failing.result()
    except ValueError as exc:
        print(exc)
    dying = Standby([])
    dying.start(standby_job, "die")
    print(dying.result() == me)  # the copy died without an answer: done here
    idle = Standby([])
    idle.close()  # given no job: ended at once
    print(idle._process is None)
    """
)


def standby_job(what: str) -> int:
    """A job for a standby copy: its process id, or an error."""
    if what == "fail":
        raise ValueError("the disk is full")
    return os.getpid()


@pytest.mark.skipif(start_method() != "fork", reason="copies are forked on Linux only")
def test_standby_does_its_job_in_a_copy_and_errors_and_deaths_come_back():
    done = subprocess.run(
        [sys.executable, "-c", STANDBY_SCRIPT], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split("\n")[:4] == ["True", "the disk is full", "True", "True"]


def test_standby_without_a_copy_does_its_job_here(monkeypatch):
    monkeypatch.setattr("sim.forked.start_method", lambda: "spawn")
    standby = Standby([])
    standby.start(standby_job, "pid")
    assert standby.result() == os.getpid()
    with pytest.raises(RuntimeError, match="one job"):
        standby.start(standby_job, "pid")


PREPARE_SCRIPT = textwrap.dedent(
    """
    import os
    from sim.forked import Standby

    me = os.getpid()
    ahead = []

    def prepare(waiting):
        ahead.append((os.getpid(), waiting()))

    def broken(waiting):
        raise OSError("no room")

    def job():
        return ahead

    ready = Standby(["json"], prepare)
    ready.start(job)
    [(pid, waiting)] = ready.result()
    print(pid != me, isinstance(waiting, bool))  # done in the copy, told if the job came
    failing = Standby([], broken)
    failing.start(job)
    print(failing.result() == [])  # a failed preparation: the job is done all the same
    """
)


@pytest.mark.skipif(start_method() != "fork", reason="copies are forked on Linux only")
def test_standby_prepares_in_the_copy_before_its_job_and_survives_a_failed_preparation():
    done = subprocess.run(
        [sys.executable, "-c", PREPARE_SCRIPT], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split("\n")[:2] == ["True True", "True"]
