// The RDD API: importing this module also adds spark.sparkContext, df.rdd and createDataFrame(rdd, schema).
import './attach.js';
export { RDD } from './rdd.js';
export { SparkContext } from './context.js';
export type { SchemaSpec } from './schema.js';
