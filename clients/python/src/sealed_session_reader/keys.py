"""Key lists, parsed exactly as the Rust crate's ``Keys::parse``.

Comma-separated base64 keys, blanks around each trimmed, empty items skipped; the first key
seals, every key opens. A list read from a key file (:mod:`.keyfile`) may also give keys a time
from which they seal.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from typing import Iterable, List, Optional, Sequence, Union

from ._base64 import decode_key, encode_token
from .errors import KeyListError

KEY_LEN = 32
_KID_DOMAIN = b"sealed-session:kid:v1"
# Rust's char::is_whitespace (Unicode White_Space), which str::trim uses. Not Python's own
# str.strip(), which also removes U+001C..U+001F.
_WHITE_SPACE = "\t\n\v\f\r \u0085\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def kid_of(key: bytes) -> str:
    """The public key id of a 32-byte key, as 8 hex digits: SHA-256(domain || key)[0..4]."""
    return hashlib.sha256(_KID_DOMAIN + key).digest()[:4].hex()


class Keys:
    """An ordered, non-empty key list with distinct key ids: every key opens, one seals.

    Its key bytes are never printed: ``repr`` and ``str`` show only the key ids (and times).

    A key may carry a time from which it seals (``seal-after`` in a key file, ``seal_after_ms``
    here): the key that seals at a time ``t`` is the first key whose time is at or before ``t``,
    a key without a time counting as always past (:meth:`sealing_index_at`). In a list without
    times (what :func:`parse_keys` and ``SESSION_KEYS`` make) that is always the first key.
    """

    __slots__ = ("_keys", "_kids", "_seal_after")

    def __init__(
        self,
        keys: Sequence[bytes],
        seal_after_ms: Optional[Sequence[Optional[int]]] = None,
    ) -> None:
        """A list from 32-byte keys, in order; prefer :func:`parse_keys` or :func:`parse_key_file`.

        ``seal_after_ms`` gives, for each key, the Unix time in ms from which it seals (``None``:
        always); left out, no key has a time.
        """
        if not keys:
            raise KeyListError("empty")
        kids = [kid_of(k) for k in keys]
        for i, kid in enumerate(kids):
            if kids.index(kid) < i:
                raise KeyListError("duplicate_kid", position=i + 1, kid=kid)
        times: List[Optional[int]] = [None] * len(keys) if seal_after_ms is None else list(seal_after_ms)
        if len(times) != len(keys):
            raise TypeError("seal_after_ms: expected one time (or None) per key")
        for t in times:
            if t is not None and (isinstance(t, bool) or not isinstance(t, int) or t < 0):
                raise TypeError("seal_after_ms: expected None or a whole number of Unix ms from 0")
        self._keys: List[bytes] = [bytes(k) for k in keys]
        self._kids: List[str] = kids
        self._seal_after: List[Optional[int]] = times

    @property
    def kids(self) -> List[str]:
        """The public key ids (8 hex digits each), in the list's order."""
        return list(self._kids)

    @property
    def seal_after_ms(self) -> List[Optional[int]]:
        """For each key (in the order of :attr:`kids`), the Unix time in ms from which it seals,
        or ``None`` for a key without a time (it always may)."""
        return list(self._seal_after)

    def sealing_index_at(self, now_ms: int) -> int:
        """The position of the key that seals at ``now_ms`` (Unix ms).

        The first key whose time has passed (``seal_after_ms <= now_ms``), a key without a time
        counting as passed: 0 in a list without times. If no key's time has passed (possible
        only with a list built in code, or a time before the one a key file was loaded at: a
        key file is refused so), the key whose time comes first (the first of them on a tie).
        """
        for i, t in enumerate(self._seal_after):
            if t is None or t <= now_ms:
                return i
        # No key's time has passed, so every key has one: the earliest, the first on a tie.
        return min((t, i) for i, t in enumerate(self._seal_after) if t is not None)[1]

    def has_sealing_key_at(self, now_ms: int) -> bool:
        """Whether some key seals at ``now_ms`` by its own time (not by the fallback of
        :meth:`sealing_index_at`)."""
        return any(t is None or t <= now_ms for t in self._seal_after)

    def __len__(self) -> int:
        """How many keys the list holds."""
        return len(self._keys)

    def index_of(self, kid: str) -> int:
        """The position of the key with this id, or -1."""
        try:
            return self._kids.index(kid)
        except ValueError:
            return -1

    def key_at(self, index: int) -> bytes:
        """The key bytes at a position (for the codec only)."""
        return self._keys[index]

    def __repr__(self) -> str:
        """The key ids only, each with its time if it has one."""
        shown = [
            kid if t is None else f"{kid} seal-after={_iso_time(t)}" for kid, t in zip(self._kids, self._seal_after)
        ]
        return f"Keys({', '.join(shown)})"

    __str__ = __repr__


def _iso_time(ms: int) -> str:
    try:
        moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    except OverflowError:
        return f"{ms}ms"
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


KeysLike = Union[str, Sequence[str], Keys]


def parse_keys(keys: KeysLike) -> Keys:
    """Parses a key list as the Rust crate's ``Keys::parse`` does.

    ``keys`` is a comma-separated string (e.g. ``os.environ["SESSION_KEYS"]``), a list of base64
    keys, or a :class:`Keys` (returned as is).

    Raises :class:`KeyListError` for an empty list, a key that is not base64 or not 32 bytes, or
    two keys with one key id.
    """
    if isinstance(keys, Keys):
        return keys
    if isinstance(keys, str):
        return _parse_parts(keys.split(","))
    if isinstance(keys, (list, tuple)):
        return _parse_parts(keys)
    raise TypeError("keys: expected a comma-separated string of base64 keys, a list of them, or Keys")


def _parse_parts(parts: Iterable[object]) -> Keys:
    keys: List[bytes] = []
    for part in parts:
        if not isinstance(part, str):
            raise TypeError("keys: each key must be a base64 string")
        text = part.strip(_WHITE_SPACE)
        if text:
            keys.append(_parse_key(text, len(keys) + 1))
    return Keys(keys)


def _parse_key(text: str, position: int) -> bytes:
    size = len(text.encode("utf-8"))
    # As the crate: a 32-byte key is 43 or 44 characters; anything much longer is not decoded.
    if size > 4 * KEY_LEN:
        raise KeyListError("bad_length", position=position, got=size // 4 * 3)
    key = decode_key(text)
    if key is None:
        raise KeyListError("bad_base64", position=position)
    if len(key) != KEY_LEN:
        raise KeyListError("bad_length", position=position, got=len(key))
    return key


def generate_key() -> str:
    """A new random key from the operating system's CSPRNG, as URL-safe base64 without padding."""
    return encode_token(secrets.token_bytes(KEY_LEN))
