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

    :attr:`code` is ``empty``, ``bad_base64``, ``bad_length`` or ``duplicate_kid`` (a key
    file's errors are a :class:`KeyFileError`, a subclass, with the codes of its table);
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


#: The error names of docs/key-file.md's table, in the order a reader checks them.
KEY_FILE_CODES: Final = (
    "too_large",
    "not_utf8",
    "no_format_line",
    "unsupported_version",
    "bad_base64",
    "bad_length",
    "bad_attribute",
    "repeated_attribute",
    "bad_time",
    "no_key",
    "too_many_keys",
    "duplicate_kid",
    "none_sealing",
)


class KeyFileError(KeyListError):
    """A key file that was refused (docs/key-file.md), or that could not be read.

    :attr:`code` is the error name of the document's table (``bad_length``, ``none_sealing``,
    ...; ``unreadable`` for a file that could not be read); :attr:`line` the line it is wrong
    on, counted from 1, or ``None`` for an error of the whole file; :attr:`path` the file, for
    :func:`read_key_file`. The message names the line and what is wrong, never the line's text
    nor a key.
    """

    def __init__(
        self,
        code: str,
        line: Optional[int] = None,
        *,
        got: Optional[int] = None,
        kid: Optional[str] = None,
        path: Optional[str] = None,
        reason: Optional[str] = None,
    ) -> None:
        """Makes the error; the message says where and what, never the line's text."""
        where = "key file" if path is None else f"key file {path}"
        at = "" if line is None else f", line {line}"
        ValueError.__init__(self, f"{where}{at}: {_key_file_message(code, got, kid, reason)}")
        self.code = code
        self.position = None
        self.got = got
        self.kid = kid
        #: The line the file is wrong on, counted from 1; ``None`` for the whole file.
        self.line: Optional[int] = line
        #: The file, for :func:`read_key_file`.
        self.path: Optional[str] = path
        self._reason = reason

    def in_file(self, path: str) -> KeyFileError:
        """The same error, naming the file it was read from."""
        error = KeyFileError(self.code, self.line, got=self.got, kid=self.kid, path=path, reason=self._reason)
        error.__cause__ = self.__cause__
        return error


def _key_file_message(code: str, got: Optional[int], kid: Optional[str], reason: Optional[str]) -> str:
    messages = {
        "unreadable": f"it cannot be read ({reason})" if reason else "it cannot be read",
        "too_large": "it is over 65536 bytes",
        "not_utf8": "it is not UTF-8 text",
        "no_format_line": "expected the format line `sealed-session-keys 1` before the keys",
        "unsupported_version": (
            "the format line names a version this reader cannot read (it reads `sealed-session-keys 1`)"
        ),
        "bad_base64": (
            "the key is not valid base64: expected 43 or 44 characters of the standard or URL-safe base64 alphabet"
        ),
        "bad_length": (
            f"the key has the wrong length: expected 32 bytes (43 or 44 base64 characters), got {got} bytes"
        ),
        "bad_attribute": (
            "after the key, expected attributes `name=value` (version 1 knows `seal-after`) "
            "or a comment starting with #"
        ),
        "repeated_attribute": "an attribute is given twice",
        "bad_time": "seal-after is not an RFC 3339 date-time from 1970 on, such as 2030-06-01T12:00:00+02:00",
        "no_key": "it lists no key",
        "too_many_keys": "it lists more than 64 keys",
        "duplicate_kid": f"this key has the key id {kid} of an earlier key: each key may appear once",
        "none_sealing": (
            "no key seals yet: every key's seal-after is still to come "
            "(one key must have no seal-after, or one that has passed)"
        ),
    }
    return messages.get(code, f"refused ({code})")


class SealError(Exception):
    """Sealing failed: :attr:`code` is ``too_large`` or ``bad_data``."""

    def __init__(self, code: str, message: str) -> None:
        """Makes the error; ``message`` says what to fix, never the data itself."""
        super().__init__(message)
        self.code: str = code
