"""Two base64 decoders with the exact rules of the Rust crate.

- tokens: base64url without padding, URL-safe alphabet only, canonical trailing bits;
- keys: standard or URL-safe alphabet, padding optional but never more than canonical,
  canonical trailing bits, URL-safe tried first.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Optional

_URL_SAFE = re.compile(r"[A-Za-z0-9_-]*")
_STANDARD = re.compile(r"[A-Za-z0-9+/]*")


def decode_token(text: str) -> Optional[bytes]:
    """Decodes a token's text, or returns ``None`` if it is not strict base64url without padding."""
    if not _URL_SAFE.fullmatch(text) or len(text) % 4 == 1:
        return None
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # Re-encoding gives the text back only if its trailing bits were zero (canonical).
    return raw if encode_token(raw) == text else None


def encode_token(raw: bytes) -> str:
    """Encodes bytes as base64url without padding."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode_lenient(text: str, alphabet: re.Pattern[str]) -> Optional[bytes]:
    data = text.rstrip("=")
    pads = len(text) - len(data)
    rem = len(data) % 4
    # Padding may only complete the last quad, never pass it: 2 chars + 0-2, 3 chars + 0-1.
    max_pads = 2 if rem == 2 else 1 if rem == 3 else 0
    if not alphabet.fullmatch(data) or rem == 1 or pads > max_pads:
        return None
    standard = data.replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except binascii.Error:
        return None
    canonical = base64.b64encode(raw).rstrip(b"=").decode("ascii")
    return raw if canonical == standard else None


def decode_key(text: str) -> Optional[bytes]:
    """Decodes a trimmed key as the crate does: URL-safe alphabet first, then standard."""
    raw = _decode_lenient(text, _URL_SAFE)
    return raw if raw is not None else _decode_lenient(text, _STANDARD)
