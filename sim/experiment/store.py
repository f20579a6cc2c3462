"""An embedded SQLite store of finished replications, so that a long experiment loses nothing.

Every replication is committed in its own transaction the moment it finishes (write-ahead log,
full sync), keyed by the fingerprint of the scenario it belongs to and its replication number.
A run interrupted in any way (Ctrl-C, ``kill -9``, power loss) and restarted with ``resume``
finds the replications already stored and runs only the missing ones; because replication *i*
of a scenario always draws from the streams of (seed, *i*), the final results are identical.

Tables: ``meta`` (key/value: store format), ``runs`` (one row per invocation), ``scenarios``
(fingerprint → definition) and ``replications`` (fingerprint, replication, run id, result JSON).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sim.errors import Problem, ResourceError
from sim.results.summary import ReplicationResult
from sim.scenario.spec import Scenario
from sim.version import __version__

STORE_FILE = "store.sqlite"
STORE_FORMAT = 1
FINGERPRINT_EXCLUDES = ("name", "description", "replications", "variants")
"""Scenario keys that do not change what a replication computes."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_utc TEXT NOT NULL,
    resumed INTEGER NOT NULL,
    command TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS scenarios (
    fingerprint TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS replications (
    fingerprint TEXT NOT NULL,
    replication INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    finished_utc TEXT NOT NULL,
    wall_time REAL NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (fingerprint, replication)
);
"""


def fingerprint(scenario: Scenario) -> str:
    """A stable hash of everything that determines a replication's outcome.

    The scenario definition (less its name, description, replication count and sweep
    variants), the bytes of its layout file if any, and the officesim version.
    """
    definition = {k: v for k, v in scenario.echo().items() if k not in FINGERPRINT_EXCLUDES}
    layout_hash = None
    if scenario.layout is not None and Path(scenario.layout).is_file():
        layout_hash = hashlib.sha256(Path(scenario.layout).read_bytes()).hexdigest()
    payload = {"officesim": __version__, "scenario": definition, "layout_sha256": layout_hash}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def encode_result(result: ReplicationResult) -> str:
    """A lossless JSON text of a replication (floats round-trip exactly, NaN kept)."""
    return json.dumps(
        {
            "kpis": result.kpis,
            "hourly": result.hourly,
            "checks": result.checks,
            "traffic": result.traffic,
        },
        separators=(",", ":"),
    )


def decode_result(replication: int, wall_time: float, text: str) -> ReplicationResult:
    """The ``ReplicationResult`` stored by :func:`encode_result`."""
    data = json.loads(text)
    return ReplicationResult(
        replication=replication,
        kpis={k: float(v) for k, v in data["kpis"].items()},
        hourly={k: [float(x) for x in v] for k, v in data["hourly"].items()},
        checks={k: float(v) for k, v in data["checks"].items()},
        wall_time=wall_time,
        traffic={k: float(v) for k, v in data.get("traffic", {}).items()},
    )


def store_error(path: Path | None, exc: sqlite3.Error, *, resume: bool = False) -> ResourceError:
    """A clear message for a store that SQLite cannot use: full disk, read-only or damaged."""
    where = str(path) if path is not None else "<results store>"
    text = str(exc)
    if "full" in text:
        advice = "free space on that disk, or write to another folder with -o"
    elif "readonly" in text or "read-only" in text or "permission" in text.lower():
        advice = "the folder is not writable: choose another folder with -o"
    elif resume:
        advice = (
            "the store is damaged (perhaps cut short); run again without --resume to start "
            "afresh (it replaces the damaged store)"
        )
    else:
        advice = "delete the file and run again"
    return ResourceError([Problem(where, "", f"results store cannot be used ({text}); {advice}")])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class ResultStore:
    """Finished replications in one SQLite file (or in memory when ``path`` is None).

    Only the process that owns the store writes to it; workers hand their results back.
    Opening without ``resume`` starts from an empty store, discarding an earlier one.
    """

    def __init__(
        self, path: Path | None = None, *, resume: bool = False, command: Sequence[str] = ()
    ):
        self.path = path
        try:
            self._open(path, resume, command)
        except sqlite3.Error as exc:
            self._abandon()
            raise store_error(path, exc, resume=resume) from None
        except BaseException:
            self._abandon()
            raise

    def _abandon(self) -> None:
        """Close a store that failed to open, leaving its file as it was."""
        db = getattr(self, "_db", None)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def _open(self, path: Path | None, resume: bool, command: Sequence[str]) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not resume:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        self._db = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None)
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(_SCHEMA)
        with self._transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(STORE_FORMAT),)
            )
        found = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()[0]
        if int(found) != STORE_FORMAT:
            raise ResourceError.single(
                str(path),
                "",
                f"results store of format {found}, expected {STORE_FORMAT}: written by another "
                "officesim version; run without --resume to start afresh",
            )
        with self._transaction():
            cur = self._db.execute(
                "INSERT INTO runs (started_utc, resumed, command) VALUES (?, ?, ?)",
                (_now(), int(resume), json.dumps(list(command))),
            )
        self.run_id = int(cur.lastrowid or 0)
        self._known: set[str] = set()

    @classmethod
    def in_folder(
        cls, folder: Path, *, resume: bool = False, command: Sequence[str] = ()
    ) -> ResultStore:
        """The store file ``store.sqlite`` of an output folder."""
        return cls(folder / STORE_FILE, resume=resume, command=command)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None

    def register(self, fp: str, scenario: Scenario) -> None:
        """Record the definition behind a fingerprint (once)."""
        if fp in self._known:
            return
        with self._transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO scenarios VALUES (?, ?)",
                (fp, json.dumps(scenario.echo(), sort_keys=True, default=str)),
            )
        self._known.add(fp)

    def add(self, fp: str, result: ReplicationResult) -> None:
        """Commit one finished replication (its own transaction, durable on return)."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO replications VALUES (?, ?, ?, ?, ?, ?)",
                (
                    fp,
                    result.replication,
                    self.run_id,
                    _now(),
                    float(result.wall_time),
                    encode_result(result),
                ),
            )

    def done(self, fp: str) -> set[int]:
        """Replication numbers already stored for a fingerprint."""
        try:
            rows = self._db.execute(
                "SELECT replication FROM replications WHERE fingerprint=?", (fp,)
            ).fetchall()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None
        return {int(r[0]) for r in rows}

    def load(self, fp: str, replications: Iterable[int]) -> list[ReplicationResult]:
        """The stored replications with the given numbers, in replication order.

        Raises ``KeyError`` naming the first one missing.
        """
        wanted = sorted(set(replications))
        out = []
        for i in wanted:
            try:
                row = self._db.execute(
                    "SELECT wall_time, result FROM replications "
                    "WHERE fingerprint=? AND replication=?",
                    (fp, i),
                ).fetchone()
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from None
            if row is None:
                raise KeyError(f"replication {i} of {fp} is not in the store")
            out.append(decode_result(i, float(row[0]), row[1]))
        return out

    def values(self, fp: str, kpi: str, n: int) -> list[float]:
        """One KPI over replications 0..n-1 (NaN where undefined)."""
        return [r.kpis.get(kpi, math.nan) for r in self.load(fp, range(n))]

    def count(self, run_id: int | None = None) -> int:
        """Stored replications, all or those committed by one run."""
        if run_id is None:
            return int(self._db.execute("SELECT COUNT(*) FROM replications").fetchone()[0])
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM replications WHERE run_id=?", (run_id,)
            ).fetchone()[0]
        )

    def runs(self) -> Iterator[dict[str, Any]]:
        """Every invocation that used this store, oldest first, with its replication count."""
        rows = self._db.execute(
            "SELECT r.id, r.started_utc, r.resumed, r.command, "
            "(SELECT COUNT(*) FROM replications p WHERE p.run_id = r.id) "
            "FROM runs r ORDER BY r.id"
        ).fetchall()
        for rid, started, resumed, command, n in rows:
            yield {
                "id": rid,
                "started_utc": started,
                "resumed": bool(resumed),
                "command": json.loads(command),
                "replications": n,
            }

    def close(self) -> None:
        """Checkpoint the log into the database file and close it."""
        try:
            if self.path is not None:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None
        finally:
            self._db.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()
