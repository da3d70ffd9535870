"""Build hook (everything else is in pyproject.toml): the sdist ships copies of the vector files
its tests read, so that they run from an unpacked sdist, without the repository around it.

From a checkout (clients/python of the repository) ``tests/vectors/*.json`` and
``clients/test-vectors/*.json`` are copied into ``tests/shared-vectors/`` of the sdist, in the
repository's layout; ``tests/conftest.py`` reads them there when it finds no repository. From an
unpacked sdist the copies are already in the tree and MANIFEST.in takes them along.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import List, Optional

from setuptools import setup
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
SHIPPED = Path("tests") / "shared-vectors"
VECTOR_PATHS = (Path("tests") / "vectors", Path("clients") / "test-vectors")


def _repo() -> Optional[Path]:
    """The repository root if this is its clients/python, else None."""
    if HERE.name == "python" and HERE.parent.name == "clients" and (HERE.parent.parent / VECTOR_PATHS[0]).is_dir():
        return HERE.parent.parent
    return None


class SdistWithVectors(sdist):  # type: ignore[misc]
    """sdist that adds the repository's vector files to the release tree."""

    def make_release_tree(self, base_dir: str, files: List[str]) -> None:
        super().make_release_tree(base_dir, files)
        repo = _repo()
        target = Path(base_dir) / SHIPPED
        if repo is None:
            if not (target / VECTOR_PATHS[0]).is_dir():
                raise SystemExit(f"error: no repository around {HERE} and no {SHIPPED} to ship: the sdist's tests would have no vectors")
            return
        # The release tree may hard-link source files: remove, never write through, what is there.
        shutil.rmtree(target, ignore_errors=True)
        for path in VECTOR_PATHS:
            files_here = sorted((repo / path).glob("*.json"))
            if not files_here and path == VECTOR_PATHS[0]:
                raise SystemExit(f"error: no vector files in {repo / path}")
            (target / path).mkdir(parents=True)
            for source in files_here:
                shutil.copyfile(source, target / path / source.name)


setup(cmdclass={"sdist": SdistWithVectors})
