// bench/dataframe: groupBy-count and an inner join on 1M rows with 10k keys, and a global sort of
// 1M doubles, on `local` and `local[2]`; rows per second (median of 3 runs on cached inputs).
import { Session, col } from '../dist/index.js';
import { makeData, RecordBatch, Schema, Field, Float64, Int32, Struct, Table } from 'apache-arrow';
import { print, randomDoubles, round, timeMedian } from './common.mjs';

const n = Number(process.env.ROWS ?? 1_000_000), keys = 10_000;

function eventsTable() {
  const k = new Int32Array(n), v = randomDoubles(n, 7);
  for (let i = 0; i < n; i++) k[i] = Math.floor(Math.abs(v[(i * 7919) % n]) * 2 * keys) % keys;
  const schema = new Schema([new Field('k', new Int32(), false), new Field('v', new Float64(), false)]);
  const cols = [makeData({ type: new Int32(), length: n, data: k }), makeData({ type: new Float64(), length: n, data: v })];
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children: cols })));
}

const events = eventsTable();
const dims = Array.from({ length: keys }, (_, i) => ({ k: i, name: `key-${i}` }));

async function measure(master) {
  const spark = Session.builder().master(master).config('quiver.sql.autoBroadcastJoinThreshold', -1).create();
  try {
    const df = spark.createDataFrame(events, { numPartitions: 4 }).cache();
    const dim = spark.createDataFrame(dims, { numPartitions: 2 }).cache();
    await df.count(); await dim.count();
    const group = await timeMedian(() => df.groupBy('k').count().count(), 3);
    const join = await timeMedian(() => df.join(dim, 'k').count(), 3);
    const sort = await timeMedian(() => df.select('v').orderBy('v').count(), 3);
    if (group.result !== keys || join.result !== n || sort.result !== n) throw new Error(`wrong results: ${group.result} ${join.result} ${sort.result}`);
    const rate = (t) => ({ seconds: round(t.seconds), rowsPerSecond: round(n / t.seconds) });
    return { master, threads: spark.engine.parallelism, groupByCount: rate(group), innerJoin: rate(join), sort: rate(sort) };
  } finally {
    await spark.stop();
  }
}

const local = await measure('local');
const local2 = await measure('local[2]');
print({
  bench: 'dataframe', rows: n, keys, local, 'local[2]': local2,
  speedup: {
    groupByCount: round(local.groupByCount.seconds / local2.groupByCount.seconds),
    innerJoin: round(local.innerJoin.seconds / local2.innerJoin.seconds),
    sort: round(local.sort.seconds / local2.sort.seconds),
  },
});
