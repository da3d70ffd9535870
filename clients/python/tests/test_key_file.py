"""Key files (docs/key-file.md): every case of the shared vectors' ``files`` array, sealing by
time (the key that seals just before and just after a key's seal-after), opening with every
key, what ``reseal`` says, the strict RFC 3339 reading of seal-after, the file's limits, and
error messages that name the line but never its text or a key. Every time is injected."""

from __future__ import annotations

import base64
import json
from calendar import timegm
from pathlib import Path
from typing import Any, Callable, Dict, List, Union

import pytest

import sealed_session_reader as ss
from sealed_session_reader.errors import KEY_FILE_CODES

from conftest import ROOT

FILES: List[Dict[str, Any]] = json.loads((ROOT / "tests" / "vectors" / "keys.json").read_text("utf-8"))["files"]

NEW = "AwoRGB8mLTQ7QklQV15lbHN6gYiPlp2kq7K5wMfO1dw"  # kid e0feebb6
OLD = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"  # kid 0054ba20
THIRD = "-vn49_b19PPy8fDv7u3s6-rp6Ofm5eTj4uHg397d3Ns"  # kid f337a2ce
AT = 1_796_464_800_000  # 2026-12-05T10:00:00Z
ROTATION = f"sealed-session-keys 1\n{NEW} seal-after=2026-12-05T10:00:00Z\n{OLD}\n"
OWN_WORDS = {"sealed-session-keys", "seal-after", "1"}


def utc_ms(*fields: int) -> int:
    """Unix ms of a UTC date-time (year, month, day, hour, minute, second, ms)."""
    *head, ms = (list(fields) + [0] * 7)[:7]
    return timegm(tuple(head) + (0, 0, 0)) * 1000 + ms


def raw(key: str) -> bytes:
    """A base64url key's bytes."""
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))


def refusal(fn: Callable[[], object]) -> ss.KeyFileError:
    """The KeyFileError ``fn`` raises."""
    with pytest.raises(ss.KeyFileError) as refused:
        fn()
    assert isinstance(refused.value, ss.KeyListError)
    return refused.value


def fields_of(line: str) -> List[str]:
    return [f for f in line.replace("\t", " ").split(" ") if f]


def assert_quiet(error: ss.KeyFileError, text: str) -> None:
    """The error says nothing of the file's text: no key of it, nothing of the line it names."""
    shown = f"{error}\n{error!r}\n{error.args}"
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    for line in lines:
        fields = fields_of(line)
        if not fields or fields[0].startswith("#") or fields[0] == "sealed-session-keys":
            continue
        if len(fields[0]) >= 4:
            assert fields[0] not in shown, f"a key is shown: {shown}"
    if error.line is None:
        return
    bad = lines[error.line - 1].strip(" \t")
    if len(bad) >= 4:
        assert bad not in shown, f"the line is shown: {shown}"
    for field in fields_of(bad):
        for part in [field, *field.split("=")]:
            if len(part) >= 4 and part not in OWN_WORDS:
                assert part not in shown, f"{part!r} of the line is shown: {shown}"


def test_the_vectors_hold_ok_and_refused_key_files() -> None:
    # A loop over no vectors would pass silently.
    assert len([f for f in FILES if f["ok"]]) >= 5
    assert len([f for f in FILES if not f["ok"]]) >= 15
    assert any("sealing_at" in f for f in FILES)
    # Every refusal is a name of the document's table.
    assert {f["error"] for f in FILES if not f["ok"]} <= set(KEY_FILE_CODES)


@pytest.mark.parametrize("case", FILES, ids=[f["name"] for f in FILES])
def test_key_file_vector(case: Dict[str, Any]) -> None:
    inputs: List[Union[str, bytes]] = [case["text"], case["text"].encode("utf-8")]
    for text in inputs:
        if case["ok"]:
            keys = ss.parse_key_file(text, now_ms=case["now_ms"])
            assert isinstance(keys, ss.Keys)
            assert keys.kids == case["kids"]
            assert keys.seal_after_ms == case["seal_after_ms"]
            assert keys.kids[keys.sealing_index_at(case["now_ms"])] == case["sealing"]
            for at in case.get("sealing_at", []):
                assert keys.kids[keys.sealing_index_at(at["now_ms"])] == at["sealing"], at
                # seal honours it: the token's clear key id is the sealing key's.
                token = ss.seal({"n": 1}, keys=keys, now=at["now_ms"])
                assert ss.inspect(token).kid == at["sealing"]
            assert ss.inspect(ss.seal({}, keys=keys, now=case["now_ms"])).kid == case["sealing"]
        else:
            error = refusal(lambda: ss.parse_key_file(text, now_ms=case["now_ms"]))
            assert (error.code, error.line) == (case["error"], case["line"])
            prefix = "key file: " if case["line"] is None else f"key file, line {case['line']}: "
            assert str(error).startswith(prefix), str(error)
            assert_quiet(error, case["text"])


