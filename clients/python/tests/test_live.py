"""Live tokens, both directions, with the crate's views example server: a token the server
issues opens here, and one sealed here opens in the server, which counts on from it.

The binary comes from ``SEALED_SESSION_VIEWS_BIN``, which ``clients/readers-ci.sh`` sets after
``cargo build --example views``; without it the test is skipped."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import urllib.request
from typing import Iterator, Optional, Tuple

import pytest

import sealed_session_reader as ss

VIEWS_BIN = os.environ.get("SEALED_SESSION_VIEWS_BIN")


@pytest.fixture
def server() -> Iterator[Tuple[str, str]]:
    """The views example on a free loopback port with a fresh key: (base url, key)."""
    if not VIEWS_BIN:
        pytest.skip("set SEALED_SESSION_VIEWS_BIN to the views example (clients/readers-ci.sh does)")
    key = ss.generate_key()
    env = {"PATH": os.environ.get("PATH", ""), "SESSION_KEYS": key, "PORT": "0", "RUST_LOG": "warn"}
    child = subprocess.Popen([VIEWS_BIN], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:  # read to the end, so the pipe never fills
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            if m and not found:
                found.append(m.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(20) or not found:
            pytest.fail("the views example did not start listening within 20 s")
        yield found[0], key
    finally:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)


def get(url: str, path: str, token: Optional[str] = None) -> Tuple[str, Optional[str]]:
    """GET a path with an optional session header: the body and the answer's session header."""
    request = urllib.request.Request(url + path, headers={} if token is None else {"x-session": token})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read().decode(), answer.headers.get("x-session")


def test_the_server_and_this_reader_share_sessions_both_ways(server: Tuple[str, str]) -> None:
    url, key = server
    # Exercise: a first request without token. Expectation: the server's new token opens here.
    body, token = get(url, "/foo")
    assert body == "you viewed this page 1 times"
    assert token
    opened = ss.open(token, keys=key)
    assert opened.data == {"views": {"/foo": 1}}
    assert opened.generation == (0 if opened.version == 1 else 1)

    # Exercise: write the counter here as a change of that session, and send it. Expectation:
    # the server counts on (41 -> 42); its answer keeps line and sid, at the next generation.
    mine = ss.seal({"views": {"/foo": 41, "/bar": 5}}, keys=key, replaces=opened)
    body, token = get(url, "/foo", mine)
    assert body == "you viewed this page 42 times"
    assert token
    back = ss.open(token, keys=key)
    assert back.data == {"views": {"/foo": 42, "/bar": 5}}
    assert (back.version, back.line, back.sid, back.generation) == (2, opened.line, opened.sid, opened.generation + 2)
    body, _ = get(url, "/views", token)
    assert json.loads(body) == {"/foo": 42, "/bar": 5}

    # Exercise: a token sealed here under another key. Expectation: the server starts over.
    stranger = ss.seal({"views": {"/foo": 99}}, keys=ss.generate_key())
    assert get(url, "/foo", stranger)[0] == "you viewed this page 1 times"
