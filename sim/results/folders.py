"""Output folders that never lose or mix results.

A command that writes results claims its output folder first, after its input is validated (so
a command refused for bad input creates nothing):

- a lock file beside the folder (``.NAME.lock``, through ``filelock``) keeps a second officesim
  command out until the first has finished;
- a folder holding results of *other* inputs (another scenario file, other ``--set`` overrides,
  another command) is not replaced unless the command is forced; a non-empty folder that holds
  no officesim results is never replaced, since replacing means deleting what is there;
- everything is written into a staging folder beside it (``.NAME.partial``), created fresh, so
  no file of an earlier run is left beside the new results and no symbolic link planted in the
  old folder is ever written through; :meth:`OutputFolder.commit` swaps the complete staging
  folder in for the old one, results and report together.

An interrupted command leaves the staging folder with its results store; ``--resume`` continues
from it (or, when there is none, from a copy of the store of the folder's last complete run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import OfficesimError

if TYPE_CHECKING:
    from filelock import BaseFileLock

INPUTS_FILE = ".officesim-inputs.json"
"""The record, inside an output folder, of the command and inputs whose results it holds."""
STORE_FILE = "store.sqlite"
REPORT_OUTPUTS = ("report.html", "report.pdf", "charts", "tables")
"""What ``officesim report`` renders again (everything else of a folder is kept)."""

_SAFE = re.compile(r"[^A-Za-z0-9._=+-]+")
MAX_NAME = 80


def safe_name(text: str, *, fallback: str = "scenario") -> str:
    """A file or folder name made from ``text``: letters, digits and ``. _ = + -`` only, no
    leading or trailing dot (so never ``.`` or ``..``, never hidden), at most 80 characters."""
    name = _SAFE.sub("_", text).strip("._")[:MAX_NAME].rstrip("._")
    return name or fallback


def overrides_suffix(overrides: Sequence[str]) -> str:
    """A short, readable folder-name suffix for ``--set`` overrides ('' when there are none).

    ``["staff.teller.count=2"]`` gives ``+staff.teller.count=2``; long lists give a short hash
    instead, so that runs with different overrides land in different folders by default.
    """
    if not overrides:
        return ""
    text = "+".join(overrides)
    if len(_SAFE.sub("_", text)) <= 40:
        return "+" + safe_name(text, fallback="set")
    import hashlib

    return "+set-" + hashlib.sha256("\n".join(overrides).encode()).hexdigest()[:8]


def default_folder(stem: str, overrides: Sequence[str] = (), *, kind: str = "") -> Path:
    """The default output folder ``reports/NAME``: a sanitised scenario name, the command
    (``-sweep``, ``-optimize``) and the overrides suffix."""
    name = safe_name(stem) + (f"-{kind}" if kind else "") + overrides_suffix(overrides)
    return Path("reports") / name


@dataclass(frozen=True)
class FolderInputs:
    """What an output folder's results are results of."""

    command: str
    scenarios: tuple[str, ...]
    overrides: tuple[str, ...] = ()

    @classmethod
    def of(cls, command: str, scenarios: Sequence[Path], overrides: Sequence[str]) -> FolderInputs:
        """The inputs of a command: scenario files by name (not by machine path)."""
        return cls(command, tuple(Path(s).name for s in scenarios), tuple(overrides))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the inputs file."""
        return {
            "command": self.command,
            "scenarios": list(self.scenarios),
            "overrides": list(self.overrides),
        }

    def describe(self) -> str:
        """The inputs as a command line a user recognises."""
        words = ["officesim", self.command, *self.scenarios]
        words += [f"--set {o}" for o in self.overrides]
        return " ".join(words)


def _recorded_inputs(folder: Path) -> FolderInputs | None:
    """The inputs recorded in ``folder`` (None when there is no readable record)."""
    try:
        data = json.loads((folder / INPUTS_FILE).read_text(encoding="utf-8"))
        return FolderInputs(
            str(data["command"]),
            tuple(str(s) for s in data["scenarios"]),
            tuple(str(o) for o in data["overrides"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_officesim_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in (INPUTS_FILE, "results.json", STORE_FILE))


def _check_replaceable(target: Path, shown: Path, inputs: FolderInputs | None, force: bool) -> None:
    """Refuse to replace a folder whose results are of other inputs (exit 2 with a message)."""
    if target.is_symlink():
        raise OfficesimError.single(
            str(shown), "", "is a symbolic link; give the folder it points to with -o"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise OfficesimError.single(str(shown), "", "is a file; expected a folder for the results")
    if not any(target.iterdir()):
        return
    if not _is_officesim_folder(target):
        raise OfficesimError.single(
            str(shown),
            "",
            "holds files that are not officesim results; officesim replaces its output folder "
            "as a whole, so choose a new or empty folder with -o",
        )
    if inputs is None or force:
        return
    recorded = _recorded_inputs(target)
    if recorded is None or recorded == inputs:
        return  # the same inputs, or a folder from a version that did not record them
    raise OfficesimError.single(
        str(shown),
        "",
        f"holds results of '{recorded.describe()}', not of '{inputs.describe()}'; choose "
        "another folder with -o, or add --force to replace them",
    )


def _fresh(folder: Path) -> None:
    """Make ``folder`` a new empty folder (removing whatever was there, links not followed)."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _remove(path: Path) -> None:
    """Remove a file, link or folder (links are removed, never followed)."""
    if path.is_symlink() or not path.is_dir():
        path.unlink()
    else:
        shutil.rmtree(path)


