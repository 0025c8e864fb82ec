#!/bin/sh
# `pip install --no-build-isolation .` with Debian's pip and setuptools (no network), into a
# temporary target, then imports the installed package from outside the source and build trees.
set -eu
python=$1; source_dir=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/src"   # pip builds in-tree: build from a copy so the checkout stays clean
tar -C "$source_dir" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$work/src" -xf -
cd "$work/src"
# Debug: the test checks packaging, not speed, and an unoptimised module builds faster.
QUOTAFLOW_BUILD_TYPE=Debug "$python" -m pip install --no-build-isolation --no-deps --no-index --target "$work/site" . > "$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
cd "$work"
PYTHONPATH="$work/site" "$python" - <<'PY'
import pathlib, quotaflow
assert pathlib.Path(quotaflow.__file__).parent.joinpath("py.typed").exists(), "py.typed missing"
assert pathlib.Path(quotaflow.__file__).parent.joinpath("_core.pyi").exists(), "_core.pyi missing"
cal = quotaflow.Calendar.preset("CN")
assert cal.working_days("2026-01-01", "2027-01-01") == 248
print("pip install: ok", quotaflow.__version__, quotaflow.__file__)
PY
