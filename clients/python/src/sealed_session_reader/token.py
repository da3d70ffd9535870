"""The token codec of the format document (versions 1 and 2): open both, seal version 2.

::

    v1: version 0x01 | kid (4) | nonce (24) | ciphertext | tag (16); aad = version | kid | context
    v2: version 0x02 | kid (4) | line (4) | generation (u32 BE) | nonce (24) | ciphertext | tag;
        aad = version | kid | line | generation | context
    plaintext: created_ms | expires_ms | max_age_ms (u64 BE each) | sid (16) | JSON object
"""

from __future__ import annotations

import secrets
import struct
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Protocol, Union

from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)
from nacl.exceptions import CryptoError

from ._base64 import decode_token, encode_token
from .data import parse_data, serialize_data
from .errors import RefusedError, SealError
from .keys import Keys, KeysLike, parse_keys

#: Default size cap, in characters.
DEFAULT_MAX_LEN = 4096
#: Default absolute lifetime: 30 days, in ms.
DEFAULT_ABSOLUTE_LIFETIME_MS = 30 * 24 * 3600 * 1000
#: Default allowance for a server clock ahead of ours, in ms.
DEFAULT_SKEW_MS = 60_000
#: Default lifetime of a new session when sealing: one day, in ms (the crate's default).
DEFAULT_MAX_AGE_MS = 86_400_000

_NONCE_LEN = 24
_TAG_LEN = 16
_ENVELOPE_LEN = 40
# version -> (length of the clear prefix with the nonce, length of the clear fields in the aad)
_LAYOUT = {1: (29, 5), 2: (37, 13)}
_U64_MAX = 2**64 - 1
_U32_MAX = 2**32 - 1


@dataclass(frozen=True)
class Opened:
    """A token that opened: its clear fields, its envelope and its data.

    ``key_index`` is the position in the key list of the key that opened it (every key opens,
    whatever its time); ``reseal`` whether to seal it again: the key that opened it is listed
    after the key that seals at ``now`` (``key_index > keys.sealing_index_at(now)``; in a list
    without times, ``key_index > 0``). A token opened by a newer key whose ``seal-after`` has
    not come yet on this clock is not re-sealed.

    ``repr`` leaves the data out (it counts its entries), so an ``Opened`` can be logged.
    """

    version: int
    kid: str
    line: str
    generation: int
    created_ms: int
    expires_ms: int
    max_age_ms: int
    sid: str
    data: Dict[str, Any] = field(repr=False)
    key_index: int
    reseal: bool = False

    def __repr__(self) -> str:
        """The fields without the data."""
        return (
            f"Opened(version={self.version}, kid={self.kid}, line={self.line}, "
            f"generation={self.generation}, created_ms={self.created_ms}, "
            f"expires_ms={self.expires_ms}, max_age_ms={self.max_age_ms}, sid={self.sid}, "
            f"data=<{len(self.data)} entries>, key_index={self.key_index}, reseal={self.reseal})"
        )


@dataclass(frozen=True)
class Inspected:
    """What the clear prefix of a token says, read without a key (nothing here is authenticated)."""

    could_be_token: bool
    problem: Optional[str]
    length: int
    version: Optional[int] = None
    kid: Optional[str] = None
    line: Optional[str] = None
    generation: Optional[int] = None