def test_seal_uses_the_key_that_seals_at_its_time_just_before_and_after_seal_after() -> None:
    keys = ss.parse_key_file(ROTATION, now_ms=AT - 60_000)
    before = ss.seal({"at": "before"}, keys=keys, now=AT - 1)
    after = ss.seal({"at": "after"}, keys=keys, now=AT)
    assert ss.inspect(before).kid == "0054ba20"
    assert ss.inspect(after).kid == "e0feebb6"
    # Every key opens, whatever its time: both tokens, at either time.
    for now in (AT - 1, AT, AT + 1):
        old = ss.open(before, keys=keys, now=now)
        fresh = ss.open(after, keys=keys, now=now)
        assert (old.data, old.key_index) == ({"at": "before"}, 1)
        assert (fresh.data, fresh.key_index) == ({"at": "after"}, 0)
        # Re-seal only a token opened by a key listed after the one that seals now: the old
        # key's token from the time on, never the new key's (sealed by a clock ahead of ours).
        assert old.reseal == (now >= AT)
        assert fresh.reseal is False
    # A re-seal at the time moves the old token to the new key.
    opened = ss.open(before, keys=keys, now=AT)
    moved = ss.seal(opened.data, keys=keys, now=AT, replaces=opened, renewal=True)
    assert ss.inspect(moved).kid == "e0feebb6"
    assert ss.open(moved, keys=keys, now=AT).reseal is False
    # The same keys as a plain list (no times) seal with the first at any time.
    assert ss.inspect(ss.seal({}, keys=f"{NEW},{OLD}", now=AT - 1)).kid == "e0feebb6"


def test_a_list_without_times_seals_with_its_first_key_as_before() -> None:
    lists = [ss.parse_keys(f"{OLD},{NEW}"), ss.parse_key_file(f"sealed-session-keys 1\n{OLD}\n{NEW}\n", now_ms=0)]
    for keys in lists:
        assert keys.seal_after_ms == [None, None]
        assert repr(keys) == str(keys) == "Keys(0054ba20, e0feebb6)"
        for now in (0, AT, 2**64 - 1):
            assert keys.sealing_index_at(now) == 0
            assert keys.has_sealing_key_at(now)
        token = ss.seal({}, keys=keys, now=AT)
        assert ss.inspect(token).kid == "0054ba20"
        opened = ss.open(ss.seal({}, keys=NEW, now=AT), keys=keys, now=AT)
        assert (opened.key_index, opened.reseal) == (1, True)
        assert ss.open(token, keys=keys, now=AT).reseal is False


def test_with_no_key_sealing_at_the_time_seal_uses_the_key_whose_time_comes_first() -> None:
    # A list built in code: [a at AT+2, b at AT+1, c at AT+3].
    keys = ss.Keys([raw(NEW), raw(OLD), raw(THIRD)], [AT + 2, AT + 1, AT + 3])
    assert not keys.has_sealing_key_at(AT)
    assert keys.sealing_index_at(AT) == 1
    assert ss.inspect(ss.seal({}, keys=keys, now=AT)).kid == "0054ba20"
    assert keys.sealing_index_at(AT + 1) == 1
    # At AT + 2 the first key's time has passed: it seals, although b's passed earlier.
    assert keys.sealing_index_at(AT + 2) == 0
    # Ties: the first of them.
    assert ss.Keys([raw(NEW), raw(OLD)], [AT + 5, AT + 5]).sealing_index_at(AT) == 0
    # A key file loaded at a time, sealing at an earlier one: the same rule.
    case = next(f for f in FILES if f["name"] == "all-timed")
    loaded = ss.parse_key_file(case["text"], now_ms=case["now_ms"])
    early = min(case["seal_after_ms"]) - 1
    assert not loaded.has_sealing_key_at(early)
    assert ss.inspect(ss.seal({}, keys=loaded, now=early)).kid == "0054ba20"


