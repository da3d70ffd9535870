"""The errors of the package.

None of their messages ever contains key bytes, token text or session data: only reason names,
positions, lengths and public key ids.
"""

from __future__ import annotations

from typing import Final, Optional

#: Refusal reasons a reader can give, in the order the opening steps check them: the names of
#: the Rust crate's ``Refusal::as_str``.
REASONS: Final = (
    "missing",
    "too_long",
    "malformed",
    "unknown_key",
    "forged",
    "created_in_future",
    "expired",
    "past_absolute_lifetime",
    "bad_data",
)


class RefusedError(Exception):
    """A token that was refused; :attr:`reason` says why (one of :data:`REASONS`)."""

    def __init__(self, reason: str) -> None:
        """Makes the error for ``reason``, one of :data:`REASONS`."""
        super().__init__(f"session token refused: {reason}")
        #: Why the token was refused.
        self.reason: str = reason


class KeyListError(ValueError):
    """A key list that could not be parsed.

    :attr:`code` is ``empty``, ``bad_base64``, ``bad_length`` or ``duplicate_kid``;
    :attr:`position` is the faulty key's 1-based position in the list (empty items not
    counted); :attr:`got` the decoded length for ``bad_length``; :attr:`kid` the shared public
    key id for ``duplicate_kid``.
    """

    def __init__(
        self,
        code: str,
        position: Optional[int] = None,
        got: Optional[int] = None,
        kid: Optional[str] = None,
    ) -> None:
        """Makes the error; the message says what to fix, never the key."""
        super().__init__(_key_message(code, position, got, kid))
        self.code: str = code
        self.position: Optional[int] = position
        self.got: Optional[int] = got
        self.kid: Optional[str] = kid


def _key_message(code: str, position: Optional[int], got: Optional[int], kid: Optional[str]) -> str:
    if code == "empty":
        return "no session key given: pass at least one 32-byte key in base64"
    if code == "bad_base64":
        return (
            f"session key #{position} is not valid base64: expected 43 or 44 characters "
            "of the standard or URL-safe base64 alphabet"
        )
    if code == "bad_length":
        return f"session key #{position} has the wrong length: expected 32 bytes, got {got} bytes"
    if code == "duplicate_kid":
        return (
            f"session key #{position} and an earlier one share the key id {kid}: "
            "each key may appear once in the list"
        )
    return f"bad session key list ({code})"


class SealError(Exception):
    """Sealing failed: :attr:`code` is ``too_large`` or ``bad_data``."""

    def __init__(self, code: str, message: str) -> None:
        """Makes the error; ``message`` says what to fix, never the data itself."""
        super().__init__(message)
        self.code: str = code
