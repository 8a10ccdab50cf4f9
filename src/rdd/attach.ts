// RDDs sit one layer above the DataFrame (they read DataFrame partitions and become DataFrames), so
// the DataFrame layer cannot name them. What Spark puts on its classes — `spark.sparkContext`,
// `df.rdd`, `spark.createDataFrame(rdd, schema)` — is added here, onto the prototypes, with the
// matching declarations, when the package (src/index.ts, which imports this module) is loaded.
import { DataFrame } from '../dataframe/dataframe.js';
import { Session } from '../dataframe/session.js';
import type { PartitionPlan } from '../engine/protocol.js';
import { SparkContext } from './context.js';
import type { RowsPlan } from './plan.js';
import { RDD } from './rdd.js';
import { schemaFrom, type SchemaSpec } from './schema.js';
import type { Row } from '../dataframe/rows.js';

declare module '../dataframe/session.js' {
  interface Session {
    /** The session's SparkContext (one per session): parallelize, textFile, emptyRDD, broadcast. */
    readonly sparkContext: SparkContext;
    /** A DataFrame of an RDD's elements with the given schema (see RDD.toDF for how elements become rows). */
    createDataFrame(rdd: RDD<unknown>, schema: SchemaSpec): DataFrame;
  }
}

declare module '../dataframe/dataframe.js' {
  interface DataFrame {
    /**
     * The rows as an RDD of plain objects, one field per column. Values cross threads by structured
     * clone, so a vector arrives as a plain object with its fields (class prototypes do not travel).
     */
    readonly rdd: RDD<Row>;
  }
}

const contexts = new WeakMap<Session, SparkContext>();

function sparkContextOf(session: Session): SparkContext {
  let sc = contexts.get(session);
  if (!sc) { sc = new SparkContext(session); contexts.set(session, sc); }
  return sc;
}

Object.defineProperty(Session.prototype, 'sparkContext', {
  configurable: true,
  get(this: Session) { return sparkContextOf(this); },
});

const createDataFrame = Session.prototype.createDataFrame as (this: Session, ...args: unknown[]) => DataFrame;
Object.defineProperty(Session.prototype, 'createDataFrame', {
  configurable: true,
  writable: true,
  value: function (this: Session, data: unknown, options?: unknown): DataFrame {
    if (!(data instanceof RDD)) return createDataFrame.call(this, data, options);
    if (options === undefined) throw new Error('createDataFrame(rdd, schema): pass the schema, or use await rdd.toDF() to infer it');
    if (data.context.session !== this) throw new Error('createDataFrame: the RDD belongs to another session');
    return data.toDataFrame(schemaFrom(options as SchemaSpec));
  },
});

Object.defineProperty(DataFrame.prototype, 'rdd', {
  configurable: true,
  get(this: DataFrame): RDD<Row> {
    if (!(this.session instanceof Session)) throw new Error('DataFrame.rdd: this DataFrame was not made by a Session');
    const df = this;
    return new RDD<Row>(sparkContextOf(this.session), {
      name: 'MapPartitionsRDD', origin: 'rdd', parents: [], partitions: df.node.numPartitions(),
      compute: async () => (await df.plans()).map((child: PartitionPlan): RowsPlan => ({ kind: 'rdd.rows', child })),
    });
  },
});
