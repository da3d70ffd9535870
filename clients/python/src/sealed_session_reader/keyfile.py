"""The key file, version 1 (docs/key-file.md).

Its text is read into a :class:`~sealed_session_reader.Keys` whose keys may carry the time from
which they seal, with every check of the document, in the order the Rust crate's
``Keys::load_key_file`` makes them: the whole file (size, UTF-8), then line by line (format
line; per key: count, key, attributes, key id), then no key, then whether some key seals at the
time of loading. Errors name the line, never its text.
"""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime, timedelta, timezone
from typing import List, Optional, Union

from .errors import KeyFileError, KeyListError
from .keys import _WHITE_SPACE, Keys, _parse_key, kid_of

#: The largest key file read, in bytes.
MAX_KEY_FILE_LEN = 65_536
#: The most keys a key file lists.
MAX_KEY_FILE_KEYS = 64

_MAGIC = "sealed-session-keys"
_VERSION = "1"
_SEAL_AFTER = "seal-after"
_BLANKS = re.compile(r"[ \t]")
# RFC 3339 date-time, exactly (ASCII digits only): the ranges are checked after.
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DAY_MS = 86_400_000
# 10000-01-01T00:00:00Z in Unix ms: the first time no key file can write.
_YEAR_10000_MS = 253_402_300_800_000


def parse_time(text: str) -> Optional[int]:
    """An RFC 3339 date-time as Unix ms, the fraction of a second rounded down to the millisecond.

    ``None`` if it is not one, before 1970, or (in UTC) after the year 9999. A leap second (``:60``) is taken as the last
    millisecond of its minute, and only where one can be (23:59:60 UTC on a month's last day),
    as the Rust crate (the ``time`` crate) reads it.
    """
    m = _RFC3339.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction, sign = m.group(7), m.group(8)
    offset_hour = int(m.group(9) or 0)
    offset_minute = int(m.group(10) or 0)
    # Before 1969 no offset brings a time to 1970 (and datetime has no year 0).
    if year < 1969 or second > 60 or offset_hour > 23 or offset_minute > 59:
        return None
    offset = timedelta(hours=offset_hour, minutes=offset_minute)
    try:
        moment = datetime(
            year, month, day, hour, minute, min(second, 59), tzinfo=timezone(-offset if sign == "-" else offset)
        )
    except ValueError:
        return None
    delta = moment - _EPOCH
    base = (delta.days * 86_400 + delta.seconds) * 1000
    if second == 60:
        if base % _DAY_MS != _DAY_MS - 1000:
            return None
        try:
            next_day = date(1970, 1, 1) + timedelta(days=(base + 1000) // _DAY_MS)
        except OverflowError:
            return None
        if next_day.day != 1:
            return None
        ms = base + 999
    else:
        ms = base + (int((fraction + "00")[:3]) if fraction else 0)
    # From 1970 until the end of 9999 in UTC: a key file writes its times in UTC, in 4 digits.
    return ms if 0 <= ms < _YEAR_10000_MS else None


def _fields(line: str) -> List[str]:
    """A line's fields: separated by spaces and tabs, nothing from a field starting with ``#``."""
    fields: List[str] = []
    for field in _BLANKS.split(line):
        if not field:
            continue
        if field.startswith("#"):
            break
        fields.append(field)
    return fields


def _text_of(data: Union[str, bytes, bytearray]) -> str:
    if isinstance(data, str):
        if len(data.encode("utf-8", "surrogatepass")) > MAX_KEY_FILE_LEN:
            raise KeyFileError("too_large")
        try:
            data.encode("utf-8")  # a lone surrogate has no UTF-8 form
        except UnicodeEncodeError:
            raise KeyFileError("not_utf8") from None
        return data
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_KEY_FILE_LEN:
            raise KeyFileError("too_large")
        try:
            # A byte order mark is kept, as the crate keeps it: the format line after it is refused.
            return bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise KeyFileError("not_utf8") from None
    raise TypeError("text: expected the key file as str or bytes")


def _now_of(now_ms: Optional[int]) -> int:
    if now_ms is None:
        return time.time_ns() // 1_000_000
    if isinstance(now_ms, bool) or not isinstance(now_ms, int) or now_ms < 0:
        raise TypeError("now_ms: expected a whole number of Unix ms")
    return now_ms


def parse_key_file(text: Union[str, bytes, bytearray], *, now_ms: Optional[int] = None) -> Keys:
    """Reads a key file's text (docs/key-file.md, version 1) into a key list, loaded at ``now_ms``.

    Every key opens; each may carry the time from which it seals (:attr:`Keys.seal_after_ms`),
    and :func:`seal` uses the key that seals at its own ``now``. ``text`` is the file's text or
    its bytes; ``now_ms`` the time of loading in Unix ms (default: the clock): a file in which no
    key seals yet at that time is refused (``none_sealing``).

    Raises :class:`KeyFileError` with the table's ``code`` and the ``line`` (or ``None``).
    """
    now = _now_of(now_ms)
    lines = _text_of(text).split("\n")
    format_seen = False
    keys: List[bytes] = []
    times: List[Optional[int]] = []
    kids: List[str] = []
    for number, raw in enumerate(lines, start=1):
        fields = _fields(raw[:-1] if raw.endswith("\r") else raw)
        if not fields:
            continue
        if not format_seen:
            if fields[0] != _MAGIC or len(fields) == 1:
                raise KeyFileError("no_format_line", number)
            if len(fields) != 2 or fields[1] != _VERSION:
                raise KeyFileError("unsupported_version", number)
            format_seen = True
            continue
        if len(keys) == MAX_KEY_FILE_KEYS:
            raise KeyFileError("too_many_keys", number)
        try:
            key = _parse_key(fields[0].strip(_WHITE_SPACE), len(keys) + 1)
        except KeyListError as e:  # bad_base64 or bad_length, as in SESSION_KEYS
            raise KeyFileError(e.code, number, got=e.got) from None
        seal_after: Optional[int] = None
        for attribute in fields[1:]:
            name, eq, value = attribute.partition("=")
            if not eq or name != _SEAL_AFTER:
                raise KeyFileError("bad_attribute", number)
            ms = parse_time(value)
            if ms is None:
                raise KeyFileError("bad_time", number)
            if seal_after is not None:
                raise KeyFileError("repeated_attribute", number)
            seal_after = ms
        kid = kid_of(key)
        if kid in kids:
            raise KeyFileError("duplicate_kid", number, kid=kid)
        keys.append(key)
        times.append(seal_after)
        kids.append(kid)
    if not format_seen:
        raise KeyFileError("no_format_line")
    if not keys:
        raise KeyFileError("no_key")
    parsed = Keys(keys, times)
    if not parsed.has_sealing_key_at(now):
        raise KeyFileError("none_sealing")
    return parsed


def read_key_file(path: Union[str, os.PathLike[str]], *, now_ms: Optional[int] = None) -> Keys:
    """Reads the key file at ``path`` and loads it as :func:`parse_key_file` does.

    At most 65,536 bytes are read: a larger file is refused as ``too_large``. The error names
    the file; one that cannot be read is a :class:`KeyFileError` with code ``unreadable`` (the
    system's error as its ``__cause__``).
    """
    _now_of(now_ms)
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read(MAX_KEY_FILE_LEN + 1)
    except OSError as e:
        reason = os.strerror(e.errno) if e.errno else type(e).__name__
        raise KeyFileError("unreadable", path=name, reason=reason) from e
    try:
        return parse_key_file(data, now_ms=now_ms)
    except KeyFileError as e:
        raise e.in_file(name) from None
