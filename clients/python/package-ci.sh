#!/usr/bin/env bash
# The Python package (clients/python) as it would be published: builds the sdist and, from it,
# the wheel (`python -m build` in a throw-away venv) and checks what they hold (twine check, the
# PEP 639 license fields, both license texts, the vector copies the sdist's tests read); installs
# the WHEEL into a fresh venv and runs every ```python block of the package README there (a
# block marked `<!-- package-ci: compile-only (why) -->` on the line before its fence is only
# compiled), with SESSION_KEYS set to a fresh key; unpacks the SDIST and runs its pytest against
# the installed wheel. The live test there needs SEALED_SESSION_VIEWS_BIN (the views example,
# as clients/readers-ci.sh builds it): set, no test may be skipped; unset, only the live test is.
# Needs python3 (>= 3.9) and PyPI; never installs into the system, never runs cargo. Ends with
# `python-package: N passed, 0 failed` (N: the pytest tests and README blocks that passed).
#   bash clients/python/package-ci.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
pkg=clients/python

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "error: $*" >&2; exit 1; }
pip_install() { "$1/bin/pip" install --quiet --disable-pip-version-check "${@:2}"; }

command -v python3 >/dev/null || fail "python3 is missing (the package needs Python >= 3.9)"

work=$(mktemp -d)
# The build writes its egg-info into the source tree (ignored by git); remove it if it is ours.
egg_info="$pkg/src/sealed_session_reader.egg-info"
[ -e "$egg_info" ] && keep_egg_info=1 || keep_egg_info=0
cleanup() {
    rm -rf "$work"
    if [ "$keep_egg_info" -eq 0 ]; then rm -rf "$egg_info"; fi
}
trap cleanup EXIT

