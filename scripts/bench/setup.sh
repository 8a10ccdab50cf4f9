#!/usr/bin/env bash
# Installs the benchmark peers (scikit-learn, XGBoost, LightGBM, NumPy) into a project-local
# virtual environment under .bench/ (ignored by git) from scripts/bench/requirements.txt. The
# benchmarks use .bench/venv/bin/python when it exists (bench/peers.mjs), else /usr/bin/python3.
# Idempotent: when the stamp matches the pins and the interpreter, it only says so. Without a
# Python 3.10+ with venv it prints one line naming what is missing and exits 1.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.bench"
venv="$dir/venv"
requirements="$root/scripts/bench/requirements.txt"
say() { echo "bench:setup: $*"; }

source "$root/scripts/lib/python.sh"
python="$(find_python "${QUIVER_BENCH_PYTHON:-}")"
[ -n "$python" ] || { echo "bench:setup: no Python 3.10 or newer with venv found (tried \$QUIVER_BENCH_PYTHON, python3, python); install python3 and python3-venv" >&2; exit 1; }
python_version="$("$python" -c 'import platform; print(platform.python_version())')"

stamp="$(cat "$requirements" "$0" | sha256sum | cut -c1-16) python=$python_version"
if [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ] && "$venv/bin/python" -c 'import sklearn, xgboost, lightgbm' 2>/dev/null; then
  say "ready: $("$venv/bin/python" -c 'import sklearn, xgboost, lightgbm, numpy; print(f"scikit-learn {sklearn.__version__}, XGBoost {xgboost.__version__}, LightGBM {lightgbm.__version__}, NumPy {numpy.__version__}")'), Python $python_version; nothing to do"
  exit 0
fi
mkdir -p "$dir"
rm -f "$dir/stamp"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
say "installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "$stamp" > "$dir/stamp"
say "ready: Python $python_version ($venv/bin/python)"
