"""sealed-session-reader: open and seal sealed-session tokens from Python.

Tokens are XChaCha20-Poly1305 seals (libsodium, through PyNaCl) in the format of the Rust crate
``sealed-session``, versions 1 and 2::

    import os
    import sealed_session_reader as ss

    opened = ss.open(request.headers.get("x-session"), keys=os.environ["SESSION_KEYS"])
    print(opened.sid, opened.data)

Keys come from ``SESSION_KEYS`` (:func:`parse_keys`) or a key file (:func:`parse_key_file`,
:func:`read_key_file`), whose keys may seal from a set time.
"""

from .errors import REASONS, KeyFileError, KeyListError, RefusedError, SealError
from .keyfile import parse_key_file, read_key_file
from .keys import Keys, generate_key, kid_of, parse_keys
from .token import (
    DEFAULT_ABSOLUTE_LIFETIME_MS,
    DEFAULT_MAX_AGE_MS,
    DEFAULT_MAX_LEN,
    DEFAULT_SKEW_MS,
    Inspected,
    Opened,
    inspect,
    open,
    seal,
)

__all__ = [
    "DEFAULT_ABSOLUTE_LIFETIME_MS",
    "DEFAULT_MAX_AGE_MS",
    "DEFAULT_MAX_LEN",
    "DEFAULT_SKEW_MS",
    "REASONS",
    "Inspected",
    "KeyFileError",
    "KeyListError",
    "Keys",
    "Opened",
    "RefusedError",
    "SealError",
    "generate_key",
    "inspect",
    "kid_of",
    "open",
    "parse_key_file",
    "parse_keys",
    "read_key_file",
    "seal",
]
__version__ = "0.1.0"
