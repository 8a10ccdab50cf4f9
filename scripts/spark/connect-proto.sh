#!/usr/bin/env bash
# Extracts Spark Connect's protocol definitions from the installed Spark's own connect jar
# ($SPARK_HOME/jars/spark-connect_2.13-<version>.jar, which ships its .proto sources) into
# .spark/connect-proto/ (ignored by git). src/connect/proto.ts loads them at run time with
# @grpc/proto-loader, so nothing is generated or copied into the repository by hand.
# Run by scripts/spark/setup.sh after PySpark is installed; idempotent.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
env_json="$root/.spark/env.json"
out="$root/.spark/connect-proto"
[ -f "$env_json" ] || { echo "connect-proto: $env_json missing; run npm run spark:setup" >&2; exit 1; }
field() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$env_json"; }
spark_home="$(field sparkHome)"
spark_version="$(field sparkVersion)"
jar="$(ls "$spark_home"/jars/spark-connect_*-"$spark_version".jar 2>/dev/null | head -n1 || true)"
[ -n "$jar" ] || { echo "connect-proto: no spark-connect jar for Spark $spark_version in $spark_home/jars" >&2; exit 1; }

if [ -f "$out/VERSION" ] && [ "$(cat "$out/VERSION")" = "$spark_version $(basename "$jar")" ]; then
  echo "connect-proto: Spark Connect protos of Spark $spark_version already in $out"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out"
# Spark's own messages, and the google.rpc status and error details that carry Spark's errors.
unzip -q -o "$jar" 'spark/connect/*.proto' google/rpc/status.proto google/rpc/error_details.proto -d "$out"
echo "$spark_version $(basename "$jar")" > "$out/VERSION"
echo "connect-proto: extracted $(ls "$out/spark/connect" | wc -l) Spark Connect protos of Spark $spark_version from $(basename "$jar") into $out"