step "build: the sdist, then the wheel from the sdist (python -m build in a throw-away venv)"
python3 -m venv "$work/tools"
pip_install "$work/tools" "build>=1.2" "twine>=6.1"
"$work/tools/bin/python" -m build --outdir "$work/dist" "$pkg"
shopt -s nullglob
wheels=("$work"/dist/*.whl)
sdists=("$work"/dist/*.tar.gz)
shopt -u nullglob
[ "${#wheels[@]}" -eq 1 ] && [ "${#sdists[@]}" -eq 1 ] || fail "expected one wheel and one sdist, got: $(ls "$work/dist")"
wheel=${wheels[0]}
sdist=${sdists[0]}

step "check: twine check --strict, metadata, license files, the sdist's tests and vector copies"
"$work/tools/bin/twine" check --strict "$wheel" "$sdist"
"$work/tools/bin/python" - "$wheel" "$sdist" "$pkg/README.md" <<'PY'
import email.parser
import sys
import tarfile
import zipfile
from pathlib import Path

wheel, sdist, readme = sys.argv[1], sys.argv[2], Path(sys.argv[3])
problems = []

with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
    meta = email.parser.Parser().parsestr(z.read(meta_name).decode("utf-8"))
    dist_info = meta_name.rsplit("/", 1)[0]
    for needed in ("sealed_session_reader/py.typed", f"{dist_info}/licenses/LICENSE-MIT", f"{dist_info}/licenses/LICENSE-APACHE"):
        if needed not in names:
            problems.append(f"wheel: no {needed}")
    if any(n.startswith("tests/") for n in names):
        problems.append("wheel: ships tests/")
if tuple(int(p) for p in meta["Metadata-Version"].split(".")) < (2, 4):
    problems.append(f"wheel: Metadata-Version {meta['Metadata-Version']}, PEP 639 needs 2.4")
if meta["License-Expression"] != "MIT OR Apache-2.0":
    problems.append(f"wheel: License-Expression {meta['License-Expression']!r}")
if sorted(meta.get_all("License-File") or []) != ["LICENSE-APACHE", "LICENSE-MIT"]:
    problems.append(f"wheel: License-File {meta.get_all('License-File')}")
if meta["License"] is not None or any(c.startswith("License ::") for c in meta.get_all("Classifier") or []):
    problems.append("wheel: a License field or License classifier beside License-Expression (PEP 639)")
urls = {u.split(",", 1)[0] for u in meta.get_all("Project-URL") or []}
if not {"Homepage", "Repository", "Issues", "Documentation"} <= urls:
    problems.append(f"wheel: Project-URL has {sorted(urls)}")
if meta.get_payload().strip() != readme.read_text("utf-8").strip():
    problems.append("wheel: the long description is not the README")

repo = Path.cwd()
with tarfile.open(sdist) as t:
    members = {m.name.split("/", 1)[1]: m for m in t.getmembers() if "/" in m.name and m.isfile()}
    for needed in ("LICENSE-MIT", "LICENSE-APACHE", "README.md", "pyproject.toml", "setup.py", "tests/conftest.py"):
        if needed not in members:
            problems.append(f"sdist: no {needed}")
    if not any(n.startswith("tests/test_") for n in members):
        problems.append("sdist: no tests/test_*.py")
    if any("__pycache__" in n or n.endswith(".pyc") for n in members):
        problems.append("sdist: ships __pycache__")
    for folder in ("tests/vectors", "clients/test-vectors"):
        here = {p.name: p.read_bytes() for p in (repo / folder).glob("*.json")}
        prefix = f"tests/shared-vectors/{folder}/"
        shipped = {n[len(prefix):]: n for n in members if n.startswith(prefix)}
        if set(shipped) != set(here):
            problems.append(f"sdist: {prefix} has {sorted(shipped)}, the repository {sorted(here)}")
        for name, data in here.items():
            f = t.extractfile(members[shipped[name]]) if name in shipped else None
            if f is not None and f.read() != data:
                problems.append(f"sdist: {prefix}{name} differs from {folder}/{name}")
for p in problems:
    print("error:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "wheel and sdist ok: $(basename "$wheel"), $(basename "$sdist")"

step "install the wheel into a fresh venv (with pytest)"
python3 -m venv "$work/venv"
pip_install "$work/venv" "$wheel" "pytest>=8"
mkdir "$work/sdist"
tar -xzf "$sdist" -C "$work/sdist"
src=$(find "$work/sdist" -mindepth 1 -maxdepth 1 -type d)
[ -f "$src/pyproject.toml" ] || fail "the sdist did not unpack to one folder with a pyproject.toml"

step "README: every python block, against the installed wheel (the README the sdist ships)"
"$work/venv/bin/python" - "$work/readme" "$work/readme.count" "$src/README.md" <<'PY'
import os
import re
import subprocess
import sys
from pathlib import Path

import sealed_session_reader as ss

out, count_file, readmes = Path(sys.argv[1]).resolve(), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]]
out.mkdir()
FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)")
MARKER = re.compile(r"^<!--\s*package-ci:\s*compile-only\b.*-->\s*$")
# Links must work on PyPI too: absolute, or an anchor of the page.
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*(\S+)|\bhref=\"([^\"]+)\"", re.M)
env = dict(os.environ, SESSION_KEYS=ss.generate_key())  # a fresh key for the blocks, never shown
problems, passed = [], 0
for readme in readmes:
    lines = readme.read_text("utf-8").splitlines()
    blocks, prose, i = [], [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            prose.append(lines[i])
            i += 1
            continue
        fence, lang, start = m.group(1), m.group(2).lower(), i
        i += 1
        while i < len(lines) and not lines[i].startswith(fence):
            i += 1
        if i == len(lines):
            problems.append(f"{readme.name}:{start + 1}: a code block that is never closed")
        body = "\n".join(lines[start + 1 : i]) + "\n"
        i += 1
        if lang not in ("python", "py", "python3"):
            continue
        before = next((lines[j] for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        blocks.append((start + 1, body, bool(MARKER.match(before))))
    for m in LINK.finditer("\n".join(prose)):
        target = next(g for g in m.groups() if g)
        if not re.match(r"(https?://|mailto:|#)", target):
            problems.append(f"{readme.name}: a relative link ({target}), dead on PyPI")
    if not any(not compile_only for _, _, compile_only in blocks):
        problems.append(f"{readme.name}: no runnable python block")
    for line, body, compile_only in blocks:
        where = f"{readme.name}:{line}"
        try:
            compile(body, where, "exec")
        except SyntaxError as e:
            problems.append(f"{where}: does not compile: {e}")
            continue
        if compile_only:
            print(f"{where}: compiled (marked compile-only)")
            passed += 1
            continue
        path = out / f"block_{len(list(out.iterdir())) + 1}.py"
        path.write_text(body, "utf-8")
        # -I: neither the block's folder nor PYTHON* settings; the installed package is imported.
        run = subprocess.run([sys.executable, "-I", str(path)], cwd=out, env=env, timeout=120, capture_output=True, text=True)
        if run.returncode != 0:
            problems.append(f"{where}: exited {run.returncode}:\n{run.stdout}{run.stderr}")
        else:
            print(f"{where}: ran ({len(run.stdout.splitlines())} lines of output)")
            passed += 1
for p in problems:
    print("error:", p, file=sys.stderr)
count_file.write_text(str(passed))
sys.exit(1 if problems else 0)
PY
readme_passed=$(cat "$work/readme.count")

step "the sdist's tests, in the unpacked sdist, against the installed wheel"
set +e
(cd "$src" && "$work/venv/bin/python" -m pytest -p no:cacheprovider -rs --junitxml="$work/pytest.xml") | tee "$work/pytest.out"
py_rc=${PIPESTATUS[0]}
set -e
[ "$py_rc" -ne 5 ] || fail "pytest collected no test in the sdist (exit 5)"
[ "$py_rc" -eq 0 ] || fail "pytest failed in the sdist (exit $py_rc)"
# The header conftest.py prints: the package came from the venv, the vectors from the sdist.
grep -q "^sealed_session_reader .* from .*/site-packages/sealed_session_reader$" "$work/pytest.out" ||
    fail "pytest did not test the installed wheel"
grep -q "^vectors: [0-9]* from .*/tests/shared-vectors$" "$work/pytest.out" ||
    fail "pytest did not read the vectors the sdist ships"
read -r py_passed py_failed py_skipped other_skips < <("$work/venv/bin/python" - "$work/pytest.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = [c for s in suites for c in s.iter("testcase") if c.find("skipped") is not None]
other = [c for c in skipped if not c.get("classname", "").endswith("test_live")]
print(total - failed - len(skipped), failed, len(skipped), len(other))
PY
)
echo "pytest (sdist): $py_passed passed, $py_failed failed, $py_skipped skipped"
[ "$py_passed" -gt 0 ] || fail "pytest passed no test"
[ "$py_failed" -eq 0 ] || fail "pytest reported $py_failed failures"
[ "$other_skips" -eq 0 ] || fail "pytest skipped $other_skips test(s) other than the live one"
if [ -n "${SEALED_SESSION_VIEWS_BIN:-}" ]; then
    [ "$py_skipped" -eq 0 ] || fail "pytest skipped a test although SEALED_SESSION_VIEWS_BIN is set"
elif [ "$py_skipped" -gt 0 ]; then
    echo "note: the live test was skipped: SEALED_SESSION_VIEWS_BIN is not set (clients/readers-ci.sh runs it)"
fi

echo "README blocks: $readme_passed passed"
echo "python-package: $((py_passed + readme_passed)) passed, 0 failed"
