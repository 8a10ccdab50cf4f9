// The main job (for now): build a DataFrame of 1M generated rows with a vector column, cache it,
// show a few rows and print summary statistics from one treeAggregate pass, on `local` and `local[*]`.
import { Session, col, summarize } from '../dist/index.js';
import { makeData, RecordBatch, Schema, Field, FixedSizeList, Float64, Int32, Struct, Table } from 'apache-arrow';

const rows = Number(process.env.DEMO_ROWS ?? 1_000_000);
const d = 8;

/** Embedded default data: a seeded stream of correlated features and an integer id. */
function generate(n) {
  const values = new Float64Array(n * d), ids = new Int32Array(n);
  let s = 42;
  const uniform = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  for (let i = 0; i < n; i++) {
    ids[i] = i;
    const z = uniform() - 0.5;
    for (let j = 0; j < d; j++) values[i * d + j] = j + z * (j + 1) + (uniform() - 0.5) * 0.1;
  }
  const vtype = new FixedSizeList(d, new Field('item', new Float64(), false));
  const schema = new Schema([new Field('id', new Int32(), false), new Field('features', vtype, false)]);
  const cols = [
    makeData({ type: new Int32(), length: n, data: ids }),
    makeData({ type: vtype, length: n, child: makeData({ type: new Float64(), length: n * d, data: values }) }),
  ];
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children: cols })));
}

const fmt = (a) => '[' + Array.from(a, (x) => x.toFixed(4)).join(', ') + ']';
const table = generate(rows);
const timings = {};

for (const master of ['local', 'local[*]']) {
  const spark = Session.builder().appName('quiver-demo').master(master).getOrCreate();
  const t0 = performance.now();
  const df = spark.createDataFrame(table).cache();
  const count = await df.count();
  const tCache = performance.now() - t0;
  if (master === 'local') {
    console.log(`\n${count.toLocaleString()} rows in ${await df.numPartitions()} partitions`);
    df.printSchema();
    await df.filter(col('id').ge(0)).show(5);
  }
  const t1 = performance.now();
  const summary = await summarize(df, 'features');
  const tSummary = performance.now() - t1;
  if (master === 'local') {
    console.log('summary of features (one treeAggregate pass):');
    console.log(`  count ${summary.count}`);
    for (const k of ['mean', 'std', 'min', 'max']) console.log(`  ${k.padEnd(5)} ${fmt(summary[k])}`);
  }
  timings[master] = { threads: spark.engine.parallelism, cacheSeconds: +(tCache / 1000).toFixed(3), summarySeconds: +(tSummary / 1000).toFixed(4) };
  await spark.stop();
}
console.log('\ntimings:', JSON.stringify(timings));