def test_keys_built_in_code_check_their_times_and_print_no_key() -> None:
    pair = [raw(NEW), raw(OLD)]
    bad_times: List[Any] = [[AT], [-1, None], [1.5, None], [True, None], ["2026-12-05T10:00:00Z", None]]
    for times in bad_times:
        with pytest.raises(TypeError):
            ss.Keys(pair, times)
    keys = ss.parse_key_file(ROTATION, now_ms=AT)
    assert keys.seal_after_ms == [AT, None]
    shown = f"{keys!r} {keys} {[keys]}"
    assert "e0feebb6 seal-after=2026-12-05T10:00:00.000Z" in shown, shown
    for key in (NEW, OLD):
        assert key[:12] not in shown
    # The times given out are copies.
    keys.seal_after_ms[0] = 0
    assert keys.sealing_index_at(AT - 1) == 1


def seal_after(value: str) -> Union[int, str, None]:
    """The seal-after of ``value`` as a key file reads it, or the error code."""
    try:
        return ss.parse_key_file(f"sealed-session-keys 1\n{NEW} seal-after={value}\n{OLD}\n", now_ms=0).seal_after_ms[0]
    except ss.KeyFileError as e:
        assert e.line == 2
        return e.code


ACCEPTED = {
    "2026-12-05T10:00:00Z": AT,
    "2026-12-05t10:00:00z": AT,
    "2026-12-05T11:00:00+01:00": AT,
    "2026-12-05T09:30:00-00:30": AT,
    "2026-12-05T10:00:00-00:00": AT,
    "2026-12-06T09:59:00+23:59": AT,
    "2026-12-05T10:00:00.5Z": AT + 500,
    "2026-12-05T10:00:00.0019Z": AT + 1,
    "2026-12-05T10:00:00.999999999999Z": AT + 999,
    "2026-12-05T18:00:00.0019+08:00": AT + 1,
    "2024-02-29T00:00:00Z": utc_ms(2024, 2, 29),
    "1970-01-01T00:00:00Z": 0,
    "1969-12-31T23:00:00-01:00": 0,
    "9999-12-31T23:59:59.999Z": 253_402_300_799_999,
    # A leap second, where one can be (23:59:60 UTC on a month's last day): the minute's last ms.
    "2016-12-31T23:59:60Z": utc_ms(2016, 12, 31, 23, 59, 59, 999),
    "2016-12-31T23:59:60.5Z": utc_ms(2016, 12, 31, 23, 59, 59, 999),
    "2017-01-01T08:59:60+09:00": utc_ms(2016, 12, 31, 23, 59, 59, 999),
    "2026-06-30T23:59:60Z": utc_ms(2026, 6, 30, 23, 59, 59, 999),
}

