#!/usr/bin/env bash
# Set up everything Kefu needs in this checkout: a virtual environment with the
# locked dependencies, the front-end libraries from npm, compiled translations.
# Idempotent and quick when nothing changed. Sourced by scripts/demo and scripts/test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Kefu needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1 || echo none))." >&2
  exit 1
fi

LOCK="requirements.lock"
[ "${KEFU_BOOTSTRAP_DEV:-0}" = "1" ] && LOCK="requirements-dev.lock"

if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
STAMP=".venv/.kefu-$(basename "$LOCK").stamp"
if [ ! -f "$STAMP" ] || [ "$LOCK" -nt "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "==> installing Python dependencies from $LOCK"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$LOCK"
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  touch "$STAMP"
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "Kefu needs npm (Node.js) to fetch its front-end libraries." >&2
  exit 1
fi
if [ ! -f node_modules/.kefu.stamp ] || [ package-lock.json -nt node_modules/.kefu.stamp ]; then
  echo "==> installing front-end libraries (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.kefu.stamp
fi
VENDOR=src/kefu/core/static/vendor
mkdir -p "$VENDOR"
cp -u node_modules/htmx.org/dist/htmx.min.js "$VENDOR/htmx.min.js"
cp -u node_modules/echarts/dist/echarts.min.js "$VENDOR/echarts.min.js"

.venv/bin/python -c 'from kefu.core.i18n import compile_translations; compile_translations()'