class LineLike(Protocol):
    """What a seal needs of the token it replaces (an :class:`Opened` has it)."""

    @property
    def line(self) -> str:
        """The line, 8 hex digits."""

    @property
    def generation(self) -> int:
        """The generation of the token replaced."""


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _u64(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _U64_MAX:
        raise TypeError(f"{name}: expected a whole number of ms from 0 to 2^64 - 1")
    return value


def _as_text(token: Union[str, bytes, None]) -> tuple[str, int]:
    """The token as text, and its length in bytes (what the size cap counts)."""
    if token is None:
        return "", 0
    if isinstance(token, (bytes, bytearray)):
        return bytes(token).decode("latin-1"), len(token)
    if isinstance(token, str):
        return token, len(token.encode("utf-8", errors="surrogatepass"))
    raise TypeError("token: expected str or bytes")


def _min_len(version: int) -> int:
    return _LAYOUT[version][0] + _ENVELOPE_LEN + _TAG_LEN + 2


def _clear(raw: bytes) -> Dict[str, Any]:
    version = raw[0]
    return {
        "version": version,
        "kid": raw[1:5].hex(),
        "line": raw[5:9].hex(),
        "generation": 0 if version == 1 else struct.unpack(">I", raw[9:13])[0],
    }


def _decode(text: str) -> Optional[bytes]:
    raw = decode_token(text)
    if raw is None or raw[0] not in _LAYOUT or len(raw) < _min_len(raw[0]):
        return None
    return raw


def inspect(token: Union[str, bytes, None]) -> Inspected:
    """Reads a token's clear prefix without any key: whether it could be a token at all, and its
    version, key id, line, generation and length."""
    text, _ = _as_text(token)
    if not text:
        return Inspected(False, "missing", 0)
    raw = _decode(text)
    if raw is None:
        return Inspected(False, "malformed", len(text))
    return Inspected(True, None, len(text), **_clear(raw))


def open(  # noqa: A001 - the verb of the format, as in the Node reader
    token: Union[str, bytes, None],
    *,
    keys: KeysLike,
    context: str = "",
    now: Optional[int] = None,
    max_len: int = DEFAULT_MAX_LEN,
    absolute_lifetime: Optional[int] = DEFAULT_ABSOLUTE_LIFETIME_MS,
    skew: int = DEFAULT_SKEW_MS,
) -> Opened:
    """Opens a token as the Rust crate does, checking in the crate's order.

    Every key of ``keys`` opens, whatever its time. ``now`` is Unix time in ms (default: the
    clock; it also says which key seals now, for ``reseal``); ``max_len`` the size cap in
    characters, checked before decoding; ``absolute_lifetime`` ms from ``created_ms``
    (``None``: none); ``skew`` how far in the future ``created_ms`` may be.

    Raises :class:`RefusedError` whose ``reason`` says why the token was refused.
    """
    parsed = parse_keys(keys)
    aad_tail = context.encode("utf-8")
    now_ms = _u64(_now_ms() if now is None else now, "now")
    skew_ms = _u64(skew, "skew")
    absolute = None if absolute_lifetime is None else _u64(absolute_lifetime, "absolute_lifetime")
    text, size = _as_text(token)
    if not text:
        raise RefusedError("missing")
    if size > max_len:
        raise RefusedError("too_long")
    raw = _decode(text)
    if raw is None:
        raise RefusedError("malformed")
    clear = _clear(raw)
    key_index = parsed.index_of(clear["kid"])
    if key_index < 0:
        raise RefusedError("unknown_key")
    prefix, clear_len = _LAYOUT[raw[0]]
    try:
        plain = crypto_aead_xchacha20poly1305_ietf_decrypt(
            raw[prefix:], raw[:clear_len] + aad_tail, raw[prefix - _NONCE_LEN : prefix], parsed.key_at(key_index)
        )
    except CryptoError:
        raise RefusedError("forged") from None
    created_ms, expires_ms, max_age_ms = struct.unpack(">QQQ", plain[:24])
    if created_ms > min(now_ms + skew_ms, _U64_MAX):
        raise RefusedError("created_in_future")
    if now_ms >= expires_ms:
        raise RefusedError("expired")
    if absolute is not None and now_ms >= min(created_ms + absolute, _U64_MAX):
        raise RefusedError("past_absolute_lifetime")
    data = parse_data(plain[_ENVELOPE_LEN:])
    if data is None:
        raise RefusedError("bad_data")
    return Opened(
        created_ms=created_ms,
        expires_ms=expires_ms,
        max_age_ms=max_age_ms,
        sid=plain[24:40].hex(),
        data=data,
        key_index=key_index,
        # Re-seal only what a key listed after the one that seals now opened: never back from a
        # newer key whose time has not come on this clock.
        reseal=key_index > parsed.sealing_index_at(now_ms),
        **clear,
    )


def _line_of(replaces: Union[LineLike, Mapping[str, Any]]) -> tuple[bytes, int]:
    if isinstance(replaces, Mapping):
        line, generation = replaces.get("line"), replaces.get("generation")
    else:
        line, generation = getattr(replaces, "line", None), getattr(replaces, "generation", None)
    if not isinstance(line, str) or len(line) != 8 or line != line.lower():
        raise TypeError("replaces.line: expected 8 lower-case hex digits")
    try:
        line_bytes = bytes.fromhex(line)
    except ValueError:
        raise TypeError("replaces.line: expected 8 lower-case hex digits") from None
    if isinstance(generation, bool) or not isinstance(generation, int) or not 0 <= generation <= _U32_MAX:
        raise TypeError("replaces.generation: expected 0 to 2^32 - 1")
    return line_bytes, generation


def _field(replaces: Union[LineLike, Mapping[str, Any], None], name: str) -> Any:
    """A field of the token replaced (an :class:`Opened` or a mapping), if it has it."""
    if replaces is None:
        return None
    if isinstance(replaces, Mapping):
        return replaces.get(name)
    return getattr(replaces, name, None)


def seal(
    data: Dict[str, Any],
    *,
    keys: KeysLike,
    context: str = "",
    now: Optional[int] = None,
    replaces: Union[LineLike, Mapping[str, Any], None] = None,
    renewal: bool = False,
    sid: Optional[str] = None,
    created_ms: Optional[int] = None,
    max_age_ms: Optional[int] = None,
    expires_ms: Optional[int] = None,
    max_len: int = DEFAULT_MAX_LEN,
) -> str:
    """Seals a session as a version 2 token, following the format's rules for line and generation.

    A new session (no ``replaces``) gets a fresh random line and generation 1, a new random
    ``sid`` and ``created_ms = now``. A change of the session it ``replaces`` (an
    :class:`Opened`) keeps its line and carries its generation plus one (saturating at
    2^32 - 1); a renewal (``renewal=True``: nothing changed) keeps the generation. ``sid``,
    ``created_ms`` and ``max_age_ms`` default to those of ``replaces``; ``expires_ms`` to
    ``now + max_age_ms``.

    It seals with the key that seals at ``now`` (``keys.sealing_index_at(now)``): the first key
    of a list without times; in a list with times (a key file's ``seal-after``), the first key
    whose time has passed, or, if none has (a list built in code, or a ``now`` before the time
    the key file was loaded at), the key whose time comes first.

    Raises :class:`SealError`: ``too_large`` if the token would pass ``max_len``, ``bad_data``
    if ``data`` is not a dict of JSON values.
    """
    if replaces is None:
        line, generation = secrets.token_bytes(4), 1
    else:
        line, opened_generation = _line_of(replaces)
        generation = opened_generation if renewal else min(opened_generation + 1, _U32_MAX)
    return _seal_with(
        data,
        keys=keys,
        context=context,
        now=now,
        sid=sid if sid is not None else _field(replaces, "sid"),
        created_ms=created_ms if created_ms is not None else _field(replaces, "created_ms"),
        max_age_ms=max_age_ms if max_age_ms is not None else _field(replaces, "max_age_ms"),
        expires_ms=expires_ms,
        max_len=max_len,
        line=line,
        generation=generation,
        nonce=secrets.token_bytes(_NONCE_LEN),
    )


def _seal_with(
    data: Dict[str, Any],
    *,
    keys: KeysLike,
    context: str,
    now: Optional[int],
    sid: Optional[str],
    created_ms: Optional[int],
    max_age_ms: Optional[int],
    expires_ms: Optional[int],
    max_len: int,
    line: bytes,
    generation: int,
    nonce: bytes,
) -> str:
    """Seals with a given line, generation and nonce (for test vectors; :func:`seal` is the public way)."""
    parsed = parse_keys(keys)
    now_ms = _u64(_now_ms() if now is None else now, "now")
    max_age = _u64(DEFAULT_MAX_AGE_MS if max_age_ms is None else max_age_ms, "max_age_ms")
    created = _u64(now_ms if created_ms is None else created_ms, "created_ms")
    expires = min(now_ms + max_age, _U64_MAX) if expires_ms is None else _u64(expires_ms, "expires_ms")
    if sid is None:
        sid_bytes = secrets.token_bytes(16)
    else:
        try:
            sid_bytes = bytes.fromhex(sid)
        except ValueError:
            sid_bytes = b""
        if len(sid_bytes) != 16:
            raise TypeError("sid: expected 32 hex digits")
    json_bytes = serialize_data(data)
    # The key that seals at `now`: the first key in a list without times.
    index = parsed.sealing_index_at(now_ms)
    head = bytes([2]) + bytes.fromhex(parsed.kids[index]) + line + struct.pack(">I", generation)
    plain = struct.pack(">QQQ", created, expires, max_age) + sid_bytes + json_bytes
    raw_len = len(head) + _NONCE_LEN + len(plain) + _TAG_LEN
    length = -(-raw_len * 4 // 3)
    if length > max_len:
        raise SealError("too_large", f"the token would be {length} characters, over the cap of {max_len}")
    sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(plain, head + context.encode("utf-8"), nonce, parsed.key_at(index))
    return encode_token(head + nonce + sealed)