def _copy_regular_files(src: Path, dst: Path, *, skip: Sequence[str] = ()) -> None:
    """Copy the regular files of ``src`` into ``dst`` (symbolic links are never followed)."""
    for entry in os.scandir(src):
        if entry.name in skip or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            (dst / entry.name).mkdir()
            _copy_regular_files(Path(entry.path), dst / entry.name)
        elif entry.is_file(follow_symlinks=False):
            shutil.copy2(entry.path, dst / entry.name, follow_symlinks=False)


class OutputFolder:
    """An output folder claimed by this command: locked, written in staging, swapped in whole.

    Write into :attr:`path` (the staging folder); :meth:`commit` makes it the folder at
    :attr:`target`; :meth:`final` maps a path written in staging to where it ends up.
    """

    def __init__(self, target: Path, lock: BaseFileLock, *, shown: Path | None = None):
        self.target = target
        self.shown = shown or target
        """The folder as the user named it (for messages)."""
        self.path = target.parent / f".{target.name}.partial"
        self._old = target.parent / f".{target.name}.old"
        self._lock = lock

    def stage(self, *, resume: bool = False, keep_outputs: bool = False) -> None:
        """Prepare a fresh staging folder.

        Args:
            resume: keep the results store of an interrupted command (or copy the store of the
                folder's last complete run) so finished replications are not run again.
            keep_outputs: start from a copy of the folder (for rendering its report again).
        """
        interrupted = self.path / STORE_FILE
        if resume and interrupted.is_file() and not self.path.is_symlink():
            # Keep the store with its SQLite journal files (-wal, -shm): a killed command's last
            # committed replications may still be in the write-ahead log.
            for entry in list(self.path.iterdir()):
                if not entry.name.startswith(STORE_FILE):
                    _remove(entry)
            return
        _fresh(self.path)
        if keep_outputs and self.target.is_dir():
            _copy_regular_files(self.target, self.path, skip=REPORT_OUTPUTS)
        elif resume and (self.target / STORE_FILE).is_file():
            shutil.copy2(self.target / STORE_FILE, interrupted, follow_symlinks=False)

    def record(self, inputs: FolderInputs) -> None:
        """Write the inputs record into the staging folder."""
        text = json.dumps(inputs.to_dict(), indent=1) + "\n"
        (self.path / INPUTS_FILE).write_text(text, encoding="utf-8")

    def final(self, path: Path) -> Path:
        """Where a file written at ``path`` (in staging) is once committed."""
        try:
            return self.shown / path.relative_to(self.path)
        except ValueError:
            return path

    def commit(self) -> None:
        """Swap the staging folder in for the old folder (which is then deleted)."""
        if self._old.exists():
            shutil.rmtree(self._old)
        if self.target.exists():
            os.replace(self.target, self._old)
        os.replace(self.path, self.target)
        if self._old.exists():
            shutil.rmtree(self._old, ignore_errors=True)

    def release(self) -> None:
        """Give up the folder's lock."""
        _claimed.pop(self.target, None)
        self._lock.release()


_claimed: dict[Path, OutputFolder] = {}


def claim_output_folder(
    target: Path, inputs: FolderInputs | None = None, *, force: bool = False
) -> OutputFolder:
    """Lock ``target`` for this command and check it may be replaced (see the module's doc).

    ``inputs`` None (``officesim report``) keeps whatever the folder holds. The lock is held
    until :func:`release_output_folders`.
    """
    key = (
        target.resolve()
        if target.name in ("", ".", "..")
        else target.parent.resolve() / target.name
    )
    if key in _claimed:
        return _claimed[key]
    if key.exists() and not key.is_dir():  # refused before anything is created
        raise OfficesimError.single(str(target), "", "is a file; expected a folder for the results")
    key.parent.mkdir(parents=True, exist_ok=True)
    # filelock takes an OS lock (flock on POSIX, LockFileEx on Windows) that the OS releases
    # when the process dies, so a killed command never leaves the folder locked.
    from filelock import FileLock, Timeout

    lock = FileLock(key.parent / f".{key.name}.lock", timeout=0, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        raise OfficesimError.single(
            str(target),
            "",
            "another officesim command is writing to this folder; wait for it to finish or "
            "choose another output folder with -o",
        ) from None
    folder = OutputFolder(key, lock, shown=target)
    try:
        old = folder._old
        if not key.exists() and not key.is_symlink() and old.is_dir():
            os.replace(old, key)  # a swap interrupted between its two renames
        _check_replaceable(key, target, inputs, force)
    except BaseException:
        lock.release()
        raise
    _claimed[key] = folder
    return folder


def shown_path(text: str) -> str:
    """``text`` with any staging folder of a claimed output folder replaced by the folder the
    user named, so that messages speak of ``out/store.sqlite``, not ``.out.partial/...``."""
    for folder in _claimed.values():
        text = text.replace(str(folder.path), str(folder.shown))
    return text


def release_output_folders() -> None:
    """Release every output folder claimed in this process."""
    for folder in list(_claimed.values()):
        folder.release()
