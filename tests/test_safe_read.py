"""Reading YAML within limits: LibYAML and PyYAML's own parser give the same values, the same
refusals and the same messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim import safe_read
from sim.safe_read import TooLarge, load_yaml_bounded
from sim.scenario.loading import _StrictLoader

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted([*ROOT.glob("scenarios/*.yaml"), *ROOT.glob("layouts/*.yaml")])

needs_libyaml = pytest.mark.skipif(
    safe_read._C_PARSER is None, reason="PyYAML was built without LibYAML"
)


def outcome(read: Callable[[], Any]) -> tuple[str, Any]:
    """What reading gives: ("value", data) or (error type, its message and location)."""
    try:
        return "value", read()
    except TooLarge as exc:
        return "TooLarge", (exc.message, exc.where)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (mark.line, mark.column) if mark is not None else None
        return type(exc).__name__, (getattr(exc, "problem", None), where)


def both_ways(
    text: str, monkeypatch: pytest.MonkeyPatch, loader: type = safe_read.BoundedLoader
) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """The outcome with LibYAML, then with PyYAML's parser alone."""
    fast = outcome(lambda: load_yaml_bounded(text, loader))
    with monkeypatch.context() as m:
        m.setattr(safe_read, "_with_libyaml", lambda loader: None)
        slow = outcome(lambda: load_yaml_bounded(text, loader))
    return fast, slow


def parsers_used(text: str, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each parse of one read: True when LibYAML's."""
    used: list[bool] = []
    real = safe_read._construct

    def spy(instance: Any) -> Any:
        used.append(isinstance(instance, safe_read._C_PARSER))  # type: ignore[arg-type]
        return real(instance)

    with monkeypatch.context() as m:
        m.setattr(safe_read, "_construct", spy)
        outcome(lambda: load_yaml_bounded(text))
    return used


@needs_libyaml
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_files_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    fast, slow = both_ways(text, monkeypatch, _StrictLoader)
    assert fast[0] == "value"
    assert fast == slow
    assert parsers_used(text, monkeypatch) == [True]  # LibYAML read it, once


def nested(depth: int, leaf: str = "1") -> str:
    """A value inside ``depth`` flow lists."""
    return "[" * depth + leaf + "]" * depth


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        nested(99),  # the value at depth 100: the limit
        nested(100),  # the value at depth 101: over it
        nested(100, ""),  # 100 lists, the innermost empty: at the limit
        nested(101, ""),
        "a: " + nested(99),  # the mapping is one level more
        "a: &x [1]\nb: " + nested(98, "*x"),  # an alias counts as a value
        "a: &x [1]\nb: " + nested(99, "*x"),
    ],
    ids=["99", "100", "100-empty", "101-empty", "mapping", "alias-99", "alias-100"],
)
def test_the_nesting_limit_is_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both_ways(text, monkeypatch)
    assert fast == slow
    # LibYAML reads what is within the limit; PyYAML gives the last word on what is not.
    used = parsers_used(text, monkeypatch)
    if fast[0] == "value":
        assert used == [True]
    else:
        assert used[-1] is False


@needs_libyaml
def test_a_deep_file_is_refused_without_recursing(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibYAML's composer recurses in C: a file far past the limit never reaches it."""
    fast, slow = both_ways(nested(200_000), monkeypatch)
    assert fast[0] == "TooLarge" and "nested more than 100 levels deep" in fast[1][0]
    assert fast == slow


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        "name: x\nhours: {open: '09:00'\nstaff: [\n",  # LibYAML words this one differently
        "name: x\nhours:\n  open: '09:00'\n close: '17:00'\n",
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",
        "\ta: 1\n",
    ],
    ids=["flow", "indentation", "two-documents", "unclosed", "tab"],
)
def test_syntax_errors_get_pyyaml_messages(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both_ways(text, monkeypatch, _StrictLoader)
    assert fast[0] != "value"
    assert fast == slow


@needs_libyaml
def test_duplicate_keys_and_alias_bombs_are_refused_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, slow = both_ways("a: 1\nb: 2\na: 3\n", monkeypatch, _StrictLoader)
    assert fast == slow == ("ConstructorError", (fast[1][0], (2, 0)))
    assert "duplicate key 'a'" in fast[1][0]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    )
    fast, slow = both_ways(bomb, monkeypatch)
    assert fast[0] == "TooLarge" and "aliases (*name) expanded" in fast[1][0]
    assert fast == slow
