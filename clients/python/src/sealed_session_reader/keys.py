"""Key lists, parsed exactly as the Rust crate's ``Keys::parse``.

Comma-separated base64 keys, blanks around each trimmed, empty items skipped; the first key
seals, every key opens.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Iterable, List, Sequence, Union

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
    """An ordered, non-empty key list with distinct key ids.

    Its key bytes are never printed: ``repr`` and ``str`` show only the key ids.
    """

    __slots__ = ("_keys", "_kids")

    def __init__(self, keys: Sequence[bytes]) -> None:
        """A list from 32-byte keys, the sealing key first; prefer :func:`parse_keys`."""
        if not keys:
            raise KeyListError("empty")
        kids = [kid_of(k) for k in keys]
        for i, kid in enumerate(kids):
            if kids.index(kid) < i:
                raise KeyListError("duplicate_kid", position=i + 1, kid=kid)
        self._keys: List[bytes] = [bytes(k) for k in keys]
        self._kids: List[str] = kids

    @property
    def kids(self) -> List[str]:
        """The public key ids (8 hex digits each), the sealing key's first."""
        return list(self._kids)

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
        """The key ids only."""
        return f"Keys({', '.join(self._kids)})"

    __str__ = __repr__


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
