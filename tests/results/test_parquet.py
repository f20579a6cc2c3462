"""Parquet tables laid out without pandas: the same table and file as ``pa.table`` makes."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from sim.results.parquet import arrow_table, table_columns

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

VALUES = {
    "float": lambda r: r.choice([r.uniform(-1e6, 1e6), 0.1, -0.0, math.inf, math.nan, 1e-300]),
    "int": lambda r: r.choice([r.randint(-(10**12), 10**12), 0, -1, 2**53]),
    "bool": lambda r: r.random() < 0.5,
    "text": lambda r: r.choice(["", "a", "wait_mean_min", "Ünïcode ✓", "x" * r.randint(0, 40)]),
}


def _records(seed: int, rows: int) -> list[dict[str, object]]:
    """Records whose columns hold one kind, two kinds, missing cells or nothing at all."""
    r = random.Random(seed)
    columns = [
        [r.choice(list(VALUES))] if r.random() < 0.6 else r.sample(list(VALUES), 2)
        for _ in range(r.randint(1, 8))
    ]
    out = []
    for _ in range(rows):
        row: dict[str, object] = {}
        for j, kinds in enumerate(columns):
            if r.random() < 0.8:
                row[f"c{j}"] = None if r.random() < 0.15 else VALUES[r.choice(kinds)](r)
        out.append(row)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_tables_equal_pyarrows_own_and_files_are_identical(seed, tmp_path: Path):
    records = _records(seed, rows=seed % 7 * 9)
    expected = pa.table(table_columns(records))
    table = arrow_table(records)
    assert table.schema == expected.schema
    assert table.equals(expected) or _all_nan_equal(table, expected)
    pq.write_table(table, tmp_path / "ours.parquet")
    pq.write_table(expected, tmp_path / "theirs.parquet")
    assert (tmp_path / "ours.parquet").read_bytes() == (tmp_path / "theirs.parquet").read_bytes()


def _all_nan_equal(a, b) -> bool:
    """Equal up to NaN (Arrow's ``equals`` counts NaN as unequal to itself)."""
    return all(
        x == y
        or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
        for ca, cb in zip(a.columns, b.columns, strict=True)
        for x, y in zip(ca.to_pylist(), cb.to_pylist(), strict=True)
    )


def test_columns_of_other_kinds_go_through_pyarrow():
    records = [{"a": [1, 2], "b": 2**63 - 1}, {"a": None, "b": 1}]
    assert arrow_table(records).schema == pa.table(table_columns(records)).schema


def test_writing_kpis_parquet_does_not_import_pandas(tmp_path: Path):
    code = (
        "import sys; from pathlib import Path; from sim.results.workbook import write_parquet; "
        f"write_parquet(Path({str(tmp_path / 'k.parquet')!r}), "
        "[{'kpi': 'all.x', 'mean': 1.5, 'n': 3, 'ok': True}, {'kpi': 'y', 'mean': None}]); "
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert pq.read_table(tmp_path / "k.parquet").column("mean").to_pylist() == [1.5, None]
