#!/usr/bin/env bash
# Installs the Apache Spark that the Spark suites compare Quiver with: a project-local Python
# virtual environment under .spark/ (ignored by git) holding the pinned pyspark of
# scripts/spark/requirements.txt, run on a JDK that Spark supports. Writes .spark/env.json
# (python, JAVA_HOME, SPARK_HOME, versions) for the test harness and for anything else that
# starts Spark from this installation (spark-submit, sbin/start-connect-server.sh).
#
# Idempotent: when .spark/env.json matches the pins, the interpreter and the JDK, it only says so.
# Without a usable Java or Python it prints one line naming what is missing and exits 1.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.spark"
venv="$dir/venv"
requirements="$root/scripts/spark/requirements.txt"
say() { echo "spark:setup: $*"; }
missing() { echo "spark:setup: $*" >&2; exit 1; }

# --- Python 3.10+ with venv (pyspark 4 needs 3.10) ----------------------------------------
source "$root/scripts/lib/python.sh"
python="$(find_python "${QUIVER_SPARK_PYTHON:-}")"
[ -n "$python" ] || missing "no Python 3.10 or newer with venv found (tried \$QUIVER_SPARK_PYTHON, python3, python); install python3 and python3-venv"
python_version="$("$python" -c 'import platform; print(platform.python_version())')"

# --- A JDK that Spark 4 supports (17 or 21) ------------------------------------------------
java_major() { # prints the major version of the java in JDK home $1, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
}
java_home=""
candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for jdk in /usr/lib/jvm/*; do [ -d "$jdk" ] && candidates+=("$jdk"); done
seen=""
for jdk in "${candidates[@]}"; do
  case "$(java_major "$jdk")" in
    17|21) java_home="$(readlink -f "$jdk")"; break ;;
    ?*) seen="$seen $(java_major "$jdk")" ;;
  esac
done
[ -n "$java_home" ] || missing "no Java 17 or 21 found (Spark 4 needs one; looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*${seen:+; found Java$seen}); install openjdk-17-jdk or set JAVA_HOME"
java_version="$("$java_home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"

# --- The virtual environment ----------------------------------------------------------------
stamp="$(cat "$requirements" "$0" | sha256sum | cut -c1-16) python=$python_version java=$java_home"
if [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ] && [ -f "$dir/env.json" ] \
   && "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
  say "ready: $(sed -n 's/.*"sparkVersion": "\([^"]*\)".*/Spark \1/p' "$dir/env.json"), Python $python_version, Java $java_version ($java_home); nothing to do"
  bash "$root/scripts/spark/connect-proto.sh"
  exit 0
fi

say "Python $python_version ($python), Java $java_version ($java_home)"
mkdir -p "$dir"
rm -f "$dir/stamp" "$dir/env.json"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
say "installing $(grep -v '^#' "$requirements" | tr '\n' ' ')into $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"

spark_home="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
spark_version="$("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"
cat > "$dir/env.json" <<JSON
{
  "python": "$venv/bin/python",
  "pythonVersion": "$python_version",
  "javaHome": "$java_home",
  "javaVersion": "$java_version",
  "sparkHome": "$spark_home",
  "sparkVersion": "$spark_version"
}
JSON
echo "$stamp" > "$dir/stamp"
say "ready: Spark $spark_version at $spark_home"
# Spark Connect's .proto files, from the connect jar of the Spark just installed (src/connect/proto.ts).
bash "$root/scripts/spark/connect-proto.sh"
