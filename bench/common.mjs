// Shared helpers for the benchmarks: timing, generated data, JSON output.
import { makeData, RecordBatch, Schema, Field, FixedSizeList, Float64, Struct, Table } from 'apache-arrow';

/** Median wall time in seconds of `runs` calls (after one warm-up), plus the last result. */
export async function timeMedian(fn, runs = 5, warmup = 1) {
  let result;
  for (let i = 0; i < warmup; i++) result = await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], all: times, result };
}

/** Deterministic pseudo-random doubles (xorshift) — fast enough for 20M values. */
export function randomDoubles(count, seed = 1) {
  const out = new Float64Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** An Arrow table with one dense vector column `features` of n rows × d. */
export function vectorTable(n, d, seed = 1) {
  const values = randomDoubles(n * d, seed);
  const type = new FixedSizeList(d, new Field('item', new Float64(), false));
  const child = makeData({ type: new Float64(), length: n * d, data: values });
  const col = makeData({ type, length: n, child });
  const schema = new Schema([new Field('features', type, false)]);
  return new Table(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children: [col] })));
}

export const round = (x, digits = 3) => Number(x.toPrecision(digits));
export const print = (obj) => console.log(JSON.stringify(obj, null, 2));
