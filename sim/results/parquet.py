"""Parquet files of plain records (``kpis.parquet``, the report's tables), without pandas.

pyarrow's ``pa.array`` and ``pa.table`` look at their input for pandas objects, and so import
pandas (about a second) whenever it is installed, even for a list of floats. The columns written
here hold only text, whole numbers, floats, booleans and missing values, so each is laid out
directly as Arrow buffers (a validity bitmap and the values, ``pa.Array.from_buffers``): the
same types and values ``pa.table`` infers, and so the same file, byte for byte. A column holding
anything else goes through ``pa.array``, as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import numpy as np

INT64 = (-(2**63), 2**63 - 1)
STRING_BYTES = 2**31 - 1
"""Most bytes of text an Arrow ``string`` column (32-bit offsets) holds."""

Row = dict[str, Any]


def column_names(records: Sequence[Row]) -> list[str]:
    """Every key of the records, in order of first appearance."""
    cols: list[str] = []
    for r in records:
        cols.extend(k for k in r if k not in cols)
    return cols


def table_columns(rows: Sequence[Row]) -> dict[str, list[Any]]:
    """Column name → values; a column mixing kinds (other than whole and decimal numbers)
    becomes text, since a Parquet column has one type."""
    data: dict[str, list[Any]] = {c: [r.get(c) for r in rows] for c in column_names(rows)}
    for col, values in data.items():
        kinds = {type(v) for v in values if v is not None}
        if len(kinds) > 1 and not kinds <= {int, float}:
            data[col] = [None if v is None else str(v) for v in values]
    return data


def _bits(flags: Sequence[bool]) -> bytes:
    """Booleans packed as an Arrow bitmap (least significant bit first)."""
    return np.packbits(np.asarray(flags, dtype=bool), bitorder="little").tobytes()


def _validity(pa: Any, values: Sequence[Any]) -> Any:
    """The validity bitmap of ``values`` (None when none is missing, as pyarrow leaves it)."""
    present = [v is not None for v in values]
    return None if all(present) else pa.py_buffer(_bits(present))


def _numbers(pa: Any, values: Sequence[Any], kinds: set[type]) -> Any:
    """An int64 column of whole numbers, else a float64 column; None when out of range."""
    if kinds == {int}:
        low, high = INT64
        if any(v is not None and not low <= v <= high for v in values):
            return None
        data = np.array([0 if v is None else v for v in values], dtype=np.int64)
        return pa.Array.from_buffers(
            pa.int64(), len(values), [_validity(pa, values), pa.py_buffer(data.tobytes())]
        )
    if any(type(v) is int and abs(v) > 2**53 for v in values):
        return None  # pyarrow's own conversion decides how such a number is rounded
    data = np.array([0.0 if v is None else float(v) for v in values], dtype=np.float64)
    return pa.Array.from_buffers(
        pa.float64(), len(values), [_validity(pa, values), pa.py_buffer(data.tobytes())]
    )


def _texts(pa: Any, values: Sequence[Any]) -> Any:
    """A UTF-8 ``string`` column; None when it is too long for 32-bit offsets."""
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    if offsets[-1] > STRING_BYTES:
        return None
    buffers = [
        _validity(pa, values),
        pa.py_buffer(offsets.astype(np.int32).tobytes()),
        pa.py_buffer(b"".join(encoded)),
    ]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


def arrow_column(pa: Any, values: Sequence[Any]) -> Any:
    """``values`` as the Arrow array ``pa.array(values)`` gives, without importing pandas for
    text, numbers, booleans and None (anything else is left to ``pa.array``)."""
    kinds = {type(v) for v in values if v is not None}
    column = None
    if not kinds:
        column = pa.nulls(len(values))
    elif kinds == {bool}:
        bits = pa.py_buffer(_bits([bool(v) for v in values]))
        column = pa.Array.from_buffers(pa.bool_(), len(values), [_validity(pa, values), bits])
    elif kinds <= {int, float}:
        column = _numbers(pa, values, kinds)
    elif kinds == {str}:
        column = _texts(pa, values)
    return pa.array(values) if column is None else column


def arrow_table(rows: Sequence[Row]) -> Any:
    """The records as a ``pyarrow.Table`` (equal to ``pa.table`` of :func:`table_columns`)."""
    pa = importlib.import_module("pyarrow")
    data = table_columns(rows)
    return pa.Table.from_arrays([arrow_column(pa, v) for v in data.values()], names=list(data))
