"""A long-lived PySpark driver that the Spark suites talk to over stdin/stdout, one JSON line each.

Started by test/spark/harness.ts with the Python of .spark/venv (scripts/spark/setup.sh). One
SparkSession in local[2] serves a whole test file. A request is

    {"id": 1, "code": "<Python statements>", "args": {...}}

The statements run with `spark`, `args`, every name of pyspark.sql.functions as `F`, the helpers
below and whatever earlier requests defined (one shared namespace, so a file can define Python
helpers once); the value of `result` afterwards is the answer:

    {"id": 1, "ok": true, "value": <result, encoded>}   or   {"id": 1, "ok": false, "error": "..."}

Encoding (decode() on the Node side undoes it): floats go as JSON numbers (Python's repr is the
shortest round-trip form, so doubles arrive bit-exact); NaN/±Infinity as {"$double": "NaN"};
vectors as {"$vector": "dense"|"sparse", ...}; matrices as {"$matrix": ...}; Rows as objects.
`{"op": "stop"}` stops Spark and exits; so does the end of stdin (the test process went away).
"""
import base64
import datetime
import decimal
import json
import math
import os
import sys
import traceback

# Spark's console chatter (progress bars, log4j INFO) stays off stdout, which carries the protocol.
_protocol = sys.stdout
sys.stdout = sys.stderr

from pyspark.sql import SparkSession, Row  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402
from pyspark.ml.linalg import DenseVector, SparseVector, DenseMatrix, SparseMatrix, Vectors  # noqa: E402


def start_spark():
    builder = (
        SparkSession.builder.master("local[2]")
        .appName(os.environ.get("QUIVER_SPARK_APP", "quiver-oracle"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.local.dir", os.environ.get("QUIVER_SPARK_LOCAL_DIR", "/tmp"))
        # One small JVM per test file: the suites use small data.
        .config("spark.driver.memory", "1g")
        .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def encode(value):
    """A JSON-able form of a result; see the module doc."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return {"$double": "NaN"}
        if math.isinf(value):
            return {"$double": "Inf" if value > 0 else "-Inf"}
        return value
    if isinstance(value, DenseVector):
        return {"$vector": "dense", "values": [encode(float(v)) for v in value.toArray()]}
    if isinstance(value, SparseVector):
        return {
            "$vector": "sparse",
            "size": int(value.size),
            "indices": [int(i) for i in value.indices],
            "values": [encode(float(v)) for v in value.values],
        }
    if isinstance(value, DenseMatrix):
        return {
            "$matrix": "dense",
            "numRows": value.numRows,
            "numCols": value.numCols,
            "values": [encode(float(v)) for v in value.toArray().flatten(order="F")],
        }
    if isinstance(value, SparseMatrix):
        return encode(value.toDense())
    if isinstance(value, Row):
        return {k: encode(v) for k, v in value.asDict(recursive=False).items()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime.datetime):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (bytes, bytearray)):
        return {"$binary": base64.b64encode(bytes(value)).decode("ascii")}
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return encode(value.tolist())
    raise TypeError(f"cannot encode a {type(value).__name__} for the test: {value!r}")


def decode(value):
    """The inverse of the Node side's encode(): doubles, vectors and matrices back to Python."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "$double" in value:
            return {"NaN": math.nan, "Inf": math.inf, "-Inf": -math.inf}[value["$double"]]
        if value.get("$vector") == "dense":
            return Vectors.dense([decode(v) for v in value["values"]])
        if value.get("$vector") == "sparse":
            return Vectors.sparse(value["size"], value["indices"], [decode(v) for v in value["values"]])
        return {k: decode(v) for k, v in value.items()}
    return value


def rows(df):
    """A DataFrame's rows as dicts (the Node side compares them with Quiver's collect())."""
    return [r.asDict(recursive=True) for r in df.collect()]


def schema(df):
    """[(name, Spark simpleString type, nullable)] of a DataFrame."""
    return [[f.name, f.dataType.simpleString(), f.nullable] for f in df.schema.fields]


def frame(data, ddl):
    """A DataFrame of decoded rows (lists in column order, or dicts) with a DDL schema."""
    return spark.createDataFrame(decode(data), ddl)


def main():
    global spark
    spark = start_spark()
    namespace = {
        "spark": spark, "F": F, "T": T, "Row": Row, "Vectors": Vectors, "DenseVector": DenseVector,
        "SparseVector": SparseVector, "DenseMatrix": DenseMatrix, "rows": rows, "schema": schema,
        "frame": frame, "decode": decode, "math": math, "json": json,
    }
    print(json.dumps({"ready": True, "sparkVersion": spark.version}), file=_protocol, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "stop":
            break
        reply = {"id": request.get("id")}
        try:
            namespace["args"] = decode(request.get("args", {}))
            namespace.pop("result", None)
            exec(compile(request["code"], f"<request {request.get('id')}>", "exec"), namespace)
            reply["ok"] = True
            reply["value"] = encode(namespace.get("result"))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the test
            reply["ok"] = False
            reply["error"] = "".join(traceback.format_exception_only(type(error), error)).strip()
            reply["traceback"] = traceback.format_exc()
        print(json.dumps(reply, allow_nan=False), file=_protocol, flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
