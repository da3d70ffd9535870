"""Loads the vector files the readers share with the crate, by path from the repository root.

Every ``tests/vectors/*.json`` file that exists is read (v1.json, v2.json, fail.json, keys.json,
and any added later), and so is ``clients/test-vectors/*.json``; each file's vectors are sorted
by their fields: ``reason`` makes a refusal, ``opens`` a token that opens despite odd data,
``input`` a key list, and the rest are passing vectors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[3]
VECTOR_DIRS = [ROOT / "tests" / "vectors", ROOT / "clients" / "test-vectors"]


# A vector's kind by its fields: refusals have a reason, odd data that still opens says so, key
# lists have an input; the rest are passing vectors with every field.
_KINDS = (("fail", "reason"), ("opens", "opens"), ("keys", "input"))


def _load() -> Dict[str, List[Tuple[str, Dict[str, Any]]]]:
    kinds: Dict[str, List[Tuple[str, Dict[str, Any]]]] = {"pass": [], "fail": [], "opens": [], "keys": []}
    for folder in VECTOR_DIRS:
        for path in sorted(folder.glob("*.json")):
            for vector in json.loads(path.read_text("utf-8"))["vectors"]:
                kind = next((k for k, field in _KINDS if field in vector), "pass")
                kinds[kind].append((f"{path.relative_to(ROOT)}:{vector['name']}", vector))
    return kinds


VECTORS = _load()


def ids(kind: str) -> List[str]:
    """The test ids of one kind of vector."""
    return [name for name, _ in VECTORS[kind]]


def cases(kind: str) -> List[Dict[str, Any]]:
    """The vectors of one kind."""
    return [v for _, v in VECTORS[kind]]
