"""The session data: a JSON object in UTF-8, accepted exactly when the Rust crate accepts it.

The crate (``token::Data``) checks that the data is strict UTF-8 and exactly one JSON object
whose keys are proper strings and whose values nest arrays and objects at most
:data:`MAX_DEPTH` (100) levels deep (the object as a whole at most 101), and keeps each value's
text unparsed: any such value opens, however large its numbers, lone surrogate escapes
included. This module checks the same grammar and the depth without recursion (a stack of open
brackets, so no hostile nesting can exhaust Python's), then parses each value on its own; a
value Python cannot build (an integer past its digit limit) reads as ``None``, as the crate's
``Data::to_map`` reads a value serde_json cannot build as ``null``.

Sealing refuses values nested deeper than :data:`MAX_DEPTH`, as the crate's ``insert`` does.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Dict, List, Optional, Tuple

from .errors import SealError

#: How deeply a stored value may nest arrays and objects (the crate's ``MAX_DEPTH``): deeper
#: data is refused at open (``bad_data``) and not sealed (:class:`SealError` ``bad_data``).
MAX_DEPTH = 100

_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERAL = re.compile(r"true|false|null")
_WS = re.compile(r"[ \t\n\r]*")
_Span = Tuple[int, int]


def _ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _key(text: str, i: int) -> Optional[int]:
    """The index after ``"key" :`` at ``i``, or ``None``."""
    m = _STRING.match(text, i)
    if not m:
        return None
    i = _ws(text, m.end())
    return i + 1 if text.startswith(":", i) else None


def _value_end(text: str, i: int) -> Optional[int]:
    """The index after the JSON value that starts at ``i``, or ``None`` if there is none or it
    nests arrays and objects more than :data:`MAX_DEPTH` levels deep (``[]`` is 1 level).

    Iterative: a stack of open arrays and objects, never more than :data:`MAX_DEPTH` long.
    """
    stack: List[str] = []
    while True:
        # A value is expected at i, inside len(stack) open arrays and objects.
        i = _ws(text, i)
        c = text[i : i + 1]
        if c in ("{", "["):
            if len(stack) >= MAX_DEPTH:  # this one would be level MAX_DEPTH + 1 (empty or not)
                return None
            close = "}" if c == "{" else "]"
            j = _ws(text, i + 1)
            if text.startswith(close, j):
                i = j + 1
            else:
                stack.append(close)
                if c == "{":
                    k = _key(text, j)
                    if k is None:
                        return None
                    i = k
                else:
                    i = j
                continue
        else:
            m = (_STRING if c == '"' else _LITERAL if c in ("t", "f", "n") else _NUMBER).match(text, i)
            if not m or m.end() == i:
                return None
            i = m.end()
        # After a value: close what ends here, or go on after a comma.
        while True:
            if not stack:
                return i
            i = _ws(text, i)
            c = text[i : i + 1]
            if c == stack[-1]:
                stack.pop()
                i += 1
            elif c == ",":
                i += 1
                if stack[-1] == "}":
                    k = _key(text, _ws(text, i))
                    if k is None:
                        return None
                    i = k
                break
            else:
                return None


def _members(text: str) -> Optional[List[Tuple[_Span, _Span]]]:
    """The spans of each key and value of the one object ``text`` holds, or ``None``."""
    i = _ws(text, 0)
    if not text.startswith("{", i):
        return None
    i = _ws(text, i + 1)
    members: List[Tuple[_Span, _Span]] = []
    if text.startswith("}", i):
        i += 1
    else:
        while True:
            m = _STRING.match(text, i)
            if not m:
                return None
            key = (i, m.end())
            i = _ws(text, m.end())
            if not text.startswith(":", i):
                return None
            start = _ws(text, i + 1)
            end = _value_end(text, start)
            if end is None:
                return None
            members.append((key, (start, end)))
            i = _ws(text, end)
            if text.startswith(",", i):
                i = _ws(text, i + 1)
            elif text.startswith("}", i):
                i += 1
                break
            else:
                return None
    return members if _ws(text, i) == len(text) else None


def _load(text: str) -> Any:
    # At most MAX_DEPTH levels (checked by _value_end), well within what json.loads nests.
    try:
        return json.loads(text)
    except ValueError:  # an integer past Python's digit limit (sys.set_int_max_str_digits)
        return None


def parse_data(raw: bytes) -> Optional[Dict[str, Any]]:
    """Parses a token's data bytes, or returns ``None`` where the crate refuses them as ``bad_data``:
    not UTF-8, not one JSON object with proper string keys, or a value nested more than
    :data:`MAX_DEPTH` levels deep."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    members = _members(text)
    if members is None:
        return None
    data: Dict[str, Any] = {}
    for (ks, ke), (vs, ve) in members:
        key = json.loads(text[ks:ke])
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:  # a key with a lone surrogate escape is no Rust string
            return None
        data[key] = _load(text[vs:ve])
    return data


def _only_json(value: Any, depth: int) -> bool:
    """Whether ``value`` is a JSON value; ``depth`` is its level if it is an array or object."""
    if isinstance(value, (dict, list, tuple)) and depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _only_json(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_only_json(v, depth + 1) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def serialize_data(data: Any) -> bytes:
    """Serializes session data for sealing; refuses what the crate would not take.

    Raises :class:`SealError` (``bad_data``) unless ``data`` is a dict with well-formed string
    keys whose values are JSON values (finite numbers) nested at most :data:`MAX_DEPTH` deep.
    """
    if not isinstance(data, dict) or not all(isinstance(k, str) and _only_json(v, 1) for k, v in data.items()):
        raise SealError(
            "bad_data",
            f"session data must be a dict of JSON values (str keys, finite numbers, at most {MAX_DEPTH} levels)",
        )
    try:
        for key in data:
            key.encode("utf-8")
    except UnicodeEncodeError:
        raise SealError("bad_data", "a session data key holds a lone surrogate") from None
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # A lone surrogate can only stand inside a JSON string here: written as its \\u escape.
    return text.encode("utf-8", errors="backslashreplace")
