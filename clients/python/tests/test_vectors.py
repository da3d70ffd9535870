"""Every vector file against the reader: passing vectors open to their fields (and version 2
ones seal back byte for byte), failing ones are refused with their reason, key lists parse as
the crate parses them."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import sealed_session_reader as ss
from sealed_session_reader.token import _seal_with

from conftest import VECTORS, cases, ids


def test_every_kind_of_vector_is_there() -> None:
    # Exercise: count what the files hold. Expectation: v1 and v2 passing vectors, refusals of
    # every reason a reader gives, and key lists (a test over no vectors would pass silently).
    versions = {ss.inspect(v["token"]).version for v in cases("pass")}
    assert versions == {1, 2}
    assert {v["reason"] for v in cases("fail")} == set(ss.REASONS)
    assert len(VECTORS["keys"]) >= 30
    assert len(VECTORS["opens"]) >= 10


@pytest.mark.parametrize("vector", cases("pass"), ids=ids("pass"))
def test_passing_vector_opens(vector: Dict[str, Any]) -> None:
    opened = ss.open(
        vector["token"],
        keys=vector["keys"],
        context=vector["context"],
        now=vector["open_at_ms"],
        absolute_lifetime=None,
    )
    seal_key = ss.parse_keys(vector["keys"]).kids[vector["seal_key"]]
    version = opened.version
    assert version == (2 if "generation" in vector else 1)
    assert opened.kid == seal_key
    assert opened.key_index == vector["seal_key"]
    assert opened.line == vector.get("line", vector["nonce"][:8])
    assert opened.generation == vector.get("generation", 0)
    assert (opened.created_ms, opened.expires_ms, opened.max_age_ms) == (
        vector["created_ms"],
        vector["expires_ms"],
        vector["max_age_ms"],
    )
    assert opened.sid == vector["sid"]
    assert opened.data == vector["data"]


@pytest.mark.parametrize("vector", cases("pass"), ids=ids("pass"))
def test_version_2_seals_back_byte_for_byte(vector: Dict[str, Any]) -> None:
    # Exercise: seal the vector's fields with its nonce, line and generation. Expectation: a
    # version 2 vector comes back exactly (the data as serde_json writes it); a version 1
    # vector comes back as the version 2 token of the same session, which opens to the same.
    keys = vector["keys"][vector["seal_key"] :] + vector["keys"][: vector["seal_key"]]
    line = bytes.fromhex(vector.get("line", vector["nonce"][:8]))
    token = _seal_with(
        vector["data"],
        keys=keys,
        context=vector["context"],
        now=vector["open_at_ms"],
        sid=vector["sid"],
        created_ms=vector["created_ms"],
        max_age_ms=vector["max_age_ms"],
        expires_ms=vector["expires_ms"],
        max_len=ss.DEFAULT_MAX_LEN,
        line=line,
        generation=vector.get("generation", 0),
        nonce=bytes.fromhex(vector["nonce"]),
    )
    if "generation" in vector:
        assert token == vector["token"]
    else:
        assert token[:1] == "A" and ss.inspect(token).version == 2
    opened = ss.open(token, keys=vector["keys"], context=vector["context"], now=vector["open_at_ms"], absolute_lifetime=None)
    assert opened.data == vector["data"]


@pytest.mark.parametrize("vector", cases("fail"), ids=ids("fail"))
def test_failing_vector_is_refused_with_its_reason(vector: Dict[str, Any]) -> None:
    with pytest.raises(ss.RefusedError) as refused:
        ss.open(
            vector["token"],
            keys=vector["keys"],
            context=vector["context"],
            now=vector["open_at_ms"],
            max_len=vector["max_len"],
            absolute_lifetime=vector["absolute_lifetime_ms"],
        )
    assert refused.value.reason == vector["reason"]
    assert vector["token"][:20] not in str(refused.value) or not vector["token"]


@pytest.mark.parametrize("vector", cases("opens"), ids=ids("opens"))
def test_odd_data_that_is_one_object_opens(vector: Dict[str, Any]) -> None:
    # As the crate: any well-formed value nested at most MAX_DEPTH levels opens; one Python
    # cannot build (an integer past its digit limit) reads as None.
    opened = ss.open(
        vector["token"],
        keys=vector["keys"],
        context=vector["context"],
        now=vector["open_at_ms"],
        max_len=vector["max_len"],
        absolute_lifetime=vector["absolute_lifetime_ms"],
    )
    assert "a" in opened.data


@pytest.mark.parametrize("vector", cases("keys"), ids=ids("keys"))
def test_key_list_parses_as_the_crate(vector: Dict[str, Any]) -> None:
    if vector["ok"]:
        assert ss.parse_keys(vector["input"]).kids == vector["kids"]
        return
    with pytest.raises(ss.KeyListError) as error:
        ss.parse_keys(vector["input"])
    e = error.value
    assert (e.code, e.position, e.got, e.kid) == (
        vector["error"],
        vector.get("position"),
        vector.get("got"),
        vector.get("kid"),
    )
