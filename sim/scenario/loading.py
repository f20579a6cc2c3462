"""One loading pipeline for scenarios: read → parse YAML safely → apply overrides → validate.

Every problem becomes a ``Problem`` naming the file, the key path and what was expected;
unknown keys get a spelling suggestion drawn from the keys valid at that place.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.errors import Problem, ScenarioError, format_path
from sim.keypaths import written_paths
from sim.limits import SCENARIO_BYTES
from sim.safe_read import BoundedLoader, TooLarge, load_yaml_bounded, read_file_limited
from sim.scenario.assumptions import documented_assumptions, extract_assumptions
from sim.scenario.checks import check_scenario
from sim.scenario.distributions import DIST_NAMES, Fixed
from sim.scenario.spec import Scenario
from sim.spelling import did_you_mean

NAMED_COLLECTIONS = frozenset({"staff", "client_classes", "back_office.teams", "back_office.tasks"})
"""Mappings of user-named entries: an override naming an entry that does not exist is a typo."""
_CLOCK_TEXT = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
"""An override value like 13:00 is a clock time (YAML alone would read it as 780)."""


def read_yaml_mapping(path: Path, error: type[ScenarioError] = ScenarioError) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping, turning every failure into a located error."""
    source = str(path)
    if not path.exists():
        raise error.single(source, "", "file not found")
    if path.is_dir():
        raise error.single(source, "", "is a folder; expected a YAML file")
    try:
        raw = read_file_limited(path, SCENARIO_BYTES)
    except TooLarge as exc:
        raise error.single(source, "", f"file {exc.message}") from None
    except OSError as exc:
        raise error.single(source, "", f"cannot read the file: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error.single(
            source, "", "is UTF-16 text (Windows 'Unicode'); save it as UTF-8 and try again"
        )
    if b"\x00" in raw:
        raise error.single(source, "", "is a binary file; expected a UTF-8 YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error.single(
            source, "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    return parse_yaml_mapping(text, source, error)


class _StrictLoader(BoundedLoader):
    """PyYAML's safe loader within the nesting limits, refusing duplicate keys (the later one
    would silently win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml_mapping(
    text: str, source: str, error: type[ScenarioError] = ScenarioError
) -> dict[str, Any]:
    """Parse YAML text with the safe loader; the document must be a mapping."""
    try:
        data = load_yaml_bounded(text, _StrictLoader)
    except TooLarge as exc:
        where = f"{exc.where}: " if exc.where else ""
        raise error.single(source, "", f"{where}{exc.message}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error.single(source, "", f"YAML syntax error at {where}{problem}") from None
    if data is None:
        raise error.single(source, "", "file is empty; expected a scenario (a YAML mapping)")
    if not isinstance(data, dict):
        raise error.single(
            source, "", f"expected a YAML mapping of keys to values, got a {type(data).__name__}"
        )
    return data


def apply_overrides(
    data: Mapping[str, Any], overrides: Iterable[str], source: str = "--set"
) -> dict[str, Any]:
    """Return a copy of ``data`` with ``key.path=value`` overrides applied (values parsed as YAML).

    Paths may index lists (``staff.teller.shifts.0.count`` or ``shifts[0].count``); a key that
    does not exist is added, so that validation reports a misspelt path like any other.
    """
    out = copy.deepcopy(dict(data))
    problems: list[Problem] = []
    for item in overrides:
        key, sep, raw_value = item.partition("=")
        if not sep or not key.strip():
            problems.append(Problem(source, item, "expected key.path=value"))
            continue
        try:
            value = load_yaml_bounded(raw_value) if raw_value.strip() else ""
        except TooLarge as exc:
            problems.append(Problem(source, key.strip(), f"value: {exc.message}"))
            continue
        except yaml.YAMLError:
            value = raw_value
        if _CLOCK_TEXT.match(raw_value):
            value = raw_value.strip()
        parts = [p for p in key.strip().replace("[", ".").replace("]", "").split(".") if p]
        node: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    problems.append(Problem(source, key, f"no list entry {part!r} here"))
                    break
                if last:
                    node[int(part)] = value
                else:
                    node = node[int(part)]
            elif isinstance(node, dict):
                where = ".".join(parts[:i])
                if where in NAMED_COLLECTIONS and part not in node:
                    known = [str(k) for k in node]
                    hint = did_you_mean(part, known)
                    problems.append(
                        Problem(
                            source,
                            key,
                            f"no '{part}' in {where}{hint} (known: {', '.join(known) or 'none'}); "
                            "add new entries in the scenario file",
                        )
                    )
                    break
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, {})
            else:
                problems.append(
                    Problem(source, key, f"'{'.'.join(parts[:i])}' is a value, not a mapping")
                )
                break
    if problems:
        raise ScenarioError(problems)
    return out


def validate_scenario(
    data: Mapping[str, Any],
    source: str = "<scenario>",
    base_dir: Path | None = None,
    overrides: Sequence[str] = (),
    *,
    overrides_source: str = "--set",
) -> Scenario:
    """Validate plain data into a ``Scenario``; raise ``ScenarioError`` listing every problem.

    The scenario alone is checked here, not its floor plan (see ``sim.experiment.inputs``).
    Numbers written as ranges (``{low, mode, high}``) are validated at their point value and
    kept as the scenario's ``assumptions`` (see ``sim.scenario.assumptions``).

    ``overrides_source`` names where the overrides came from in messages (the command line, or
    a sweep variant of the scenario file).
    """
    if overrides:
        data = apply_overrides(data, overrides, overrides_source)
    data, written, problems = extract_assumptions(data, source)
    problems += [
        Problem(
            source,
            a.key,
            "a range here would stand for one fixed duration; for random durations write a "
            "distribution (dist: uniform or triangular), for an uncertain one put the range on "
            "its parameter (e.g. mean: {low: 4 min, high: 6 min})",
        )
        for a in written
        if _is_distribution(a.path)
    ]
    if problems:
        raise ScenarioError(problems)
    try:
        scenario = Scenario.model_validate(data, context={"base_dir": base_dir})
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, source, Scenario)) from None
    problems = check_scenario(scenario, source)
    if problems:
        raise ScenarioError(problems)
    scenario = scenario.with_assumptions((*written, *documented_assumptions(data)))
    return scenario.with_written_keys(tuple(written_paths(data)))


def _is_distribution(path: Sequence[Any]) -> bool:
    """True when ``path`` names a whole distribution (where a range would be taken for a point)."""
    target: Any = Scenario
    for part in path:
        target = _step(target, part)
        if target is None:
            return False
    return any(c is Fixed for c in _unwrap(target))


def read_scenario(path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Read and validate a scenario file; relative paths inside resolve against its folder.

    The floor plan it names is not read here: ``sim.experiment.inputs.load_scenario`` checks
    the scenario against its plan too.
    """
    file = Path(path)
    data = read_yaml_mapping(file)
    return validate_scenario(data, str(file), file.resolve().parent, overrides)


def validation_problems(exc: ValidationError, source: str, root: type[BaseModel]) -> list[Problem]:
    """Turn pydantic's errors into one readable ``Problem`` each."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    errors = _best_union_members(exc.errors(include_url=False), root)
    for err, loc in errors:
        path = format_path(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            valid = _valid_keys(root, loc[:-1])
            msg = f"unknown key '{loc[-1]}'"
            hint = did_you_mean(str(loc[-1]), valid)
            if hint:
                msg += hint
            elif valid:
                msg += f"; valid keys here: {', '.join(valid)}"
        elif kind == "missing":
            msg = "required key is missing"
        elif kind == "union_tag_invalid":
            got = err.get("ctx", {}).get("tag", "")
            msg = f"unknown distribution '{got}'{did_you_mean(str(got), DIST_NAMES)}"
            msg += f" (expected one of: {', '.join(DIST_NAMES)})"
        else:
            msg = err["msg"].removeprefix("Value error, ")
            if (
                kind not in {"value_error"}
                and "input" in err
                and not isinstance(err["input"], (dict, list))
            ):
                msg += f" (got {err['input']!r})"
        key = (path, msg)
        if key not in seen:
            seen.add(key)
            problems.append(Problem(source, path, msg))
    return problems


def _best_union_members(
    errors: Sequence[ErrorDetails], root: type[BaseModel]
) -> list[tuple[ErrorDetails, tuple[Any, ...]]]:
    """Each error with its cleaned location, keeping for a plain union (``rate: 3`` or a list)
    only the errors of the member the input was meant for.

    Pydantic reports a failed union once per member, under a label such as
    ``constrained-float``; a type mismatch ("should be a valid list") is noise when another
    member matched the type, and repeats when none did.
    """
    tagged: list[tuple[ErrorDetails, tuple[Any, ...], tuple[Any, ...] | None]] = []
    for err in errors:
        loc = _clean_loc(err["loc"])
        tag_at = _union_tag_index(root, loc)
        if tag_at is None:
            tagged.append((err, loc, None))
        else:
            tagged.append((err, loc[:tag_at] + loc[tag_at + 1 :], loc[:tag_at]))

    def mismatch(err: ErrorDetails) -> bool:
        return err["type"].endswith(("_type", "_parsing"))

    matched = {union for err, _, union in tagged if union is not None and not mismatch(err)}
    out: list[tuple[ErrorDetails, tuple[Any, ...]]] = []
    reported: set[tuple[Any, ...]] = set()
    for err, loc, union in tagged:
        if union is not None and mismatch(err):
            if union in matched or union in reported:
                continue
            reported.add(union)
        out.append((err, loc))
    return out


def _union_tag_index(root: type[BaseModel], loc: Sequence[Any]) -> int | None:
    """Where ``loc`` holds pydantic's label of a plain union's member, if it does."""
    target: Any = root
    for i, part in enumerate(loc):
        step = _step(target, part)
        members = [c for c in _unwrap(target) if c is not type(None)]
        plain = not all(isinstance(c, type) and issubclass(c, BaseModel) for c in members)
        if step is None and len(members) > 1 and plain and isinstance(part, str):
            return i
        if step is None:
            return None
        target = step
    return None


def _clean_loc(loc: Sequence[Any]) -> tuple[Any, ...]:
    """Drop pydantic's internal location parts (union tags, validator names)."""
    return tuple(
        p
        for p in loc
        if not (isinstance(p, str) and (p in DIST_NAMES or p.startswith("function-")))
    )


def _valid_keys(root: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The keys a model accepts at ``loc`` (for spelling suggestions)."""
    target: Any = root
    for part in loc:
        target = _step(target, part)
        if target is None:
            return []
    models = [c for c in _unwrap(target) if isinstance(c, type) and issubclass(c, BaseModel)]
    keys: list[str] = []
    for model in models:
        for name, field in model.model_fields.items():
            key = field.alias or name
            if key not in keys:
                keys.append(key)
    return keys


def _step(annotation: Any, part: Any) -> Any:
    """The annotation one key deeper (through models, dicts, lists and optionals)."""
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            fields = {(f.alias or n): f for n, f in candidate.model_fields.items()}
            if isinstance(part, str) and part in fields:
                return fields[part].annotation
        origin = typing.get_origin(candidate)
        if origin is dict and isinstance(part, str):
            return typing.get_args(candidate)[1]
        if origin is list and isinstance(part, int):
            return typing.get_args(candidate)[0]
    return None


def _unwrap(annotation: Any) -> list[Any]:
    """Flatten Annotated/Optional/Union into the candidate types."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]
