# Python helpers the Spark suites define once per file in the driver's namespace (harness.ts
# sends this file first). Everything here is plain PySpark; the tests compare its answers with Quiver.
import importlib

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import VectorAssembler


def table(path):
    """The shared table (data.ts) as Spark reads Quiver's Parquet, with a `features` vector of x1..x4."""
    df = spark.read.parquet(path)
    return VectorAssembler(inputCols=["x1", "x2", "x3", "x4"], outputCol="features").transform(df)


def spark_class(name):
    """A pyspark.ml class from its Scala name (org.apache.spark.ml.x.Y -> pyspark.ml.x.Y)."""
    module, _, cls = name.replace("org.apache.spark.ml", "pyspark.ml").rpartition(".")
    return getattr(importlib.import_module(module), cls)


def param_values(stage):
    """Every param that has a value (set or default) in the JVM stage, by name, as JSON-able values.

    Read from the JVM object, not PySpark's wrapper: a wrapper made by fit() keeps defaults it
    derived from its own Python uid (e.g. StringIndexerModel_<x>__output) where the JVM stage, the
    one that saves and transforms, has its parent's uid (StringIndexer_<y>__output)."""
    from pyspark.ml.common import _java2py
    java = stage._java_obj
    out = {}
    for param in java.params():
        if java.isDefined(param):
            out[param.name()] = _java2py(spark.sparkContext, java.getOrDefault(param))
    return out


def scored(model, df, columns):
    """`id` and `columns` of model.transform(df), ordered by id."""
    return rows(model.transform(df).select("id", *columns).orderBy("id"))


def tree_nodes(tree):
    """A decision tree (Spark's model object) as its nodes in pre-order, read from the JVM's rootNode."""
    out = []

    def walk(node):
        entry = {
            "prediction": node.prediction(),
            "impurity": node.impurity(),
            "stats": list(node.impurityStats().stats()),
            "leaf": node.getClass().getSimpleName() == "LeafNode",
        }
        out.append(entry)
        if not entry["leaf"]:
            split = node.split()
            entry["gain"] = node.gain()
            entry["feature"] = split.featureIndex()
            if split.getClass().getSimpleName() == "ContinuousSplit":
                entry["threshold"] = split.threshold()
            else:
                entry["leftCategories"] = sorted(list(split.leftCategories()))
            walk(node.leftChild())
            walk(node.rightChild())

    walk(tree._java_obj.rootNode())
    return out


def forest_nodes(model):
    """tree_nodes of every tree of an ensemble, with the tree weights."""
    return {"trees": [tree_nodes(t) for t in model.trees], "weights": list(model.treeWeights)}


def saved_by_spark(stage, path, df, columns):
    """Saves a Spark stage with write().overwrite().save(path); its params and its output on df."""
    stage.write().overwrite().save(path)
    return {"uid": stage.uid, "params": param_values(stage), "rows": scored(stage, df, columns) if columns else []}


def loaded_by_spark(class_name, path, df, columns):
    """Loads a stage that Quiver saved with the Spark class's load; its params and its output on df."""
    stage = spark_class(class_name).load(path)
    globals()["loaded"] = stage
    return {"uid": stage.uid, "params": param_values(stage), "rows": scored(stage, df, columns) if columns else []}



def one_sorted_partition(evaluate):
    """evaluate() with spark.default.parallelism 1, restored after.

    Spark's BinaryClassificationMetrics counts scores with combineByKey and sorts them with
    sortByKey, both on the default parallelism (2 here), and its numBins down-sampling restarts in
    each sorted partition; with one partition it bins the whole sorted list, as Quiver does. The
    SparkConf that the scheduler reads is mutable from the JVM side, so this is a run-time switch."""
    conf = spark.sparkContext._jsc.sc().conf()
    before = conf.get("spark.default.parallelism")
    conf.set("spark.default.parallelism", "1")
    try:
        return evaluate()
    finally:
        conf.set("spark.default.parallelism", before)
