"""Reading plan files safely: text decoding, JSON/YAML parsing and typed property access.

Every failure becomes a located ``Problem`` so a malformed file never surfaces as a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import yaml
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from sim.errors import LayoutError, Problem
from sim.limits import PLAN_BYTES
from sim.safe_read import TooLarge, load_json_bounded, load_yaml_bounded, read_file_limited


def read_text(path: Path) -> str:
    """The file's text, or ``LayoutError`` for a missing, empty, binary or undecodable file."""
    source = str(path)
    if path.is_dir():
        raise LayoutError.single(source, "", "is a folder; expected a plan file")
    try:
        data = read_file_limited(path, PLAN_BYTES)
    except TooLarge as exc:
        raise LayoutError.single(source, "", f"file {exc.message}") from None
    except FileNotFoundError:
        raise LayoutError.single(source, "", "file not found") from None
    except OSError as exc:
        raise LayoutError.single(source, "", f"cannot read file: {exc.strerror}") from None
    if not data.strip():
        raise LayoutError.single(source, "", "file is empty")
    if b"\x00" in data[:4096]:
        raise LayoutError.single(source, "", "file is binary, expected a text plan")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LayoutError.single(
            source, "", f"file is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None


def parse_json(text: str, source: str) -> object:
    """Parse JSON, reporting the line and column of a syntax error."""
    try:
        return load_json_bounded(text)
    except TooLarge as exc:
        raise LayoutError.single(source, "", exc.message) from None
    except json.JSONDecodeError as exc:
        raise LayoutError.single(
            source, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}"
        ) from None


def parse_yaml(text: str, source: str) -> object:
    """Parse YAML, reporting the line of a syntax error."""
    try:
        return load_yaml_bounded(text)
    except TooLarge as exc:
        raise LayoutError.single(source, exc.where, exc.message) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LayoutError.single(source, where, f"invalid YAML: {problem}") from None


def number(value: object) -> float | None:
    """A finite float from a JSON/YAML number, or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def xy(value: object) -> tuple[float, float] | None:
    """An ``[x, y]`` pair of finite numbers, or None."""
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        return None
    x, y = number(value[0]), number(value[1])
    if x is None or y is None:
        return None
    return (x, y)


def geometry_from(value: object) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry object.

    Raises ``ValueError`` (with a message for the user) when it is malformed; shapely accepts
    NaN and infinite coordinates, which ``assemble_floor`` refuses for every format.
    """
    try:
        return shape(value)
    except Exception as exc:  # shapely raises several types for malformed geometry
        raise ValueError(f"invalid geometry: {exc}") from None


class ProblemList(list[Problem]):
    """A list of problems bound to one source file, with a shorthand to add one."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def add(self, path: str, message: str) -> None:
        """Record a problem at ``path``."""
        self.append(Problem(self.source, path, message))


def require_mapping(value: object, source: str, what: str) -> Mapping[str, object]:
    """``value`` as a mapping, or ``LayoutError`` saying what the file should contain."""
    if not isinstance(value, Mapping):
        raise LayoutError.single(source, "", f"expected {what}, got {type(value).__name__}")
    return value
