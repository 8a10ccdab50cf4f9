# Sourced by the set-up scripts: find_python <override> prints the first of <override>, python3,
# python that is Python 3.10+ with venv (its sys.executable), or nothing.
find_python() {
  local candidate
  for candidate in "$1" python3 python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
}
