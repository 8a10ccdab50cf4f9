#!/usr/bin/env bash
# Starts or stops Spark's Connect server from the PySpark installation of scripts/spark/setup.sh:
#   connect-server.sh start [port]   local[2], bound to 127.0.0.1:<port> (default 15002); returns
#                                    once the gRPC port accepts connections (at most 120 s)
#   connect-server.sh stop  [port]   ends the server started for that port (its process group)
# The pip distribution has no sbin/start-connect-server.sh, but it ships the server class in
# jars/spark-connect_2.13-<version>.jar, so spark-submit runs it directly. State (pid, log) lives
# in .spark/connect-server-<port>.{pid,log,dir}; stop removes them (a failed start keeps the log).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
env_json="$root/.spark/env.json"
action="${1:-}"
port="${2:-15002}"
pidfile="$root/.spark/connect-server-$port.pid"
log="$root/.spark/connect-server-$port.log"
[ -f "$env_json" ] || { echo "connect-server: $env_json missing; run npm run spark:setup" >&2; exit 1; }
field() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$env_json"; }

case "$action" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "connect-server: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; exit 0
    fi
    spark_home="$(field sparkHome)"
    jar="$(ls "$spark_home"/jars/spark-connect_*-"$(field sparkVersion)".jar | head -n1)"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/quiver-connect-XXXXXX")"
    # setsid: the server gets its own process group, so stop ends spark-submit and the JVM together.
    JAVA_HOME="$(field javaHome)" SPARK_HOME="$spark_home" SPARK_LOCAL_IP=127.0.0.1 \
      PYSPARK_PYTHON="$(field python)" \
      setsid "$spark_home/bin/spark-submit" \
        --master 'local[2]' \
        --class org.apache.spark.sql.connect.service.SparkConnectServer \
        --name "Quiver test Spark Connect server" \
        --conf spark.connect.grpc.binding.address=127.0.0.1 \
        --conf "spark.connect.grpc.binding.port=$port" \
        --conf spark.ui.enabled=false \
        --conf spark.sql.shuffle.partitions=2 \
        --conf "spark.local.dir=$scratch" \
        --conf "spark.sql.warehouse.dir=$scratch/warehouse" \
        --driver-java-options "-Dderby.system.home=$scratch" \
        "$jar" > "$log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    echo "$scratch" > "$root/.spark/connect-server-$port.dir"
    for _ in $(seq 1 240); do
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "connect-server: the server exited during start; its log ($log) ends:" >&2; tail -n 20 "$log" >&2; rm -f "$pidfile"; rm -rf "$scratch"; exit 1
      fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "connect-server: Spark $(field sparkVersion) Connect server on sc://127.0.0.1:$port (pid $(cat "$pidfile"), log $log)"; exit 0
      fi
      sleep 0.5
    done
    echo "connect-server: no answer on 127.0.0.1:$port after 120 s; log: $log" >&2
    kill -- -"$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; rm -rf "$scratch"; exit 1
    ;;
  stop)
    [ -f "$pidfile" ] || { echo "connect-server: none started on port $port"; exit 0; }
    pid="$(cat "$pidfile")"
    kill -- -"$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 -- -"$pid" 2>/dev/null || true
    rm -f "$pidfile" "$log"
    dirfile="$root/.spark/connect-server-$port.dir"
    if [ -f "$dirfile" ]; then rm -rf "$(cat "$dirfile")"; rm -f "$dirfile"; fi
    echo "connect-server: stopped (pid $pid)"
    ;;
  *) echo "usage: connect-server.sh start|stop [port]" >&2; exit 2 ;;
esac
