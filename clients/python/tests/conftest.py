"""Loads the vector files the readers share with the crate.

In a checkout of the repository they are read where they live, ``tests/vectors/*.json`` and
``clients/test-vectors/*.json`` from the repository root, so a vector added there is tested at
once. The sdist has no repository around it: it ships copies of those files, made when it was
built (``setup.py``), under ``tests/shared-vectors/`` in the same layout. No vectors found is an
error, never a silent pass.

Every file that exists is read (v1.json, v2.json, fail.json, keys.json, and any added later);
each file's vectors are sorted by their fields: ``reason`` makes a refusal, ``opens`` a token
that opens despite odd data, ``input`` a key list, and the rest are passing vectors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import sealed_session_reader

HERE = Path(__file__).resolve().parent
#: Where the vector files lie, relative to ROOT (the repository's layout).
VECTOR_PATHS = (Path("tests") / "vectors", Path("clients") / "test-vectors")


def _root() -> Path:
    """The repository root when this is a checkout (clients/python/tests), else the copies the
    sdist ships."""
    package = HERE.parent
    if package.name == "python" and package.parent.name == "clients":
        repo = package.parent.parent
        if (repo / VECTOR_PATHS[0]).is_dir():
            return repo
    shipped = HERE / "shared-vectors"
    if (shipped / VECTOR_PATHS[0]).is_dir():
        return shipped
    raise RuntimeError(
        f"no vector files: neither a repository checkout around {package} nor {shipped} "
        "(an sdist built by setup.py ships them there)"
    )


ROOT = _root()
VECTOR_DIRS = [ROOT / path for path in VECTOR_PATHS]


# A vector's kind by its fields: refusals have a reason, odd data that still opens says so, key
# lists have an input; the rest are passing vectors with every field.
_KINDS = (("fail", "reason"), ("opens", "opens"), ("keys", "input"))


def _load() -> Dict[str, List[Tuple[str, Dict[str, Any]]]]:
    kinds: Dict[str, List[Tuple[str, Dict[str, Any]]]] = {"pass": [], "fail": [], "opens": [], "keys": []}
    for folder in VECTOR_DIRS:
        for path in sorted(folder.glob("*.json")):
            for vector in json.loads(path.read_text("utf-8"))["vectors"]:
                kind = next((k for k, field in _KINDS if field in vector), "pass")
                kinds[kind].append((f"{path.relative_to(ROOT).as_posix()}:{vector['name']}", vector))
    return kinds


VECTORS = _load()


def pytest_report_header() -> List[str]:
    """Which package is tested and which vectors: the installed one, or a source tree."""
    count = sum(len(v) for v in VECTORS.values())
    return [
        f"sealed_session_reader {sealed_session_reader.__version__} from {Path(sealed_session_reader.__file__).parent}",
        f"vectors: {count} from {ROOT}",
    ]


def ids(kind: str) -> List[str]:
    """The test ids of one kind of vector."""
    return [name for name, _ in VECTORS[kind]]


def cases(kind: str) -> List[Dict[str, Any]]:
    """The vectors of one kind."""
    return [v for _, v in VECTORS[kind]]
