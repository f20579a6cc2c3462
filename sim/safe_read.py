"""Reading untrusted files within limits: sizes read incrementally, nesting and aliases bounded.

A file is read in chunks and refused as soon as it passes its size limit (``/dev/zero`` stops
at the limit, not at a MemoryError). YAML is composed with a depth guard and the size of its
values with every alias expanded is counted before anything is constructed, so an alias bomb
is refused in milliseconds; JSON is parsed and then measured without recursion.

YAML is parsed by LibYAML (PyYAML's C parser, about ten times faster) when PyYAML has it: its
events are counted for the depth guard first, since its composer recurses in C. A file that
LibYAML cannot read, or that is over a limit, is read again by PyYAML's own parser, whose
messages (line, column, problem) are the ones users see, the same with or without LibYAML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

from sim.limits import NESTING, YAML_NODES, Limit

CHUNK = 1 << 20


class TooLarge(ValueError):
    """Input over one of the limits of ``sim.limits``; the message names it."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where
        """``line L, column C`` when known, else empty."""


def read_stream_limited(stream: IO[bytes], limit: Limit) -> bytes:
    """Every byte of ``stream``, or ``TooLarge`` as soon as more than the limit has been read."""
    cap = limit.value
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, cap + 1 - total))
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > cap:
            raise TooLarge(
                f"is larger than the limit of {cap:,} bytes ({limit.what}); if this is "
                f"intended, raise it with the environment variable {limit.env}=N"
            )
        parts.append(chunk)


def read_file_limited(path: Path, limit: Limit) -> bytes:
    """The bytes of ``path`` read incrementally; ``TooLarge`` past the limit (``OSError`` as is)."""
    with path.open("rb") as stream:
        return read_stream_limited(stream, limit)


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a nesting-depth guard while composing the node tree."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing nesting deeper than the limit before recursing further."""
        self._depth += 1
        try:
            if self._depth > NESTING.value:
                mark = self.peek_event().start_mark
                raise TooLarge(
                    f"values are nested more than {NESTING.value} levels deep ({NESTING.what}); "
                    f"raise the limit with {NESTING.env}=N if this is intended",
                    _where(mark),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml_bounded(text: str, loader: type[BoundedLoader] = BoundedLoader) -> Any:
    """Parse YAML safely within the nesting and expanded-size limits.

    Raises ``yaml.YAMLError`` for syntax errors and ``TooLarge`` for input over a limit.
    ``loader`` gives the construction (e.g. refusing duplicate keys); LibYAML parses when
    PyYAML has it (see the module docstring).
    """
    fast = _with_libyaml(loader)
    if fast is not None and _nesting_within_limit(text):
        try:
            return _construct(fast(text))
        except (yaml.YAMLError, TooLarge):
            pass  # read again below, for PyYAML's own message
    return _construct(loader(text))


_C_PARSER: type | None = getattr(getattr(yaml, "cyaml", None), "CParser", None)
"""LibYAML's parser, when PyYAML was built with it."""

_OPENING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_LEAVES = (yaml.ScalarEvent, yaml.AliasEvent)


_LIBYAML_LOADERS: dict[type[BoundedLoader], type] = {}


def _with_libyaml(loader: type[BoundedLoader]) -> type | None:
    """``loader``'s construction on LibYAML's parser and composer (None without LibYAML)."""
    if _C_PARSER is None:
        return None
    made = _LIBYAML_LOADERS.get(loader)
    if made is None:
        made = _LIBYAML_LOADERS[loader] = _on_libyaml(loader, _C_PARSER)
    return made


def _on_libyaml(loader: type[BoundedLoader], parser: Any) -> type:
    """A loader class: LibYAML's parser and composer, ``loader``'s constructor and resolver."""

    def __init__(self: Any, stream: str) -> None:
        parser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    return type(f"LibYAML{loader.__name__}", (parser, loader), {"__init__": __init__})


def _nesting_within_limit(text: str) -> bool:
    """Whether every node of ``text`` is within the nesting limit, as ``BoundedLoader`` counts
    (a value inside N collections is at depth N + 1), by LibYAML's events (no recursion);
    False also when LibYAML cannot parse it."""
    limit = NESTING.value
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, _OPENING):
                depth += 1
                if depth > limit:
                    return False
            elif isinstance(event, _CLOSING):
                depth -= 1
            elif isinstance(event, _LEAVES) and depth + 1 > limit:
                return False
    except yaml.YAMLError:
        return False
    return True


def _construct(instance: Any) -> Any:
    """Compose, measure and construct the single document of a loader, then dispose of it."""
    try:
        node = instance.get_single_node()
        if node is None:
            return None
        check_expanded_size(node)
        return instance.construct_document(node)
    finally:
        instance.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_expanded_size(root: yaml.Node) -> None:
    """Refuse a node tree whose values, with aliases expanded, are too many or too deep.

    Each distinct node is measured once (aliases share nodes), so the check itself is linear in
    the file while the count it computes is what construction and validation would walk.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            on_path.discard(key)
            _refuse_if_over(size[key], depth[key], node)
            continue
        if key in size:
            continue
        if key in on_path:
            raise TooLarge("an alias refers to a value that contains it", _where(node.start_mark))
        on_path.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)


def _refuse_if_over(size: int, depth: int, node: yaml.Node) -> None:
    if YAML_NODES.exceeded(size):
        raise TooLarge(
            f"with its aliases (*name) expanded this value holds more than "
            f"{YAML_NODES.value:,} values ({YAML_NODES.what}); raise the limit with "
            f"{YAML_NODES.env}=N if this is intended",
            _where(node.start_mark),
        )
    if NESTING.exceeded(depth):
        raise TooLarge(
            f"with its aliases (*name) expanded values are nested more than {NESTING.value} "
            f"levels deep; raise the limit with {NESTING.env}=N if this is intended",
            _where(node.start_mark),
        )


def load_json_bounded(text: str) -> Any:
    """Parse JSON within the nesting limit (``json.JSONDecodeError`` for syntax errors)."""
    too_deep = TooLarge(
        f"values are nested more than {NESTING.value} levels deep ({NESTING.what}); raise the "
        f"limit with {NESTING.env}=N if this is intended"
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise too_deep from None
    if _json_depth_over(data, NESTING.value):
        raise too_deep
    return data


def _json_depth_over(data: Any, limit: int) -> bool:
    """True when containers in ``data`` nest deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if level > limit:
            return True
        stack.extend((v, level + 1) for v in _containers(value))
    return False


def _containers(value: Any) -> Iterator[Any]:
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return (v for v in items if isinstance(v, dict | list))
