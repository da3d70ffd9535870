"""The session data: a JSON object in UTF-8, accepted exactly when the Rust crate accepts it.

Strict UTF-8 without a byte order mark, an object at the top, at most 127 levels of nesting,
finite numbers (no ``NaN``/``Infinity``), no lone surrogate escapes.
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, Optional

from .errors import SealError

#: serde_json refuses a 128th level of arrays and objects.
MAX_DEPTH = 127


class _Refused(Exception):
    pass


def _depth_of(text: str) -> int:
    depth = 0
    deepest = 0
    in_string = False
    escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def _constant(_name: str) -> Any:
    raise _Refused


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused
    return value


def _int(text: str) -> int:
    value = int(text)
    # serde_json reads an integer past 64 bits as a double: one past its range is refused.
    if not -(2**63) <= value < 2**64:
        try:
            float(value)
        except OverflowError:
            raise _Refused from None
    return value


def _well_formed(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a \\u escape
            return False
        return True
    if isinstance(value, dict):
        return all(_well_formed(k) and _well_formed(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_well_formed(v) for v in value)
    return True


def parse_data(raw: bytes) -> Optional[Dict[str, Any]]:
    """Parses a token's data bytes, or returns ``None`` where the crate refuses them as ``bad_data``."""
    try:
        text = raw.decode("utf-8")
        if _depth_of(text) > MAX_DEPTH:
            return None
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except (ValueError, _Refused, RecursionError):
        return None
    if not isinstance(value, dict) or not _well_formed(value):
        return None
    return value


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
    """Serializes session data for sealing; refuses what the crate could not open back.

    Raises :class:`SealError` (``bad_data``) unless ``data`` is a dict of JSON values with
    string keys.
    """
    if not isinstance(data, dict) or not _only_json(data, 1):
        raise SealError(
            "bad_data",
            "session data must be a dict of JSON values (str keys, finite numbers, at most 127 levels)",
        )
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    raw = text.encode("utf-8", errors="strict") if _well_formed(data) else None
    if raw is None or parse_data(raw) is None:
        raise SealError("bad_data", "session data must be well-formed text that opens back as it is")
    return raw