REFUSED = [
    "",
    # The year 10000 in UTC, which no key file can write back.
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59-00:01",
    "2026-12-05",
    "2026-12-05T10:00:00",
    "2026-12-05T10:00Z",
    "2026-12-05X10:00:00Z",
    "2026-12-05_10:00:00Z",
    "26-12-05T10:00:00Z",
    "+2026-12-05T10:00:00Z",
    "02026-12-05T10:00:00Z",
    "2026-12-5T10:00:00Z",
    "2026-12-05T10:00:00.Z",
    "2026-12-05T10:00:00,5Z",
    "2026-12-05T10:00:00+0100",
    "2026-12-05T10:00:00+01",
    "2026-12-05T10:00:00ZZ",
    "2026-12-05T10:00:00Z\u00a0",
    "2026-12-05T10:00:00UTC",
    "\uff12\uff10\uff12\uff16-12-05T10:00:00Z",  # fullwidth digits, which Python's \d would take
    "2026-12-05T1\u0660:00:00Z",  # an Arabic-Indic zero
    "2026-13-01T00:00:00Z",
    "2026-00-01T00:00:00Z",
    "2026-12-00T00:00:00Z",
    "2026-12-32T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2100-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-12-05T24:00:00Z",
    "2026-12-05T10:60:00Z",
    "2026-12-05T10:00:61Z",
    "2026-12-05T10:00:60Z",
    "2016-12-31T23:58:60Z",
    "2016-12-31T23:59:60+01:00",
    "2026-12-05T10:00:00+24:00",
    "2026-12-05T10:00:00+05:60",
    "1969-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00+00:01",
    "0000-01-01T00:00:00Z",
    "0099-01-01T00:00:00Z",
    # What datetime.fromisoformat (3.11+) takes and RFC 3339 does not.
    "20261205T100000Z",
    "2026-12-05T10:00:00.123+01:00:30",
    "2026-W49-6T10:00:00Z",
    "2026-12-05T10Z",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_seal_after_is_rfc_3339_counted_to_the_millisecond_rounded_down(value: str) -> None:
    assert seal_after(value) == ACCEPTED[value]


@pytest.mark.parametrize("value", REFUSED)
def test_seal_after_that_is_not_rfc_3339_is_refused(value: str) -> None:
    assert seal_after(value) == "bad_time"


def code(text: str) -> Union[int, str]:
    """How many keys the file loads at AT, or ``code@line``."""
    try:
        return len(ss.parse_key_file(text, now_ms=AT))
    except ss.KeyFileError as e:
        return f"{e.code}@{e.line}"


def test_lines_comments_blanks_line_ends_format_line_and_attributes() -> None:
    text = (
        f"\t# c\n \t \nsealed-session-keys 1 # version one\r\n\t{OLD}\t# old\t\r\n"
        f"{NEW} seal-after=2026-01-01T00:00:00Z #x seal-after=bad\r"
    )
    assert code(text) == 2
    assert code(f"sealed-session-keys 1\n{OLD}#not-a-comment\n") == "bad_base64@2"
    assert code(f"sealed-session-keys 1\n{OLD} #\n") == 1
    assert code(f"sealed-session-keys 1\n{OLD}\r\r\n") == 1  # one \r dropped, one trimmed as in SESSION_KEYS
    assert code(f"sealed-session-keys 1\n{OLD}\rx\n") == "bad_base64@2"
    assert code(f"sealed-session-keys 1\n{OLD}\u00a0\n") == 1  # as SESSION_KEYS: the key is trimmed
    assert code(f"sealed-session-keys 1\n{OLD}\u00a0seal-after=2026-01-01T00:00:00Z\n") == "bad_base64@2"
    assert code(f"sealed-session-keys 1\n{OLD}\u2003{NEW}\n") == "bad_base64@2"  # blanks are spaces and tabs
    assert code(f"sealed-session-keys\n{OLD}\n") == "no_format_line@1"
    assert code(f"Sealed-Session-Keys 1\n{OLD}\n") == "no_format_line@1"
    assert code(f"\ufeffsealed-session-keys 1\n{OLD}\n") == "no_format_line@1"
    assert code(f"# c\nsealed-session-keys 1 2\n{OLD}\n") == "unsupported_version@2"
    assert code(f"sealed-session-keys 01\n{OLD}\n") == "unsupported_version@1"
    assert code(f"sealed-session-keys 1\n{OLD}\nsealed-session-keys 1\n") == "bad_length@3"
    assert code(f"sealed-session-keys 1\n{OLD} =x\n") == "bad_attribute@2"
    assert code(f"sealed-session-keys 1\n{OLD} Seal-After=2026-01-01T00:00:00Z\n") == "bad_attribute@2"
    assert code(f"sealed-session-keys 1\n{OLD} seal-after\n") == "bad_attribute@2"
    assert code(f"sealed-session-keys 1\n{OLD} seal-after=\n") == "bad_time@2"
    assert code(f"sealed-session-keys 1\n{OLD} seal-after=2026-01-01T00:00:00Z=\n") == "bad_time@2"
    # One line's checks in the order of its fields: the key first, then each attribute (its value
    # read before the repetition is seen), then the key id against the earlier keys.
    assert code("sealed-session-keys 1\nnot*base64 bare\n") == "bad_base64@2"
    assert code(f"sealed-session-keys 1\n{OLD} seal-after=2026-01-01T00:00:00Z seal-after=bad\n") == "bad_time@2"
    twice = f"sealed-session-keys 1\n{OLD} seal-after=2026-01-01T00:00:00Z seal-after=2026-01-01T00:00:00Z\n"
    assert code(twice) == "repeated_attribute@2"
    assert code(f"sealed-session-keys 1\n{OLD}\n{OLD} bare\n") == "bad_attribute@3"
    # The first failing line wins: a duplicate before a bad key, a bad key before a duplicate.
    assert code(f"sealed-session-keys 1\n{OLD}\n{OLD}\nnot*base64\n") == "duplicate_kid@3"
    assert code(f"sealed-session-keys 1\n{OLD}\nnot*base64\n{OLD}\n") == "bad_base64@3"


def test_limits_64_keys_65536_utf8_bytes_and_utf8_text() -> None:
    def listing(n: int) -> str:
        keys = [base64.urlsafe_b64encode(bytes([i]) * 32).rstrip(b"=").decode() for i in range(n)]
        return "sealed-session-keys 1\n" + "\n".join(keys) + "\n"

    assert len(ss.parse_key_file(listing(64), now_ms=0)) == 64
    many = refusal(lambda: ss.parse_key_file(f"{listing(64)}# more\nnot*base64\n", now_ms=0))
    assert (many.code, many.line) == ("too_many_keys", 67)

    head = f"sealed-session-keys 1\n{OLD}\n#"
    exactly = head + "x" * (65_536 - len(head) - 1) + "\n"
    assert len(exactly.encode()) == 65_536
    assert len(ss.parse_key_file(exactly, now_ms=0)) == 1
    assert len(ss.parse_key_file(exactly.encode(), now_ms=0)) == 1
    for big in (exactly + "\n", head + "\u00e9" * 32_768):
        assert len(big) <= 65_537 and len(big.encode()) > 65_536
        for data in (big, big.encode(), bytearray(big.encode())):
            error = refusal(lambda: ss.parse_key_file(data, now_ms=0))
            assert (error.code, error.line) == ("too_large", None)
    # Too large before anything else: not UTF-8 either.
    assert refusal(lambda: ss.parse_key_file(b"\xff" + b"#" * 65_536, now_ms=0)).code == "too_large"

    assert len(ss.parse_key_file(f"sealed-session-keys 1\n# caf\u00e9\n{OLD}\n".encode(), now_ms=0)) == 1
    bad_inputs: List[Union[str, bytes]] = [
        f"sealed-session-keys 1\n{OLD}\n# ".encode() + b"\xc3\x28",
        b"\xed\xa0\x80",  # an encoded surrogate
        b"\xc0\x80",  # an overlong NUL
        f"sealed-session-keys 1\n{OLD}\n# \ud800\n",  # a str with a lone surrogate
    ]
    for data in bad_inputs:
        bad = refusal(lambda: ss.parse_key_file(data, now_ms=0))
        assert (bad.code, bad.line) == ("not_utf8", None)
        assert OLD not in str(bad)
    wrong: Any = 42
    with pytest.raises(TypeError):
        ss.parse_key_file(wrong)
    bad_nows: List[Any] = [-1, "now", 1.5, True]
    for now in bad_nows:
        with pytest.raises(TypeError):
            ss.parse_key_file(ROTATION, now_ms=now)


def test_none_sealing_is_checked_at_the_time_of_loading_by_default_the_clock() -> None:
    future = f"sealed-session-keys 1\n{NEW} seal-after=9999-01-01T00:00:00Z\n"
    assert refusal(lambda: ss.parse_key_file(future)).code == "none_sealing"
    assert refusal(lambda: ss.parse_key_file(future, now_ms=253_370_764_799_999)).code == "none_sealing"
    assert len(ss.parse_key_file(future, now_ms=253_370_764_800_000)) == 1
    # With a key without a time, a file whose other key's time is far ahead loads now.
    keys = ss.parse_key_file(f"sealed-session-keys 1\n{NEW} seal-after=9999-01-01T00:00:00Z\n{OLD}\n")
    assert ss.inspect(ss.seal({}, keys=keys)).kid == "0054ba20"


def test_read_key_file_reads_at_most_65536_bytes_and_its_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(ROTATION, "utf-8")
    for where in (path, str(path)):
        keys = ss.read_key_file(where, now_ms=AT)
        assert (keys.kids, keys.seal_after_ms) == (["e0feebb6", "0054ba20"], [AT, None])
    text = f"sealed-session-keys 1\n{OLD}\n{OLD[:32]}\n"
    path.write_text(text, "utf-8")
    short = refusal(lambda: ss.read_key_file(path, now_ms=AT))
    assert (short.code, short.line, short.path) == ("bad_length", 3, str(path))
    assert str(short).startswith(f"key file {path}, line 3: "), str(short)
    assert_quiet(short, text)
    path.write_bytes(b"#" * 65_537)
    big = refusal(lambda: ss.read_key_file(path))
    assert (big.code, big.line) == ("too_large", None)
    path.write_text(ROTATION + "#" * (65_536 - len(ROTATION)), "utf-8")
    assert len(ss.read_key_file(path, now_ms=AT)) == 2
    missing = refusal(lambda: ss.read_key_file(tmp_path / "missing"))
    assert (missing.code, missing.line) == ("unreadable", None)
    assert str(missing) == f"key file {tmp_path / 'missing'}: it cannot be read (No such file or directory)"
    assert isinstance(missing.__cause__, FileNotFoundError)
    assert refusal(lambda: ss.read_key_file(tmp_path)).code == "unreadable"


def test_session_keys_lists_parse_as_before() -> None:
    keys = ss.parse_keys(f" {OLD} ,, {NEW} ")
    assert (keys.kids, keys.seal_after_ms) == (["0054ba20", "e0feebb6"], [None, None])
    with pytest.raises(ss.KeyListError) as bad:
        ss.parse_keys(f"{OLD},{OLD}")
    assert not isinstance(bad.value, ss.KeyFileError)
    assert bad.value.code == "duplicate_kid"
