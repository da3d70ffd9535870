"""open and seal beyond the vectors: the line and generation rules, key rotation, the time
checks at their boundaries, the size cap, data that cannot be sealed, and secrets that are
never printed. Every time is injected (``now``): nothing waits on the clock."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

import sealed_session_reader as ss
from sealed_session_reader.data import MAX_DEPTH

KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
OLD = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM"
NOW = 1_750_000_000_000
V1 = "AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlFQggV9mH8f7H9KT2083V2"
V2 = "AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11ifY0ShkC9PfseS5l_QrmgBg"
VECTOR_NOW = 1_700_000_000_000


def reason(token: Any, **options: Any) -> str:
    """The refusal reason, or ``opened``."""
    try:
        ss.open(token, **options)
    except ss.RefusedError as e:
        return e.reason
    return "opened"


def test_a_new_session_gets_a_fresh_line_generation_1_and_the_times_of_now() -> None:
    a = ss.seal({"user": 42}, keys=KEY, now=NOW)
    b = ss.seal({"user": 42}, keys=KEY, now=NOW)
    opened = ss.open(a, keys=KEY, now=NOW)
    assert (opened.version, opened.generation) == (2, 1)
    assert len(opened.line) == 8 and len(opened.sid) == 32
    assert opened.data == {"user": 42}
    assert (opened.created_ms, opened.max_age_ms, opened.expires_ms) == (
        NOW,
        ss.DEFAULT_MAX_AGE_MS,
        NOW + ss.DEFAULT_MAX_AGE_MS,
    )
    other = ss.open(b, keys=KEY, now=NOW)
    assert other.line != opened.line and other.sid != opened.sid
    assert a[37:] != b[37:]


def test_a_change_carries_the_generation_plus_one() -> None:
    opened = ss.open(V2, keys=KEY, now=VECTOR_NOW)
    later = VECTOR_NOW + 1000
    token = ss.seal({"views": {"/foo": 2}}, keys=KEY, now=later, replaces=opened)
    nxt = ss.open(token, keys=KEY, now=later)
    assert (nxt.line, nxt.generation, nxt.sid, nxt.created_ms, nxt.expires_ms) == (
        "c0c1c2c3",
        8,
        opened.sid,
        opened.created_ms,
        later + opened.max_age_ms,
    )


def test_a_renewal_keeps_the_generation() -> None:
    opened = ss.open(V2, keys=KEY, now=VECTOR_NOW)
    token = ss.seal(opened.data, keys=KEY, now=VECTOR_NOW, replaces=opened, renewal=True)
    assert (ss.inspect(token).line, ss.inspect(token).generation) == ("c0c1c2c3", 7)


def test_a_version_1_token_continues_on_its_nonce_prefix_from_generation_0() -> None:
    opened = ss.open(V1, keys=KEY, now=VECTOR_NOW)
    assert (opened.version, opened.line, opened.generation) == (1, "40414243", 0)
    changed = ss.inspect(ss.seal({}, keys=KEY, now=VECTOR_NOW, replaces=opened))
    assert (changed.version, changed.line, changed.generation) == (2, "40414243", 1)
    renewed = ss.inspect(ss.seal({}, keys=KEY, now=VECTOR_NOW, replaces=opened, renewal=True))
    assert (renewed.line, renewed.generation) == ("40414243", 0)


def test_the_generation_saturates_and_replaces_is_checked() -> None:
    top = 2**32 - 1
    for start in (top - 1, top):
        token = ss.seal({}, keys=KEY, now=NOW, replaces={"line": "01020304", "generation": start})
        assert ss.open(token, keys=KEY, now=NOW).generation == top
    with pytest.raises(TypeError):
        ss.seal({}, keys=KEY, now=NOW, replaces={"line": "0102", "generation": 1})
    with pytest.raises(TypeError):
        ss.seal({}, keys=KEY, now=NOW, replaces={"line": "01020304", "generation": top + 1})


def test_rotation_first_key_seals_every_key_opens() -> None:
    old = ss.seal({"a": 1}, keys=OLD, now=NOW)
    opened = ss.open(old, keys=f"{KEY},{OLD}", now=NOW)
    assert opened.key_index == 1
    resealed = ss.seal(opened.data, keys=[KEY, OLD], now=NOW, replaces=opened, renewal=True)
    assert ss.open(resealed, keys=KEY, now=NOW).key_index == 0
    assert reason(resealed, keys=OLD, now=NOW) == "unknown_key"


def test_time_checks_at_their_boundaries() -> None:
    token = ss.seal({}, keys=KEY, now=NOW, max_age_ms=1000)
    assert reason(token, keys=KEY, now=NOW - 60_000) == "opened"
    assert reason(token, keys=KEY, now=NOW - 60_001) == "created_in_future"
    assert reason(token, keys=KEY, now=NOW - 1, skew=0) == "created_in_future"
    assert reason(token, keys=KEY, now=NOW + 999) == "opened"
    assert reason(token, keys=KEY, now=NOW + 1000) == "expired"
    long = ss.seal({}, keys=KEY, now=NOW, max_age_ms=40 * 86_400_000)
    edge = NOW + ss.DEFAULT_ABSOLUTE_LIFETIME_MS
    assert reason(long, keys=KEY, now=edge - 1) == "opened"
    assert reason(long, keys=KEY, now=edge) == "past_absolute_lifetime"
    assert reason(long, keys=KEY, now=edge, absolute_lifetime=None) == "opened"
    assert reason(long, keys=KEY, now=NOW + 5, absolute_lifetime=5) == "past_absolute_lifetime"


def test_the_size_cap_when_opening_and_sealing() -> None:
    assert reason(V1, keys=KEY, now=VECTOR_NOW, max_len=140) == "opened"
    assert reason(V1, keys=KEY, now=VECTOR_NOW, max_len=139) == "too_long"
    assert reason(V1.encode(), keys=KEY, now=VECTOR_NOW, max_len=139) == "too_long"
    assert reason("!" * 5000, keys=KEY) == "too_long"
    data = {"blob": "x" * 2900}
    size = len(ss.seal(data, keys=KEY, now=NOW))
    assert len(ss.seal(data, keys=KEY, now=NOW, max_len=size)) == size
    with pytest.raises(ss.SealError) as error:
        ss.seal(data, keys=KEY, now=NOW, max_len=size - 1)
    assert error.value.code == "too_large" and "xxx" not in str(error.value)


def _nest(n: int) -> Any:
    return 1 if n == 0 else [_nest(n - 1)]


@pytest.mark.parametrize(
    "data",
    [[1], None, {"a": float("nan")}, {"a": float("inf")}, {1: "int key"}, {"a": object()}, {"\ud800": 1}, {"a": _nest(101)}],
    ids=["list", "none", "nan", "inf", "int-key", "object", "lone-surrogate-key", "value-101-deep"],
)
def test_data_that_would_not_open_back_is_not_sealed(data: Any) -> None:
    with pytest.raises(ss.SealError) as error:
        ss.seal(data, keys=KEY, now=NOW)
    assert error.value.code == "bad_data"


def test_json_values_are_sealed_and_open_back() -> None:
    # A value nested 100 deep (the crate's MAX_DEPTH) and a lone surrogate in a value, as \\u escape.
    data = {"a": _nest(100), "b": "\U0001f389 \"quoted\"\n\ud800", "c": [None, True, 2.5, -0.0, 10**20]}
    assert ss.open(ss.seal(data, keys=KEY, now=NOW), keys=KEY, now=NOW).data == data


def _seal_raw(data: bytes, version: int = 2) -> str:
    """A token whose data is ``data`` as given, sealed under KEY with PyNaCl alone (no check of
    the reader's own seal in the way): what another implementation could send."""
    kid = ss.parse_keys(KEY).kids[0]
    head = bytes([version]) + bytes.fromhex(kid) + (b"" if version == 1 else bytes(4) + struct.pack(">I", 1))
    nonce = bytes(range(24))
    plain = struct.pack(">QQQ", NOW, NOW + 1000, 1000) + bytes(16) + data
    key = bytes(range(32))  # KEY's bytes
    return ss._base64.encode_token(head + nonce + crypto_aead_xchacha20poly1305_ietf_encrypt(plain, head, nonce, key))


def _deep(levels: int, inner: str = "1") -> str:
    """JSON text nesting arrays ``levels`` deep around ``inner``."""
    return "[" * levels + inner + "]" * levels


@pytest.mark.parametrize("version", [1, 2])
def test_open_refuses_a_value_nested_deeper_than_max_depth(version: int) -> None:
    # Exercise: values at the limit (100 levels: the object 101) and one level past it, sealed
    # outside the reader. Expectation: the first open, the second is refused as bad_data.
    assert MAX_DEPTH == 100
    at_limit = _seal_raw(f'{{"a":{_deep(100)}}}'.encode(), version)
    assert ss.open(at_limit, keys=KEY, now=NOW).data == {"a": _nest(100)}
    too_deep = _seal_raw(f'{{"a":{_deep(101)}}}'.encode(), version)
    assert reason(too_deep, keys=KEY, now=NOW) == "bad_data"


@pytest.mark.parametrize(
    "value, opens",
    [
        (_deep(99, "[]"), True),  # an empty array counts as a level: 100
        (_deep(100, "[]"), False),  # 101
        (_deep(100, "{}"), False),
        ('{"b":' * 99 + "1" + "}" * 99, True),  # objects count as arrays do
        ('{"b":' * 100 + "[]" + "}" * 100, False),
        ('{"b":[' * 50 + "0" + "]}" * 50, True),  # mixed: 100
        ('{"b":[' * 50 + "{}" + "]}" * 50, False),  # mixed: 101
        ('"' + "[" * 500 + '"', True),  # brackets in a string are text
        (_deep(100, '"]]]]{{{{\\\"["'), True),  # and so are escaped quotes in one
        ("[" + ",".join([_deep(99)] * 50) + "]", True),  # width does not add up
    ],
    ids=["empty-100", "empty-101", "object-101", "objects-100", "objects-101", "mixed-100", "mixed-101", "string", "escapes", "wide"],
)
def test_the_depth_at_open_counts_arrays_and_objects_outside_strings(value: str, opens: bool) -> None:
    token = _seal_raw(f'{{"first":0,"a":{value}}}'.encode())
    assert reason(token, keys=KEY, now=NOW, max_len=100_000) == ("opened" if opens else "bad_data")


def test_open_refuses_any_member_too_deep_without_exhausting_the_stack() -> None:
    # Exercise: the second of two values too deep, and values far past Python's recursion
    # limit (unclosed too). Expectation: bad_data, no RecursionError, quickly.
    assert reason(_seal_raw(f'{{"a":{_deep(100)},"b":{_deep(101)}}}'.encode()), keys=KEY, now=NOW) == "bad_data"
    for data in (f'{{"a":{_deep(100_000)}}}', '{"a":' + "[" * 100_000, '{"a":' + '{"b":' * 50_000 + "1" + "}" * 50_001):
        assert reason(_seal_raw(data.encode()), keys=KEY, now=NOW, max_len=1_000_000) == "bad_data"


def test_token_text_and_key_bytes_are_never_printed() -> None:
    keys = ss.parse_keys(f"{KEY},{OLD}")
    for shown in (repr(keys), str(keys)):
        assert KEY[:10] not in shown and OLD[:10] not in shown and "0054ba20" in shown
    messages = []
    for token, options in ((V2, {"keys": OLD}), (V2[:60] + "A" + V2[61:], {"keys": KEY}), (V2, {"keys": KEY, "now": 0})):
        with pytest.raises(ss.RefusedError) as refused:
            ss.open(token, **options)
        messages.append(f"{refused.value} {refused.value!r}")
    with pytest.raises(ss.KeyListError) as bad:
        ss.parse_keys(f"{KEY},{KEY[:40]}")
    messages.append(f"{bad.value} {bad.value!r}")
    opened = ss.open(V2, keys=KEY, now=VECTOR_NOW)
    messages.append(repr(opened))
    for text in messages:
        assert V2[20:40] not in text and KEY[5:25] not in text and "/foo" not in text, text


def test_inspect_reads_the_clear_prefix_without_a_key() -> None:
    assert ss.inspect(V2) == ss.Inspected(True, None, 151, 2, "0054ba20", "c0c1c2c3", 7)
    assert (ss.inspect(V1).line, ss.inspect(V1).generation) == ("40414243", 0)
    assert ss.inspect("").problem == "missing"
    assert ss.inspect("hello").problem == "malformed"
    assert not ss.inspect(V1 + "=").could_be_token
    assert not ss.inspect(V2[:124]).could_be_token


def test_a_non_ascii_context_is_bound_as_utf8() -> None:
    token = ss.seal({"ok": True}, keys=KEY, now=NOW, context="café-应用")
    assert ss.open(token, keys=KEY, now=NOW, context="café-应用").data == {"ok": True}
    assert reason(token, keys=KEY, now=NOW, context="cafe-应用") == "forged"


def test_missing_tokens_and_bad_options() -> None:
    assert reason(None, keys=KEY) == "missing"
    assert reason(b"", keys=KEY) == "missing"
    assert reason("é" * 10, keys=KEY) == "malformed"
    with pytest.raises(ss.KeyListError):
        ss.open(V2, keys="")
    with pytest.raises(TypeError):
        ss.open(V2, keys=KEY, now=-1)
    assert len(ss.parse_keys([ss.generate_key(), ss.generate_key()])) == 2


def test_replaces_may_be_a_mapping_with_the_opened_fields() -> None:
    replaces = {"line": "0a0b0c0d", "generation": 3, "sid": "00" * 16, "created_ms": 5, "max_age_ms": 1000}
    opened = ss.open(ss.seal({}, keys=KEY, now=10, replaces=replaces), keys=KEY, now=10)
    assert (opened.line, opened.generation, opened.sid, opened.created_ms, opened.expires_ms) == ("0a0b0c0d", 4, "00" * 16, 5, 1010)
